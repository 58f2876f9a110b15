"""Projection rebuilds started over HTTP: one at a time, in a background thread of the serving process."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from projections.config import ProjectionsConfig
from projections.rebuild import RebuildBusy, rebuild, rebuild_lock
from projections.store import generations
from projections.views import views_named

log = logging.getLogger(__name__)


class Rebuilds:
    """Starts rebuilds (`start`) and tells whether one runs anywhere and how far it got (`status`)."""

    def __init__(self, app: Any, config: ProjectionsConfig | None = None):
        self.app = app
        self.config = config or ProjectionsConfig()
        self.last: dict[str, Any] | None = None
        """The latest rebuild this process started: what, when, and how it ended."""
        self._thread: threading.Thread | None = None
        self._mutex = threading.Lock()

    @property
    def running_here(self) -> bool:
        """True while a rebuild this process started is running."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, name: str | None = None) -> dict[str, Any]:
        """Take the rebuild lock and rebuild `name` (or every projection) in a thread; RebuildBusy if one runs."""
        with self._mutex:
            if self.running_here:
                raise RebuildBusy("a rebuild is already running")
            lock = rebuild_lock(self.app)
            self.last = {
                "name": name,
                "projections": [view.name for view in views_named([name] if name else None)],
                "started_at": datetime.now(UTC),
                "finished_at": None,
                "error": None,
                "generations": [],
            }
            self._thread = threading.Thread(
                target=self._run, args=(name, lock, self.last), name="projections-rebuild", daemon=True
            )
            self._thread.start()
            return self.last

    def status(self) -> dict[str, Any]:
        """Whether a rebuild runs (here or in another process) and, once it has begun, how far it got."""
        running = self.running_here or self._running_elsewhere()
        progress = _progress(self.app) if running else None
        return {
            "running": running,
            "position": progress["position"] if progress else None,
            "head": self.app.head() if progress else None,
            "building": progress["building"] if progress else None,
            "last": self.last,
        }

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for this process's rebuild to end; True when none is running any more."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running_here

    def _run(self, name: str | None, lock: Any, state: dict[str, Any]) -> None:
        try:
            built = rebuild(self.app, name, config=self.config, lock=lock)
            state["generations"] = [{"name": g.name, "generation": g.generation} for g in built]
        except Exception as error:  # noqa: BLE001 - a background thread: report it in the status, and log it
            log.exception("projection rebuild failed")
            state["error"] = str(error) or type(error).__name__
        finally:
            state["finished_at"] = datetime.now(UTC)

    def _running_elsewhere(self) -> bool:
        # Probing takes the lock for an instant; a rebuild started in that instant gets a 409 and may be retried.
        try:
            rebuild_lock(self.app).release()
        except RebuildBusy:
            return True
        return False


def _progress(app: Any) -> dict[str, Any] | None:
    """The generations being built (newer than the live ones) and the lowest position they reached."""
    with app.db.reading() as cur:
        rows = generations(cur)
    live = {g.name: g.generation for g in rows if g.live}
    building = {g.name: g for g in rows if not g.live and g.generation > live.get(g.name, 0)}  # newest wins
    if not building:
        return None  # not begun yet
    return {"position": min(g.position for g in building.values()), "building": sorted(building)}
