"""Shared fixtures: every application test runs on SQLite files and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from advocacy.application import AdvocacyApplication

PG = {"host": "127.0.0.1", "port": "5432", "dbname": "test", "user": os.environ.get("ADVOCACY_TEST_PG_USER", "postgres")}
WIB = timezone(timedelta(hours=7), "WIB")


def _postgres_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(**PG, connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return str(error)


_PG_PROBLEM = _postgres_available()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards; fails under CI=true when PostgreSQL is absent."""
    if _PG_PROBLEM is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true: {_PG_PROBLEM}")
        pytest.skip(f"PostgreSQL not available: {_PG_PROBLEM}")
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**PG, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    yield name
    with psycopg.connect(**PG, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def postgres_env(schema: str) -> dict[str, str]:
    """Application environment for PostgreSQL in `schema`."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": PG["dbname"],
        "POSTGRES_HOST": PG["host"],
        "POSTGRES_PORT": PG["port"],
        "POSTGRES_USER": PG["user"],
        "POSTGRES_PASSWORD": "",
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": "4",
        "POSTGRES_MAX_OVERFLOW": "12",
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_env(request: pytest.FixtureRequest, tmp_path) -> dict[str, str]:
    """Environment for an application on each store: an SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        return {"ADVOCACY_DATA_DIR": str(tmp_path / "data")}
    return postgres_env(request.getfixturevalue("pg_schema"))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    """A clock starting at 2026-11-02 09:00 UTC."""
    return Clock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(store_env: dict[str, str], clock: Clock) -> Iterator[AdvocacyApplication]:
    """The application on each store, with the real sentiment scorer."""
    application = AdvocacyApplication(env=store_env, clock=clock)
    yield application
    application.close()


def process_gone(pid: int) -> bool:
    """The process exited: reaped, or a zombie nobody has reaped yet (an orphan's new parent may never reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True
