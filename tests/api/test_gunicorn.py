"""End to end: `gunicorn wsgi:app` with 2 workers, driven over HTTP like a CRM would."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from tests.api.conftest import API_KEYS, KEYS
from tests.conftest import process_gone

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    """A port that is free now (another process may take it before it is used)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LISTENING = re.compile(r"(?:Listening at:|Each worker listens at) http://127\.0\.0\.1:(\d+)")


class Http:
    """requests against the server with a role's key."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.process: subprocess.Popen | None = None

    def call(self, method: str, path: str, role: str = "integration", **kw):
        headers = {"Authorization": f"Bearer {KEYS[role]}"}
        return self.session.request(method, self.base + path, headers=headers, timeout=30, **kw)


@pytest.fixture
def server(tmp_path) -> Iterator[Http]:
    """gunicorn -w 2 on SQLite in a temporary data directory, on a port it picks itself.

    Port 0 and the port gunicorn logs, not a port found free beforehand: another server of the suite could
    take that one in between, answer the health check, and leave this test talking to nobody.
    """
    yield from _gunicorn(tmp_path, 0)


@pytest.fixture
def fixed_port_server(tmp_path) -> Iterator[Http]:
    """gunicorn -w 2 bound to a fixed port, as deployed: each worker listens on its own socket."""
    yield from _gunicorn(tmp_path, free_port())


@pytest.fixture
def controlled_server(tmp_path) -> Iterator[Http]:
    """gunicorn -w 2 with its control socket at ADVOCACY_CONTROL_SOCKET."""
    yield from _gunicorn(tmp_path, 0, ADVOCACY_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"))


def _gunicorn(tmp_path: Path, port: int, **environ: str) -> Iterator[Http]:
    env = {**os.environ, "ADVOCACY_DATA_DIR": str(tmp_path / "data"), "ADVOCACY_API_KEYS": API_KEYS, **environ}
    env["HOME"] = str(tmp_path / "home")  # where gunicorn's own control socket would go (tests look)
    env.pop("XDG_RUNTIME_DIR", None)
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wsgi:app", "-w", "2", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        http = None
        while True:
            listening = LISTENING.search(log_path.read_text())  # port 0: the one gunicorn took
            if listening and http is None:
                http = Http(f"http://127.0.0.1:{listening.group(1)}")
            try:
                if http is not None and http.session.get(http.base + "/v1/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        http.process = process
        yield http
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


def children(pid: int, module: str = "") -> list[int]:
    """The processes `pid` started (pgrep -P), only those running `python -m module` when given."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(c) for c in found.split() if not module or module in _command_line(int(c))]


def _command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except FileNotFoundError:
        return []


def test_clients_connecting_together_are_spread_over_both_workers(fixed_port_server):
    port = int(fixed_port_server.base.rsplit(":", 1)[1])
    clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(16)]
    try:
        for client in clients:  # one keep-alive request each: every connection is accepted and stays open
            client.sendall(b"GET /v1/health HTTP/1.1\r\nHost: test\r\n\r\n")
        for client in clients:
            assert client.recv(65536).startswith(b"HTTP/1.1 200")
        held = {worker: established_connections(worker, port) for worker in children(fixed_port_server.process.pid)}
    finally:
        for client in clients:
            client.close()
    assert len(held) == 2
    assert sum(held.values()) >= len(clients) and all(held.values()), held  # all on one: odds 1 in 32,768


