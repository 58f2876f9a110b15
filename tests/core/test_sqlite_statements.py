"""The library's SQLite connections keep a real cache of compiled statements (it asks for one of size True, i.e. 1)."""

import sqlite3

import eventsourcing.sqlite as library
import pytest

from advocacy.application import AdvocacyApplication
from advocacy.storage import sqlite_statements
from advocacy.storage.sqlite_statements import STATEMENTS_CACHED


def test_the_application_s_sqlite_connections_are_opened_with_a_statement_cache(tmp_path, monkeypatch):
    asked: list[object] = []
    real_connect = sqlite3.connect

    def spy(*args, **kwargs):
        asked.append(kwargs.get("cached_statements"))
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite_statements.sqlite3, "connect", spy)
    app = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": str(tmp_path)})
    try:
        app.track_brand("Gojek", own=True)
        assert app.db.execute("SELECT COUNT(*) AS n FROM {t}" + app.recorder.events_table_name)[0]["n"] == 1
    finally:
        app.close()
    assert asked and set(asked) == {STATEMENTS_CACHED}
    assert isinstance(library.sqlite3, sqlite_statements._Sqlite3)
    assert library.sqlite3.Row is sqlite3.Row and library.sqlite3.Error is sqlite3.Error  # the rest is sqlite3's own


@pytest.mark.parametrize(("given", "used"), [(True, STATEMENTS_CACHED), (0, 0), (16, 16)])
def test_only_the_library_s_true_is_replaced(monkeypatch, given, used):
    asked: list[object] = []
    monkeypatch.setattr(sqlite_statements.sqlite3, "connect", lambda *a, **k: asked.append(k["cached_statements"]))
    sqlite_statements._Sqlite3.connect(":memory:", cached_statements=given)
    assert asked == [used]
