"""HTTP ingestion under `gunicorn wsgi:app -w 2` on SQLite, beside the raw rates it is built on, in one run.

Usage: python bench/bench_http.py [--client wrk|python] [--wrk-seconds 10] [--warm-up 8] [--requests 2000]
                                  [--concurrency 8] [--bulk 5000] [--seconds 60] [--embedded process|thread|off]
                                  [--worker-class gthread|sync] [--threads 8]

Measures, in this order and on this machine:
  1. raw `Application.save` of one new aggregate per save (events/s) and of 1000 per save (events/s), SQLite file,
     and raw VADER texts/s on the same texts the mentions carry: before the loads, between them and after them,
     each load compared with the mean of the measurements either side of it (the machine's speed drifts);
  2. AdvocacyApplication.record_mentions in batches of 1000, no HTTP;
  3. single-mention POST /v1/mentions, after --warm-up seconds of untimed ones on the same server (a server that
     has just started spends its first seconds loading its scoring workers): requests/s, p50 and p99, load
     from a separate process on 127.0.0.1: wrk
     (`apt-get install wrk`; bench/wrk_mentions.lua) where installed, else Python threads, whose own CPU takes a
     fifth of the two cores' throughput from the server (alternating runs: 570-635/s against 737-768/s with wrk);
  4. (on a fresh server and store, after untimed warm-up batches) bulk import through POST /v1/mentions/batch (1000 per
     request): mentions/s, beside the same batches through AdvocacyApplication.record_mentions without HTTP.
The default server is `gunicorn wsgi:app -w 2 -k gthread --threads 8`: threads let concurrent single-mention
requests share transactions (api/group_commit.py); `--worker-class sync --threads 1` measures plain workers.
Then prints each against the targets in the architecture notes. Every loop is bounded by count and by --seconds.
After each load it waits for the embedded projections to reach the log's head and prints how long that took: in a
child process (the default) they yield the CPU to the requests and catch up afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-integration-key"
BATCH = 1000
WARM_UP_ROUNDS = 2
"""Rounds of two untimed batches (then a pause) before the bulk phase: each server process starts its scoring
workers at boot, in the background, and these make sure they run before the timing starts."""
TEMPLATES = (
    "Pelayanannya mantap banget, sangat puas dengan {b}!",
    "Driver {b} ramah dan cepat, recommended",
    "Aplikasinya lemot parah, kecewa banget sama {b}",
    "Love the new {b} promo, super hemat",
    "Worst experience ever with {b}, waited 40 minutes",
    "Ada promo apa minggu ini di {b}?",
    "Great service today from {b}, the driver was really helpful!",
    "SLOT GACOR hari ini maxwin, depo 10rb via dana, link di bio!!",
)


class Note(Aggregate):
    """The smallest aggregate: one created event with a little text."""

    @event("Created")
    def __init__(self, text: str):
        self.text = text


def sqlite_env(directory: str) -> dict[str, str]:
    from advocacy.config import persistence_env

    return persistence_env({"ADVOCACY_DATA_DIR": directory})


def raw_save_rates(n_single: int, n_batched: int, seconds: float) -> tuple[float, float]:
    """Events/s of Application.save with one aggregate per save, and with BATCH per save."""
    with tempfile.TemporaryDirectory() as directory:
        app = Application(env=sqlite_env(directory))
        deadline = time.perf_counter() + seconds
        start, done = time.perf_counter(), 0
        while done < n_single and time.perf_counter() < deadline:
            app.save(Note(text=TEMPLATES[done % len(TEMPLATES)]))
            done += 1
        single = done / (time.perf_counter() - start)
        start, done = time.perf_counter(), 0
        while done < n_batched and time.perf_counter() < deadline + seconds:
            app.save(*(Note(text=TEMPLATES[i % len(TEMPLATES)]) for i in range(BATCH)))
            done += BATCH
        batched = done / (time.perf_counter() - start)
        app.close()
    return single, batched


def core_batch_rate(n: int, seconds: float) -> float:
    """Mentions/s of AdvocacyApplication.record_mentions in batches of BATCH, no HTTP: what the endpoint wraps."""
    from advocacy.application import AdvocacyApplication
    from api.resources.mentions import parse_items

    from advocacy.sentiment import batch

    batch.start(wait=30)  # steady state: the scoring workers a long-running server already has
    with tempfile.TemporaryDirectory() as directory:
        app = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": directory})
        items = [m for _, m in parse_items([mention(i, t, "core") for i, t in enumerate(texts(n))])[0]]
        deadline = time.perf_counter() + seconds
        start, done = time.perf_counter(), 0
        while done < n and time.perf_counter() < deadline:
            done += app.record_mentions(items[done : done + BATCH]).accepted
        elapsed = time.perf_counter() - start
        app.close()
    return done / elapsed


def vader_rate(texts: list[str]) -> float:
    """Texts/s of plain VADER on `texts`."""
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - start)


def texts(n: int, offset: int = 0) -> list[str]:
    brands = ("Kopiku", "Gojek", "Grab")
    return [TEMPLATES[i % len(TEMPLATES)].format(b=brands[i % 3]) + f" #{i}" for i in range(offset, offset + n)]


def mention(i: int, text: str, prefix: str) -> dict[str, Any]:
    when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i % 200_000)  # within 139 days: never ahead of the clock
    return {
        "source": "bench",
        "external_id": f"{prefix}-{i}",
        "author": {"platform": "twitter", "handle": f"@user{i % 500}"},
        "brand": ("Kopiku", "Gojek", "Grab")[i % 3],
        "channel": "twitter",
        "text": text,
        "reach": 100 + i % 1000,
        "occurred_at": when.isoformat(),
    }


def post(connection: http.client.HTTPConnection, path: str, body: Any) -> tuple[int, bytes]:
    """POST JSON (a value, or a string already encoded) on a kept-alive connection (http.client reconnects
    when the server closed it)."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}
    connection.request("POST", path, body if isinstance(body, str) else json.dumps(body), headers)
    response = connection.getresponse()
    return response.status, response.read()


