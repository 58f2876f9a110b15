"""Database.reading(): queries without a write transaction; one snapshot on SQLite, no BEGIN on PostgreSQL."""

import time

import pytest


def test_a_read_sees_what_was_committed_before_it(app):
    app.db.execute("CREATE TABLE {t}reading_probe (n INTEGER)")
    app.db.execute("INSERT INTO {t}reading_probe (n) VALUES (1), (2)")
    with app.db.reading() as cur:
        cur.execute("SELECT SUM(n) AS total FROM {t}reading_probe")
        assert cur.fetchone()["total"] == 3
    assert app.db.execute("SELECT COUNT(*) AS n FROM {t}reading_probe")[0]["n"] == 2


@pytest.mark.parametrize("store_env", ["sqlite"], indirect=True)
def test_on_sqlite_every_statement_of_a_read_sees_one_snapshot(app):
    app.db.execute("CREATE TABLE reading_probe (n INTEGER)")
    app.db.execute("INSERT INTO reading_probe (n) VALUES (1)")
    with app.db.reading() as cur:
        cur.execute("SELECT COUNT(*) AS n FROM reading_probe")
        assert cur.fetchone()["n"] == 1
        app.db.execute("INSERT INTO reading_probe (n) VALUES (2)")  # another connection commits meanwhile
        cur.execute("SELECT COUNT(*) AS n FROM reading_probe")
        assert cur.fetchone()["n"] == 1
    assert app.db.execute("SELECT COUNT(*) AS n FROM reading_probe")[0]["n"] == 2


@pytest.mark.parametrize("store_env", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_a_read_opens_no_transaction(app):
    # Inside a transaction now() stays at its start; each statement of an autocommit read is its own.
    with app.db.reading() as cur:
        cur.execute("SELECT 1")
        time.sleep(0.01)
        cur.execute("SELECT now() = statement_timestamp() AS alone")
        assert cur.fetchone()["alone"] is True
