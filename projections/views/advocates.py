"""Advocate scores with forward decay and a breakdown; customers, handles and outreach state beside them.

Decisions (see docs/projections.md):
- A mention counts for its owner: the customer it names, else the customer its handle is linked to
  (the latest link wins); linking a handle later moves its earlier mentions' points to the customer.
- A mention counts only when its brand is tracked as ours, it is not spam and not neutral. A brand's
  classification applies to all its mentions, earlier ones included: tracking a brand as ours
  later adds the points of its earlier mentions; reclassifying it as a competitor removes them.
- Overrides of sentiment or spam replace the mention's contribution.
- Score rows per (customer, brand): brand '' is the total (mentions, referrals, outreach answered);
  a named brand's row holds only that brand's mentions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from advocacy.domain import ids
from advocacy.domain.brand import Brand
from advocacy.domain.customer import Customer
from advocacy.domain.mention import Mention
from advocacy.domain.personal import read
from advocacy.domain.referral import Referral
from projections.scoring import KINDS, grow, mention_points
from projections.store import LOG_POSITION_KEY, add_rows, insert_rows
from projections.views.base import (
    AUTHOR_INDEXES, RETIRED_INDEXES, Batch, View, brand_flags, by_handle, epoch, find_mention, handle_owners,
    mention_facts, note_unmentioned_handles, owned_by, track_brand, unmentioned,
)

REAL = "DOUBLE PRECISION"
SCORE_COLUMNS = ["value", *(f"{p}_{k}" for k in KINDS for p in ("n", "v"))]
MENTION_COLUMNS = (
    "mention_id", "position", "customer_id", "handle_id", "owner", "brand",
    "occurred_at", "reach", "compound", "is_spam", "kind", "value",
)


class Deltas:
    """Score changes accumulated over a batch, written once at its end.

    Additions raise `last_activity` to the latest time added; a removal marks the row stale, and
    `finish` recomputes the last activity of stale rows from the stored contributions.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0.0] * len(SCORE_COLUMNS) + [None])
        self.stale: set[tuple[str, str]] = set()

    def add(self, customer: str, brand: str, kind: str, count: int, value: float, at: float | None = None) -> None:
        """Add `count` activities worth `value` (stored, landmark-scaled) to the total and the brand row."""
        slot = 1 + 2 * KINDS.index(kind)
        for key in ((customer, ""), (customer, brand)) if brand else ((customer, ""),):
            row = self.rows[key]
            row[0] += value
            row[slot] += count
            row[slot + 1] += value
            if count < 0:
                self.stale.add(key)
            elif at is not None and (row[-1] is None or at > row[-1]):
                row[-1] = at

    def flush(self, batch: Batch) -> None:
        """Upsert every changed score row, adding the deltas, then recompute stale last activities."""
        rows = [(c, b, *values) for (c, b), values in self.rows.items()]
        add_rows(
            batch.cur, batch.names.scores, ["customer_id", "brand"], SCORE_COLUMNS, rows, latest=["last_activity"]
        )
        for customer, brand in sorted(self.stale):
            batch.cur.execute(
                f"UPDATE {batch.names.scores} SET last_activity = ? WHERE customer_id = ? AND brand = ?",
                (_last_activity(batch, customer, brand), customer, brand),
            )
        self.rows.clear()
        self.stale.clear()


def _last_activity(batch: Batch, customer: str, brand: str) -> float | None:
    """The latest time of anything that counts in a score row, from the stored contributions."""
    cur, names = batch.cur, batch.names
    brand_filter = " AND m.brand = ?" if brand else ""
    cur.execute(
        f"SELECT MAX(m.occurred_at) AS t FROM {names.mentions} m JOIN {names.brands} b ON b.name = m.brand AND b.own = 1"
        f" WHERE {owned_by(names.handles, batch.eras(), alias='m', dialect=cur.db.dialect)} AND m.is_spam = 0 AND m.kind IS NOT NULL{brand_filter}",
        (customer, customer, brand) if brand else (customer, customer),
    )
    times = [cur.fetchone()["t"]]
    if not brand:
        cur.execute(
            "SELECT MAX(CASE WHEN converted_at > made_at THEN converted_at ELSE made_at END) AS t"
            f" FROM {names.referrals} WHERE referrer_id = ? AND status <> 'rejected'",
            (customer,),
        )
        times.append(cur.fetchone()["t"])
        cur.execute(f"SELECT MAX(answered_at) AS t FROM {names.outreach} WHERE customer_id = ? AND value <> 0", (customer,))
        times.append(cur.fetchone()["t"])
    known = [float(t) for t in times if t is not None]
    return max(known) if known else None


