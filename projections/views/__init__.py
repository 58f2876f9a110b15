"""The read models, by name."""

from __future__ import annotations

from projections.views.advocates import AdvocatesView
from projections.views.attention import AttentionView
from projections.views.campaigns import CampaignsView
from projections.views.trends import TrendsView
from projections.views.base import View

VIEWS: dict[str, View] = {v.name: v for v in (AdvocatesView(), TrendsView(), AttentionView(), CampaignsView())}
"""Every view the runner knows, by projection name."""


def views_named(names: list[str] | tuple[str, ...] | None) -> list[View]:
    """The views called `names` (all when None); unknown names raise ValueError."""
    if names is None:
        return list(VIEWS.values())
    unknown = [n for n in names if n not in VIEWS]
    if unknown:
        raise ValueError(f"unknown projection(s): {', '.join(unknown)}; known: {', '.join(VIEWS)}")
    return [VIEWS[n] for n in names]
