"""One versioned scoring configuration, and the runner's settings."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property


@dataclass(frozen=True)
class ScoringConfig:
    """Weights and half-life of the advocate score; change `version` whenever a number changes."""

    version: str = "2026.11-1"
    half_life_days: float = 90.0
    landmark: str = "2024-01-01T00:00:00+00:00"
    """Forward-decay landmark t0: every stored value is points * 2^((t - t0) / half-life)."""
    positive_mention: float = 1.0
    negative_mention: float = -1.5
    referral_made: float = 2.0
    referral_converted: float = 8.0
    outreach_answered: float = 0.5
    answered_outcomes: tuple[str, ...] = ("replied", "accepted")

    @property
    def half_life_seconds(self) -> float:
        """The half-life in seconds."""
        return self.half_life_days * 86400.0

    @cached_property
    def landmark_epoch(self) -> float:
        """The landmark as seconds since the epoch."""
        return datetime.fromisoformat(self.landmark).timestamp()

    def to_json(self) -> str:
        """The configuration as stored beside each generation of the advocates view."""
        return json.dumps({k: v for k, v in asdict(self).items()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> ScoringConfig:
        """The configuration a generation was built with."""
        if not text:
            return cls()
        data = json.loads(text)
        data["answered_outcomes"] = tuple(data.get("answered_outcomes", cls.answered_outcomes))
        return cls(**data)


@dataclass(frozen=True)
class ProjectionsConfig:
    """Scoring, recommendation policy and runner settings."""

    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    cooldown_days: float = 30.0
    batch_size: int = 1000
    catch_up_batch_size: int = 10_000
    """Most events per batch while behind: batches grow from `batch_size` while each comes back full.
    Bigger batches touch each index page once for many rows (catch-up at 1M events: see BENCHMARKS.md);
    on SQLite a batch holds the write lock while it applies (about 0.4 s at 10,000 events)."""
    poll_interval: float = 0.5
    gather_seconds: float = 0.02
    """After catching up on a stream of writes, wait this long before the next batch: writes arriving
    meanwhile are applied together (read-your-writes waits up to this much longer)."""
    lock_retry_interval: float = 1.0
    vacuum_after: int = 50_000
    """On PostgreSQL, a runner that caught up this many events in one go vacuums and analyses its views' tables,
    as a rebuild does: a view filled by a runner and read before autovacuum got to it was planned as nearly
    empty (top-50 at 200k events: 8-9 ms instead of about 2)."""


def from_environment(environ: Mapping[str, str] | None = None) -> ProjectionsConfig:
    """Runner settings from ADVOCACY_PROJECTIONS_BATCH_SIZE, _CATCH_UP_BATCH_SIZE, _POLL_INTERVAL and
    _GATHER_SECONDS; the defaults for those unset."""
    env = os.environ if environ is None else environ
    defaults = ProjectionsConfig()
    return ProjectionsConfig(
        batch_size=int(env.get("ADVOCACY_PROJECTIONS_BATCH_SIZE") or defaults.batch_size),
        catch_up_batch_size=int(env.get("ADVOCACY_PROJECTIONS_CATCH_UP_BATCH_SIZE") or defaults.catch_up_batch_size),
        poll_interval=float(env.get("ADVOCACY_PROJECTIONS_POLL_INTERVAL") or defaults.poll_interval),
        gather_seconds=float(env.get("ADVOCACY_PROJECTIONS_GATHER_SECONDS") or defaults.gather_seconds),
    )


def next_batch_size(config: ProjectionsConfig, size: int, read: int) -> int:
    """The next batch size: twice this one (up to the catch-up size) after a full batch, else the base size."""
    if read < size:
        return config.batch_size
    return min(2 * size, max(config.batch_size, config.catch_up_batch_size))


def epoch(moment: datetime) -> float:
    """Seconds since the epoch of an aware datetime."""
    return moment.timestamp()


def from_epoch(seconds: float | None) -> str | None:
    """ISO 8601 UTC text for seconds since the epoch."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat()
