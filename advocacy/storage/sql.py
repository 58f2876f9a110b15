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

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """A cursor for queries only (nothing it runs is committed).

        SQLite: one read transaction, so every statement sees the same snapshot. PostgreSQL: no transaction;
        under READ COMMITTED each statement takes its own snapshot whether or not a transaction is open, so
        the BEGIN and ROLLBACK around a read were two round trips that bought nothing (of a top-50 read's
        three).
        """
        if self.dialect == "postgres":
            with self.datastore.get_connection() as connection:  # autocommit: each statement stands alone
                yield Cursor(self, connection.cursor())
            return
        with self.transaction(commit=False) as cursor:
            yield cursor

    @contextmanager
    def lazy_commit(self) -> Iterator[Cursor]:
        """A transaction whose commit need not reach the disk by itself; it saves one disk flush.

        Safe for rows that are worthless without a later durable commit (a new subject's key, written just
        before the events sealed with it), and for rows derived from what is already durable (a projection's
        batch with its tracking position, applied again if lost). Both stores write one log in commit order:
        the next durable commit flushes this one too, and a machine failure before that loses it whole,
        never in part.
        """
        if self.dialect == "postgres":
            with self.transaction() as c:
                c.execute("SET LOCAL synchronous_commit TO OFF")
                yield c
            return
        with self.datastore.get_connection(commit=True) as connection:
            # SQLite cannot change its safety level inside a transaction, so set it around one (WAL mode).
            pragma = connection.cursor()
            pragma.execute("PRAGMA synchronous")
            level = int(pragma.fetchone()[0])
            pragma.execute("PRAGMA synchronous=NORMAL")
            try:
                with connection.transaction(commit=True) as cursor:
                    yield Cursor(self, cursor)
            finally:
                pragma.execute(f"PRAGMA synchronous={level}")

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement and return its rows: a query through reading() (no writer's lock), anything else in a
        transaction of its own."""
        if _is_query(statement):
            with self.reading() as c:
                c.execute(statement, params)
                return c.fetchall()
        with self.transaction() as c:
            c.execute(statement, params)
            return c.fetchall() if c.returns_rows else []


class Cursor:
    """A cursor that translates our SQL to the dialect before running it."""

    def __init__(self, db: Database, raw: Any):
        self.db = db
        self.raw = raw
        self.returns_rows = False
        self.pipelining = False
        """Inside pipelined() on PostgreSQL, where COPY cannot run."""

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        self.raw.execute(self.db.sql(statement), tuple(params))
        self.returns_rows = _is_query(statement) or "RETURNING" in statement.upper()

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        if rows:
            self.raw.executemany(self.db.sql(statement), [tuple(r) for r in rows])
        self.returns_rows = False

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """A block whose statements PostgreSQL receives without waiting for each answer (a round trip each
        otherwise); a fetch inside it still waits for its own rows. No COPY inside (see `pipelining`). SQLite:
        no difference."""
        if self.db.dialect != "postgres" or self.pipelining:
            yield
            return
        with self.raw.connection.pipeline():
            self.pipelining = True
            try:
                yield
            finally:
                self.pipelining = False

    def fetchall(self) -> list[Any]:
        """All rows of the last query."""
        return list(self.raw.fetchall())

    def fetchone(self) -> Any:
        """The next row of the last query, or None."""
        return self.raw.fetchone()


def _is_query(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("SELECT", "WITH"))
