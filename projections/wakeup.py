"""Wake the runner as soon as the log grows: saves in this process, NOTIFY on PostgreSQL, else a poll."""

from __future__ import annotations

import threading
from typing import Any


class Wakeup:
    """An event set by this process's saves and, on PostgreSQL, by LISTEN/NOTIFY from other processes."""

    def __init__(self, app: Any, *, listen: bool = True):
        self.app = app
        self.event = threading.Event()
        self._closed = threading.Event()
        app.listeners.append(self.poke)
        self._thread: threading.Thread | None = None
        if listen and app.db.dialect == "postgres":
            self._thread = threading.Thread(target=self._listen, name="projections-listen", daemon=True)
            self._thread.start()

    def poke(self, _position: int = 0) -> None:
        """Wake the runner now."""
        self.event.set()

    def wait(self, timeout: float) -> None:
        """Sleep until poked or `timeout` seconds passed, then re-arm."""
        self.event.wait(timeout)
        self.event.clear()

    def close(self) -> None:
        """Stop listening."""
        self._closed.set()
        self.event.set()
        try:
            self.app.listeners.remove(self.poke)
        except ValueError:
            pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _listen(self) -> None:
        import psycopg
        from psycopg import sql

        recorder, pool = self.app.recorder, self.app.recorder.datastore.pool
        kwargs = {k: v for k, v in pool.kwargs.items() if k != "row_factory"}
        while not self._closed.is_set():
            try:
                with psycopg.connect(pool.conninfo, autocommit=True, **kwargs) as conn:
                    conn.execute(sql.SQL("LISTEN {0}").format(sql.Identifier(recorder.channel_name)))
                    while not self._closed.is_set():
                        for _ in conn.notifies(timeout=0.25, stop_after=1):
                            self.event.set()
            except Exception:  # noqa: BLE001 - the poll still covers us; reconnect after a pause
                self._closed.wait(1.0)
