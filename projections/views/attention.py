"""The attention queue: negative mentions of our brands that no outreach has answered yet.

Only non-spam, non-neutral mentions get a row (the others can neither wait in the queue nor mark
a turn); an override that makes a mention count reads it back from the event store and adds it.

A mention is answered when an officer marked it answered (Mention.Answered), when an outreach
names it, or when an outreach to its owner was logged at or after the time it was posted. A customer has "turned negative" when, among their
non-spam, non-neutral mentions of our brands, the latest is negative and the one before it
positive; that latest mention is flagged `turned_negative` in the queue. The `recent` table
keeps each customer's latest two such mentions: new mentions are merged in from the batch;
overrides, links and brand changes recompute the customers they touch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advocacy.domain.brand import Brand
from advocacy.domain.customer import Customer
from advocacy.domain.mention import Mention
from projections.store import LOG_POSITION_KEY, insert_rows, put_rows, select_in
from projections.views.base import (
    AUTHOR_INDEXES, NEGATIVE, POSITIVE, RETIRED_INDEXES, Batch, View, brand_flags, by_handle, epoch,
    find_mention, handle_owners, mention_facts, mentioned, note_unmentioned_handles, owned_by, track_brand,
    unmentioned,
)

REAL = "DOUBLE PRECISION"
MENTION_COLUMNS = (
    "mention_id", "position", "customer_id", "handle_id", "owner", "brand", "channel",
    "occurred_at", "compound", "negative", "is_spam", "answered",
)


class AttentionView(View):
    """Negative mentions with their answered state, outreach, handles and turns."""

    name = "attention"
    tables = {
        "brands": "brand_id TEXT PRIMARY KEY, name TEXT NOT NULL, own INTEGER NOT NULL",
        "handles": "handle_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL",
        "outreach": f"outreach_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, mention_id TEXT, occurred_at {REAL} NOT NULL",
        # Keyed by log position (appended in order), no index on the random mention id (see find_mention).
        "mentions": f"mention_id TEXT NOT NULL, position {LOG_POSITION_KEY}, customer_id TEXT, handle_id TEXT,"
        f" owner TEXT, brand TEXT NOT NULL, channel TEXT NOT NULL, occurred_at {REAL} NOT NULL,"
        f" compound {REAL} NOT NULL, negative INTEGER NOT NULL, is_spam INTEGER NOT NULL, answered INTEGER NOT NULL",
        "recent": "customer_id TEXT PRIMARY KEY,"
        f" last_id TEXT NOT NULL, last_at {REAL} NOT NULL, last_position BIGINT NOT NULL, last_compound {REAL} NOT NULL,"
        f" before_id TEXT, before_at {REAL}, before_position BIGINT, before_compound {REAL}",
    }
    indexes = {
        "queue": ("mentions", "negative, answered, occurred_at"),
        **AUTHOR_INDEXES,
        "outreach_customer": ("outreach", "customer_id, occurred_at"),
        "recent_last": ("recent", "last_id"),
    }
    retired_indexes = RETIRED_INDEXES

    def handlers(self) -> dict[type, Callable[[Batch, int, Any], None]]:
        """Event class -> handler."""
        return {
            Customer.HandleLinked: self._handle_linked,
            Customer.OutreachLogged: self._outreach_logged,
            Mention.SentimentOverridden: self._changed,
            Mention.SpamVerdictOverridden: self._changed,
            Mention.Answered: self._answered,
            Brand.Tracked: self._brand,
            Brand.Reclassified: self._brand,
        }

    def before_run(self, batch: Batch, events: list[Any]) -> None:
        """Which handles linked in the run have written nothing yet (their links change no rows)."""
        note_unmentioned_handles(batch, batch.names.mentions, events)

    def record_mentions(self, batch: Batch, mentions: list[tuple[int, Any]]) -> None:
        """Insert the mentions that can wait in the queue or mark a turn, with their owner and answered state."""
        cur, names = batch.cur, batch.names
        kept = []
        for position, e in mentions:
            compound = float(e.sentiment["compound"])
            if e.spam["is_spam"] or NEGATIVE < compound < POSITIVE:
                continue  # neither in the queue nor a turn; an override may bring it in later
            kept.append((position, e, compound, mention_facts(batch, position, e)))
        wanted = {handle for *_, (_, customer, handle, _) in kept if customer is None and handle is not None}
        owners = handle_owners(batch, names.handles, mentions[0][0], wanted) if wanted else {}
        authors = {customer if customer is not None else owners.get(handle) for *_, (_, customer, handle, _) in kept}
        authors.discard(None)
        last_contact: dict[str, float] = {}
        if authors:
            rows = select_in(
                cur,
                f"SELECT customer_id, MAX(occurred_at) AS t FROM {names.outreach} WHERE customer_id IN ({{in}}) GROUP BY customer_id",
                authors,
            )
            last_contact = {r["customer_id"]: float(r["t"]) for r in rows}
        own = brand_flags(batch, names.brands)
        fresh: dict[str, list[tuple[float, int, str, float]]] = {}
        rows = []
        for position, e, compound, (mention_id, customer, handle, at) in kept:
            owner = customer if customer is not None else owners.get(handle)
            answered = owner is not None and last_contact.get(owner, float("-inf")) >= at
            rows.append((
                mention_id, position, customer, handle, owner, e.brand, e.channel, at, compound,
                int(compound <= NEGATIVE), 0, int(answered),
            ))
            if owner and own.get(e.brand):
                fresh.setdefault(owner, []).append((at, position, mention_id, compound))
        insert_rows(cur, names.mentions, MENTION_COLUMNS, rows)
        if fresh:
            _merge_recent(batch, fresh)

    def _changed(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        mention_id = str(e.originator_id)
        row = find_mention(batch, names.mentions, mention_id, batch.before(e), "owner, position")
        if row is None:
            self._bring_in(batch, position, e)
            return
        if type(e) is Mention.SentimentOverridden:
            compound = float(e.compound)
            cur.execute(
                f"UPDATE {names.mentions} SET compound = ?, negative = ? WHERE position = ? AND mention_id = ?",
                (compound, int(compound <= NEGATIVE), row["position"], mention_id),
            )
        else:
            cur.execute(
                f"UPDATE {names.mentions} SET is_spam = ? WHERE position = ? AND mention_id = ?",
                (int(bool(e.is_spam)), row["position"], mention_id),
            )
        if row["owner"]:
            _dirty(batch).add(row["owner"])

    def _answered(self, batch: Batch, position: int, e: Any) -> None:
        """An officer answered the mention on its channel: it leaves the queue (answered = 2, kept on relinks)."""
        mention_id = str(e.originator_id)
        row = find_mention(batch, batch.names.mentions, mention_id, batch.before(e), "position")
        if row is not None:
            batch.cur.execute(
                f"UPDATE {batch.names.mentions} SET answered = 2 WHERE position = ? AND mention_id = ?",
                (row["position"], mention_id),
            )

    def _bring_in(self, batch: Batch, position: int, e: Any) -> None:
        """Store a mention left out as spam or neutral once an override makes it count (at the override's position)."""
        cur, names = batch.cur, batch.names
        m = batch.before(e)
        compound, is_spam = float(m.sentiment["compound"]), bool(m.spam["is_spam"])
        if type(e) is Mention.SentimentOverridden:
            compound = float(e.compound)
        else:
            is_spam = bool(e.is_spam)
        if is_spam or NEGATIVE < compound < POSITIVE:
            return
        handle = str(m.handle_id) if m.handle_id is not None else None
        owner = str(m.customer_id) if m.customer_id is not None else None
        if owner is None and handle is not None:
            cur.execute(f"SELECT customer_id FROM {names.handles} WHERE handle_id = ?", (handle,))
            linked = cur.fetchone()
            owner = linked["customer_id"] if linked else None
        at = epoch(m.occurred_at)
        cur.execute(
            f"SELECT COUNT(*) AS n FROM {names.outreach} WHERE mention_id = ? OR (customer_id = ? AND occurred_at >= ?)",
            (str(m.id), owner or "", at),
        )
        answered = 2 if getattr(m, "answered_at", None) is not None else int(cur.fetchone()["n"] > 0)
        insert_rows(cur, names.mentions, MENTION_COLUMNS, [(
            str(m.id), position, owner if m.customer_id is not None else None, handle, owner, m.brand, m.channel,
            at, compound, int(compound <= NEGATIVE), 0, answered,
        )])
        mentioned(batch, handle)
        if owner:
            _dirty(batch).add(owner)

    def _brand(self, batch: Batch, position: int, e: Any) -> None:
        name, previous, own = track_brand(batch, batch.names.brands, e)
        if name and bool(previous) != own:
            batch.cur.execute(
                f"SELECT DISTINCT owner FROM {batch.names.mentions} WHERE brand = ? AND owner IS NOT NULL", (name,)
            )
            _dirty(batch).update(r["owner"] for r in batch.cur.fetchall())

    def _handle_linked(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        customer, handle = str(e.originator_id), str(e.handle_id)
        cur.execute(
            f"INSERT INTO {names.handles} AS x (handle_id, customer_id) VALUES (?, ?)"
            " ON CONFLICT (handle_id) DO UPDATE SET customer_id = excluded.customer_id",
            (handle, customer),
        )
        dirty = _dirty(batch)
        dirty.add(customer)
        if unmentioned(batch, handle):
            return
        written = by_handle(batch.eras())
        cur.execute(f"SELECT DISTINCT owner FROM {names.mentions} WHERE {written} AND owner IS NOT NULL", (handle,))
        dirty.update(r["owner"] for r in cur.fetchall())
        m, o = names.mentions, names.outreach
        cur.execute(
            f"UPDATE {m} SET owner = ?, answered = CASE WHEN answered = 2 THEN 2"
            f" WHEN EXISTS (SELECT 1 FROM {o} o WHERE o.mention_id = {m}.mention_id)"
            f" OR EXISTS (SELECT 1 FROM {o} o WHERE o.customer_id = ? AND o.occurred_at >= {m}.occurred_at)"
            f" THEN 1 ELSE 0 END WHERE {written}",
            (customer, customer, handle),
        )

    def _outreach_logged(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        customer, at = str(e.originator_id), epoch(e.occurred_at)
        mention = str(e.mention_id) if e.mention_id else None
        cur.execute(
            f"INSERT INTO {names.outreach} (outreach_id, customer_id, mention_id, occurred_at) VALUES (?, ?, ?, ?)",
            (str(e.outreach_id), customer, mention, at),
        )
        cur.execute(
            f"UPDATE {names.mentions} SET answered = 1 WHERE {owned_by(names.handles, batch.eras(), dialect=cur.db.dialect)}"
            " AND occurred_at <= ? AND answered = 0",
            (customer, customer, at),
        )
        named = batch.mention(e.mention_id) if mention else None
        if named is not None:
            row = find_mention(batch, names.mentions, mention, named, "position")
            if row is not None:
                cur.execute(
                    f"UPDATE {names.mentions} SET answered = 1 WHERE position = ? AND mention_id = ? AND answered = 0",
                    (row["position"], mention),
                )

    def finish(self, batch: Batch) -> None:
        """Recompute the latest two mentions of every customer an override, link or brand change touched."""
        dirty = batch.cache.pop("dirty", None)
        if not dirty:
            return
        cur, names = batch.cur, batch.names
        rows = []
        for owner in sorted(dirty):
            cur.execute(
                "SELECT m.mention_id, m.occurred_at, m.position, m.compound"
                f" FROM {names.mentions} m JOIN {names.brands} b ON b.name = m.brand AND b.own = 1"
                f" WHERE {owned_by(names.handles, batch.eras(), alias='m', dialect=cur.db.dialect)} AND m.is_spam = 0"
                f" AND (m.compound >= {POSITIVE} OR m.compound <= {NEGATIVE})"
                " ORDER BY m.occurred_at DESC, m.position DESC LIMIT 2",
                (owner, owner),
            )
            latest = [(float(r["occurred_at"]), int(r["position"]), r["mention_id"], float(r["compound"])) for r in cur.fetchall()]
            if latest:
                rows.append(_recent_row(owner, latest))
        _delete_in(cur, names.recent, sorted(dirty - {r[0] for r in rows}))
        put_rows(cur, names.recent, RECENT_COLUMNS[:1], RECENT_COLUMNS[1:], rows)


RECENT_COLUMNS = (
    "customer_id", "last_id", "last_at", "last_position", "last_compound",
    "before_id", "before_at", "before_position", "before_compound",
)


def _recent_row(owner: str, latest: list[tuple[float, int, str, float]]) -> tuple[Any, ...]:
    last = latest[0]
    before = latest[1] if len(latest) > 1 else (None, None, None, None)
    return (owner, last[2], last[0], last[1], last[3], before[2], before[0], before[1], before[3])


def _merge_recent(batch: Batch, fresh: dict[str, list[tuple[float, int, str, float]]]) -> None:
    """Merge new qualifying mentions into each customer's latest two."""
    cur, names = batch.cur, batch.names
    stored = select_in(cur, f"SELECT * FROM {names.recent} WHERE customer_id IN ({{in}})", sorted(fresh))
    for r in stored:
        fresh[r["customer_id"]].append((float(r["last_at"]), int(r["last_position"]), r["last_id"], float(r["last_compound"])))
        if r["before_id"] is not None:
            fresh[r["customer_id"]].append(
                (float(r["before_at"]), int(r["before_position"]), r["before_id"], float(r["before_compound"]))
            )
    rows = [_recent_row(owner, sorted(items, reverse=True)[:2]) for owner, items in fresh.items()]
    put_rows(cur, names.recent, RECENT_COLUMNS[:1], RECENT_COLUMNS[1:], rows)


def _delete_in(cur: Any, table: str, customers: list[str]) -> None:
    for start in range(0, len(customers), 500):
        chunk = customers[start : start + 500]
        cur.execute(f"DELETE FROM {table} WHERE customer_id IN ({', '.join('?' * len(chunk))})", chunk)


def _dirty(batch: Batch) -> set[str]:
    return batch.cache.setdefault("dirty", set())
