"""Append already mapped new events in one transaction and return the newest log position."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder


def append_events(recorder: Any, stored: Sequence[StoredEvent]) -> int | None:
    """Insert `stored` as the library's recorder would; the log position of the last one (None if none).

    On SQLite the library inserts row by row to collect each rowid; bulk import needs only the last, so
    one executemany does (rowids of one transaction are consecutive: rows are never deleted, and the
    transaction holds the write lock). Errors are the library's: its transaction translates them.
    """
    if not stored:
        return None
    if type(recorder) is SQLiteApplicationRecorder:
        rows = [
            (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id, s.originator_version, s.topic, s.state)
            for s in stored
        ]
        with recorder.datastore.transaction(commit=True) as c:
            c.executemany(recorder.insert_events_statement, rows)
            c.execute("SELECT last_insert_rowid()")
            return int(c.fetchone()[0])
    return max(recorder.insert_events(stored))
