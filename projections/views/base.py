"""What every view shares: a batch to apply, and the mention buffer that makes catch-up fast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from typing import Any, ClassVar

from advocacy.domain import ids
from advocacy.domain.brand import Brand
from advocacy.domain.customer import Customer
from advocacy.domain.mention import Mention
from advocacy.storage.sql import Cursor
from projections.config import ScoringConfig
from projections.scoring import NEGATIVE, POSITIVE
from projections.store import Names, select_in

__all__ = [
    "NEGATIVE", "POSITIVE", "Batch", "View", "brand_flags", "day_of", "epoch", "handle_owners", "label", "owned_by",
    "track_brand",
]


@dataclass
class Batch:
    """Events to apply to one generation of one view, inside the runner's transaction."""

    cur: Cursor
    names: Names
    config: ScoringConfig
    events: list[tuple[int, Any]]
    earlier: dict[tuple[Any, int], Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    shared: dict[Any, Any] = field(default_factory=dict)
    """Values every view of one step computes alike: per event (`mention_facts`, by log position) and per
    run of mentions (`handle_owners`)."""

    def before(self, event: Any) -> Any:
        """The event's aggregate as it was just before `event` (read by the runner before the transaction)."""
        return self.earlier[(event.originator_id, event.originator_version)]

    def mention(self, mention_id: Any) -> Any:
        """The mention an outreach names, as stored in the log (None if there is none)."""
        return self.earlier.get((mention_id, None))

    def eras(self) -> str:
        """The eras of every per-mention row this batch can see (`eras`), up to its last event."""
        return eras(self.events[-1][0] if self.events else 0)


def mention_facts(batch: Batch, position: int, e: Any) -> tuple[str, str | None, str | None, float]:
    """A recorded mention's id, customer id and handle id as text and its time in epoch seconds, computed
    once per step for every view it is applied to (converting a UUID to text is half a microsecond)."""
    facts = batch.shared.get(position)
    if facts is None:
        facts = batch.shared[position] = (
            str(e.originator_id),
            str(e.customer_id) if e.customer_id is not None else None,
            str(e.handle_id) if e.handle_id is not None else None,
            epoch(e.occurred_at),
        )
    return facts


def handle_owners(batch: Batch, handles_table: str, run_start: int, handles: set[str]) -> dict[str, str | None]:
    """The customer each of `handles` is linked to when the run of mentions starting at log position
    `run_start` is applied (None: not linked), looked up once per step for every view that asks.

    Every view's `handles` table holds the latest link of each handle in the log before the position it
    has applied, so views applying the same run find the same owners in their own tables.
    """
    owners = batch.shared.setdefault(("owners", run_start), {})
    missing = [h for h in handles if h not in owners]
    if missing:
        rows = select_in(batch.cur, f"SELECT handle_id, customer_id FROM {handles_table} WHERE handle_id IN ({{in}})", missing)
        owners.update(dict.fromkeys(missing))
        owners.update((r["handle_id"], r["customer_id"]) for r in rows)
    return owners


CORRECTIONS = (Mention.SentimentOverridden, Mention.SpamVerdictOverridden)
"""Events whose handlers may need the mention as it was before them (`Batch.before`)."""
BEFORE = (*CORRECTIONS, Mention.Answered)
"""Events whose mention is read before them: corrections, and answers (to find the mention's row by author)."""


def earlier_states(app: Any, events: list[tuple[int, Any]]) -> dict[tuple[Any, int], Any]:
    """The aggregate before each correction in `events`, read from the event store.

    Read before the runner opens its write transaction: opening another connection inside it can
    deadlock SQLite's connection pool (readers wait while a writer waits for the runner's writer).
    """
    from eventsourcing.application import AggregateNotFoundError

    earlier: dict[tuple[Any, int | None], Any] = {
        (e.originator_id, e.originator_version): app.repository.get(e.originator_id, version=e.originator_version - 1)
        for _, e in events
        if type(e) in BEFORE
    }
    for _, e in events:
        if type(e) is Customer.OutreachLogged and e.mention_id is not None and (e.mention_id, None) not in earlier:
            try:
                named = app.repository.get(e.mention_id)
            except AggregateNotFoundError:
                named = None
            earlier[(e.mention_id, None)] = named if isinstance(named, Mention) else None
    return earlier


ERA_BITS = 14
"""Per-mention rows belong to the era of their log position: position >> ERA_BITS (16,384 positions)."""

AUTHOR_INDEXES: dict[str, tuple[str, ...]] = {
    "customer_era": ("mentions", f"(position >> {ERA_BITS}), customer_id", "customer_id IS NOT NULL"),
    "handle_era": ("mentions", f"(position >> {ERA_BITS}), handle_id", "customer_id IS NULL"),
    "handle_owner": ("handles", "customer_id"),
}
"""The indexes of a per-mention table keyed by log position: each row sits in exactly one of the two
partial author indexes, and the author never changes. An index on the owner (which a late link
changes) would be a second random insert per mention.

Both lead with the era: authors are random ids, so an index on the author alone took each insert to a
random leaf, and at a million rows a batch of 10,000 mentions dirtied thousands of pages (written to the
WAL, then again at the checkpoint): the largest cost of catch-up at scale. Led by the era, a batch's
inserts land among the few hundred leaves of the latest one or two eras, which stay in SQLite's default
2 MB page cache (with 2**16 positions per era they no longer did, and catch-up fell back by a third). A
lookup by author seeks once per era (`eras`): 62 seeks at a million events, for the rare events and the
reads that look up by author."""
RETIRED_INDEXES = ("customer", "handle")
"""Author indexes of earlier releases, dropped from live generations that still have them."""


def eras(through: int) -> str:
    """SQL list of every era from the first to that of log position `through` (for `IN (...)`)."""
    return ", ".join(str(era) for era in range((max(through, 0) >> ERA_BITS) + 1))


def in_eras(era_list: str, alias: str = "") -> str:
    """SQL: the row's era is one of `era_list` (the leading column of the author indexes)."""
    m = f"{alias}." if alias else ""
    return f"({m}position >> {ERA_BITS}) IN ({era_list})"


def by_handle(era_list: str) -> str:
    """SQL: rows of the eras in `era_list` that a handle wrote without naming a customer (one `?`: the handle)."""
    return f"{in_eras(era_list)} AND handle_id = ? AND customer_id IS NULL"


def stored_eras(cur: Cursor, table: str) -> str:
    """`eras` through the newest row of a per-mention table (for reads outside the runner)."""
    cur.execute(f"SELECT MAX(position) AS p FROM {table}")
    row = cur.fetchone()
    return eras(int(row["p"] or 0) if row else 0)


def owned_by(handles: str, era_list: str, test: str = "= ?", alias: str = "", *, dialect: str) -> str:
    """SQL selecting per-mention rows of the eras in `era_list` whose owner passes `test` (once per
    placeholder set: pass them twice).

    The owner is the customer a mention names, else the customer its handle is linked to now. PostgreSQL
    gets the handles as `= ANY(ARRAY(subquery))`: computed once, they join the era in the index condition,
    where `IN (subquery)` inside the OR left it scanning every handle-authored row of those eras.
    """
    m = f"{alias}." if alias else ""
    linked = f"SELECT handle_id FROM {handles} WHERE customer_id {test}"
    by_handle = f"= ANY(ARRAY({linked}))" if dialect == "postgres" else f"IN ({linked})"
    return (
        f"({in_eras(era_list, alias)} AND ({m}customer_id {test} OR ({m}customer_id IS NULL"
        f" AND {m}handle_id {by_handle})))"
    )


UNMENTIONED = "unmentioned_handles"


def note_unmentioned_handles(batch: Batch, table: str, events: list[Any]) -> None:
    """Before a run of events: which handles it links have no rows in the per-mention `table`, in one query.

    A link of one of those handles has no earlier mentions to move to its customer, so its handler skips the
    lookup (a round trip each: customers registered with their handles before anything was said about them ran
    at 2,400 events/s on PostgreSQL). A handler that writes a mention row during the run calls `mentioned`.
    """
    linked = {str(e.handle_id) for e in events if type(e) is Customer.HandleLinked}
    if not linked:
        batch.cache.pop(UNMENTIONED, None)
        return
    rows = select_in(
        batch.cur,
        f"SELECT DISTINCT handle_id FROM {table} WHERE {in_eras(batch.eras())} AND customer_id IS NULL AND handle_id IN ({{in}})",
        sorted(linked),
    )
    batch.cache[UNMENTIONED] = linked - {r["handle_id"] for r in rows}


def mentioned(batch: Batch, handle: str | None) -> None:
    """A handler wrote a mention row by `handle` during the run: later links of it look it up again."""
    batch.cache.get(UNMENTIONED, set()).discard(handle)


def unmentioned(batch: Batch, handle: str) -> bool:
    """True when `note_unmentioned_handles` found no mention rows written by `handle` before this run."""
    return handle in batch.cache.get(UNMENTIONED, ())


def find_mention(batch: Batch, table: str, mention_id: str, m: Any, columns: str = "*") -> Any:
    """A mention's row in a per-mention table keyed by log position, found through its author.

    Tables keep no index on the random mention id (every insert would touch a random page); the
    author never changes, and one of the partial author indexes narrows the search to its rows.
    """
    if m is not None and m.customer_id is not None:
        where, params = f"{in_eras(batch.eras())} AND customer_id = ? AND mention_id = ?", (str(m.customer_id), mention_id)
    elif m is not None and m.handle_id is not None:
        where, params = f"{by_handle(batch.eras())} AND mention_id = ?", (str(m.handle_id), mention_id)
    else:
        where, params = "mention_id = ?", (mention_id,)
    batch.cur.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)
    return batch.cur.fetchone()


