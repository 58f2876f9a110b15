"""Processes writing one SQLite file take turns on its lock file; readers never wait for a turn."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from advocacy.application import AdvocacyApplication
from advocacy.storage.write_turns import WriteTurn

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
print(time.time(), flush=True)
"""


@contextmanager
def holding_the_turn(path: Path, seconds: float) -> Iterator[subprocess.Popen]:
    """Another process that takes the file's turn, keeps it for `seconds` (or until the block ends), then
    prints when it let go."""
    command = [sys.executable, "-c", HOLD, str(path), str(seconds)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None and process.stdout.readline() == "held\n"
            yield process
        finally:
            process.kill()


@pytest.fixture
def sqlite_app(tmp_path) -> AdvocacyApplication:
    return AdvocacyApplication(env={"ADVOCACY_DATA_DIR": str(tmp_path)})


def test_a_write_waits_for_another_process_turn_and_goes_when_it_ends(sqlite_app, tmp_path):
    with holding_the_turn(tmp_path / "events.sqlite-writer", 0.5) as other:
        written = sqlite_app.register_customer("C-1", "Budi")
        finished = time.time()
        released = float(other.stdout.readline())
    assert released <= finished < released + 0.5  # after the other's turn, and promptly
    assert written.status == "created"
    assert sqlite_app.head() == written.position


def test_reads_do_not_wait_for_a_turn(sqlite_app, tmp_path):
    position = sqlite_app.register_customer("C-1", "Budi").position
    with holding_the_turn(tmp_path / "events.sqlite-writer", 5):
        started = time.monotonic()
        assert sqlite_app.head() == position
        assert len(sqlite_app.read_log(0, 10)) == 1
        assert time.monotonic() - started < 1


def test_a_turn_not_given_within_the_timeout_is_left_to_sqlite(tmp_path):
    path = tmp_path / "lock"
    with holding_the_turn(path, 5):
        started = time.monotonic()
        with WriteTurn(str(path), timeout=0.2) as turn:
            waited = time.monotonic() - started
            assert not turn.held
        assert 0.2 <= waited < 1.5
    with WriteTurn(str(path), timeout=0.2) as turn:  # the holder is gone: the turn is free again
        assert turn.held


def test_an_in_memory_store_takes_no_turns():
    app = AdvocacyApplication(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"})
    assert app.register_customer("C-1", "Budi").status == "created"
    assert "get_connection" not in vars(app.recorder.datastore)
