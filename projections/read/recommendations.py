"""Whom to contact now, why, and how: top advocates outside the cooldown and the attention queue."""

from __future__ import annotations

from typing import Any

from advocacy.domain import ids
from advocacy.storage.sql import Database
from projections.config import ScoringConfig
from projections.read import attention, cursors
from projections.scoring import POSITIVE, shrink
from projections.store import Names, select_in
from projections.views.base import owned_by, stored_eras

DAY = 86400.0
CURSOR = {"v": cursors.NUMBER, "c": str}
"""A page's place: the last recommended customer's stored score and id."""


def recommend(
    db: Database, names: Names, queue: Names | None, config: ScoringConfig, now: float, cooldown_days: float,
    limit: int, brand: str | None, cursor: str | None = None,
) -> dict[str, Any]:
    """One page of the top advocates not contacted within the cooldown, not opted out or forgotten, not awaiting
    an answer; the cursor keeps the last one's place in the score order, so pages never overlap."""
    key = ids.normal_name(brand) if brand else ""
    after = cursors.decode(cursor, CURSOR)
    busy = f" AND s.customer_id NOT IN ({attention.open_customers(queue)})" if queue is not None else ""
    page, params = "", []
    if after is not None:
        page = " AND (s.value < ? OR (s.value = ? AND s.customer_id < ?))"
        params = [after["v"], after["v"], after["c"]]
    with db.reading() as cur:
        cur.execute(
            f"SELECT s.customer_id, s.value, c.crm_id, c.name, c.last_contact_at, s.n_referrals_made"
            f" FROM {names.scores} s JOIN {names.customers} c ON c.customer_id = s.customer_id"
            " WHERE s.brand = ? AND s.value > 0 AND c.forgotten = 0 AND c.opted_out = 0"
            f" AND (c.last_contact_at IS NULL OR c.last_contact_at <= ?){busy}{page}"
            " ORDER BY s.value DESC, s.customer_id DESC LIMIT ?",
            (key, now - cooldown_days * DAY, *params, limit + 1),
        )
        rows = [dict(r) for r in cur.fetchall()]
        more, rows = len(rows) > limit, rows[:limit]
        facts = _recent(cur, names, [r["customer_id"] for r in rows], now)
    items = []
    for r in rows:
        f = facts.get(r["customer_id"], {})
        reasons, action = _explain(r, f, now)
        items.append({
            "crm_id": r["crm_id"],
            "name": r["name"],
            "score": round(shrink(config, float(r["value"]), now), 6),
            "reasons": reasons,
            "suggested_action": action,
        })
    next_cursor = cursors.encode({"v": rows[-1]["value"], "c": rows[-1]["customer_id"]}) if more else None
    return {
        "items": items, "scoring_version": config.version, "cooldown_days": cooldown_days, "next_cursor": next_cursor
    }


def _recent(cur: Any, names: Names, customers: list[str], now: float) -> dict[str, dict[str, float]]:
    facts: dict[str, dict[str, float]] = {c: {} for c in customers}
    if not customers:
        return facts
    for r in select_in(
        cur,
        f"SELECT referrer_id AS k, SUM(CASE WHEN status = 'converted' AND converted_at >= ? THEN 1 ELSE 0 END) AS conv,"
        " SUM(CASE WHEN status <> 'rejected' AND made_at >= ? THEN 1 ELSE 0 END) AS made"
        f" FROM {names.referrals} WHERE referrer_id IN ({{in}}) GROUP BY referrer_id",
        customers,
        [now - 30 * DAY, now - 90 * DAY],
    ):
        facts[r["k"]].update(converted_30=int(r["conv"] or 0), made_90=int(r["made"] or 0))
    for r in select_in(
        cur,
        f"SELECT m.owner AS k, COUNT(*) AS n, MAX(m.reach) AS reach FROM {names.mentions} m"
        f" JOIN {names.brands} b ON b.name = m.brand AND b.own = 1"
        f" WHERE m.is_spam = 0 AND m.compound >= {POSITIVE} AND m.occurred_at >= ?"
        f" AND {owned_by(names.handles, stored_eras(cur, names.mentions), 'IN ({in})', alias='m', dialect=cur.db.dialect)}"
        " GROUP BY m.owner",
        customers,
        [now - 30 * DAY],
        repeat=2,
    ):
        facts[r["k"]].update(positive_30=int(r["n"]), reach_30=int(r["reach"] or 0))
    return facts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _explain(row: dict[str, Any], f: dict[str, float], now: float) -> tuple[list[str], str]:
    converted, made = int(f.get("converted_30", 0)), int(f.get("made_90", 0))
    positive, reach = int(f.get("positive_30", 0)), int(f.get("reach_30", 0))
    reasons = []
    if converted:
        reasons.append(f"{_plural(converted, 'converted referral')} in the last 30 days")
    if made:
        reasons.append(f"{_plural(made, 'referral')} made in the last 90 days")
    if positive:
        reasons.append(f"{_plural(positive, 'positive mention')} of our brands in the last 30 days")
    if reach >= 1000:
        reasons.append(f"one of them reached {reach:,} people")
    if row["last_contact_at"] is None:
        reasons.append("never contacted")
    else:
        reasons.append(f"last contacted {int((now - float(row['last_contact_at'])) // DAY)} days ago")
    if converted:
        action = "reward"
    elif positive and not int(round(float(row["n_referrals_made"] or 0))):
        action = "invite_referral"
    elif positive:
        action = "ask_review"
    else:
        action = "thank"
    return reasons, action
