"""The advocate score's arithmetic: points per activity, forward decay to a landmark and back."""

from __future__ import annotations

import math

from projections.config import ScoringConfig

KINDS = ("positive_mentions", "negative_mentions", "referrals_made", "referrals_converted", "outreach_answered")
"""The breakdown's kinds, in display order."""

POSITIVE = 0.05
"""Compound at or above which a mention is positive (VADER's usual threshold)."""
NEGATIVE = -0.05
"""Compound at or below which a mention is negative."""


def reach_factor(reach: int) -> float:
    """1 + log10(1 + reach): a post seen by 10,000 weighs 5x one seen by nobody."""
    return 1.0 + math.log10(1.0 + max(reach, 0))


def mention_points(config: ScoringConfig, compound: float, reach: int) -> tuple[str | None, float]:
    """(kind, points) of a mention of our brand: strength x reach; neutral mentions count nothing."""
    if compound >= POSITIVE:
        return "positive_mentions", config.positive_mention * compound * reach_factor(reach)
    if compound <= NEGATIVE:
        return "negative_mentions", config.negative_mention * -compound * reach_factor(reach)
    return None, 0.0


MAX_DOUBLINGS = 900.0
"""Most doublings a stored value takes: 2^900 leaves room for sums of billions of them within a float. Only an
event dated centuries after the landmark reaches it (about 220 years with the default half-life of 90 days); the
API refuses those (at most a day ahead of the clock), but a log that holds one must not stop the projection."""


def grow(config: ScoringConfig, points: float, at: float) -> float:
    """Forward decay: points at time `at` (epoch s) as stored, points * 2^((at - t0) / half-life)."""
    return points * 2.0 ** min((at - config.landmark_epoch) / config.half_life_seconds, MAX_DOUBLINGS)


def shrink(config: ScoringConfig, stored: float, now: float) -> float:
    """A stored value as points at `now`: stored * 2^(-(now - t0) / half-life)."""
    return stored * decay_to(config, now)


def decay_to(config: ScoringConfig, now: float) -> float:
    """The factor that turns stored values into points at `now` (one per page of answers, not per value)."""
    return 2.0 ** (-(now - config.landmark_epoch) / config.half_life_seconds)
