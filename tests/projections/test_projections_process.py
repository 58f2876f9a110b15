"""The embedded projections in a child process: follows saves, lower priority, restarted, gone with its parent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from advocacy.inputs import NewMention
from projections import ReadModels
from projections.locks import ProjectionLock
from projections.process import ProjectionsProcess
from tests.conftest import process_gone
from tests.projections.projection_helpers import text

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def mention(ref: str) -> NewMention:
    return NewMention("ig", ref, "Gojek", "ig", text(0.5), WHEN, crm_id="c-1")


def _until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


@pytest.fixture
def child(papp, store_env, monkeypatch):
    """The projections in a child process that polls only once a minute: what it applies promptly, it was woken for."""
    monkeypatch.setenv("ADVOCACY_PROJECTIONS_POLL_INTERVAL", "60")
    process = ProjectionsProcess(papp, store_env)
    process.start()
    yield process
    process.stop()


def test_the_child_applies_each_save_promptly_at_a_lower_priority(papp, child):
    reads = ReadModels(papp)
    papp.register_customer("c-1", "Sari")
    papp.track_brand("Gojek", own=True)
    reads.wait(papp.head(), timeout=30)  # the first wait includes the child's start
    for ref in ("m1", "m2", "m3"):
        started = time.monotonic()
        position = papp.record_mention(mention(ref)).position
        reads.wait(position, timeout=10)
        assert time.monotonic() - started < 3  # woken by the save (on PostgreSQL NOTIFY wakes it too), not its poll

    assert os.getpriority(os.PRIO_PROCESS, child.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
    assert reads.top_advocates(limit=5)["items"][0]["breakdown"]["positive_mentions"]["count"] == 3


def test_a_killed_child_is_replaced_and_the_new_one_goes_on_from_the_views_positions(papp, child):
    reads = ReadModels(papp)
    papp.register_customer("c-1", "Sari")
    papp.track_brand("Gojek", own=True)
    papp.record_mention(mention("before"))
    reads.wait(papp.head(), timeout=30)
    first = child.pid

    os.kill(first, signal.SIGKILL)
    _until(lambda: child.pid not in (None, first))
    position = papp.record_mention(mention("after")).position

    reads.wait(position, timeout=30)
    assert child.restarts == 1
    assert reads.top_advocates(limit=5)["items"][0]["breakdown"]["positive_mentions"]["count"] == 2


def test_stopping_ends_the_child_and_frees_its_projections(papp, child):
    papp.register_customer("c-1", "Sari")
    ReadModels(papp).wait(papp.head(), timeout=30)
    pid = child.pid

    child.stop()

    assert process_gone(pid)
    lock = ProjectionLock(papp, "advocates")
    assert lock.try_acquire()
    lock.release()


def test_the_child_stops_when_its_parent_dies(papp, store_env):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, json.dumps(store_env)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        child_pid = int(parent.stdout.readline())
        papp.register_customer("c-1", "Sari")
        ReadModels(papp).wait(papp.head(), timeout=30)  # the orphan-to-be runs the projections

        parent.kill()
        parent.wait()

        _until(lambda: process_gone(child_pid), timeout=15)
        lock = ProjectionLock(papp, "advocates")
        assert lock.try_acquire()  # its locks went with it
        lock.release()
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()


PARENT = """
import json, sys, time
from advocacy.application import AdvocacyApplication
from projections.commands import NoScoring
from projections.process import ProjectionsProcess
env = json.loads(sys.argv[1])
process = ProjectionsProcess(AdvocacyApplication(env=env, assessor=NoScoring()), env)
process.start()
print(process.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize(
    ("setting", "mode"),
    [("process", "process"), (True, "process"), ("thread", "thread"), ("Thread", "thread"), (False, None), ("false", None), ("", None)],
)
def test_the_embedded_setting_names_where_the_projections_run(setting, mode):
    from api.services import embedded_mode

    assert embedded_mode(setting) == mode


def test_an_unknown_embedded_setting_is_refused_at_start_naming_the_choices(tmp_path):
    from api import create_app

    with pytest.raises(ValueError, match="EMBEDDED_PROJECTIONS must be process, thread or false, not 'threads'"):
        create_app({"DATA_DIR": str(tmp_path), "API_KEYS": "admin:a", "EMBEDDED_PROJECTIONS": "threads"})
