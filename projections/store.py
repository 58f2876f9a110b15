"""Our own tables: tracking positions with generations, table names per generation, bulk writes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from advocacy.storage.sql import Cursor, Database

POSITIONS = "{t}projection_positions"
LOG_POSITION_KEY = "LOG_POSITION_KEY"
"""In a view's DDL: a log-position primary key column, SQLite's rowid itself (no separate index)."""
MAX_PARAMETERS = 30000
"""Bound on parameters per statement: SQLite allows 32,766, PostgreSQL 65,535."""


class Names:
    """Table and index names of one generation of one view: `names.scores` -> '{t}pj_advocates_3_scores'."""

    def __init__(self, view: str, generation: int):
        self.view = view
        self.generation = generation

    def base(self, table: str) -> str:
        """The table's name without the schema prefix."""
        return f"pj_{self.view}_{self.generation}_{table}"

    def index(self, suffix: str) -> str:
        """An index name, unique per generation (PostgreSQL index names are schema-wide)."""
        return f"pj_{self.view}_{self.generation}_ix_{suffix}"

    def qualified_index(self, suffix: str) -> str:
        """The index's name with the schema prefix, as DROP INDEX and REINDEX need it."""
        return "{t}" + self.index(suffix)

    def __getattr__(self, table: str) -> str:
        if table.startswith("_"):
            raise AttributeError(table)
        return "{t}" + self.base(table)


@dataclass(frozen=True)
class Generation:
    """One built (or building) copy of a view's tables, and how far it has read the log."""

    name: str
    generation: int
    position: int
    live: bool
    config: str | None

    @property
    def names(self) -> Names:
        """Its table names."""
        return Names(self.name, self.generation)


def ensure_positions_table(db: Database) -> None:
    """Create the tracking table if needed; racing creators on PostgreSQL are tolerated."""
    statement = (
        "CREATE TABLE IF NOT EXISTS {t}projection_positions ("
        " name TEXT NOT NULL, generation INTEGER NOT NULL, position BIGINT NOT NULL DEFAULT 0,"
        " live INTEGER NOT NULL DEFAULT 0, config TEXT, PRIMARY KEY (name, generation))"
    )
    try:
        db.execute(statement)
    except Exception:  # noqa: BLE001 - a concurrent CREATE on PostgreSQL; the table exists now
        db.execute(statement)


def generations(cur: Cursor, *, live_only: bool = False) -> list[Generation]:
    """Every generation row (or only the live ones), ordered by name and generation."""
    where = " WHERE live = 1" if live_only else ""
    cur.execute(f"SELECT name, generation, position, live, config FROM {POSITIONS}{where} ORDER BY name, generation")
    return [
        Generation(r["name"], int(r["generation"]), int(r["position"]), bool(r["live"]), r["config"])
        for r in cur.fetchall()
    ]


def live_generations(db: Database) -> dict[str, Generation]:
    """The live generation of each view that has one."""
    with db.reading() as cur:
        return {g.name: g for g in generations(cur, live_only=True)}


def create_generation(cur: Cursor, view: Any, config: str | None, *, live: bool) -> Generation:
    """Add the next generation of `view` and create its tables, in the caller's transaction."""
    cur.execute(f"SELECT MAX(generation) AS g FROM {POSITIONS} WHERE name = ?", (view.name,))
    row = cur.fetchone()
    number = int(row["g"] or 0) + 1
    cur.execute(
        f"INSERT INTO {POSITIONS} (name, generation, position, live, config) VALUES (?, ?, 0, ?, ?)",
        (view.name, number, 1 if live else 0, config),
    )
    generation = Generation(view.name, number, 0, live, config)
    create_tables(cur, view, generation.names)
    return generation


