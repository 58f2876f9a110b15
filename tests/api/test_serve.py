"""`serve`: keys generated on first start, demo data loaded into an empty store, the API answering."""

from __future__ import annotations

import stat
import subprocess
import sys
import time

import pytest
import requests

from tests.api.test_gunicorn import ROOT, free_port

pytestmark = pytest.mark.slow


def test_serve_generates_keys_loads_the_demo_and_answers(tmp_path):
    data, port = tmp_path / "data", free_port()
    command = [sys.executable, "-c", "from api.commands import serve_command; serve_command()",
               "--port", str(port), "--data-dir", str(data), "--demo"]
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("ADVOCACY_", "XDG_RUNTIME_DIR"))}
    env["HOME"] = str(tmp_path / "home")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                if health.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.3)
        keys_file = data / "api-keys"
        assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
        officer = dict(line.split(":", 1) for line in keys_file.read_text().split())["officer"]
        assert health.json()["store"]["head"] > 0
        feed = requests.get(f"http://127.0.0.1:{port}/v1/events?limit=5", headers={"Authorization": f"Bearer {officer}"}, timeout=10)
        assert feed.status_code == 200 and len(feed.json()["items"]) == 5
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert str(keys_file) in output
    assert officer not in output
    assert "demo data loaded" in output
    assert not (tmp_path / "home").exists()  # no gunicorn control socket in the user's home
