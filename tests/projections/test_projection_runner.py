"""The runner: wakes on saves, one holder per projection, rebuilds beside the live view, status."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from advocacy.application import AdvocacyApplication
from advocacy.inputs import Handle, NewMention
from tests.conftest import postgres_env
from tests.projections.projection_helpers import CodedAssessor, close_enough, text
from projections import EmbeddedProjections, ProjectionLagError, ProjectionsConfig, ReadModels, ScoringConfig, catch_up, rebuild
from projections.runner import Runner
from projections.config import next_batch_size
from projections.failures import note_failure
from projections.store import ensure_positions_table, live_generations, table_rows
from projections.views import VIEWS

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def mention(ref: str, compound: float = 0.5, crm_id: str = "c-1") -> NewMention:
    return NewMention("ig", ref, "Gojek", "ig", text(compound), WHEN, crm_id=crm_id)


def test_the_embedded_runner_wakes_on_a_save_without_waiting_for_a_poll(papp):
    reads = ReadModels(papp)
    embedded = EmbeddedProjections(papp, ProjectionsConfig(poll_interval=60.0, lock_retry_interval=60.0))
    embedded.start()
    try:
        papp.register_customer("c-1", "Sari")
        reads.wait(papp.head(), timeout=10)
        started = time.monotonic()
        position = papp.record_mention(mention("m1")).position
        reads.wait(position, timeout=5)
        assert time.monotonic() - started < 2
    finally:
        embedded.stop()


def test_waiting_for_a_position_nobody_applies_names_the_lagging_projections(papp):
    reads = ReadModels(papp)
    papp.register_customer("c-1", "Sari")

    with pytest.raises(ProjectionLagError) as error:
        reads.wait(papp.head(), timeout=0.05)

    assert isinstance(error.value, TimeoutError)
    assert "advocates at 0" in str(error.value) and f"position {papp.head()}" in str(error.value)


def test_only_one_runner_holds_a_projection_and_another_takes_over_when_it_stops(papp, store_env, clock):
    other = AdvocacyApplication(env=store_env, assessor=CodedAssessor(), clock=clock)
    config = ProjectionsConfig(poll_interval=0.05, lock_retry_interval=0.05)
    first = EmbeddedProjections(papp, config)
    second = EmbeddedProjections(other, config)
    try:
        first.start()
        _until(lambda: first.runner.held() == first.runner.names)
        second.start()
        time.sleep(0.3)
        assert second.runner.held() == []

        first.stop()
        _until(lambda: second.runner.held() == second.runner.names)
        papp.register_customer("c-1", "Sari")
        ReadModels(papp).wait(papp.head(), timeout=10)
    finally:
        first.stop()
        second.stop()
        other.close()


def test_status_shows_position_head_and_lag(papp):
    papp.register_customer("c-1", "Sari")
    catch_up(papp, ["advocates"])
    papp.register_customer("c-2", "Budi")

    status = {s["name"]: s for s in ReadModels(papp).status()}

    assert status["advocates"]["position"] == papp.head() - 1
    assert status["advocates"]["lag"] == 1
    assert status["trends"]["position"] == 0
    assert status["trends"]["head"] == papp.head()


def test_a_rebuild_switches_to_a_new_scoring_configuration_while_reads_go_on(papp):
    papp.register_customer("c-1", "Sari")
    papp.record_mention(mention("m1", 0.5))
    catch_up(papp)
    reads = ReadModels(papp)
    before = reads.customer_score("c-1")["score"]
    papp.track_brand("Gojek", own=True)
    catch_up(papp)
    before = reads.customer_score("c-1")["score"]
    doubled = ProjectionsConfig(scoring=ScoringConfig(version="test-2", positive_mention=2.0))
    seen: list[tuple[int, int]] = []

    def progress(position: int, head: int) -> None:
        seen.append((position, head))
        assert reads.customer_score("c-1")["score"] == pytest.approx(before)

    rebuild(papp, "advocates", progress=progress, config=doubled)

    assert reads.customer_score("c-1")["score"] == pytest.approx(2 * before)
    assert reads.top_advocates()["scoring_version"] == "test-2"
    assert seen[-1][0] == papp.head()
    rebuild(papp, "advocates", config=doubled)
    rebuild(papp, "advocates", config=doubled)
    assert live_generations(papp.db)["advocates"].generation == 4


def test_a_running_runner_follows_the_new_generation_after_a_rebuild(papp):
    stop = threading.Event()
    runner = Runner(papp, config=ProjectionsConfig(poll_interval=0.05), stop_event=stop)
    thread = threading.Thread(target=runner.run)
    thread.start()
    try:
        papp.register_customer("c-1", "Sari")
        papp.track_brand("Gojek", own=True)
        rebuild(papp, "advocates")
        position = papp.record_mention(mention("m1")).position
        ReadModels(papp).wait(position, timeout=10)
        assert ReadModels(papp).customer_score("c-1")["breakdown"]["positive_mentions"]["count"] == 1
    finally:
        stop.set()
        runner.poke()
        thread.join(10)
    assert runner.last_error is None


def test_the_cli_prints_status_and_rebuilds(store_env, tmp_path):
    from projections.commands import projections_group

    app = AdvocacyApplication(env=store_env, assessor=CodedAssessor())
    app.register_customer("c-1", "Sari")
    app.close()
    env = {k: v for k, v in store_env.items()}
    env = {("ADVOCACY_" + k if not k.startswith("ADVOCACY_") else k): v for k, v in env.items()}
    runner = CliRunner()

    rebuilt = runner.invoke(projections_group, ["rebuild", "advocates"], env=env)
    status = runner.invoke(projections_group, ["status"], env=env)

    assert rebuilt.exit_code == 0, rebuilt.output
    assert "advocates: generation 1 is live" in rebuilt.output
    assert status.exit_code == 0, status.output
    assert "advocates" in status.output and "trends" in status.output
    assert "FAILING" not in status.output

    app = AdvocacyApplication(env=store_env, assessor=CodedAssessor())
    note_failure(app.db, ["trends"], 3, OSError("disk full"))
    app.close()
    failing = runner.invoke(projections_group, ["status"], env=env)
    assert "trends FAILING since " in failing.output and "(3 attempts): OSError: disk full" in failing.output


def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.mark.postgres
def test_gaps_in_postgresql_notification_ids_are_passed_over(pg_schema, clock):
    papp = AdvocacyApplication(env=postgres_env(pg_schema), assessor=CodedAssessor(), clock=clock)
    try:
        _record_across_a_gap(papp)
    finally:
        papp.close()


def _record_across_a_gap(papp: AdvocacyApplication) -> None:
    # Rolled-back inserts consume sequence values; moving the sequence on leaves the same hole.
    papp.register_customer("c-1", "Sari")
    papp.track_brand("Gojek", own=True)
    table = f'"{papp.recorder.datastore.schema}".{papp.recorder.events_table_name}'
    with papp.db.transaction() as cur:
        cur.raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'notification_id'), 1000)")
    position = papp.record_mention(mention("m1")).position
    assert position > 1000

    catch_up(papp)

    reads = ReadModels(papp)
    reads.wait(position, timeout=1)
    assert reads.customer_score("c-1")["breakdown"]["positive_mentions"]["count"] == 1
    assert {s["lag"] for s in reads.status()} == {0}


def test_batches_grow_while_behind_and_shrink_once_caught_up():
    config = ProjectionsConfig(batch_size=100, catch_up_batch_size=350)
    sizes, size = [], config.batch_size
    for read in (100, 200, 350, 350, 12, 100):
        size = next_batch_size(config, size, read)
        sizes.append(size)
    assert sizes == [200, 350, 350, 350, 100, 200]


def test_a_catch_up_in_growing_batches_builds_the_same_views_as_one_in_small_batches(papp):
    papp.track_brand("Gojek", own=True)
    papp.register_customer("c-1", "Sari", handles=[Handle("ig", "h1")])
    for i in range(60):
        papp.record_mention(NewMention(
            "ig", f"g-{i}", "Gojek", "instagram", text(0.6 if i % 3 else -0.5),
            datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=i), author=Handle("ig", f"h{i % 7}"),
        ))
    small = rebuild(papp, config=ProjectionsConfig(batch_size=7, catch_up_batch_size=7), switch=False)
    growing = rebuild(papp, config=ProjectionsConfig(batch_size=2, catch_up_batch_size=40), switch=False)
    for a, b in zip(small, growing, strict=True):
        assert close_enough(table_rows(papp.db, VIEWS[a.name], a.generation), table_rows(papp.db, VIEWS[b.name], b.generation))


@pytest.mark.postgres
def test_a_rebuild_on_postgresql_vacuums_and_analyzes_the_new_tables(pg_schema, clock):
    papp = AdvocacyApplication(env=postgres_env(pg_schema), assessor=CodedAssessor(), clock=clock)
    try:
        papp.register_customer("c-1", "Sari")
        (built,) = rebuild(papp, "advocates")
        with papp.db.transaction(commit=False) as cur:
            cur.execute(
                "SELECT relname, last_vacuum, last_analyze FROM pg_stat_user_tables WHERE schemaname = ? AND relname LIKE ?",
                (pg_schema, f"{built.names.base('')}%"),
            )
            rows = {r["relname"]: (r["last_vacuum"], r["last_analyze"]) for r in cur.fetchall()}
        assert set(rows) == {built.names.base(t) for t in VIEWS["advocates"].tables}
        assert all(vacuumed and analyzed for vacuumed, analyzed in rows.values())
    finally:
        papp.close()


def test_runner_settings_come_from_the_environment_with_defaults_for_the_rest():
    from projections.config import from_environment

    config = from_environment({"ADVOCACY_PROJECTIONS_CATCH_UP_BATCH_SIZE": "5000", "ADVOCACY_PROJECTIONS_GATHER_SECONDS": "0"})
    assert (config.catch_up_batch_size, config.gather_seconds) == (5000, 0.0)
    assert config.batch_size == ProjectionsConfig().batch_size


@pytest.mark.parametrize(("vacuum_after", "vacuumed"), [(20, True), (10_000, False)])
def test_a_runner_that_caught_up_a_long_way_on_postgresql_vacuums_its_tables(pg_schema, clock, vacuum_after, vacuumed):
    app = AdvocacyApplication(env=postgres_env(pg_schema), assessor=CodedAssessor(), clock=clock)
    try:
        app.register_customer("c-1", "Sari")
        app.record_mentions([mention(f"m{i}") for i in range(30)])
        ensure_positions_table(app.db)
        runner = Runner(app, ["advocates"], ProjectionsConfig(batch_size=10, catch_up_batch_size=10, vacuum_after=vacuum_after))
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        try:
            _until(lambda: "advocates" in live_generations(app.db) and live_generations(app.db)["advocates"].position == app.head())
            scores = live_generations(app.db)["advocates"].names.base("scores")
            with app.db.datastore.get_connection() as conn:
                def last_vacuum():
                    return conn.execute(
                        "SELECT last_vacuum FROM pg_stat_user_tables WHERE schemaname = %s AND relname = %s", (pg_schema, scores)
                    ).fetchone()
                if vacuumed:
                    _until(lambda: (last_vacuum() or {}).get("last_vacuum") is not None)
                else:
                    time.sleep(0.5)
                    assert (last_vacuum() or {}).get("last_vacuum") is None
        finally:
            runner.stop_event.set()
            runner.poke()
            thread.join(10)
    finally:
        app.close()


def test_a_projection_that_keeps_failing_shows_in_status_until_it_recovers(papp, monkeypatch):
    from projections import runner as runner_module

    broken, real_step = threading.Event(), runner_module.step

    def step(*args, **kwargs):  # a fault injected where the runner applies a batch (a full disk, a lost connection)
        if broken.is_set():
            raise RuntimeError("disk full")
        return real_step(*args, **kwargs)

    monkeypatch.setattr(runner_module, "step", step)
    reads, stop = ReadModels(papp), threading.Event()
    runner = Runner(papp, config=ProjectionsConfig(poll_interval=0.05), stop_event=stop)
    broken.set()
    thread = threading.Thread(target=runner.run)
    thread.start()
    try:
        papp.register_customer("c-1", "Sari")
        deadline = time.monotonic() + 20
        while not all(s["failing"] and s["failing"]["attempts"] >= 2 for s in reads.status()):
            assert time.monotonic() < deadline, reads.status()
            time.sleep(0.05)
        failing = {s["name"]: s["failing"] for s in reads.status()}
        assert failing["advocates"]["error"] == "RuntimeError: disk full"
        assert datetime.fromisoformat(failing["advocates"]["since"]) <= datetime.now(UTC)

        broken.clear()
        reads.wait(papp.head(), timeout=10)  # nothing was lost: the batch rolled back and is applied now
        deadline = time.monotonic() + 10
        while any(s["failing"] for s in reads.status()):
            assert time.monotonic() < deadline, reads.status()
            time.sleep(0.05)
        assert reads.customer_score("c-1") is not None
    finally:
        stop.set()
        runner.poke()
        thread.join(10)


def test_a_runner_taking_over_clears_what_a_failing_runner_before_it_recorded(papp):
    ReadModels(papp)  # the failures table
    note_failure(papp.db, ["advocates", "trends"], 9, OSError("disk full"))  # and then that runner was stopped
    reads, stop = ReadModels(papp), threading.Event()
    runner = Runner(papp, config=ProjectionsConfig(poll_interval=0.05), stop_event=stop)
    thread = threading.Thread(target=runner.run)
    thread.start()
    try:
        position = papp.register_customer("c-1", "Sari").position
        reads.wait(position, timeout=10)
        assert all(s["failing"] is None for s in reads.status())
    finally:
        stop.set()
        runner.poke()
        thread.join(10)
