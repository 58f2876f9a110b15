"""What commands return: ids, verdicts and the log position they reached, never aggregates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Written:
    """The outcome of a command: what it touched, whether it was new, and the log position."""

    id: UUID
    status: str
    position: int


@dataclass(frozen=True, slots=True)
class MentionRecorded:
    """A recorded mention and what was decided about it; `duplicate` when it was already stored."""

    id: UUID
    duplicate: bool
    language: str
    sentiment: dict[str, float]
    spam: dict[str, Any]
    scorer: str
    scorer_version: str
    position: int


@dataclass(frozen=True, slots=True)
class BatchRecorded:
    """The outcome of a batch: counts, every refused item by index, and the log position."""

    accepted: int
    duplicates: int
    rejected: list[dict[str, Any]]
    position: int
    mentions: list[MentionRecorded | None] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One event of the log, as the change feed and timelines show it."""

    position: int | None
    type: str
    aggregate_id: UUID
    version: int
    occurred_at: str
    data: dict[str, Any]
