"""One small SQL adapter over the eventsourcing datastores, so our own tables work on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Recorder

_PLACEHOLDER = re.compile(r"\?")


class Database:
    """Runs SQL written with `?` placeholders and `{t}` table prefixes on the recorder's own connection pool."""

    def __init__(self, recorder: Recorder):
        self.datastore = recorder.datastore  # type: ignore[attr-defined]
        self.dialect = "postgres" if type(self.datastore).__module__.endswith("postgres") else "sqlite"
        schema = getattr(self.datastore, "schema", "")
        self.prefix = f'"{schema}".' if self.dialect == "postgres" and schema else ""

    def sql(self, statement: str) -> str:
        """The statement in this dialect: placeholders and table prefixes filled in."""
        statement = statement.replace("{t}", self.prefix)
        if self.dialect == "postgres":
            statement = _PLACEHOLDER.sub("%s", statement.replace("BLOB", "BYTEA"))
        return statement

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[Cursor]:
        """A cursor in one transaction, committed on success when `commit`."""
        with self.datastore.transaction(commit=commit) as cursor:
            yield Cursor(self, cursor)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement in its own transaction and return its rows; a SELECT takes no writer's lock."""
        with self.transaction(commit=not _is_query(statement)) as c:
            c.execute(statement, params)
            return c.fetchall() if c.returns_rows else []


class Cursor:
    """A cursor that translates our SQL to the dialect before running it."""

    def __init__(self, db: Database, raw: Any):
        self.db = db
        self.raw = raw
        self.returns_rows = False

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        self.raw.execute(self.db.sql(statement), tuple(params))
        self.returns_rows = _is_query(statement) or "RETURNING" in statement.upper()

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        if rows:
            self.raw.executemany(self.db.sql(statement), [tuple(r) for r in rows])
        self.returns_rows = False

    def fetchall(self) -> list[Any]:
        """All rows of the last query."""
        return list(self.raw.fetchall())

    def fetchone(self) -> Any:
        """The next row of the last query, or None."""
        return self.raw.fetchone()


def _is_query(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("SELECT", "WITH"))
