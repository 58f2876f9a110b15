"""Processes writing one SQLite file take turns on a lock file, instead of SQLite's sleeping retries.

SQLite lets one transaction write at a time. A process that finds the write lock taken sleeps and tries
again, after 1, 2, 5, 10, 15, 20, 25... ms (SQLite's busy handler), however soon the lock is freed. Two
gunicorn workers and their projection processes appending to one file met that way hundreds of times a
second under load: 380 sleeps in 6 s in one worker, up to 18 ms in a row for a lock held under a
millisecond, while a fifth of the two cores sat idle. Here a writer first takes the file's turn, an
exclusive `flock` on `<database>-writer`, and the next one goes on as soon as it is released.

Within a process the connection pool already lets one writer in at a time, so only one thread per
datastore ever waits here. The wait is bounded: after the store's lock timeout a writer goes ahead without
its turn and SQLite's own locking decides, as before, so a process stopped while writing stalls the others
for at most twice that timeout, never for good.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

FIRST_PAUSE = 0.0001
"""Seconds between the first looks at a taken turn; doubled up to LONGEST_PAUSE."""
LONGEST_PAUSE = 0.001


def take_turns(datastore: Any) -> bool:
    """Make every write transaction of an eventsourcing SQLiteDatastore on a file wait for the file's turn;
    False (and nothing changed) for an in-memory database."""
    pool = datastore.pool
    path = _file_path(pool.db_name)
    if path is None or pool.is_sqlite_memory_mode:
        return False
    turn = WriteTurn(path + "-writer", timeout=float(pool.lock_timeout or 5))
    get_connection: Callable[..., AbstractContextManager[Any]] = datastore.get_connection

    @contextmanager
    def get_connection_in_turn(*, commit: bool) -> Iterator[Any]:
        with get_connection(commit=commit) as connection:
            if not commit:
                yield connection
                return
            with turn:
                yield connection

    datastore.get_connection = get_connection_in_turn  # the one way in for the library and for us
    return True


class WriteTurn:
    """An exclusive lock on a file, shared with other processes; held by at most one thread of this one."""

    def __init__(self, path: str, timeout: float):
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._pid = 0
        self._held = False

    @property
    def held(self) -> bool:
        """Whether this process holds the turn now."""
        return self._held

    def __enter__(self) -> WriteTurn:
        fd = self._open()
        pause, deadline = FIRST_PAUSE, None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._held = True
                return self
            except BlockingIOError:
                now = time.monotonic()
                deadline = deadline or now + self.timeout
                if now >= deadline:
                    return self  # not our turn after all this time: SQLite's own locking decides
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)

    def __exit__(self, *exc: object) -> None:
        if self._held:
            self._held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _open(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # a forked child opens its own: flock is per open file
            self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), os.getpid()
        return self._fd


def _file_path(db_name: str) -> str | None:
    """The file of a database name as sqlite3.connect(uri=True) reads it; None for URIs (not parsed here)."""
    if not db_name or db_name.startswith("file:") or db_name == ":memory:":
        return None
    return db_name
