"""One process runs each projection: a file lock beside the SQLite files, an advisory lock on PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout


class ProjectionLock:
    """A non-blocking, process-wide lock named after a projection; released when its holder dies."""

    def __init__(self, app: Any, name: str):
        self.name = name
        self._datastore = app.recorder.datastore
        self._postgres = app.db.dialect == "postgres"
        self._file: FileLock | None = None
        self._connection: Any = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        if self._postgres:
            return self._connection is not None
        return self._file is not None and self._file.is_locked

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits."""
        if self.held:
            return True
        return self._try_postgres() if self._postgres else self._try_file()

    def release(self) -> None:
        """Let another process take over."""
        if self._file is not None and self._file.is_locked:
            self._file.release()
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.close()
            except Exception:  # noqa: BLE001, S110 - closing a dead connection frees the lock all the same
                pass

    def _try_file(self) -> bool:
        if self._file is None:
            directory = Path(self._datastore.pool.db_name).resolve().parent
            self._file = FileLock(directory / f"projection-{self.name}.lock", thread_local=False)
        try:
            self._file.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def _try_postgres(self) -> bool:
        import psycopg

        pool = self._datastore.pool
        kwargs = {k: v for k, v in pool.kwargs.items() if k != "row_factory"}
        connection = psycopg.connect(pool.conninfo, autocommit=True, **kwargs)
        key = _key(f"{self._datastore.schema}:{self.name}")
        got = connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]
        if got:
            self._connection = connection
            return True
        connection.close()
        return False


def _key(text: str) -> int:
    """A stable signed 64-bit advisory lock key for a name."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)
