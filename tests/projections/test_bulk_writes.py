"""The views' bulk writes: upserts add to what is stored, and lookups by many values find them all, on both stores."""

import pytest

from advocacy.application import AdvocacyApplication
from projections.store import add_rows, put_rows, select_in

TABLE = "{t}bulk_scores"


@pytest.fixture
def db(store_env):
    app = AdvocacyApplication(env=store_env)
    with app.db.transaction() as cur:
        cur.execute(
            f"CREATE TABLE {TABLE} (customer_id TEXT NOT NULL, brand TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,"
            " n BIGINT NOT NULL, last_activity DOUBLE PRECISION, PRIMARY KEY (customer_id, brand))"
        )
    yield app.db
    app.close()


def stored(db) -> dict:
    with db.reading() as cur:
        cur.execute(f"SELECT * FROM {TABLE}")
        return {(r["customer_id"], r["brand"]): (float(r["value"]), int(r["n"]), r["last_activity"]) for r in cur.fetchall()}


def upsert(cur, rows) -> None:
    add_rows(cur, TABLE, ["customer_id", "brand"], ["value", "n"], rows, latest=["last_activity"])


def test_upserts_add_values_keep_the_latest_time_and_survive_a_rolled_back_batch(db):
    with db.transaction() as cur:
        upsert(cur, [(f"c{i}", "", 1.5, 1, 10.0) for i in range(300)])
        upsert(cur, [("c0", "", 1.0, 2, 5.0), ("c1", "gojek", 2.0, 1, None)])  # a second write in one transaction
    with pytest.raises(RuntimeError):
        with db.transaction() as cur:  # a batch that fails after its upsert leaves nothing behind
            upsert(cur, [("c0", "", 100.0, 100, 99.0), ("c2", "", 100.0, 100, 99.0)])
            raise RuntimeError("batch failed")
    with db.transaction() as cur:
        upsert(cur, [("c0", "", 0.5, 1, 20.0), ("c3", "", -1.5, -1, None)])
        upsert(cur, [("new", "", 1.0, 1, 1.0)])  # one row: the plain statement
    rows = stored(db)
    assert rows[("c0", "")] == (3.0, 4, 20.0)
    assert rows[("c1", "gojek")] == (2.0, 1, None)
    assert rows[("c2", "")] == (1.5, 1, 10.0)
    assert rows[("c3", "")] == (0.0, 0, 10.0)
    assert rows[("new", "")] == (1.0, 1, 1.0)
    assert len(rows) == 302


def test_rows_with_the_same_key_in_one_call_are_both_added(db):
    with db.transaction() as cur:
        upsert(cur, [("c0", "", 1.0, 1, 1.0), ("c0", "", 2.0, 1, 3.0), ("c1", "", 1.0, 1, None)])
    assert stored(db)[("c0", "")] == (3.0, 2, 3.0)


def put(cur, rows) -> None:
    put_rows(cur, TABLE, ["customer_id", "brand"], ["value", "n", "last_activity"], rows)


def test_puts_replace_stored_rows_after_an_upsert_of_the_same_transaction(db):
    with db.transaction() as cur:
        upsert(cur, [(f"c{i}", "", 1.5, 1, 10.0) for i in range(300)])
        put(cur, [("c0", "", 7.0, 7, None), ("c1", "", 8.0, 8, 2.0), ("new", "x", 1.0, 1, 1.0)])
        upsert(cur, [("c0", "", 1.0, 1, 5.0), ("c2", "", 1.0, 1, 5.0)])  # after the put: adds to what it wrote
    with pytest.raises(RuntimeError):
        with db.transaction() as cur:
            put(cur, [("c3", "", 100.0, 100, 99.0), ("c4", "", 100.0, 100, 99.0)])
            raise RuntimeError("batch failed")
    with db.transaction() as cur:
        put(cur, [("c5", "", 0.0, 0, None), ("c6", "", -1.0, 2, 3.0)])
    rows = stored(db)
    assert rows[("c0", "")] == (8.0, 8, 5.0)
    assert rows[("c1", "")] == (8.0, 8, 2.0)
    assert rows[("c2", "")] == (2.5, 2, 10.0)
    assert rows[("c3", "")] == (1.5, 1, 10.0)
    assert rows[("c5", "")] == (0.0, 0, None)
    assert rows[("c6", "")] == (-1.0, 2, 3.0)
    assert rows[("new", "x")] == (1.0, 1, 1.0)
    assert len(rows) == 301


def test_puts_with_the_same_key_in_one_call_keep_the_last_row(db):
    with db.transaction() as cur:
        put(cur, [("c0", "", 1.0, 1, 1.0), ("c1", "", 1.0, 1, None)])
    with db.transaction() as cur:
        put(cur, [("c0", "", 1.0, 1, 1.0), ("c0", "", 2.0, 2, 2.0)])
    assert stored(db)[("c0", "")] == (2.0, 2, 2.0)


def test_a_lookup_by_many_values_finds_every_match(db):
    with db.transaction() as cur:
        upsert(cur, [(f"c{i}", "", float(i), 1, None) for i in range(1200)])
    wanted = [f"c{i}" for i in range(0, 2400, 2)]  # half of them stored, more than one chunk of 500
    with db.reading() as cur:
        rows = select_in(cur, f"SELECT customer_id, value FROM {TABLE} WHERE customer_id IN ({{in}}) AND brand = ''", wanted)
        none = select_in(cur, f"SELECT customer_id FROM {TABLE} WHERE customer_id IN ({{in}})", [])
    assert sorted(float(r["value"]) for r in rows) == [float(i) for i in range(0, 1200, 2)]
    assert none == []
