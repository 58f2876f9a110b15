"""Which aggregates already have events, and at what log position, asked in one query instead of one per id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from advocacy.storage.sql import Database

CHUNK = 500


def stored_positions(db: Database, recorder: Any, aggregate_ids: Iterable[UUID]) -> dict[UUID, int]:
    """For each of `aggregate_ids` that has events, the log position of its newest event."""
    wanted = list(dict.fromkeys(aggregate_ids))
    table = db.prefix + recorder.events_table_name
    # SQLite's application recorder numbers notifications by rowid; PostgreSQL's has a column.
    if db.dialect == "sqlite":
        position, as_param = "rowid", (lambda u: u.hex)
    else:
        position, as_param = "notification_id", (lambda u: u)
    found: dict[UUID, int] = {}
    with db.reading() as c:
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            c.execute(
                f"SELECT originator_id, MAX({position}) AS position FROM {table}"  # noqa: S608
                f" WHERE originator_id IN ({marks}) GROUP BY originator_id",
                [as_param(u) for u in chunk],
            )
            found.update((_as_uuid(row["originator_id"]), int(row["position"])) for row in c.fetchall())
    return found


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
