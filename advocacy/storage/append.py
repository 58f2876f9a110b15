"""Append already mapped new events in one transaction and return the newest log position."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier, Literal


def append_events(recorder: Any, stored: Sequence[StoredEvent]) -> int | None:
    """Insert `stored` as the library's recorder would; the log position of the last one (None if none).

    Both stores return only the last position (bulk import needs no other), which lets them skip what the
    library does to collect every one. Errors are the library's: its transactions translate them.
    """
    if not stored:
        return None
    if type(recorder) is SQLiteApplicationRecorder:
        return _append_sqlite(recorder, stored)
    if type(recorder) is PostgresApplicationRecorder and not recorder.datastore.enable_db_functions:
        return _append_postgres(recorder, stored)
    return max(recorder.insert_events(stored))


def _append_sqlite(recorder: SQLiteApplicationRecorder, stored: Sequence[StoredEvent]) -> int:
    """The library inserts row by row to collect each rowid; one executemany does here (rowids of one
    transaction are consecutive: rows are never deleted, and the transaction holds the write lock)."""
    rows = [
        (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id, s.originator_version, s.topic, s.state)
        for s in stored
    ]
    with recorder.datastore.transaction(commit=True) as c:
        c.executemany(recorder.insert_events_statement, rows)
        c.execute("SELECT last_insert_rowid()")
        return int(c.fetchone()[0])


def _append_postgres(recorder: PostgresApplicationRecorder, stored: Sequence[StoredEvent]) -> int:
    """The library's insert (table lock, NOTIFY for listeners, the rows) with the rows sent by COPY instead of
    an INSERT per row returning each notification id. Under the table lock this transaction's ids come from
    the sequence one after another, so the last one is the sequence's current value in this session."""
    schema, table = recorder.datastore.schema, recorder.events_table_name
    qualified = SQL("{}.{}").format(Identifier(schema), Identifier(table))
    with recorder.datastore.transaction(commit=True) as curs:
        for statement in recorder.lock_table_statements:
            curs.execute(statement)
        curs.execute(SQL("NOTIFY {}").format(Identifier(recorder.channel_name)))
        columns = SQL("COPY {} (originator_id, originator_version, topic, state) FROM STDIN").format(qualified)
        with curs.copy(columns) as copy:
            for s in stored:
                copy.write_row((s.originator_id, s.originator_version, s.topic, s.state))
        sequence = Literal(f'"{schema}"."{table}"')
        curs.execute(SQL("SELECT currval(pg_get_serial_sequence({}, 'notification_id')) AS last").format(sequence))
        return int(curs.fetchone()["last"])