def add_generation(db: Database, views: Sequence[Any], config: str | None, *, live: bool) -> list[Generation]:
    """Create the next generation of each view in one transaction, retrying if another process raced us.

    With `live`, views that already have a live generation are skipped.
    """
    from eventsourcing.persistence import IntegrityError

    for attempt in range(10):
        try:
            with db.transaction() as cur:
                existing = {g.name for g in generations(cur, live_only=True)} if live else set()
                return [create_generation(cur, v, config, live=live) for v in views if v.name not in existing]
        except IntegrityError:
            if attempt == 9:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def create_tables(cur: Cursor, view: Any, names: Names) -> None:
    """Run a view's DDL for one generation."""
    key = "INTEGER PRIMARY KEY" if cur.db.dialect == "sqlite" else "BIGINT PRIMARY KEY"
    for table, columns in view.tables.items():
        cur.execute(f"CREATE TABLE IF NOT EXISTS {getattr(names, table)} ({columns.replace(LOG_POSITION_KEY, key)})")
    for suffix, (table, columns, *where) in view.indexes.items():
        partial = f" WHERE {where[0]}" if where else ""  # a partial index: only rows a lookup can want
        cur.execute(f"CREATE INDEX IF NOT EXISTS {names.index(suffix)} ON {getattr(names, table)} ({columns}){partial}")
    for suffix in view.retired_indexes:
        cur.execute(f"DROP INDEX IF EXISTS {names.qualified_index(suffix)}")


def vacuum_tables(db: Database, view: Any, names: Names) -> None:
    """VACUUM (ANALYZE) a generation's tables on PostgreSQL (freshly built, or live after a long catch-up), outside
    any transaction, then rebuild the indexes whose keys its updates keep moving (`view.churning_indexes`).

    A build updates each score row once per batch, and every update leaves a dead entry in the rank index
    (the value is indexed, so no update is HOT); without statistics the planner also took the tables for
    nearly empty and sorted a join. At 100k events the top-50 page went from p50 3.4 ms to 1.6 ms with
    statistics; at 1M events it was still 3.7 ms (p99 7.5 ms) until the dead entries were vacuumed away.
    Vacuum empties those entries' slots but gives back only whole empty pages: after a rebuild over 1M events
    the rank index of 15,000 score rows still took 74 MB, and the top-50 page read 150 of its pages where
    the rebuilt index (1.1 MB) needs 55. REINDEX CONCURRENTLY rebuilds it without blocking reads or writes.
    SQLite updates in place and plans these queries from the indexes alone.
    """
    if db.dialect != "postgres":
        return
    with db.datastore.get_connection() as conn:  # the pool's connections are in autocommit mode
        for table in view.tables:
            conn.execute(db.sql(f"VACUUM (ANALYZE) {getattr(names, table)}"))
        for suffix in view.churning_indexes:
            conn.execute(db.sql(f"REINDEX INDEX CONCURRENTLY {names.qualified_index(suffix)}"))


def drop_tables(cur: Cursor, view: Any, names: Names) -> None:
    """Drop one generation's tables (their indexes go with them)."""
    for table in view.tables:
        cur.execute(f"DROP TABLE IF EXISTS {getattr(names, table)}")


def set_position(cur: Cursor, name: str, generation: int, position: int) -> None:
    """Record how far a generation has applied the log, in the caller's transaction."""
    cur.execute(
        f"UPDATE {POSITIONS} SET position = ? WHERE name = ? AND generation = ?",
        (position, name, generation),
    )


