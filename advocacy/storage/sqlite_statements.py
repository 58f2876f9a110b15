"""SQLite connections of the eventsourcing library with a real prepared-statement cache.

eventsourcing 9.5.6 opens its SQLite connections with `sqlite3.connect(..., cached_statements=True)`, and
True is the integer 1: each connection keeps one compiled statement, so every statement that differs from
the one just run (nearly all of them: a request or a projection batch runs a dozen different ones) is
compiled again. `use_statement_cache()` makes the library's `sqlite3.connect` calls ask for the standard
library's default of 128 statements instead; nothing else about the connection changes.
"""

from __future__ import annotations

import sqlite3
import types
from typing import Any

STATEMENTS_CACHED = 128
"""The standard library's default statement cache size per connection."""


class _Sqlite3(types.ModuleType):
    """The sqlite3 module as the library's SQLite module sees it: the same, but `connect` caches statements."""

    def __init__(self) -> None:
        super().__init__("sqlite3")
        # Everything but connect: an instance attribute of that name would hide the method below.
        self.__dict__.update({k: v for k, v in vars(sqlite3).items() if not k.startswith("__") and k != "connect"})

    @staticmethod
    def connect(*args: Any, cached_statements: int = STATEMENTS_CACHED, **kwargs: Any) -> sqlite3.Connection:
        """sqlite3.connect, with a cache of STATEMENTS_CACHED where the library passes True (that is, 1)."""
        if cached_statements is True:
            cached_statements = STATEMENTS_CACHED
        return sqlite3.connect(*args, cached_statements=cached_statements, **kwargs)


def use_statement_cache() -> None:
    """Make the library's SQLite connections, from now on, cache STATEMENTS_CACHED compiled statements."""
    import eventsourcing.sqlite as library

    if not isinstance(library.sqlite3, _Sqlite3):
        library.sqlite3 = _Sqlite3()  # type: ignore[assignment]
