"""Projection catch-up beside the raw decoded read rate of the same store, and the top-50 query, timed in turns
with the same query on a 10,000-event store (the target compares the two).

Ratios are against the raw decoded read: select_notifications and the application mapper's decoding of every
event (the library's). Projections decode with an orjson decoder (advocacy/storage/event_decoder.py) and
open personal data only for customer names; that read alone is printed too, so the views' own share shows.

    python bench/bench_projections.py --store sqlite --events 20000
    python bench/bench_projections.py --store postgres --events 1000000   # by hand: about 20 minutes

PostgreSQL: 127.0.0.1:5432, database `test`, user from ADVOCACY_TEST_PG_USER (default postgres);
the benchmark works in schemas of its own and drops them afterwards.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from advocacy.application import AdvocacyApplication  # noqa: E402
from advocacy.inputs import Handle, NewMention  # noqa: E402
from advocacy.storage.startup import opened  # noqa: E402
from advocacy.sentiment import SentimentScores, SpamVerdict, TextAssessment  # noqa: E402
from projections import ProjectionsConfig, ReadModels  # noqa: E402
from projections.decoding import read_events  # noqa: E402
from projections.rebuild import rebuild  # noqa: E402
from projections.config import next_batch_size  # noqa: E402
from projections.runner import catch_up, ensure_live, step  # noqa: E402
from projections.store import add_generation, drop_tables, generations  # noqa: E402
from projections.views import VIEWS, views_named  # noqa: E402
from projections.scoring import mention_points  # noqa: E402

PG = {"host": "127.0.0.1", "port": "5432", "dbname": "test", "user": os.environ.get("ADVOCACY_TEST_PG_USER", "postgres")}
START = datetime(2026, 1, 1, tzinfo=UTC)
SPACING = timedelta(seconds=20)
"""Between seeded mentions: a million span 231 days, all before the day this was written (no event may be dated
more than a day after the clock)."""
VERDICTS = [(0.6, False), (-0.4, False), (0.0, False), (0.8, True), (0.3, False)]


class FixedAssessor:
    """Fixed verdicts chosen by text length: sentiment is not what this benchmark measures."""

    name = "fixed"
    version = "1"

    def assess(self, text: str, **_: Any) -> TextAssessment:
        """One of five fixed verdicts."""
        compound, spam = VERDICTS[len(text) % len(VERDICTS)]
        return TextAssessment(
            "en", SentimentScores(compound, max(compound, 0), 1 - abs(compound), max(-compound, 0)),
            SpamVerdict(spam), self.name, self.version,
        )


@contextmanager
def store(kind: str):
    """Environment for a fresh store of `kind`, removed afterwards."""
    if kind == "sqlite":
        directory = tempfile.mkdtemp(prefix="bench-projections-")
        try:
            yield {"ADVOCACY_DATA_DIR": directory}
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**PG, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield {
            "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": PG["dbname"],
            "POSTGRES_HOST": PG["host"], "POSTGRES_PORT": PG["port"], "POSTGRES_USER": PG["user"],
            "POSTGRES_PASSWORD": "", "POSTGRES_SCHEMA": schema,
        }
    finally:
        with psycopg.connect(**PG, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def seed(app: AdvocacyApplication, events: int) -> None:
    """Brands, customers with handles, and `events` mentions by those handles, in batches of 1,000."""
    app.track_brand("Gojek", own=True)
    app.track_brand("Grab", own=False)
    customers = max(10, events // 100)
    for c in range(customers):
        app.register_customer(f"c-{c}", f"Customer {c}", handles=[Handle("ig", f"h{c}")])
    made = 0
    while made < events:
        size = min(1000, events - made)
        batch = app.record_mentions([
            NewMention(
                "ig", f"m-{made + i}", "Gojek" if (made + i) % 4 else "Grab", "instagram",
                "x" * (1 + (made + i) % 7), START + SPACING * (made + i),
                author=Handle("ig", f"h{(made + i) * 7919 % (customers + customers // 10)}"), reach=(made + i) % 3000,
            )
            for i in range(size)
        ])
        if batch.rejected:  # a benchmark must not time fewer events than it says
            raise SystemExit(f"seeding refused mention {made + batch.rejected[0]['index']}: {batch.rejected[0]['error']}")
        made += size


def settle(app: AdvocacyApplication) -> None:
    """Let the seeded store come to rest before anything is timed: PostgreSQL checkpoints and vacuums the events
    table (else its checkpointer and autovacuum write out the seeding during whichever phase comes first),
    SQLite folds its write-ahead log into the database file."""
    if app.db.dialect == "postgres":
        from eventsourcing.persistence import InternalError

        for attempt in range(3):  # an autovacuum analysing the same table at once: "tuple concurrently updated"
            try:
                with app.db.datastore.get_connection() as connection:  # autocommit: VACUUM cannot run in a transaction
                    connection.execute("CHECKPOINT")
                    connection.execute(app.db.sql(f"VACUUM (ANALYZE) {{t}}{app.recorder.events_table_name}"))
                return
            except InternalError:
                if attempt == 2:
                    raise
                time.sleep(1)
        return
    with app.db.datastore.get_connection(commit=True) as connection:  # the writer's turn: nothing else writes
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")


def raw_read_rate(app: AdvocacyApplication, batch: int) -> tuple[int, float]:
    """select_notifications + the application's own decoding of every event, nothing else."""
    started, after, count = time.perf_counter(), 0, 0
    while notifications := app.recorder.select_notifications(after, batch, inclusive_of_start=False):
        for n in notifications:
            app.mapper.to_domain_event(n)
        count += len(notifications)
        after = notifications[-1].id
    return count, time.perf_counter() - started


