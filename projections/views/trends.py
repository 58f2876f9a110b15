"""Sentiment trends and share of voice: counts per day, brand, channel and language.

A cell holds non-spam mentions (with positive/neutral/negative counts by +-0.05, the sum of
compound and the sum of reach) and, separately, the spam count. Weeks and months are summed
from days at query time; share of voice sums the cells per brand for tracked brands. The view
keeps no row per mention: an override (rare) reads the mention as it was before the override
back from the event store, takes it out of its cell and puts it back with the new verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from advocacy.domain.brand import Brand
from advocacy.domain.mention import Mention
from projections.store import add_rows
from projections.views.base import Batch, View, day_of, label, track_brand

REAL = "DOUBLE PRECISION"
CELL_KEYS = ["day", "brand", "channel", "language"]
CELL_VALUES = ["mentions", "positive", "neutral", "negative", "spam", "sum_compound", "reach"]


class TrendsView(View):
    """Daily cells per brand, channel and language; tracked brands for share of voice."""

    name = "trends"
    tables = {
        "brands": "brand_id TEXT PRIMARY KEY, name TEXT NOT NULL, own INTEGER NOT NULL",
        "cells": "day TEXT NOT NULL, brand TEXT NOT NULL, channel TEXT NOT NULL, language TEXT NOT NULL,"
        " mentions BIGINT NOT NULL, positive BIGINT NOT NULL, neutral BIGINT NOT NULL, negative BIGINT NOT NULL,"
        f" spam BIGINT NOT NULL, sum_compound {REAL} NOT NULL, reach BIGINT NOT NULL,"
        " PRIMARY KEY (day, brand, channel, language)",
    }
    indexes = {"brand_day": ("cells", "brand, day")}

    def handlers(self) -> dict[type, Callable[[Batch, int, Any], None]]:
        """Event class -> handler."""
        return {
            Mention.SentimentOverridden: self._changed,
            Mention.SpamVerdictOverridden: self._changed,
            Brand.Tracked: self._brand,
            Brand.Reclassified: self._brand,
        }

    def record_mentions(self, batch: Batch, mentions: list[tuple[int, Any]]) -> None:
        """Count the mentions in their cells."""
        for _, e in mentions:
            _count(batch, _facts(e), 1)

    def _changed(self, batch: Batch, position: int, e: Any) -> None:
        old = _facts(batch.before(e))
        new = dict(old)
        if type(e) is Mention.SentimentOverridden:
            new["compound"] = float(e.compound)
        else:
            new["is_spam"] = int(bool(e.is_spam))
        _count(batch, old, -1)
        _count(batch, new, 1)

    def _brand(self, batch: Batch, position: int, e: Any) -> None:
        track_brand(batch, batch.names.brands, e)

    def finish(self, batch: Batch) -> None:
        """Write the batch's cell deltas."""
        cells = batch.cache.pop("cells", None)
        if cells:
            rows = [(*key, *values) for key, values in cells.items()]
            add_rows(batch.cur, batch.names.cells, CELL_KEYS, CELL_VALUES, rows)


def _facts(m: Any) -> dict[str, Any]:
    """What a cell needs of a mention (a Recorded event or a Mention aggregate)."""
    return {
        "day": day_of(m.occurred_at), "brand": m.brand, "channel": m.channel, "language": m.language,
        "compound": float(m.sentiment["compound"]), "is_spam": int(bool(m.spam["is_spam"])), "reach": int(m.reach),
    }


def _count(batch: Batch, m: dict[str, Any], sign: int) -> None:
    """Add (1) or remove (-1) one mention from its cell."""
    cells = batch.cache.get("cells")
    if cells is None:
        cells = batch.cache["cells"] = defaultdict(lambda: [0, 0, 0, 0, 0, 0.0, 0])
    cell = cells[(m["day"], m["brand"], m["channel"], m["language"])]
    if m["is_spam"]:
        cell[4] += sign
        return
    cell[0] += sign
    cell[{"positive": 1, "neutral": 2, "negative": 3}[label(m["compound"])]] += sign
    cell[5] += sign * m["compound"]
    cell[6] += sign * m["reach"]