def insert_rows(cur: Cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows: multi-row VALUES on SQLite, COPY on PostgreSQL (pipelined INSERTs inside a pipeline)."""
    if rows and cur.db.dialect == "postgres" and not cur.pipelining:
        with cur.raw.copy(cur.db.sql(f"COPY {table} ({', '.join(columns)}) FROM STDIN")) as copy:
            for row in rows:
                copy.write_row(row)
        return
    _many_rows(cur, f"INSERT INTO {table} ({', '.join(columns)}) VALUES ", len(columns), rows, "")


def add_rows(
    cur: Cursor,
    table: str,
    keys: Sequence[str],
    values: Sequence[str],
    rows: Sequence[Sequence[Any]],
    latest: Sequence[str] = (),
) -> None:
    """Upsert rows, adding `values` to those stored under the same `keys` and keeping the larger of `latest`."""
    columns = [*keys, *values, *latest]
    updates = ", ".join(
        [f"{v} = x.{v} + excluded.{v}" for v in values]
        + [
            f"{v} = CASE WHEN x.{v} IS NULL OR excluded.{v} > x.{v} THEN excluded.{v} ELSE x.{v} END"
            for v in latest
        ]
    )
    suffix = f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    if cur.db.dialect == "postgres" and not cur.pipelining and len(rows) > 1 and _distinct_keys(rows, len(keys)):
        _copy_then_upsert(cur, table, columns, rows, suffix)
        return
    _many_rows(cur, f"INSERT INTO {table} AS x ({', '.join(columns)}) VALUES ", len(columns), rows, suffix)


def _distinct_keys(rows: Sequence[Sequence[Any]], width: int) -> bool:
    return len({tuple(row[:width]) for row in rows}) == len(rows)


def _copy_then_upsert(cur: Cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], suffix: str) -> None:
    """Upsert through a temporary table filled by COPY: one statement on the server, rows sent in C, where a
    pipelined executemany runs the upsert once per row (a batch at a million events upserts about 12,000
    score rows). ON CONFLICT may touch a row once per statement, hence distinct keys only."""
    names = ", ".join(columns)
    staging = "pj_staging_" + table.removeprefix("{t}")  # temporary tables live in a schema of their own
    cur.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
    cur.execute(f"TRUNCATE {staging}")  # an earlier upsert of this transaction left its rows
    with cur.raw.copy(cur.db.sql(f"COPY {staging} ({names}) FROM STDIN")) as copy:
        for row in rows:
            copy.write_row(row)
    cur.execute(f"INSERT INTO {table} AS x ({names}) SELECT {names} FROM {staging}{suffix}")


def put_rows(cur: Cursor, table: str, keys: Sequence[str], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Upsert rows of `keys` + `columns`, replacing the columns of rows stored under the same keys."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    suffix = f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    _many_rows(cur, f"INSERT INTO {table} AS x ({', '.join([*keys, *columns])}) VALUES ", len(keys) + len(columns), rows, suffix)


def _many_rows(cur: Cursor, head: str, width: int, rows: Sequence[Sequence[Any]], suffix: str) -> None:
    mark = "(" + ", ".join("?" * width) + ")"
    if not rows:
        return
    if cur.db.dialect == "postgres":
        # psycopg pipelines executemany; parsing one huge VALUES list costs more than it saves.
        cur.executemany(head + mark + suffix, rows)
        return
    per_statement = max(1, min(500, MAX_PARAMETERS // width))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        cur.execute(head + ", ".join([mark] * len(chunk)) + suffix, [v for row in chunk for v in row])


def select_in(
    cur: Cursor, statement: str, values: Iterable[Any], params: Sequence[Any] = (), *, repeat: int = 1
) -> list[Any]:
    """Run `statement` (with `repeat` lists `IN ({in})`, after `params`) for `values` in chunks; all rows.

    PostgreSQL, one list: a single statement with the values as one array (`= ANY(?)`), rather than chunks of
    500 placeholders, each parsed and planned anew (they were a twelfth of the advocates view's catch-up at 1M).
    """
    values = list(values)
    if cur.db.dialect == "postgres" and repeat == 1 and statement.count("IN ({in})") == 1 and values:
        cur.execute(statement.replace("IN ({in})", "= ANY(?)"), [*params, values])
        return cur.fetchall()
    rows: list[Any] = []
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        cur.execute(statement.replace("{in}", ", ".join("?" * len(chunk))), [*params, *chunk * repeat])
        rows.extend(cur.fetchall())
    return rows


def table_rows(db: Database, view: Any, generation: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of one generation's tables, sorted: for comparing two builds."""
    names = Names(view.name, generation)
    result: dict[str, list[tuple[Any, ...]]] = {}
    with db.reading() as cur:
        for table in view.tables:
            cur.execute(f"SELECT * FROM {getattr(names, table)}")
            rows = [tuple(dict(r).values()) for r in cur.fetchall()]
            result[table] = sorted(rows, key=lambda row: tuple(_sort_key(v) for v in row))
    return result


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, float):
        return (1, round(value, 3))
    if isinstance(value, int):
        return (1, value)
    return (2, str(value))
