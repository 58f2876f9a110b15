"""PostgreSQL index upkeep of the views: churned indexes rebuilt after a build, retired ones dropped (schema-qualified)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advocacy.application import AdvocacyApplication
from advocacy.inputs import Handle, NewMention
from tests.conftest import postgres_env
from tests.projections.projection_helpers import CodedAssessor, text
from projections import ProjectionsConfig, rebuild
from projections.store import create_tables, live_generations
from projections.runner import catch_up
from projections.views import VIEWS

pytestmark = pytest.mark.postgres

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def pg_app(pg_schema, clock):
    app = AdvocacyApplication(env=postgres_env(pg_schema), assessor=CodedAssessor(), clock=clock)
    yield app
    app.close()


def index_size(app: AdvocacyApplication, name: str) -> int:
    with app.db.datastore.get_connection() as conn:
        return conn.execute(app.db.sql(f"SELECT pg_relation_size('{{t}}{name}') AS n")).fetchone()["n"]


def test_a_rebuild_leaves_the_rank_index_as_compact_as_a_fresh_one(pg_app):
    pg_app.track_brand("Gojek", own=True)
    customers = 150
    for c in range(customers):
        pg_app.register_customer(f"c-{c}", f"Customer {c}", handles=[Handle("ig", f"h{c}")])
    for round_ in range(25):  # every batch of the rebuild moves every customer's score: a new rank key each time
        pg_app.record_mentions([
            NewMention("ig", f"m-{round_}-{c}", "Gojek", "ig", text(0.5), WHEN + timedelta(minutes=round_),
                       author=Handle("ig", f"h{c}"))
            for c in range(customers)
        ])
    (built,) = rebuild(pg_app, "advocates", config=ProjectionsConfig(batch_size=customers, catch_up_batch_size=customers))

    with pg_app.db.datastore.get_connection() as conn:
        conn.execute(pg_app.db.sql(f"CREATE INDEX fresh_rank ON {built.names.scores} (brand, value, customer_id)"))
    assert index_size(pg_app, built.names.index("rank")) == index_size(pg_app, "fresh_rank")


def test_a_live_generation_loses_the_indexes_an_earlier_release_declared(pg_app):
    pg_app.register_customer("c-1", "Sari")
    catch_up(pg_app, ["advocates"])
    g = live_generations(pg_app.db)["advocates"]
    retired = VIEWS["advocates"].retired_indexes[0]
    with pg_app.db.transaction() as cur:
        cur.execute(f"CREATE INDEX {g.names.index(retired)} ON {g.names.mentions} (handle_id)")
    assert index_size(pg_app, g.names.index(retired)) > 0

    with pg_app.db.transaction() as cur:
        create_tables(cur, VIEWS["advocates"], g.names)
        cur.execute(
            "SELECT COUNT(*) AS n FROM pg_indexes WHERE schemaname = ? AND indexname = ?",
            (pg_app.db.datastore.schema, g.names.index(retired)),
        )
        assert cur.fetchone()["n"] == 0