def projection_read_rate(app: AdvocacyApplication, batch: int) -> tuple[int, float]:
    """select_notifications + the projections' own decoding (projections.decoding.read_events), nothing else."""
    started, after, count = time.perf_counter(), 0, 0
    while events := read_events(app, after, batch):
        count += len(events)
        after = events[-1][0]
    return count, time.perf_counter() - started


def catch_up_rate(app: AdvocacyApplication, names: list[str], config: ProjectionsConfig) -> tuple[int, float]:
    """Fresh generations of the named views, caught up from the first event as a runner does."""
    ensure_live(app.db, names, config)
    started = time.perf_counter()
    count = catch_up(app, names, config)
    return count, time.perf_counter() - started


def follow_in_process(env: dict[str, str], wanted: tuple[str, int], config: ProjectionsConfig, barrier: Any, times: Any) -> None:
    """In a process of its own, once every process is ready: bring one view's generation `wanted` from the first
    event to the head, as a runner of that projection alone does; put (start, end) on `times`."""
    app = opened(lambda: AdvocacyApplication(env=env, assessor=FixedAssessor()))
    try:
        def targets(cur: Any) -> list[Any]:
            return [g for g in generations(cur) if (g.name, g.generation) == wanted]

        barrier.wait()
        started, size = time.time(), config.batch_size
        while read := step(app, app.db, targets, size):
            size = next_batch_size(config, size, read)
        times.put((started, time.time()))
    finally:
        app.close()


def process_per_view_rate(app: AdvocacyApplication, env: dict[str, str], config: ProjectionsConfig) -> float:
    """Every view brought up to the head at once, each in a process of its own (the scale-out layout of one
    runner per projection): events/s from the first start to the last end, process start-up excluded."""
    built = add_generation(app.db, views_named(None), config.scoring.to_json(), live=False)
    context = multiprocessing.get_context("spawn")
    barrier, times = context.Barrier(len(built)), context.Queue()
    processes = [
        context.Process(target=follow_in_process, args=(env, (g.name, g.generation), config, barrier, times))
        for g in built
    ]
    for process in processes:
        process.start()
    spans = [times.get(timeout=3600) for _ in processes]
    for process in processes:
        process.join()
    with app.db.transaction() as cur:  # gone before the queries are timed (PostgreSQL would vacuum them meanwhile)
        for g in built:
            drop_tables(cur, VIEWS[g.name], g.names)
            cur.execute("DELETE FROM {t}projection_positions WHERE name = ? AND generation = ?", (g.name, g.generation))
    return app.head() / (max(end for _, end in spans) - min(start for start, _ in spans))


def naive_top(app: AdvocacyApplication, limit: int = 50) -> float:
    """Top advocates by replaying and scoring the whole log per request (what the views avoid)."""
    started = time.perf_counter()
    config = ProjectionsConfig().scoring
    handles, own, scores = {}, {}, defaultdict(float)
    now = time.time()
    after = 0
    while notifications := app.recorder.select_notifications(after, 1000, inclusive_of_start=False):
        for n in notifications:
            e = app.mapper.to_domain_event(n)
            kind = type(e).__qualname__
            if kind == "Customer.HandleLinked":
                handles[e.handle_id] = e.originator_id
            elif kind == "Brand.Tracked":
                own[e.name.casefold()] = e.own
            elif kind == "Mention.Recorded":
                owner = e.customer_id or handles.get(e.handle_id)
                if owner and own.get(e.brand) and not e.spam["is_spam"]:
                    _, points = mention_points(config, e.sentiment["compound"], e.reach)
                    scores[owner] += points * 2 ** (-(now - e.occurred_at.timestamp()) / config.half_life_seconds)
        after = notifications[-1].id
    sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    return time.perf_counter() - started


