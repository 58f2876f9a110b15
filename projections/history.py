"""Historical questions: replay the log up to a date into a throwaway view on a temporary SQLite file.

Memory stays bounded (batches of events, SQLite's page cache); the cost is one full read of the
log, about as long as catching up the advocates view from scratch (see docs/projections.md).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from eventsourcing.sqlite import SQLiteDatastore

from advocacy.storage.sql import Database
from projections.config import ProjectionsConfig
from projections.read import advocates
from projections.runner import live_targets, step
from projections.store import create_generation, ensure_positions_table
from projections.views import VIEWS


def cutoff_of(as_of: date | datetime | str) -> datetime:
    """The end of the day `as_of` (UTC), or the moment itself when a datetime is given."""
    if isinstance(as_of, str):
        as_of = datetime.fromisoformat(as_of) if "T" in as_of else date.fromisoformat(as_of)
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    return datetime.combine(as_of + timedelta(days=1), time.min, UTC) - timedelta(microseconds=1)


def top_advocates_as_of(
    app: Any,
    as_of: date | datetime | str,
    limit: int = 50,
    brand: str | None = None,
    config: ProjectionsConfig | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Top advocates as they stood at `as_of`: events that occurred later are left out."""
    config = config or ProjectionsConfig()
    cutoff = cutoff_of(as_of)

    def happened(event: Any) -> bool:
        occurred = getattr(event, "occurred_at", None)
        return occurred is None or occurred <= cutoff

    with tempfile.TemporaryDirectory(prefix="advocates-as-of-") as directory:
        datastore = SQLiteDatastore(str(Path(directory) / "view.sqlite"))
        try:
            db = Database(SimpleNamespace(datastore=datastore))  # type: ignore[arg-type]
            ensure_positions_table(db)
            with db.transaction() as cur:
                g = create_generation(cur, VIEWS["advocates"], config.scoring.to_json(), live=True)
            while step(app, db, live_targets(["advocates"]), 5000, keep=happened):
                pass
            result = advocates.top(db, g.names, config.scoring, cutoff.timestamp(), limit, brand, cursor)
        finally:
            datastore.close()
    result["as_of"] = cutoff.isoformat()
    return result
