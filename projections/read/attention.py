"""The attention queue, oldest first, one page at a time."""

from __future__ import annotations

from typing import Any

from advocacy.storage.sql import Database
from projections.config import from_epoch
from projections.read import cursors
from projections.store import Names

CURSOR = {"t": cursors.NUMBER, "m": str}
"""A page's place: the last mention's time and id."""


def queue(db: Database, names: Names, people: Names | None, limit: int, cursor: str | None) -> dict[str, Any]:
    """Unanswered negative mentions of our brands (flagged when the author turned negative)."""
    after = cursors.decode(cursor, CURSOR)
    params: list[Any] = []
    page = ""
    if after is not None:
        page = " AND (m.occurred_at > ? OR (m.occurred_at = ? AND m.mention_id > ?))"
        params += [after["t"], after["t"], after["m"]]
    who, alive = "NULL AS crm_id, NULL AS name", ""
    if people is not None:
        who = "c.crm_id AS crm_id, c.name AS name"
        alive = (
            f" LEFT JOIN {people.customers} c ON c.customer_id = m.owner"
        )
        page += " AND (c.forgotten IS NULL OR c.forgotten = 0)"
    with db.reading() as cur:
        cur.execute(
            f"SELECT m.mention_id, m.position, m.owner, m.brand, m.channel, m.occurred_at, m.compound,"
            f" t.customer_id AS turned, {who}"
            f" FROM {names.mentions} m JOIN {names.brands} b ON b.name = m.brand AND b.own = 1"
            f" LEFT JOIN {names.recent} t ON t.last_id = m.mention_id AND t.before_compound >= 0.05{alive}"
            f" WHERE m.negative = 1 AND m.answered = 0 AND m.is_spam = 0{page}"
            " ORDER BY m.occurred_at, m.mention_id LIMIT ?",
            [*params, limit + 1],
        )
        rows = cur.fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "mention_id": r["mention_id"],
            "position": int(r["position"]),
            "reason": "turned_negative" if r["turned"] else "negative_mention",
            "crm_id": r["crm_id"],
            "name": r["name"],
            "linked": r["owner"] is not None,
            "brand": r["brand"],
            "channel": r["channel"],
            "occurred_at": from_epoch(float(r["occurred_at"])),
            "compound": float(r["compound"]),
        }
        for r in rows
    ]
    next_cursor = None
    if more and rows:
        next_cursor = cursors.encode({"t": float(rows[-1]["occurred_at"]), "m": rows[-1]["mention_id"]})
    return {"items": items, "next_cursor": next_cursor}


def open_customers(names: Names) -> str:
    """SQL (no parameters) selecting owners with an open item, for excluding them elsewhere."""
    return (
        f"SELECT m.owner FROM {names.mentions} m JOIN {names.brands} b ON b.name = m.brand AND b.own = 1"
        " WHERE m.negative = 1 AND m.answered = 0 AND m.is_spam = 0 AND m.owner IS NOT NULL"
    )
