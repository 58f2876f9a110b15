"""Rebuild a view beside the live one, then switch, so reads never stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advocacy.storage.sql import Cursor
from projections.config import ProjectionsConfig, next_batch_size
from projections.locks import ProjectionLock
from projections.runner import step
from projections.store import Generation, add_generation, drop_tables, ensure_positions_table, generations, vacuum_tables
from projections.views import VIEWS, views_named

Progress = Callable[[int, int], None]
"""progress(position reached, head of the log)"""


class RebuildBusy(RuntimeError):
    """Another process is rebuilding."""


def rebuild(
    app: Any,
    name: str | None = None,
    progress: Progress | None = None,
    config: ProjectionsConfig | None = None,
    *,
    switch: bool = True,
    lock: ProjectionLock | None = None,
) -> list[Generation]:
    """Build new generations of one view (or all) from the first event, then make them live.

    The live generation keeps answering reads (and its runner keeps following the log) until the
    switch, which happens in one transaction; the retired generation is dropped by the next rebuild.
    A changed scoring configuration takes effect here: the new generation is built with `config`.
    `lock` is a lock the caller took with `rebuild_lock` (to learn of RebuildBusy before starting a
    thread); it is released when the rebuild ends, as is the one taken here without it.
    """
    config = config or ProjectionsConfig()
    lock = lock if lock is not None else rebuild_lock(app)
    try:
        views = views_named([name] if name else None)
        ensure_positions_table(app.db)
        built = add_generation(app.db, views, config.scoring.to_json(), live=False)
        wanted = {(g.name, g.generation) for g in built}

        def targets(cur: Cursor) -> list[Generation]:
            return [g for g in generations(cur) if (g.name, g.generation) in wanted]

        position, size = 0, config.batch_size
        while read := step(app, app.db, targets, size):
            position += read
            size = next_batch_size(config, size, read)
            if progress is not None:
                with app.db.reading() as cur:
                    reached = min(g.position for g in targets(cur))
                progress(reached, app.head())
        if progress is not None:
            progress(app.head(), app.head())
        for g in built:
            vacuum_tables(app.db, VIEWS[g.name], g.names)
        if switch:
            switch_to(app, built)
        return built
    finally:
        lock.release()


def rebuild_lock(app: Any) -> ProjectionLock:
    """The rebuild lock, taken; RebuildBusy when another rebuild holds it."""
    lock = ProjectionLock(app, "rebuild")
    if not lock.try_acquire():
        raise RebuildBusy("another process is rebuilding projections")
    return lock


def switch_to(app: Any, built: list[Generation]) -> None:
    """Make `built` live in one transaction; drop generations older than the one retired now."""
    with app.db.transaction() as cur:
        rows = generations(cur)
        for new in built:
            retired = [g.generation for g in rows if g.name == new.name and g.live]
            cur.execute("UPDATE {t}projection_positions SET live = 0 WHERE name = ?", (new.name,))
            cur.execute(
                "UPDATE {t}projection_positions SET live = 1 WHERE name = ? AND generation = ?",
                (new.name, new.generation),
            )
            keep = {new.generation, *retired}
            for old in rows:
                if old.name == new.name and old.generation not in keep:
                    drop_tables(cur, VIEWS[old.name], old.names)
                    cur.execute(
                        "DELETE FROM {t}projection_positions WHERE name = ? AND generation = ?",
                        (old.name, old.generation),
                    )
