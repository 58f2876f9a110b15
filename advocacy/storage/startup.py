"""Opening the store while other processes open it too (gunicorn workers, their projection processes).

Each creates the tables it needs with CREATE TABLE IF NOT EXISTS. On SQLite another process creating them holds
the file locked (and the library's new connection switching the file to WAL then raises the driver's own
"database is locked", not one of the library's errors); on PostgreSQL two such statements for the same table at
the same moment can fail outright ("tuple concurrently updated", a duplicate key in the catalogue's pg_type, or
"type ... already exists": the IF NOT EXISTS check passed in both before either created it). Both pass once the
other process is done, so they are retried; every statement involved is safe to repeat.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import DatabaseError

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 8
RACES = ("is locked", "tuple concurrently updated", 'unique constraint "pg_', "already exists")
"""Messages of the errors a concurrent start can cause (any other error is raised at once)."""


DATABASE_ERRORS = (DatabaseError, sqlite3.DatabaseError)
"""The library's errors, and sqlite3's where the library lets them through (opening a connection)."""


def is_start_race(error: BaseException) -> bool:
    """True if `error` is one another process creating the same tables at the same moment can cause."""
    return isinstance(error, DATABASE_ERRORS) and any(race in str(error) for race in RACES)


def opened(open_store: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """`open_store()`, tried again after a short random pause while a concurrent start gets in its way."""
    for attempt in range(1, attempts + 1):
        try:
            return open_store()
        except DATABASE_ERRORS as error:
            if not is_start_race(error) or attempt == attempts:
                raise
            log.warning("store busy while starting (attempt %d of %d): %s; retrying", attempt, attempts, error)
            time.sleep(random.uniform(0.05, 0.3) * attempt)  # noqa: S311 - jitter, not secrecy
    raise AssertionError("unreachable")
