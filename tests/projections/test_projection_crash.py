"""A projection process killed with SIGKILL in the middle of catch-up resumes and ends where a rebuild ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advocacy.application import AdvocacyApplication
from advocacy.inputs import Handle, NewMention
from tests.projections.projection_helpers import CodedAssessor, close_enough, text
from projections import ProjectionsConfig, ReadModels, rebuild
from projections.store import live_generations, table_rows
from projections.views import VIEWS

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 9, 1, tzinfo=UTC)
EVENTS = 20_000


def seed(app: AdvocacyApplication) -> None:
    app.track_brand("Gojek", own=True)
    app.track_brand("Grab", own=False)
    for c in range(50):
        app.register_customer(f"c-{c}", f"Customer {c}", handles=[Handle("ig", f"h{c}")] if c % 2 else ())
    for batch in range(EVENTS // 1000):
        app.record_mentions([
            NewMention(
                "ig", f"{batch}-{i}", "Gojek" if i % 3 else "Grab", "ig",
                text(((i * 37) % 19 - 9) / 10, spam=i % 11 == 0), START + timedelta(minutes=batch * 1000 + i),
                author=Handle("ig", f"h{i % 70}"), reach=i % 500,
            )
            for i in range(1000)
        ])
    for c in range(50, 60):
        app.register_customer(f"c-{c}", f"Late {c}")
        app.link_handle(f"c-{c}", "ig", f"h{c + 10}")


def start_runner(store_env: dict[str, str], log: Path, batch: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, **store_env, "ADVOCACY_PROJECTIONS_BATCH_SIZE": str(batch), "PYTHONPATH": str(ROOT)}
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "projections", "run"], cwd=ROOT, env=env, stdout=output, stderr=output
        )


def positions(app: AdvocacyApplication) -> list[int]:
    live = live_generations(app.db)
    return [live[n].position if n in live else 0 for n in VIEWS]


@pytest.mark.slow
def test_a_runner_killed_mid_catch_up_resumes_and_equals_a_rebuild(store_env, clock, tmp_path):
    log = tmp_path / "runner.log"
    app = AdvocacyApplication(env=store_env, assessor=CodedAssessor(), clock=clock)
    try:
        seed(app)
        head = app.head()
        reads = ReadModels(app)
        first = start_runner(store_env, log, batch=200)
        try:
            deadline = time.monotonic() + 60
            while min(positions(app)) == 0:
                assert first.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the runner made no progress"
                time.sleep(0.005)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        reached = positions(app)
        assert 0 < min(reached) < head, reached

        second = start_runner(store_env, log, batch=2000)
        try:
            reads.wait(head, timeout=120)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0, log.read_text()

        live = {n: g.generation for n, g in live_generations(app.db).items()}
        for g in rebuild(app, config=ProjectionsConfig(batch_size=5000), switch=False):
            resumed = table_rows(app.db, VIEWS[g.name], live[g.name])
            fresh = table_rows(app.db, VIEWS[g.name], g.generation)
            for table in fresh:
                assert len(resumed[table]) == len(fresh[table]), (g.name, table)
                assert close_enough(resumed[table], fresh[table]), (g.name, table)
    finally:
        app.close()
