"""The query facade the API calls: plain, JSON-ready answers from the read models."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from advocacy.storage.sql import Database
from projections.config import ProjectionsConfig, ScoringConfig, from_epoch
from projections.errors import ProjectionLagError
from projections.read import advocates, attention, campaigns, cursors, recommendations, trends
from projections.failures import ensure_failures_table, failing
from projections.store import Generation, ensure_positions_table, live_generations
from projections.views import VIEWS


class ReadModels:
    """Reads of every projection; any process can use it, whichever process runs the projections."""

    def __init__(self, app: Any, config: ProjectionsConfig | None = None):
        self.app = app
        self.db: Database = app.db
        self.config = config or ProjectionsConfig()
        ensure_positions_table(self.db)
        ensure_failures_table(self.db)

    # Positions

    def wait(self, min_position: int, timeout: float = 5.0) -> None:
        """Return once every projection has applied the log up to `min_position`; else ProjectionLagError."""
        deadline = time.monotonic() + timeout
        pause = 0.002
        while True:
            live = live_generations(self.db)
            lagging = {n: live[n].position if n in live else 0 for n in VIEWS}
            lagging = {n: p for n, p in lagging.items() if p < min_position}
            if not lagging:
                return
            if time.monotonic() >= deadline:
                behind = ", ".join(f"{n} at {p}" for n, p in sorted(lagging.items()))
                raise ProjectionLagError(
                    f"projections did not reach log position {min_position} within {timeout:g} s: {behind}"
                    " (is a projection runner running?)"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def status(self) -> list[dict[str, Any]]:
        """Each projection's position, the log's head, the lag, and what keeps failing (None when nothing)."""
        head = self.app.head()
        live = live_generations(self.db)
        failed = failing(self.db)
        result = []
        for name in VIEWS:
            g = live.get(name)
            position = g.position if g else 0
            result.append({
                "name": name,
                "position": position,
                "head": head,
                "lag": max(head - position, 0),
                "generation": g.generation if g else None,
                "scoring_version": ScoringConfig.from_json(g.config).version if g else None,
                "failing": _failure(failed.get(name)),
            })
        return result

    # Advocates

    def top_advocates(
        self, limit: int = 50, brand: str | None = None, as_of: date | datetime | None = None, cursor: str | None = None
    ) -> dict[str, Any]:
        """The highest scoring advocates, with breakdowns; `as_of` replays the log up to that date."""
        g = self._live("advocates")
        config = self._scoring(g)
        if as_of is not None:
            from projections.history import top_advocates_as_of

            replay = replace(self.config, scoring=config)
            return top_advocates_as_of(self.app, as_of, limit=limit, brand=brand, config=replay, cursor=cursor)
        if g is None:
            return {"items": [], "scoring_version": config.version, "next_cursor": None}
        return advocates.top(self.db, g.names, config, self._now(), limit, brand, cursor)

    def customer_score(self, crm_id: str) -> dict[str, Any] | None:
        """One customer's score, breakdown and rank; None if the customer is unknown."""
        g = self._live("advocates")
        if g is None:
            return None
        return advocates.customer(self.db, g.names, self._scoring(g), self._now(), crm_id)

    def customer_timeline_positions(self, crm_id: str) -> list[int]:
        """Log positions of every event about a customer: its own, its mentions, its referrals."""
        g = self._live("advocates")
        return [] if g is None else advocates.timeline_positions(self.db, g.names, crm_id)

    def recommendations(
        self, limit: int = 50, brand: str | None = None, now: datetime | None = None, cursor: str | None = None
    ) -> dict[str, Any]:
        """Whom to contact now, a page at a time, with human-readable reasons and a suggested action."""
        live = live_generations(self.db)
        g = live.get("advocates")
        config = self._scoring(g)
        if g is None:
            cursors.decode(cursor, recommendations.CURSOR)  # a malformed cursor is refused even before the view exists
            cooldown = self.config.cooldown_days
            return {"items": [], "scoring_version": config.version, "cooldown_days": cooldown, "next_cursor": None}
        queue = live["attention"].names if "attention" in live else None
        at = now.timestamp() if now is not None else self._now()
        return recommendations.recommend(
            self.db, g.names, queue, config, at, self.config.cooldown_days, limit, brand, cursor
        )

    def trends(
        self,
        brand: str | None = None,
        channel: str | None = None,
        language: str | None = None,
        granularity: str = "day",
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> dict[str, Any]:
        """Mentions and sentiment per day, week (ISO, from Monday) or month; start and end inclusive."""
        g = self._live("trends")
        if g is None:
            return {"granularity": granularity, "items": []}
        return trends.trends(
            self.db, g.names, granularity, brand=brand, channel=channel, language=language,
            start=_day(start), end=_day(end),
        )

    def share_of_voice(self, start: date | str | None = None, end: date | str | None = None) -> dict[str, Any]:
        """Our brands against tracked competitors, by mentions and by reach."""
        g = self._live("trends")
        if g is None:
            return {"start": None, "end": None, "items": [], "own_share": 0.0, "own_reach_share": 0.0}
        return trends.share_of_voice(self.db, g.names, _day(start), _day(end))

    def brand_page(self, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
        """One page of the tracked brands and brands seen in mentions (ours first), with the cursor of the next."""
        cursors.decode(cursor, trends.BRAND_CURSOR)  # a malformed cursor is refused even before the view exists
        g = self._live("trends")
        return {"items": [], "next_cursor": None} if g is None else trends.brand_page(self.db, g.names, limit, cursor)

    def attention(self, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
        """Unanswered negative mentions of our brands, oldest first."""
        live = live_generations(self.db)
        g = live.get("attention")
        if g is None:
            return {"items": [], "next_cursor": None}
        people = live["advocates"].names if "advocates" in live else None
        return attention.queue(self.db, g.names, people, limit, cursor)

    def campaigns(self) -> list[dict[str, Any]]:
        """Every campaign with its referral totals."""
        g = self._live("campaigns")
        return [] if g is None else campaigns.campaigns(self.db, g.names)

    def campaign_page(self, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
        """One page of `campaigns`, with the cursor of the next."""
        cursors.decode(cursor, campaigns.CURSOR)  # a malformed cursor is refused even before the view exists
        g = self._live("campaigns")
        return {"items": [], "next_cursor": None} if g is None else campaigns.page(self.db, g.names, limit, cursor)

    def campaign_report(self, name: str) -> dict[str, Any] | None:
        """One campaign's referrals and mentions before, during and after; None if unknown."""
        live = live_generations(self.db)
        g = live.get("campaigns")
        if g is None:
            return None
        trend_names = live["trends"].names if "trends" in live else None
        return campaigns.report(self.db, g.names, trend_names, name)

    def close(self) -> None:
        """Nothing to release: reads use the application's connection pool."""

    # Internals

    def _live(self, name: str) -> Generation | None:
        return live_generations(self.db).get(name)

    def _scoring(self, g: Generation | None) -> ScoringConfig:
        return ScoringConfig.from_json(g.config) if g is not None else self.config.scoring

    def _now(self) -> float:
        return self.app.clock().timestamp()


def _day(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _failure(failure: dict[str, Any] | None) -> dict[str, Any] | None:
    """A failure as status shows it: since when (ISO 8601), how many attempts in a row, the last error."""
    if failure is None:
        return None
    return {"since": from_epoch(failure["since"]), "attempts": failure["attempts"], "error": failure["error"]}