class AdvocatesView(View):
    """Scores, breakdowns, customers (names, consent, outreach state) and timeline positions."""

    name = "advocates"
    tables = {
        "customers": "customer_id TEXT PRIMARY KEY, crm_id TEXT NOT NULL, name TEXT,"
        " forgotten INTEGER NOT NULL DEFAULT 0, opted_out INTEGER NOT NULL DEFAULT 0,"
        f" last_contact_at {REAL}, last_action TEXT, last_outcome TEXT, last_outreach_id TEXT",
        "handles": "handle_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL",
        "brands": "brand_id TEXT PRIMARY KEY, name TEXT NOT NULL, own INTEGER NOT NULL",
        # Keyed by log position (appended in order); no index on the random mention id: an override finds
        # its row through the author (AUTHOR_INDEXES), read from the event store by the runner.
        "mentions": f"mention_id TEXT NOT NULL, position {LOG_POSITION_KEY}, customer_id TEXT, handle_id TEXT,"
        f" owner TEXT, brand TEXT NOT NULL, occurred_at {REAL} NOT NULL, reach BIGINT NOT NULL,"
        f" compound {REAL} NOT NULL, is_spam INTEGER NOT NULL, kind TEXT, value {REAL} NOT NULL",
        "changes": "mention_id TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (mention_id, position)",
        "referrals": "referral_id TEXT PRIMARY KEY, referrer_id TEXT NOT NULL, referee_id TEXT,"
        f" status TEXT NOT NULL, made_at {REAL} NOT NULL, made_value {REAL} NOT NULL,"
        f" converted_at {REAL}, converted_value {REAL}",
        "outreach": "outreach_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, action TEXT NOT NULL,"
        f" occurred_at {REAL} NOT NULL, outcome TEXT, answered_at {REAL}, value {REAL} NOT NULL DEFAULT 0",
        "activity": "customer_id TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (customer_id, position)",
        "scores": "customer_id TEXT NOT NULL, brand TEXT NOT NULL, "
        + ", ".join(f"{c} {REAL} NOT NULL DEFAULT 0" for c in SCORE_COLUMNS)
        + f", last_activity {REAL}, PRIMARY KEY (customer_id, brand)",
    }
    indexes = {
        "crm": ("customers", "crm_id"),
        **AUTHOR_INDEXES,
        "referrer": ("referrals", "referrer_id"),
        "outreach_customer": ("outreach", "customer_id"),
        "rank": ("scores", "brand, value, customer_id"),
    }
    retired_indexes = RETIRED_INDEXES
    churning_indexes = ("rank",)

    def handlers(self) -> dict[type, Callable[[Batch, int, Any], None]]:
        """Event class -> handler."""
        return {
            Customer.Registered: self._registered,
            Customer.DetailsChanged: self._details_changed,
            Customer.HandleLinked: self._handle_linked,
            Customer.OptedOut: self._consent,
            Customer.OptedIn: self._consent,
            Customer.OutreachLogged: self._outreach_logged,
            Customer.OutreachAnswered: self._outreach_answered,
            Customer.Forgotten: self._forgotten,
            Mention.SentimentOverridden: self._mention_changed,
            Mention.SpamVerdictOverridden: self._mention_changed,
            Referral.Made: self._referral_made,
            Referral.Converted: self._referral_converted,
            Referral.Rejected: self._referral_rejected,
            Brand.Tracked: self._brand,
            Brand.Reclassified: self._brand,
        }

    def before_run(self, batch: Batch, events: list[Any]) -> None:
        """Which handles linked in the run have written nothing yet (their links move no points)."""
        note_unmentioned_handles(batch, batch.names.mentions, events)

    # Mentions

    def record_mentions(self, batch: Batch, mentions: list[tuple[int, Any]]) -> None:
        """Insert the mentions' rows and add the points of those that count."""
        facts = [mention_facts(batch, position, e) for position, e in mentions]
        wanted = {handle for _, customer, handle, _ in facts if customer is None and handle is not None}
        owners = handle_owners(batch, batch.names.handles, mentions[0][0], wanted) if wanted else {}
        own = brand_flags(batch, batch.names.brands)
        deltas = _deltas(batch)
        rows = []
        for (position, e), (mention_id, customer, handle, at) in zip(mentions, facts, strict=True):
            owner = customer if customer is not None else owners.get(handle)
            compound = float(e.sentiment["compound"])
            kind, points = mention_points(batch.config, compound, e.reach)
            value = grow(batch.config, points, at) if kind else 0.0
            is_spam = bool(e.spam["is_spam"])
            if owner and kind and not is_spam and own.get(e.brand, False):
                deltas.add(owner, e.brand, kind, 1, value, at)
            rows.append((mention_id, position, customer, handle, owner, e.brand, at, e.reach, compound, int(is_spam), kind, value))
        insert_rows(batch.cur, batch.names.mentions, MENTION_COLUMNS, rows)

    def _mention_changed(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        mention_id = str(e.originator_id)
        row = _mention_row(batch, e)
        if row is None:
            return
        compound, is_spam = float(row["compound"]), bool(row["is_spam"])
        if type(e) is Mention.SentimentOverridden:
            compound = float(e.compound)
        else:
            is_spam = bool(e.is_spam)
        kind, points = mention_points(batch.config, compound, int(row["reach"]))
        value = grow(batch.config, points, float(row["occurred_at"])) if kind else 0.0
        self._count(batch, row, -1)
        cur.execute(
            f"UPDATE {names.mentions} SET compound = ?, is_spam = ?, kind = ?, value = ? WHERE position = ? AND mention_id = ?",
            (compound, int(is_spam), kind, value, row["position"], mention_id),
        )
        self._count(batch, {**dict(row), "compound": compound, "is_spam": int(is_spam), "kind": kind, "value": value}, 1)
        cur.execute(f"INSERT INTO {names.changes} (mention_id, position) VALUES (?, ?)", (mention_id, position))

    def _count(self, batch: Batch, row: Any, sign: int) -> None:
        """Add (sign 1) or remove (sign -1) a stored mention row's points, if it counts."""
        own = brand_flags(batch, batch.names.brands)
        if row["owner"] and row["kind"] and not row["is_spam"] and own.get(row["brand"], False):
            _deltas(batch).add(row["owner"], row["brand"], row["kind"], sign, sign * float(row["value"]), float(row["occurred_at"]))

    def _brand(self, batch: Batch, position: int, e: Any) -> None:
        name, previous, own = track_brand(batch, batch.names.brands, e)
        if not name or bool(previous) == own:
            return
        sign = 1 if own else -1
        batch.cur.execute(
            f"SELECT owner, kind, COUNT(*) AS n, SUM(value) AS v, MAX(occurred_at) AS t FROM {batch.names.mentions}"
            " WHERE brand = ? AND owner IS NOT NULL AND kind IS NOT NULL AND is_spam = 0 GROUP BY owner, kind",
            (name,),
        )
        deltas = _deltas(batch)
        for r in batch.cur.fetchall():
            deltas.add(r["owner"], name, r["kind"], sign * int(r["n"]), sign * float(r["v"]), float(r["t"]))

    # Customers

    def _registered(self, batch: Batch, position: int, e: Any) -> None:
        customer = str(e.originator_id)
        batch.cur.execute(
            f"INSERT INTO {batch.names.customers} (customer_id, crm_id, name) VALUES (?, ?, ?)",
            (customer, e.crm_id, read(e.personal, "name")),
        )
        self._activity(batch, customer, position)

    def _details_changed(self, batch: Batch, position: int, e: Any) -> None:
        customer = str(e.originator_id)
        batch.cur.execute(
            f"UPDATE {batch.names.customers} SET name = ? WHERE customer_id = ?", (read(e.personal, "name"), customer)
        )
        self._activity(batch, customer, position)

    def _consent(self, batch: Batch, position: int, e: Any) -> None:
        customer = str(e.originator_id)
        opted_out = 1 if type(e) is Customer.OptedOut else 0
        batch.cur.execute(f"UPDATE {batch.names.customers} SET opted_out = ? WHERE customer_id = ?", (opted_out, customer))
        self._activity(batch, customer, position)

    def _forgotten(self, batch: Batch, position: int, e: Any) -> None:
        customer = str(e.originator_id)
        batch.cur.execute(
            f"UPDATE {batch.names.customers} SET name = NULL, forgotten = 1 WHERE customer_id = ?", (customer,)
        )
        self._activity(batch, customer, position)

    def _handle_linked(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        customer, handle = str(e.originator_id), str(e.handle_id)
        cur.execute(
            f"INSERT INTO {names.handles} AS x (handle_id, customer_id) VALUES (?, ?)"
            " ON CONFLICT (handle_id) DO UPDATE SET customer_id = excluded.customer_id",
            (handle, customer),
        )
        if not unmentioned(batch, handle):
            written = by_handle(batch.eras())
            cur.execute(f"SELECT * FROM {names.mentions} WHERE {written}", (handle,))
            for row in cur.fetchall():
                self._count(batch, row, -1)
                self._count(batch, {**dict(row), "owner": customer}, 1)
            cur.execute(f"UPDATE {names.mentions} SET owner = ? WHERE {written}", (customer, handle))
        self._activity(batch, customer, position)

    def _outreach_logged(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        customer, at = str(e.originator_id), epoch(e.occurred_at)
        cur.execute(
            f"INSERT INTO {names.outreach} (outreach_id, customer_id, action, occurred_at) VALUES (?, ?, ?, ?)",
            (str(e.outreach_id), customer, e.action, at),
        )
        cur.execute(
            f"UPDATE {names.customers} SET last_contact_at = ?, last_action = ?, last_outreach_id = ?,"
            " last_outcome = NULL WHERE customer_id = ? AND (last_contact_at IS NULL OR last_contact_at <= ?)",
            (at, e.action, str(e.outreach_id), customer, at),
        )
        self._activity(batch, customer, position)

    def _outreach_answered(self, batch: Batch, position: int, e: Any) -> None:
        cur, names, config = batch.cur, batch.names, batch.config
        customer, outreach = str(e.originator_id), str(e.outreach_id)
        cur.execute(f"SELECT outcome, value FROM {names.outreach} WHERE outreach_id = ?", (outreach,))
        row = cur.fetchone()
        if row is None:
            return
        deltas = _deltas(batch)
        if row["outcome"] in config.answered_outcomes:
            deltas.add(customer, "", "outreach_answered", -1, -float(row["value"]))
        value = 0.0
        if e.outcome in config.answered_outcomes:
            value = grow(config, config.outreach_answered, epoch(e.occurred_at))
            deltas.add(customer, "", "outreach_answered", 1, value, epoch(e.occurred_at))
        cur.execute(
            f"UPDATE {names.outreach} SET outcome = ?, answered_at = ?, value = ? WHERE outreach_id = ?",
            (e.outcome, epoch(e.occurred_at), value, outreach),
        )
        cur.execute(
            f"UPDATE {names.customers} SET last_outcome = ? WHERE customer_id = ? AND last_outreach_id = ?",
            (e.outcome, customer, outreach),
        )
        self._activity(batch, customer, position)

    # Referrals

    def _referral_made(self, batch: Batch, position: int, e: Any) -> None:
        referrer = str(e.referrer_id)
        referee = str(ids.customer_id(e.referee_crm_id)) if e.referee_crm_id else None
        at = epoch(e.occurred_at)
        value = grow(batch.config, batch.config.referral_made, at)
        batch.cur.execute(
            f"INSERT INTO {batch.names.referrals} (referral_id, referrer_id, referee_id, status, made_at, made_value)"
            " VALUES (?, ?, ?, 'made', ?, ?)",
            (str(e.originator_id), referrer, referee, at, value),
        )
        _deltas(batch).add(referrer, "", "referrals_made", 1, value, at)
        self._referral_activity(batch, referrer, referee, position)

    def _referral_converted(self, batch: Batch, position: int, e: Any) -> None:
        row = self._referral(batch, e)
        if row is None or row["status"] != "made":
            return
        at = epoch(e.occurred_at)
        value = grow(batch.config, batch.config.referral_converted, at)
        batch.cur.execute(
            f"UPDATE {batch.names.referrals} SET status = 'converted', converted_at = ?, converted_value = ?"
            " WHERE referral_id = ?",
            (at, value, str(e.originator_id)),
        )
        _deltas(batch).add(row["referrer_id"], "", "referrals_converted", 1, value, at)
        self._referral_activity(batch, row["referrer_id"], row["referee_id"], position)

    def _referral_rejected(self, batch: Batch, position: int, e: Any) -> None:
        row = self._referral(batch, e)
        if row is None or row["status"] != "made":
            return
        batch.cur.execute(
            f"UPDATE {batch.names.referrals} SET status = 'rejected' WHERE referral_id = ?", (str(e.originator_id),)
        )
        _deltas(batch).add(row["referrer_id"], "", "referrals_made", -1, -float(row["made_value"]))
        self._referral_activity(batch, row["referrer_id"], row["referee_id"], position)

    def _referral(self, batch: Batch, e: Any) -> Any:
        batch.cur.execute(f"SELECT * FROM {batch.names.referrals} WHERE referral_id = ?", (str(e.originator_id),))
        return batch.cur.fetchone()

    def _referral_activity(self, batch: Batch, referrer: str, referee: str | None, position: int) -> None:
        self._activity(batch, referrer, position)
        if referee and referee != referrer:
            self._activity(batch, referee, position)

    def _activity(self, batch: Batch, customer: str, position: int) -> None:
        batch.cur.execute(
            f"INSERT INTO {batch.names.activity} (customer_id, position) VALUES (?, ?)"
            " ON CONFLICT (customer_id, position) DO NOTHING",
            (customer, position),
        )

    def finish(self, batch: Batch) -> None:
        """Write the batch's score deltas."""
        deltas = batch.cache.pop("deltas", None)
        if deltas is not None:
            deltas.flush(batch)


def _mention_row(batch: Batch, e: Any) -> Any:
    return find_mention(batch, batch.names.mentions, str(e.originator_id), batch.before(e))


def _deltas(batch: Batch) -> Deltas:
    deltas = batch.cache.get("deltas")
    if deltas is None:
        deltas = batch.cache["deltas"] = Deltas()
    return deltas