def single_load(port: int, n: int, concurrency: int, seconds: float, result: Any) -> None:
    """Runs in its own process: `concurrency` threads POST new mentions; sends latencies back."""
    bodies = [mention(i, t, "single") for i, t in enumerate(texts(n))]
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    counter = iter(range(n))
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            start = time.perf_counter()
            try:
                status, _ = post(connection, "/v1/mentions", bodies[i])
            except OSError:
                status = 0
                connection.close()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != 201:
                    failures.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.put(summary(len(latencies), time.perf_counter() - start, latencies, len(failures)))


def summary(requests: int, elapsed: float, latencies: list[float], failures: int) -> dict[str, Any]:
    """What a single-POST load reports: requests, seconds, p50 and p99 in ms, non-201 answers."""
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan")
    p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
    return {"requests": requests, "elapsed": elapsed, "p50": p50, "p99": p99, "failures": failures}


def wrk_load(port: int, concurrency: int, seconds: float, result: Any) -> None:
    """Runs wrk (C, one thread) for `seconds` with `concurrency` connections, each request a new mention
    (bench/wrk_mentions.lua): a load generator that leaves the two cores to the server."""
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "texts.txt"
        corpus.write_text("\n".join(json.dumps(t) for t in texts(2000)))
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "10s"]
        command += ["-s", str(ROOT / "bench" / "wrk_mentions.lua"), f"http://127.0.0.1:{port}"]
        env = {**os.environ, "BENCH_KEY": KEY, "BENCH_TEXTS": str(corpus)}
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    found = dict(re.findall(r"(\w+)=([\d.]+)", output.split("RESULT", 1)[1]))
    result.put({
        "requests": int(found["requests"]), "elapsed": float(found["seconds"]),
        "p50": float(found["p50_ms"]), "p99": float(found["p99_ms"]),
        "failures": int(found["non201"]) + int(found["errors"]),
    })