class View:
    """A read model: its tables, and how events change them.

    Subclasses map event classes to handlers. Runs of `Mention.Recorded` are buffered and
    written in bulk by `record_mentions`; every other event first flushes that buffer, so
    handlers always see the rows of earlier events.
    """

    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]
    indexes: ClassVar[dict[str, tuple[str, ...]]] = {}
    """suffix -> (table, columns) or (table, columns, where) for a partial index."""
    retired_indexes: ClassVar[tuple[str, ...]] = ()
    """Suffixes of indexes an earlier release declared: dropped where they still exist."""
    churning_indexes: ClassVar[tuple[str, ...]] = ()
    """Suffixes of indexes whose keys updates change (not HOT): rebuilt after a long catch-up on PostgreSQL."""

    def handlers(self) -> dict[type, Callable[[Batch, int, Any], None]]:
        """Event class -> handler(batch, position, event); events not listed only advance tracking."""
        return {}

    def record_mentions(self, batch: Batch, mentions: list[tuple[int, Any]]) -> None:
        """Apply a run of recorded mentions in bulk."""

    def finish(self, batch: Batch) -> None:
        """Write what was accumulated over the batch (score deltas, trend cells...)."""

    def before_run(self, batch: Batch, events: list[Any]) -> None:
        """Look up at once what the handlers of a run of events (no recorded mentions among them) would each ask."""

    def apply(self, batch: Batch) -> None:
        """Apply the batch's events in log order: runs of recorded mentions in bulk, the events between them
        one by one with their statements pipelined (on PostgreSQL a handler's writes then cost no round trip)."""
        handlers = self.handlers()
        for mentions, run in groupby(batch.events, key=lambda item: type(item[1]) is Mention.Recorded):
            if mentions:
                self.record_mentions(batch, list(run))
                continue
            handled = [(handlers[type(e)], p, e) for p, e in run if type(e) in handlers]
            if handled:  # a run this view ignores opens no pipeline (leaving one costs a round trip)
                self.before_run(batch, [e for _, _, e in handled])
                with batch.cur.pipelined():
                    for handler, position, event in handled:
                        handler(batch, position, event)
        self.finish(batch)


