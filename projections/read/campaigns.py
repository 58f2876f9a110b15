"""Campaign reports: referrals by referrer, and mentions before, during and after the campaign."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from advocacy.domain import ids
from advocacy.storage.sql import Database
from projections.read import cursors, trends
from projections.store import Names

CURSOR = {"s": str, "k": str}
"""A page's place: the last campaign's start date and key."""


def campaigns(db: Database, names: Names) -> list[dict[str, Any]]:
    """Every campaign with its referral totals, newest start first."""
    return page(db, names, None, None)["items"]


def page(db: Database, names: Names, limit: int | None, cursor: str | None) -> dict[str, Any]:
    """One page of campaigns (all of them when `limit` is None), newest start first, keyed on (starts_on, key)
    so pages never overlap."""
    after = cursors.decode(cursor, CURSOR)
    where, params = "", []
    if after is not None:
        starts_on, key = after["s"], after["k"]
        where = " WHERE starts_on < ? OR (starts_on = ? AND key > ?)"
        params = [starts_on, starts_on, key]
    bound = "" if limit is None else " LIMIT ?"
    with db.reading() as cur:
        cur.execute(
            f"SELECT * FROM {names.campaigns}{where} ORDER BY starts_on DESC, key{bound}",
            params if limit is None else [*params, limit + 1],
        )
        rows = [dict(r) for r in cur.fetchall()]
        more = limit is not None and len(rows) > limit
        rows = rows[:limit]
        items = [{**_campaign(r), "referrals": _referral_totals(cur, names, r["key"])} for r in rows]
    next_cursor = cursors.encode({"s": rows[-1]["starts_on"], "k": rows[-1]["key"]}) if more else None
    return {"items": items, "next_cursor": next_cursor}


def report(db: Database, names: Names, trend_names: Names | None, name: str) -> dict[str, Any] | None:
    """One campaign: referrals (total and per referrer) and mention windows before/during/after."""
    key = ids.normal_name(name)
    with db.reading() as cur:
        cur.execute(f"SELECT * FROM {names.campaigns} WHERE key = ?", (key,))
        row = cur.fetchone()
        if row is None:
            return None
        row = dict(row)
        totals = _referral_totals(cur, names, key)
        cur.execute(
            "SELECT referrer_crm_id, COUNT(*) AS made,"
            " SUM(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) AS converted,"
            " SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS rejected,"
            " SUM(CASE WHEN status = 'converted' THEN COALESCE(value, 0) ELSE 0 END) AS converted_value"
            f" FROM {names.referrals} WHERE campaign = ? GROUP BY referrer_crm_id",
            (key,),
        )
        referrers = [_rates({"crm_id": r["referrer_crm_id"], **_counts(r)}) for r in cur.fetchall()]
    referrers.sort(key=lambda r: (-r["converted"], -r["made"], r["crm_id"]))
    starts, ends = date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"])
    length = (ends - starts).days + 1
    windows = {
        "before": (starts - timedelta(days=length), starts - timedelta(days=1)),
        "during": (starts, ends),
        "after": (ends + timedelta(days=1), ends + timedelta(days=length)),
    }
    periods = {}
    for label, (first, last) in windows.items():
        days = trends.daily(db, trend_names, brand=row["brand"], start=first, end=last) if trend_names else []
        total = {c: sum((d[c] or 0) for d in days) for c in ("mentions", "positive", "neutral", "negative", "spam", "sum_compound", "reach")}
        periods[label] = {"start": first.isoformat(), "end": last.isoformat(), **trends.summary(label, total)}
        del periods[label]["period"]
    return {**_campaign(row), "referrals": totals, "referrers": referrers, "mentions": periods}


def _referral_totals(cur: Any, names: Names, key: str) -> dict[str, Any]:
    cur.execute(
        "SELECT COUNT(*) AS made, SUM(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) AS converted,"
        " SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS rejected,"
        " SUM(CASE WHEN status = 'converted' THEN COALESCE(value, 0) ELSE 0 END) AS converted_value"
        f" FROM {names.referrals} WHERE campaign = ?",
        (key,),
    )
    return _rates(_counts(cur.fetchone()))


def _counts(r: Any) -> dict[str, Any]:
    return {
        "made": int(r["made"] or 0),
        "converted": int(r["converted"] or 0),
        "rejected": int(r["rejected"] or 0),
        "converted_value": round(float(r["converted_value"] or 0), 2),
    }


def _rates(counts: dict[str, Any]) -> dict[str, Any]:
    counts["conversion_rate"] = round(counts["converted"] / counts["made"], 6) if counts["made"] else None
    return counts


def _campaign(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "brand": row["brand"],
        "starts_on": row["starts_on"],
        "ends_on": row["ends_on"],
        "description": row["description"],
    }