def bulk_load(port: int, n: int, seconds: float, result: Any) -> None:
    """Runs in its own process: batches of BATCH new mentions, one request at a time, after a warm-up.

    A server process starts its scoring workers at boot and scores inline until they have loaded; the warm-up
    batches (not timed) give them that time, as a long-running server has had it.
    """
    all_texts = texts(n, offset=10_000_000)
    done, failures = 0, []
    for round_ in range(WARM_UP_ROUNDS):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # the pause outlasts keep-alive
        for k in range(2):
            warm = [mention(20_000_000 + (2 * round_ + k) * BATCH + i, all_texts[i % n], "warm") for i in range(BATCH)]
            post(connection, "/v1/mentions/batch", {"mentions": warm})
        connection.close()
        time.sleep(2.0)
    # Encoded before the clock starts, as wrk's are: the time is the server's, not this client's JSON encoding
    # (about 10 ms a batch of 1000, an eighth of what the server takes for it).
    bodies = [
        json.dumps({"mentions": [mention(10_000_000 + i, all_texts[i], "bulk") for i in range(k, min(k + BATCH, n))]})
        for k in range(0, n, BATCH)
    ]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()
    for k, encoded in zip(range(0, n, BATCH), bodies):
        if time.perf_counter() >= deadline:
            break
        size = min(BATCH, n - k)
        try:
            status, body = post(connection, "/v1/mentions/batch", encoded)
        except OSError:
            status, body = 0, b"{}"
            connection.close()
        if status != 200 or json.loads(body).get("accepted") != size:
            failures.append(status)
        done += size
    result.put({"elapsed": time.perf_counter() - start, "done": done, "failures": failures})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(directory: str, port: int, embedded: str, worker_class: str, threads: int, log: Any) -> subprocess.Popen:
    env = {**os.environ, "ADVOCACY_DATA_DIR": directory, "ADVOCACY_API_KEYS": f"integration:{KEY}"}
    env["ADVOCACY_EMBEDDED_PROJECTIONS"] = "false" if embedded == "off" else embedded
    command = [sys.executable, "-m", "gunicorn", "wsgi:app", "-w", "2", "-k", worker_class, "--threads", str(threads)]
    command += ["-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/v1/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    print(Path(log.name).read_text()[-5000:], file=sys.stderr)
    raise SystemExit(f"gunicorn did not start (exit status {process.wait()})")


def in_process(target: Any, *args: Any, timeout: float) -> dict[str, Any]:
    """Run a load generator in its own process; its result, or SystemExit if it died or overran."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    try:
        result = queue.get(timeout=timeout)
    except Exception:  # queue.Empty: the load process died or hung
        process.kill()
        raise SystemExit(f"{target.__name__} produced no result") from None
    process.join()
    return result


def caught_up_after(port: int, seconds: float) -> float | None:
    """Seconds until every projection reached the log's head (None: not within `seconds`)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/v1/health")
        body = json.loads(connection.getresponse().read())
        if all(p["lag"] == 0 for p in body["projections"] or ()):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def warm_up(port: int, seconds: float, concurrency: int = 4) -> None:
    """Untimed single-mention POSTs for `seconds`, then a wait for the read models: a server that has just
    started is still loading its scoring workers (several seconds of CPU on two cores) and has no keys cached."""
    deadline = time.monotonic() + seconds
    sent = iter(range(10**9))
    all_texts = texts(1000, offset=30_000_000)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            i = next(sent)
            post(connection, "/v1/mentions", mention(30_000_000 + i, all_texts[i % 1000], "warm-single"))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    caught_up_after(port, 120)


def under_gunicorn(server: tuple[str, str, int], load: Any, *args: Any, warm: float = 0) -> dict[str, Any]:
    """Run `load` from its own process against a fresh gunicorn on a fresh SQLite store, after `warm` seconds
    of warm-up (`warm_up`); then time the projections' catch-up (`caught_up`) unless they are off."""
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        log_path = Path(directory) / "gunicorn.log"
        with log_path.open("w") as log:
            process = start_server(directory, port, *server, log)
            try:
                if warm:
                    warm_up(port, warm)
                result = in_process(load, port, *args, timeout=args[-1] + 120)
                result["caught_up"] = caught_up_after(port, 600) if server[0] != "off" else None
                return result
            except SystemExit:
                print(log_path.read_text()[-5000:], file=sys.stderr)
                raise
            finally:
                process.terminate()
                process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="single-mention POSTs (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads for single POSTs (default 8)")
    parser.add_argument("--bulk", type=int, default=5000, help="mentions imported through the batch endpoint")
    parser.add_argument("--seconds", type=float, default=60, help="time bound of each load phase")
    parser.add_argument(
        "--embedded", choices=["process", "thread", "off"], default="process",
        help="where each worker runs the projections (ADVOCACY_EMBEDDED_PROJECTIONS; default process, the product's)",
    )
    parser.add_argument("--no-projections", action="store_true", help="the same as --embedded off")
    parser.add_argument(
        "--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python",
        help="single-POST load generator: wrk (Debian package wrk; the default where installed) runs for"
        " --wrk-seconds; python sends --requests from threads (its CPU competes with the server's)",
    )
    parser.add_argument("--wrk-seconds", type=float, default=10, help="length of the wrk load (default 10)")
    parser.add_argument(
        "--warm-up", type=float, default=8,
        help="seconds of untimed single POSTs before the timed ones, on the same server (default 8; 0: none)",
    )
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (default gthread)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    args = parser.parse_args()

    # The raw rates are measured before, between and after the two loads, and each load is compared with the
    # mean of the measurements on either side of it: this machine's speed drifts by up to 1.5x within a minute,
    # and one measurement a minute away from the load moved the batch endpoint's ratio between 0.54 and 1.00.
    baselines = [baseline(args)]
    core = core_batch_rate(args.bulk, args.seconds)
    embedded = "off" if args.no_projections else args.embedded
    server = (embedded, args.worker_class, args.threads)
    if args.client == "wrk":
        single = under_gunicorn(server, wrk_load, args.concurrency, args.wrk_seconds, warm=args.warm_up)
    else:
        single = under_gunicorn(server, single_load, args.requests, args.concurrency, args.seconds, warm=args.warm_up)
    baselines.append(baseline(args))
    bulk = under_gunicorn(server, bulk_load, args.bulk, args.seconds)
    baselines.append(baseline(args))

    posts = single["requests"] / single["elapsed"]
    p50, p99 = single["p50"], single["p99"]
    bulk_rate = bulk["done"] / bulk["elapsed"]
    around_single, around_bulk = mean_of(baselines[:2]), mean_of(baselines[1:])
    serial_limit = 1 / (1 / around_bulk.vader + 1 / around_bulk.save_batched)
    setup = f"gunicorn -w 2 -k {args.worker_class} --threads {args.threads}, projections {'off' if embedded == 'off' else 'embedded (' + embedded + ')'}"
    print(f"HTTP ingestion on SQLite ({setup}), {os.cpu_count()} cores")
    print("  raw rates before the single POSTs, between the loads, after the batches:")
    print(f"  raw Application.save, 1 event per save:     {spread(b.save_single for b in baselines)} events/s")
    print(f"  raw Application.save, {BATCH} events per save: {spread(b.save_batched for b in baselines)} events/s")
    print(f"  raw VADER:                                  {spread(b.vader for b in baselines)} texts/s")
    print(f"  POST /v1/mentions ({single['requests']} requests, {args.concurrency} connections, {args.client}):"
          f" {posts:7.0f} requests/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, non-201: {single['failures']}")
    print(f"    vs raw save of 1 event (mean before and after): {posts / around_single.save_single:.2f}x;"
          f" target >= 1000 requests/s: {posts / 1000:.2f}x; p99 target < 50 ms: {'met' if p99 < 50 else 'missed'}")
    print(f"    {caught_up_line(single['caught_up'], embedded)}")
    print(f"  POST /v1/mentions/batch ({bulk['done']} mentions): {bulk_rate:7.0f} mentions/s,"
          f" failed requests: {len(bulk['failures'])}")
    print(f"    serial limit 1/(1/v + 1/a) from the rates before and after = {serial_limit:.0f}/s;"
          f" ratio {bulk_rate / serial_limit:.2f} (target >= 0.70)")
    first_limit = 1 / (1 / baselines[0].vader + 1 / baselines[0].save_batched)
    print(f"    the same batches through AdvocacyApplication.record_mentions, no HTTP (right after the first rates):"
          f" {core:.0f} mentions/s (ratio {core / first_limit:.2f}); the endpoint keeps {bulk_rate / core:.0%} of it")
    print(f"    {caught_up_line(bulk['caught_up'], embedded)}")
    if single["failures"] or bulk["failures"]:  # refused requests are fast: the rates above would flatter
        raise SystemExit(f"{single['failures']} single POSTs and {len(bulk['failures'])} batches were not accepted:"
                         " the rates above are not valid (the server's log says why)")


class Baseline(NamedTuple):
    """The raw rates one measurement gave."""

    save_single: float
    save_batched: float
    vader: float


def baseline(args: argparse.Namespace) -> Baseline:
    """Raw Application.save (1 and BATCH events per save) and raw VADER, measured now."""
    save_single, save_batched = raw_save_rates(args.requests, max(args.bulk, 5 * BATCH), args.seconds)
    return Baseline(save_single, save_batched, vader_rate(texts(max(args.bulk, 5000))))


def mean_of(baselines: list[Baseline]) -> Baseline:
    """Each rate's mean over `baselines`."""
    return Baseline(*(statistics.mean(rates) for rates in zip(*baselines, strict=True)))


def spread(rates: Any) -> str:
    """Rates side by side, as `12,345 / 11,876 / 13,002`."""
    return " / ".join(f"{rate:7,.0f}" for rate in rates)


def caught_up_line(seconds: float | None, embedded: str) -> str:
    """How long the read models took to reach the head after a load."""
    if embedded == "off":
        return "projections off: the read models were not kept up during this run"
    if seconds is None:
        return "the read models did NOT reach the log's head within 600 s after the load"
    return f"the read models reached the log's head {seconds:.2f} s after the load ended"


if __name__ == "__main__":
    main()
