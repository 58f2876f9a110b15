"""Where the event store lives: SQLite files in a data directory unless PostgreSQL is configured."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_DATA_DIR = "./var"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data directory: ADVOCACY_DATA_DIR, else ./var."""
    merged = {**os.environ, **(env or {})}
    return Path(merged.get("ADVOCACY_DATA_DIR") or DEFAULT_DATA_DIR)


def persistence_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the eventsourcing factory, with the embedded SQLite default filled in."""
    merged = {**os.environ, **(env or {})}
    result = dict(env or {})
    module = merged.get("ADVOCACY_PERSISTENCE_MODULE") or merged.get("PERSISTENCE_MODULE")
    if not module or module == "eventsourcing.sqlite":
        directory = data_dir(env)
        directory.mkdir(parents=True, exist_ok=True)
        result["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        if not (merged.get("ADVOCACY_SQLITE_DBNAME") or merged.get("SQLITE_DBNAME")):
            result["SQLITE_DBNAME"] = str(directory / "events.sqlite")
        result.setdefault("SQLITE_LOCK_TIMEOUT", "30")
    return result

