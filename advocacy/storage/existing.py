"""Which aggregates already have events, asked in one query instead of one per id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from advocacy.storage.sql import Database

CHUNK = 500


def existing_ids(db: Database, recorder: Any, aggregate_ids: Iterable[UUID]) -> set[UUID]:
    """The subset of `aggregate_ids` that has at least one stored event."""
    wanted = list(dict.fromkeys(aggregate_ids))
    table = db.prefix + recorder.events_table_name
    as_param = (lambda u: u.hex) if db.dialect == "sqlite" else (lambda u: u)
    found: set[UUID] = set()
    with db.transaction(commit=False) as c:
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            c.execute(
                f"SELECT DISTINCT originator_id FROM {table} WHERE originator_id IN ({marks})",  # noqa: S608
                [as_param(u) for u in chunk],
            )
            found.update(_as_uuid(row["originator_id"]) for row in c.fetchall())
    return found


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
