"""Projections that keep failing, told to every process through the database.

A runner whose batch fails rolls it back and tries again with a growing pause, for as long as it takes: the log is
intact and the read models resume exactly where they stopped once the cause is gone. Meanwhile nothing moves, and
the runner is often another process (the API's projections child, `advocacy projections run`), so it writes what
failed here and `/v1/health` reads it: which projection, since when, how many attempts, and the last error.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from advocacy.storage.sql import Database

FAILURES = "{t}projection_failures"
MAX_ERROR_LENGTH = 500


def ensure_failures_table(db: Database) -> None:
    """Create the table if needed; racing creators on PostgreSQL are tolerated."""
    statement = (
        f"CREATE TABLE IF NOT EXISTS {FAILURES} ("
        " name TEXT PRIMARY KEY, since DOUBLE PRECISION NOT NULL, attempts INTEGER NOT NULL, error TEXT NOT NULL)"
    )
    try:
        db.execute(statement)
    except Exception:  # noqa: BLE001 - a concurrent CREATE on PostgreSQL; the table exists now
        db.execute(statement)


def note_failure(db: Database, names: Sequence[str], attempts: int, error: BaseException) -> None:
    """Record that the batch of the projections `names` failed again (`attempts` in a row) with `error`."""
    text = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    now = time.time()
    with db.transaction() as cur:
        for name in names:
            cur.execute(f"SELECT since FROM {FAILURES} WHERE name = ?", (name,))
            row = cur.fetchone()
            since = float(row["since"]) if row is not None and attempts > 1 else now  # the first attempt starts anew
            cur.execute(f"DELETE FROM {FAILURES} WHERE name = ?", (name,))
            cur.execute(
                f"INSERT INTO {FAILURES} (name, since, attempts, error) VALUES (?, ?, ?, ?)", (name, since, attempts, text)
            )


def clear_failures(db: Database, names: Sequence[str]) -> None:
    """The projections `names` applied a batch: whatever failed before is over."""
    with db.transaction() as cur:
        for name in names:
            cur.execute(f"DELETE FROM {FAILURES} WHERE name = ?", (name,))


def failing(db: Database) -> dict[str, dict[str, Any]]:
    """Each failing projection's {since (epoch s), attempts, error}."""
    rows = db.execute(f"SELECT name, since, attempts, error FROM {FAILURES}")
    return {r["name"]: {"since": float(r["since"]), "attempts": int(r["attempts"]), "error": r["error"]} for r in rows}
