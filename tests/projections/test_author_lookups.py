"""Lookups of per-mention rows by author use the era-led author indexes, never a scan of every mention."""

from datetime import UTC, datetime, timedelta

import pytest

from advocacy.inputs import Handle, NewMention
from projections import ProjectionsConfig
from projections.runner import catch_up, ensure_live
from projections.store import live_generations, Names
from projections.views.base import by_handle, eras, owned_by
from tests.projections.projection_helpers import CodedAssessor, text

WHEN = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def built(tmp_path):
    from advocacy.application import AdvocacyApplication

    app = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": str(tmp_path)}, assessor=CodedAssessor())
    app.track_brand("Gojek", own=True)
    app.register_customer("c-1", "Ani", handles=[Handle("ig", "ani")])
    app.record_mentions([
        NewMention("ig", f"m-{i}", "Gojek", "instagram", text(0.6), WHEN + timedelta(minutes=i), author=Handle("ig", f"h{i % 7}"))
        for i in range(50)
    ])
    ensure_live(app.db, ["advocates", "attention"], ProjectionsConfig())
    catch_up(app, ["advocates", "attention"])
    yield app
    app.close()


def plan(app, sql: str, params: tuple) -> str:
    with app.db.transaction(commit=False) as cur:
        cur.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(dict(r)["detail"]) for r in cur.fetchall())


@pytest.mark.parametrize("view", ["advocates", "attention"])
def test_owner_and_handle_lookups_search_the_era_indexes(built, view):
    names = Names(view, live_generations(built.db)[view].generation)
    era_list = eras(5 * 2**14)  # six eras
    by_owner = plan(built, f"SELECT * FROM {names.mentions} m WHERE {owned_by(names.handles, era_list, alias='m', dialect='sqlite')}", ("x", "x"))
    assert f"USING INDEX {names.index('customer_era')}" in by_owner
    assert f"USING INDEX {names.index('handle_era')}" in by_owner
    assert f"SCAN {names.mentions}" not in by_owner and "SCAN m" not in by_owner
    written = plan(built, f"SELECT * FROM {names.mentions} WHERE {by_handle(era_list)}", ("x",))
    assert f"USING INDEX {names.index('handle_era')}" in written


def test_eras_run_from_the_first_to_the_one_of_the_position():
    assert eras(0) == "0"
    assert eras(2**14 - 1) == "0"
    assert eras(2**14) == "0, 1"
    assert eras(3 * 2**14 + 5) == "0, 1, 2, 3"


@pytest.mark.postgres
@pytest.mark.parametrize("store_env", ["postgres"], indirect=True)
def test_postgres_looks_up_linked_handles_in_the_era_index(app):
    """`IN (subquery)` inside the OR made PostgreSQL scan every handle-authored row of the eras."""
    app.track_brand("Gojek", own=True)
    app.record_mentions([
        NewMention("ig", f"m-{i}", "Gojek", "instagram", "Mantap!", WHEN + timedelta(minutes=i), author=Handle("ig", f"h{i % 7}"))
        for i in range(20)
    ])
    catch_up(app, ["advocates"])
    names = Names("advocates", live_generations(app.db)["advocates"].generation)
    with app.db.transaction(commit=False) as cur:
        cur.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether the index can serve at all
        sql = f"SELECT * FROM {names.mentions} m WHERE {owned_by(names.handles, eras(3 * 2**14), alias='m', dialect='postgres')}"
        cur.execute(f"EXPLAIN {sql}", ("x", "x"))
        plan = "\n".join(str(next(iter(dict(r).values()))) for r in cur.fetchall())
    handle_scan = plan[plan.index(names.index("handle_era")):]
    assert "handle_id = ANY" in handle_scan.splitlines()[1], plan
