"""Single-mention POSTs while the embedded projections apply a backlog, per embedded mode, in one run.

    python bench/bench_backlog.py --events 150000 --requests 1500 thread:0 process:10 process:0
    python bench/bench_backlog.py                                   # small: 20,000 events, 300 requests

Seeds one SQLite store with `--events` mentions (no projections), then for each MODE:NICE starts
`gunicorn wsgi:app -w 2` on a copy of it with ADVOCACY_EMBEDDED_PROJECTIONS=MODE and
ADVOCACY_PROJECTIONS_NICE=NICE, sends the single POSTs from another process at once (the projections start
on the backlog as the server starts), and prints the request rate, p50 and p99, and when the read models
reached the log's head. Pass the modes twice to alternate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_http  # noqa: E402
import bench_projections  # noqa: E402
from advocacy.application import AdvocacyApplication  # noqa: E402


def main() -> None:
    """Seed once, then one server per mode on a copy of the seeded store."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000, help="mentions waiting when the server starts")
    parser.add_argument("--requests", type=int, default=300, help="single-mention POSTs sent meanwhile")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("modes", nargs="*", default=["thread:0", "process:10"], help="MODE:NICE, e.g. process:10")
    args = parser.parse_args()

    seeded = tempfile.mkdtemp(prefix="bench-backlog-")
    try:
        app = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": seeded}, assessor=bench_projections.FixedAssessor())
        bench_projections.seed(app, args.events)
        head = app.head()
        app.close()
        print(f"backlog of {head} events; {args.requests} single POSTs, {args.concurrency} clients, gunicorn -w 2")
        for spec in args.modes:
            mode, _, nice = spec.partition(":")
            run(seeded, mode, nice or "10", args.requests, args.concurrency)
    finally:
        shutil.rmtree(seeded, ignore_errors=True)


def run(seeded: str, mode: str, nice: str, requests: int, concurrency: int) -> None:
    """One server on a copy of the seeded store: the load, then the wait for the read models."""
    directory = tempfile.mkdtemp(prefix="bench-backlog-run-")
    shutil.rmtree(directory)
    shutil.copytree(seeded, directory)
    os.environ["ADVOCACY_PROJECTIONS_NICE"] = nice
    port = bench_http.free_port()
    try:
        with open(Path(directory) / "gunicorn.log", "w") as log:
            server = bench_http.start_server(directory, port, mode, "gthread", 8, log)
            try:
                started = time.monotonic()
                result = bench_http.in_process(bench_http.single_load, port, requests, concurrency, 120, timeout=300)
                caught = bench_http.caught_up_after(port, 600)
                done = time.monotonic() - started
            finally:
                server.terminate()
                server.wait(30)
        latencies = sorted(result["latencies"])
        p50, p99 = latencies[len(latencies) // 2] * 1000, latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        applied = f"{done:.1f} s after start" if caught is not None else "NOT within 600 s"
        print(
            f"  {mode:8} nice {nice:>2}: {len(latencies) / result['elapsed']:6.0f} POSTs/s, p50 {p50:6.1f} ms,"
            f" p99 {p99:6.1f} ms, non-201: {len(result['failures'])}; backlog applied {applied}",
            flush=True,
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