def established_connections(pid: int, port: int) -> int:
    """How many established TCP connections to `port` the process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            count += local_port == port and state == "01" and inode in inodes
    return count


def test_no_control_socket_is_opened_unless_asked_for(server, tmp_path):
    assert server.call("GET", "/v1/health").status_code == 200
    assert not (tmp_path / "home").exists()  # gunicorn's default: $HOME/.gunicorn/gunicorn.ctl
    assert "Control socket listening" not in (tmp_path / "gunicorn.log").read_text()


def test_the_control_socket_asked_for_answers_gunicornc(controlled_server, tmp_path):
    from gunicorn.ctl.client import ControlClient

    with ControlClient(str(tmp_path / "gunicorn.ctl"), timeout=10) as client:
        shown = client.send_command("show workers")
    assert shown["count"] == 2
    assert not (tmp_path / "home").exists()


def test_every_worker_starts_its_scoring_workers_before_its_first_batch(server):
    workers = children(server.process.pid)
    assert len(workers) == 2
    deadline = time.monotonic() + 30
    scoring = "advocacy.sentiment._worker"
    while not all(children(w, scoring) for w in workers):  # started at boot: only health checks were sent
        assert time.monotonic() < deadline, {w: children(w) for w in workers}
        time.sleep(0.2)


def test_every_worker_runs_the_projections_in_a_child_that_ends_with_the_server(server):
    workers = children(server.process.pid)
    deadline = time.monotonic() + 30
    while True:
        projections = {w: children(w, "projections._child") for w in workers}
        if sorted(len(p) for p in projections.values()) == [1, 1]:
            break
        assert time.monotonic() < deadline, projections  # the second worker may still be starting
        time.sleep(0.2)

    server.process.terminate()
    server.process.wait(20)

    deadline = time.monotonic() + 15
    while not all(process_gone(p) for [p] in projections.values()):
        assert time.monotonic() < deadline, "a projections process outlived the server"
        time.sleep(0.2)


def test_a_crm_pushes_data_retries_deliveries_and_reads_the_numbers(server):
    now = datetime.now(UTC).replace(microsecond=0)
    day = lambda n: (now - timedelta(days=n)).isoformat()  # noqa: E731

    # The CRM registers three customers; one push is retried.
    for crm_id, name in [("C-1", "Budi"), ("C-2", "Sari"), ("C-3", "Andi"), ("C-1", "Budi")]:
        assert server.call("POST", "/v1/customers", json={"crm_id": crm_id, "name": name}).status_code in (200, 201)
    assert server.call("PUT", "/v1/brands/Kopiku", role="admin", json={"own": True}).status_code == 201

    # The listening source delivers five mentions, every one of them twice, concurrently, to both workers.
    mentions = [
        ("m-1", "C-1", "I love Kopiku, the best coffee in town!", 2),
        ("m-2", "C-1", "Kopiku baristas are wonderful, great service", 3),
        ("m-3", "C-1", "Amazing new Kopiku latte, highly recommended", 4),
        ("m-4", "C-2", "Kopiku is great", 5),
        ("m-5", "C-2", "Kopiku was awful today, terrible and slow", 6),
    ]
    bodies = [
        {"source": "listening", "external_id": eid, "crm_id": crm, "brand": "Kopiku", "channel": "twitter",
         "text": text, "reach": 100, "occurred_at": day(age)}
        for eid, crm, text, age in mentions
    ]
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda b: server.call("POST", "/v1/mentions", json=b), bodies * 2))
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201] * 5
    by_id = {}
    for r in responses:
        by_id.setdefault(r.json()["id"], []).append(r.json())
    assert len(by_id) == 5
    for first, again in by_id.values():
        assert {k: v for k, v in first.items() if k != "position"} == {k: v for k, v in again.items() if k != "position"}

    # Referrals (one retried) and a conversion (retried).
    for external_id, referee in [("R-1", "a@example.com"), ("R-2", "b@example.com"), ("R-1", "a@example.com")]:
        body = {"external_id": external_id, "referrer_crm_id": "C-1", "referee": {"email": referee}, "occurred_at": day(3)}
        assert server.call("POST", "/v1/referrals", json=body).status_code in (200, 201)
    conversion = {"crm_id": "C-9", "value": 250000, "occurred_at": day(1)}
    for _ in range(2):
        converted = server.call("POST", "/v1/referrals/R-1/conversion", json=conversion)
        assert converted.status_code == 200
    position = converted.json()["position"]

    # The change feed has every event exactly once, in order.
    feed = server.call("GET", "/v1/events?limit=1000").json()
    types = [e["type"] for e in feed["items"]]
    assert types.count("Customer.Registered") == 3
    assert types.count("Mention.Recorded") == 5
    assert types.count("Referral.Made") == 2
    assert types.count("Referral.Converted") == 1
    assert feed["next_after"] == feed["items"][-1]["position"] >= position

    # Reads wait on min_position, then show the numbers.
    advocates = server.call("GET", f"/v1/advocates?min_position={position}", role="officer")
    assert advocates.status_code == 200, advocates.text
    items = advocates.json()["items"]
    assert [a["crm_id"] for a in items[:2]] == ["C-1", "C-2"]
    assert items[0]["rank"] == 1 and items[0]["score"] > items[1]["score"]

    trends = server.call("GET", f"/v1/sentiment/trends?granularity=month&min_position={position}", role="officer")
    assert trends.status_code == 200, trends.text
    periods = trends.json()["items"]
    assert sum(p["mentions"] for p in periods) == 5
    assert sum(p["positive"] for p in periods) == 4
    assert sum(p["negative"] for p in periods) == 1
    assert sum(p["reach"] for p in periods) == 500

    recommendations = server.call("GET", f"/v1/outreach/recommendations?min_position={position}", role="officer")
    assert recommendations.status_code == 200, recommendations.text
    recommended = recommendations.json()["items"]
    assert recommended[0]["crm_id"] == "C-1"
    assert any("converted referral" in reason for reason in recommended[0]["reasons"])
    assert recommended[0]["suggested_action"]

    # An officer thanks Budi: the next read at that position no longer recommends him.
    thanked = server.call("POST", "/v1/outreach", role="officer", json={"crm_id": "C-1", "action": "thank", "officer": "dewi"})
    assert thanked.status_code == 201
    later = server.call("GET", f"/v1/outreach/recommendations?min_position={thanked.json()['position']}", role="officer")
    assert "C-1" not in [r["crm_id"] for r in later.json()["items"]]