def label(compound: float) -> str:
    """'positive', 'neutral' or 'negative' by VADER's thresholds."""
    if compound >= POSITIVE:
        return "positive"
    if compound <= NEGATIVE:
        return "negative"
    return "neutral"


def epoch(moment: datetime) -> float:
    """Seconds since the epoch."""
    return moment.timestamp()


def day_of(moment: datetime) -> str:
    """The UTC calendar day, ISO text."""
    return moment.astimezone(UTC).date().isoformat()


def brand_flags(batch: Batch, table: str) -> dict[str, bool]:
    """Brand name -> own, loaded once per batch from the view's brands table."""
    flags = batch.cache.get("brands")
    if flags is None:
        batch.cur.execute(f"SELECT name, own FROM {table}")
        flags = {r["name"]: bool(r["own"]) for r in batch.cur.fetchall()}
        batch.cache["brands"] = flags
    return flags


def track_brand(batch: Batch, table: str, event: Any) -> tuple[str, bool | None, bool]:
    """Store a brand's own flag; returns (name, previous flag or None, new flag)."""
    flags = brand_flags(batch, table)
    brand_id = str(event.originator_id)
    if type(event) is Brand.Tracked:
        name = ids.normal_name(event.name)
    else:
        batch.cur.execute(f"SELECT name FROM {table} WHERE brand_id = ?", (brand_id,))
        row = batch.cur.fetchone()
        if row is None:
            return "", None, bool(event.own)
        name = row["name"]
    previous = flags.get(name)
    batch.cur.execute(
        f"INSERT INTO {table} AS x (brand_id, name, own) VALUES (?, ?, ?)"
        " ON CONFLICT (brand_id) DO UPDATE SET own = excluded.own",
        (brand_id, name, 1 if event.own else 0),
    )
    flags[name] = bool(event.own)
    return name, previous, bool(event.own)
