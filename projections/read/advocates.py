"""Queries over the advocates view: top advocates, one customer's score, timeline positions."""

from __future__ import annotations

from typing import Any

from advocacy.domain import ids
from advocacy.storage.sql import Database
from projections.config import ScoringConfig, from_epoch
from projections.read import cursors
from projections.scoring import KINDS, decay_to
from projections.store import Names
from projections.views.base import owned_by, stored_eras

CURSOR = {"v": cursors.NUMBER, "c": str, "r": int}
"""A page's place: the last advocate's stored value and customer id, and the rank of the next."""


def top(
    db: Database, names: Names, config: ScoringConfig, now: float, limit: int, brand: str | None, cursor: str | None
) -> dict[str, Any]:
    """One page of advocates by score, highest first: a backward scan of the (brand, value, customer) index."""
    key = ids.normal_name(brand) if brand else ""
    after = cursors.decode(cursor, CURSOR)
    params: list[Any] = []
    page = ""
    if after is not None:
        page = " AND (s.value < ? OR (s.value = ? AND s.customer_id < ?))"
        params += [after["v"], after["v"], after["c"]]
    with db.reading() as cur:
        cur.execute(
            f"SELECT s.*, c.crm_id, c.name FROM {names.scores} s"
            f" JOIN {names.customers} c ON c.customer_id = s.customer_id"
            f" WHERE s.brand = ? AND c.forgotten = 0{page} ORDER BY s.value DESC, s.customer_id DESC LIMIT ?",
            [key, *params, limit + 1],
        )
        rows = cur.fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    first_rank = int(after["r"]) if after is not None else 1
    factor = decay_to(config, now)
    items = [_item(r, first_rank + i, factor) for i, r in enumerate(rows)]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = cursors.encode({"v": last["value"], "c": last["customer_id"], "r": first_rank + len(rows)})
    return {"items": items, "scoring_version": config.version, "next_cursor": next_cursor}


def customer(db: Database, names: Names, config: ScoringConfig, now: float, crm_id: str) -> dict[str, Any] | None:
    """One customer's score, breakdown, rank and outreach state (None if unknown)."""
    customer_id = str(ids.customer_id(crm_id))
    with db.reading() as cur:
        cur.execute(
            "SELECT c.crm_id, c.name, c.forgotten, c.opted_out, c.last_contact_at, c.last_action, c.last_outcome,"
            f" s.* FROM {names.customers} c"
            f" LEFT JOIN {names.scores} s ON s.customer_id = c.customer_id AND s.brand = ''"
            " WHERE c.customer_id = ?",
            (customer_id,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        row = {**dict(row), "customer_id": customer_id}
        value = float(row["value"] or 0.0)
        cur.execute(
            f"SELECT COUNT(*) AS n FROM {names.scores} s JOIN {names.customers} c"
            " ON c.customer_id = s.customer_id AND c.forgotten = 0"
            " WHERE s.brand = '' AND (s.value > ? OR (s.value = ? AND s.customer_id > ?))",
            (value, value, customer_id),
        )
        rank = int(cur.fetchone()["n"]) + 1
    item = _item(row, rank, decay_to(config, now))
    item["forgotten"] = bool(row["forgotten"])
    item["opted_out"] = bool(row["opted_out"])
    item["last_contact"] = {
        "at": from_epoch(row["last_contact_at"]),
        "action": row["last_action"],
        "outcome": row["last_outcome"],
    }
    if item["forgotten"]:
        item["rank"] = None
    item["scoring_version"] = config.version
    return item


def timeline_positions(db: Database, names: Names, crm_id: str) -> list[int]:
    """Log positions of every event about a customer, oldest first."""
    customer_id = str(ids.customer_id(crm_id))
    with db.reading() as cur:
        era_list = stored_eras(cur, names.mentions)
        cur.execute(
            f"SELECT position FROM {names.activity} WHERE customer_id = ?"
            f" UNION SELECT position FROM {names.mentions} WHERE {owned_by(names.handles, era_list, dialect=db.dialect)}"
            f" UNION SELECT ch.position FROM {names.changes} ch JOIN {names.mentions} m ON m.mention_id = ch.mention_id"
            f" WHERE {owned_by(names.handles, era_list, alias='m', dialect=db.dialect)}",
            (customer_id, *[customer_id] * 4),
        )
        return sorted(int(r["position"]) for r in cur.fetchall())


def breakdown(row: Any, factor: float) -> dict[str, dict[str, float | int]]:
    """Counts and points (stored values times the decay `factor` of `decay_to`) per kind."""
    return {
        kind: {"count": int(round(row[n] or 0)), "points": round((row[v] or 0.0) * factor, 6)}
        for kind, n, v in _BREAKDOWN_COLUMNS
    }


_BREAKDOWN_COLUMNS = [(k, f"n_{k}", f"v_{k}") for k in KINDS]


def _item(row: Any, rank: int, factor: float) -> dict[str, Any]:
    return {
        "rank": rank,
        "crm_id": row["crm_id"],
        "name": row["name"],
        "score": round((row["value"] or 0.0) * factor, 6),
        "breakdown": breakdown(row, factor),
        "last_activity": from_epoch(row["last_activity"]),
    }
