"""The runner: read the log after each view's position in batches, apply, commit views and positions together."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from advocacy.gc_pause import gc_paused
from advocacy.storage.sql import Cursor, Database
from projections.config import ProjectionsConfig, ScoringConfig, next_batch_size
from projections.decoding import read_events
from projections.failures import clear_failures, ensure_failures_table, note_failure
from projections.locks import ProjectionLock
from projections.store import (
    POSITIONS,
    Generation,
    add_generation,
    create_tables,
    ensure_positions_table,
    generations,
    live_generations,
    set_position,
    vacuum_tables,
)
from projections.views import VIEWS, views_named
from projections.views.base import Batch, earlier_states

log = logging.getLogger(__name__)

EventFilter = Callable[[Any], bool]


def ensure_live(db: Database, names: Sequence[str], config: ProjectionsConfig) -> None:
    """Give every named view a live generation (tables and position 0) if it has none yet.

    A live generation built by an earlier release gets the indexes its view declares now.
    """
    ensure_positions_table(db)
    add_generation(db, views_named(list(names)), config.scoring.to_json(), live=True)
    with db.transaction() as cur:
        for g in generations(cur, live_only=True):
            if g.name in names:
                create_tables(cur, VIEWS[g.name], g.names)


def step(
    app: Any,
    db: Database,
    targets: Callable[[Cursor], list[Generation]],
    batch_size: int,
    keep: EventFilter | None = None,
) -> int:
    """Read one batch after the lowest target position, apply it to every target, commit once.

    Returns how many events were read (0 when every target is at the head). The garbage collector waits
    while a batch is applied: its decoded events live until the end, so generational passes over them
    free nothing, and at 10,000 events per batch they were a sixth of catch-up time.
    """
    with gc_paused():
        return _step(app, db, targets, batch_size, keep)


def _step(
    app: Any,
    db: Database,
    targets: Callable[[Cursor], list[Generation]],
    batch_size: int,
    keep: EventFilter | None,
) -> int:
    with db.reading() as cur:
        before = targets(cur)
    if not before:
        return 0
    start = min(g.position for g in before)
    events = read_events(app, start, batch_size)
    if not events:
        return 0
    last = events[-1][0]
    kept = events if keep is None else [(p, e) for p, e in events if keep(e)]
    earlier = earlier_states(app, kept)
    shared: dict[int, Any] = {}
    # No flush of its own (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit off): the views and the
    # position commit atomically, and the log they were read from is already durable, so a power loss can
    # only take back whole batches, which the next step applies again. This was ~30% of catch-up at 200k.
    with db.lazy_commit() as cur:
        # Write first, so SQLite takes its write lock now rather than failing to upgrade a stale read.
        cur.execute(f"UPDATE {POSITIONS} SET position = position WHERE name = ?", (before[0].name,))
        for g in targets(cur):
            if g.position < start or g.position >= last:
                continue  # switched in behind us (rebuild) or already past this batch
            mine = [(p, e) for p, e in kept if p > g.position]
            if mine:
                VIEWS[g.name].apply(Batch(cur, g.names, ScoringConfig.from_json(g.config), mine, earlier, shared=shared))
            set_position(cur, g.name, g.generation, last)
    return len(events)


def vacuum_live(db: Database, names: Sequence[str]) -> None:
    """vacuum_tables (VACUUM (ANALYZE), then REINDEX of the churned indexes) for the live tables of the named views
    on PostgreSQL, after a long catch-up; never fails the runner."""
    if db.dialect != "postgres":
        return
    try:
        for g in live_generations(db).values():
            if g.name in names:
                vacuum_tables(db, VIEWS[g.name], g.names)
    except Exception as error:  # noqa: BLE001 - statistics are an optimisation; autovacuum gets there later
        log.warning("could not vacuum the projections' tables: %r", error)


def live_targets(names: Sequence[str]) -> Callable[[Cursor], list[Generation]]:
    """Targets: the live generation of each named view."""
    wanted = set(names)
    return lambda cur: [g for g in generations(cur, live_only=True) if g.name in wanted]


def catch_up(app: Any, names: Sequence[str] | None = None, config: ProjectionsConfig | None = None) -> int:
    """Apply everything up to the head to the live views, in this thread (no locks: tests and tools)."""
    config = config or ProjectionsConfig()
    names = [v.name for v in views_named(names)]
    ensure_live(app.db, names, config)
    total, size = 0, config.batch_size
    while read := step(app, app.db, live_targets(names), size):
        total += read
        size = next_batch_size(config, size, read)
    if total >= config.vacuum_after:
        vacuum_live(app.db, names)
    return total


class Runner:
    """Follows the log for the projections whose locks it holds; retries the others now and then."""

    def __init__(
        self,
        app: Any,
        names: Sequence[str] | None = None,
        config: ProjectionsConfig | None = None,
        stop_event: threading.Event | None = None,
        *,
        listen: bool = True,
    ):
        self.app = app
        self.config = config or ProjectionsConfig()
        self.names = [v.name for v in views_named(names)]
        self.stop_event = stop_event or threading.Event()
        self.listen = listen
        self.last_error: BaseException | None = None
        self.locks = {n: ProjectionLock(app, n) for n in self.names}
        self._wakeup: Any = None

    def held(self) -> list[str]:
        """The projections this runner currently runs."""
        return [n for n in self.names if self.locks[n].held]

    def poke(self) -> None:
        """Wake the loop (after a stop request, or new events)."""
        if self._wakeup is not None:
            self._wakeup.poke()

    def _on_record(self, write: Callable[..., None], names: Sequence[str], *args: Any) -> set[str]:
        """`write(db, names, *args)` on the failures table: the names written, or none when the store refused."""
        if not names:
            return set()
        try:
            ensure_failures_table(self.app.db)
            write(self.app.db, names, *args)
        except Exception:  # noqa: BLE001 - the store may be what is failing; the log has the batch's error
            log.debug("could not record the projections' failures", exc_info=True)
            return set()
        return set(names)

    def run(self) -> None:
        """Loop until the stop event is set."""
        from projections.wakeup import Wakeup

        self._wakeup = wakeup = Wakeup(self.app, listen=self.listen)
        next_try, failures, ensured, size, streak = 0.0, 0, set(), self.config.batch_size, 0
        noted: set[str] = set()  # projections whose failures this runner recorded and has not cleared yet
        claimed: set[str] = set()  # projections held, whose earlier holders' failures were cleared
        try:
            while not self.stop_event.is_set():
                if time.monotonic() >= next_try and len(self.held()) < len(self.names):
                    for lock in self.locks.values():
                        lock.try_acquire()
                    next_try = time.monotonic() + self.config.lock_retry_interval
                held = self.held()
                claimed &= set(held)
                if set(held) - claimed:  # a runner that held them before may have stopped while failing
                    claimed |= self._on_record(clear_failures, sorted(set(held) - claimed))
                read = 0
                try:
                    if set(held) - ensured:
                        ensure_live(self.app.db, held, self.config)
                        ensured = set(held)
                    if held:
                        read = step(self.app, self.app.db, live_targets(held), size)
                    failures = 0
                except Exception as error:  # noqa: BLE001 - keep following; the batch rolled back
                    failures += 1
                    self.last_error = error
                    log.warning("projection batch failed (attempt %d): %r", failures, error)
                    noted |= self._on_record(note_failure, held, failures, error)
                    self.stop_event.wait(min(5.0, 0.05 * 2**failures))
                    continue
                if noted & set(held):
                    noted -= self._on_record(clear_failures, sorted(noted & set(held)))
                full, size = read >= size, next_batch_size(self.config, size, read)
                streak += read
                if full:
                    continue
                if streak >= self.config.vacuum_after:
                    vacuum_live(self.app.db, held)
                streak = 0
                timeout = self.config.poll_interval
                if len(held) < len(self.names):
                    timeout = min(timeout, self.config.lock_retry_interval)
                wakeup.wait(timeout)
                if read:
                    # Caught up while writes keep coming: let a few milliseconds of them gather into one
                    # batch rather than commit a batch per write (each batch is a write transaction).
                    self.stop_event.wait(self.config.gather_seconds)
        finally:
            wakeup.close()
            self._wakeup = None
            for lock in self.locks.values():
                lock.release()


def run_projections(
    app: Any,
    names: Sequence[str] | None = None,
    stop_event: threading.Event | None = None,
    config: ProjectionsConfig | None = None,
) -> None:
    """Run the named projections (all by default) in this thread until `stop_event` is set."""
    Runner(app, names, config, stop_event).run()


class EmbeddedProjections:
    """The projections in a background thread of the API process: `start()`, `stop()`."""

    def __init__(self, app: Any, config: ProjectionsConfig | None = None, names: Sequence[str] | None = None):
        self.runner = Runner(app, names, config)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start following the log."""
        if self._thread is not None:
            return
        self.runner.stop_event.clear()
        self._thread = threading.Thread(target=self.runner.run, name="projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current batch and release the locks."""
        if self._thread is None:
            return
        self.runner.stop_event.set()
        self.runner.poke()
        self._thread.join(timeout)
        self._thread = None