def top50_timings(apps: list[AdvocacyApplication], queries: int) -> list[list[float]]:
    """Seconds per top-50 query on each store, `queries` each, the stores taking turns query by query (this
    machine's speed drifts by up to 1.7x within minutes, so timing one store after the other compared moments
    rather than stores), after as many untimed queries: a serving process's state, in which every pooled
    connection has prepared the statement."""
    reads = [ReadModels(app) for app in apps]
    for _ in range(queries):
        for r in reads:
            r.top_advocates(limit=50)
    timings: list[list[float]] = [[] for _ in apps]
    for _ in range(queries):
        for r, samples in zip(reads, timings, strict=True):
            t = time.perf_counter()
            top = r.top_advocates(limit=50)
            samples.append(time.perf_counter() - t)
            assert top["items"], "the benchmark's stores have advocates"
    return timings


def caught_up_store(env: dict[str, str], events: int) -> AdvocacyApplication:
    """The application on a store seeded with `events` and its views caught up: the target's 10,000-event
    baseline for the top-50 query, timed beside the large store."""
    app = AdvocacyApplication(env=env, assessor=FixedAssessor())
    seed(app, events)
    catch_up(app, None, ProjectionsConfig())
    settle(app)
    return app


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=ProjectionsConfig.batch_size, help="first batch size")
    parser.add_argument(
        "--catch-up-batch", type=int, default=ProjectionsConfig.catch_up_batch_size, help="largest batch while behind"
    )
    parser.add_argument("--queries", type=int, default=1000, help="timed top-50 queries, after as many untimed")
    args = parser.parse_args()

    with store(args.store) as env, store(args.store) as small_env:
        app = AdvocacyApplication(env=env, assessor=FixedAssessor())
        small = None
        try:
            t = time.perf_counter()
            seed(app, args.events)
            seeded = time.perf_counter() - t
            settle(app)
            head = app.head()
            read_n, read_s = raw_read_rate(app, args.batch)
            lean_n, lean_s = projection_read_rate(app, args.batch)
            config = ProjectionsConfig(batch_size=args.batch, catch_up_batch_size=args.catch_up_batch)
            all_n, all_s = catch_up_rate(app, list(VIEWS), config)
            alone = {}
            for name in VIEWS:
                t = time.perf_counter()
                rebuild(app, name, config=config)
                alone[name] = head / (time.perf_counter() - t)
            per_view = process_per_view_rate(app, env, config)
            settle(app)
            small = caught_up_store(small_env, 10_000)
            timings, small_timings = top50_timings([app, small], args.queries)
            naive = naive_top(app)
            raw = read_n / read_s
            lean = lean_n / lean_s
            caught = all_n / all_s
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"store={args.store} events={head} (seeded in {seeded:.1f} s)"
                f" batch={args.batch}, growing to {args.catch_up_batch} while behind"
            )
            print(f"  raw decoded read (select_notifications + mapper): {raw:>10,.0f} events/s")
            print(f"  the same read, decoded as the projections decode: {lean:>10,.0f} events/s  ratio {lean / raw:.2f}")
            print(
                f"  catch-up, all four views in one runner:          {caught:>10,.0f} events/s  ratio {caught / raw:.2f}"
                f" ({caught / lean:.2f} of the projections' own read)"
            )
            for name, rate in alone.items():
                print(f"  catch-up, {name + ' alone:':<38} {rate:>10,.0f} events/s  ratio {rate / raw:.2f}")
            print(f"  catch-up, all four at once, a process per view: {per_view:>10,.0f} events/s  ratio {per_view / raw:.2f}")
            print(f"  top-50 advocates p50 / p99:                      {percentile(timings, 50) * 1000:>7.2f} / {percentile(timings, 99) * 1000:.2f} ms")
            print(
                f"  the same at 10,000 events, taking turns with it: {percentile(small_timings, 50) * 1000:>7.2f} / {percentile(small_timings, 99) * 1000:.2f} ms"
                f" (p99 ratio {percentile(timings, 99) / percentile(small_timings, 99):.2f}; target <= 1.5, and < 5 ms)"
            )
            print(f"  naive full replay for the same top-50:           {naive * 1000:>10,.0f} ms")
            print(f"  peak RSS of this process:                        {rss:>10,.0f} MB")
        finally:
            app.close()
            if small is not None:
                small.close()


if __name__ == "__main__":
    main()
