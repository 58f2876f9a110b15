"""Processes starting at once on a new store (gunicorn workers and their projection processes) all come up."""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from typing import Any

import pytest

from advocacy.storage.startup import is_start_race, opened

pytestmark = pytest.mark.slow


def _start(store_env: dict[str, str], data_dir: str, barrier: Any, results: Any) -> None:
    from api import create_app

    barrier.wait()
    try:
        app = create_app({"STORE_ENV": store_env, "DATA_DIR": data_dir, "API_KEYS": "admin:a", "EMBEDDED_PROJECTIONS": False})
        app.extensions["advocacy"].close()
        results.put("ok")
    except Exception as error:  # noqa: BLE001 - reported to the test, with where it was raised
        results.put(f"{type(error).__name__}: {error}\n{traceback.format_exc()[-3000:]}")


def test_six_processes_starting_at_once_on_a_new_store_all_start(store_env, tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(6), context.Queue()
    processes = [context.Process(target=_start, args=(store_env, str(tmp_path), barrier, results)) for _ in range(6)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join()

    assert outcomes == ["ok"] * 6


def test_only_the_errors_of_a_concurrent_start_are_retried():
    from eventsourcing.persistence import IntegrityError, InternalError, OperationalError, ProgrammingError

    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise InternalError("tuple concurrently updated")
        return "open"

    assert opened(flaky) == "open" and len(calls) == 3
    calls.clear()

    def locked_while_switching_to_wal() -> str:  # raised by sqlite3 itself when a new connection sets journal_mode
        calls.append(1)
        if len(calls) < 2:
            raise sqlite3.OperationalError("database is locked")
        return "open"

    assert opened(locked_while_switching_to_wal) == "open" and len(calls) == 2
    assert not is_start_race(sqlite3.OperationalError("no such table: x"))
    assert is_start_race(OperationalError("database is locked"))
    assert is_start_race(IntegrityError('duplicate key value violates unique constraint "pg_type_typname_nsp_index"'))
    assert is_start_race(ProgrammingError('type "advocacy_events" already exists'))
    assert not is_start_race(ProgrammingError('relation "x" does not exist'))
    assert not is_start_race(ValueError("database is locked"))
    with pytest.raises(ProgrammingError):
        opened(lambda: (_ for _ in ()).throw(ProgrammingError("syntax error")))
