"""Queries over the trends view: sentiment per day/week/month, share of voice, brands."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from advocacy.domain import ids
from advocacy.storage.sql import Database
from projections.read import cursors
from projections.store import Names

GRANULARITIES = ("day", "week", "month")
BRAND_CURSOR = {"o": bool, "t": bool, "n": str}
"""A page's place in the brand list: whether the last brand is ours, whether it is tracked, and its name."""


def period_of(day: date, granularity: str) -> date:
    """The first day of the period holding `day` (ISO weeks start on Monday)."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def daily(
    db: Database, names: Names, *, brand: str | None = None, channel: str | None = None,
    language: str | None = None, start: date | None = None, end: date | None = None,
) -> list[dict[str, Any]]:
    """Summed cells per day, filtered; days inclusive."""
    where, params = ["1 = 1"], []
    for column, value in (("brand", brand), ("channel", channel)):
        if value:
            where.append(f"{column} = ?")
            params.append(ids.normal_name(value))
    if language:
        where.append("language = ?")
        params.append(language)
    _between(where, params, "day", start, end)
    with db.reading() as cur:
        cur.execute(
            "SELECT day, SUM(mentions) AS mentions, SUM(positive) AS positive, SUM(neutral) AS neutral,"
            " SUM(negative) AS negative, SUM(spam) AS spam, SUM(sum_compound) AS sum_compound, SUM(reach) AS reach"
            f" FROM {names.cells} WHERE {' AND '.join(where)} GROUP BY day ORDER BY day",
            params,
        )
        return [dict(r) for r in cur.fetchall()]


def trends(db: Database, names: Names, granularity: str = "day", **filters: Any) -> dict[str, Any]:
    """Mentions, sentiment counts, spam, mean compound and net sentiment per period."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    periods: dict[date, dict[str, float]] = {}
    for row in daily(db, names, **filters):
        key = period_of(date.fromisoformat(row["day"]), granularity)
        total = periods.setdefault(key, dict.fromkeys(("mentions", "positive", "neutral", "negative", "spam", "sum_compound", "reach"), 0))
        for column in total:
            total[column] += row[column] or 0
    return {"granularity": granularity, "items": [summary(period.isoformat(), t) for period, t in sorted(periods.items())]}


def summary(period: str, t: dict[str, float]) -> dict[str, Any]:
    """One period's numbers, JSON-ready."""
    mentions, positive, negative = int(t["mentions"]), int(t["positive"]), int(t["negative"])
    return {
        "period": period,
        "mentions": mentions,
        "positive": positive,
        "neutral": int(t["neutral"]),
        "negative": negative,
        "spam": int(t["spam"]),
        "reach": int(t["reach"]),
        "mean_compound": round(float(t["sum_compound"]) / mentions, 6) if mentions else None,
        "net_sentiment": round((positive - negative) / (positive + negative), 6) if positive + negative else None,
    }


def share_of_voice(db: Database, names: Names, start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Our brands against tracked competitors, by mentions and by reach (spam excluded)."""
    where, params = ["1 = 1"], []
    _between(where, params, "c.day", start, end)
    with db.reading() as cur:
        cur.execute(
            "SELECT b.name AS brand, b.own AS own, COALESCE(SUM(c.mentions), 0) AS mentions, COALESCE(SUM(c.reach), 0) AS reach"
            f" FROM {names.brands} b LEFT JOIN {names.cells} c ON c.brand = b.name AND {' AND '.join(where)}"
            " GROUP BY b.name, b.own",
            params,
        )
        rows = [dict(r) for r in cur.fetchall()]
    mentions = sum(int(r["mentions"]) for r in rows)
    reach = sum(int(r["reach"]) for r in rows)
    items = [
        {
            "brand": r["brand"],
            "own": bool(r["own"]),
            "mentions": int(r["mentions"]),
            "reach": int(r["reach"]),
            "share": round(int(r["mentions"]) / mentions, 6) if mentions else 0.0,
            "reach_share": round(int(r["reach"]) / reach, 6) if reach else 0.0,
        }
        for r in rows
    ]
    items.sort(key=lambda i: (not i["own"], -i["mentions"], i["brand"]))
    ours = [i for i in items if i["own"]]
    return {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "items": items,
        "own_share": round(sum(i["share"] for i in ours), 6),
        "own_reach_share": round(sum(i["reach_share"] for i in ours), 6),
    }


def brands(db: Database, names: Names) -> list[dict[str, Any]]:
    """Tracked brands (ours first) and brands seen in mentions but not tracked, with mention counts."""
    with db.reading() as cur:
        cur.execute(f"SELECT brand, SUM(mentions) AS mentions, SUM(spam) AS spam FROM {names.cells} GROUP BY brand")
        seen = {r["brand"]: (int(r["mentions"] or 0), int(r["spam"] or 0)) for r in cur.fetchall()}
        cur.execute(f"SELECT name, own FROM {names.brands}")
        tracked = {r["name"]: bool(r["own"]) for r in cur.fetchall()}
    items = [
        {
            "name": name,
            "own": tracked.get(name, False),
            "tracked": name in tracked,
            "mentions": seen.get(name, (0, 0))[0],
            "spam": seen.get(name, (0, 0))[1],
        }
        for name in set(seen) | set(tracked)
    ]
    return sorted(items, key=_brand_order)


def brand_page(db: Database, names: Names, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of `brands`, in its order; the cursor keeps the last brand's place, so pages never overlap."""
    after = cursors.decode(cursor, BRAND_CURSOR)
    items = brands(db, names)
    if after is not None:
        last = (not after["o"], not after["t"], after["n"])
        items = [i for i in items if _brand_order(i) > last]
    more = len(items) > limit
    items = items[:limit]
    next_cursor = None
    if more:
        last_item = items[-1]
        next_cursor = cursors.encode({"o": last_item["own"], "t": last_item["tracked"], "n": last_item["name"]})
    return {"items": items, "next_cursor": next_cursor}


def _brand_order(item: dict[str, Any]) -> tuple[bool, bool, str]:
    return (not item["own"], not item["tracked"], item["name"])


def _between(where: list[str], params: list[Any], column: str, start: date | None, end: date | None) -> None:
    """Add an inclusive date range on `column` to a WHERE clause being built."""
    if start:
        where.append(f"{column} >= ?")
        params.append(start.isoformat())
    if end:
        where.append(f"{column} <= ?")
        params.append(end.isoformat())
