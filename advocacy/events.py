"""Turning stored domain events into plain data for feeds and timelines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from advocacy.results import LoggedEvent

_HIDDEN = {"originator_id", "originator_version", "timestamp", "originator_topic", "subject"}


def event_type(event: Any) -> str:
    """'Customer.Registered', 'Mention.Recorded', ..."""
    return type(event).__qualname__


def describe(event: Any, position: int | None) -> LoggedEvent:
    """A plain, JSON-ready view of a domain event; forgotten personal data shows as null."""
    data = {k: plain(v) for k, v in vars(event).items() if k not in _HIDDEN}
    occurred = getattr(event, "occurred_at", None) or event.timestamp
    return LoggedEvent(
        position=position,
        type=event_type(event),
        aggregate_id=event.originator_id,
        version=event.originator_version,
        occurred_at=occurred.isoformat(),
        data=data,
    )


def plain(value: Any) -> Any:
    """JSON-ready copy of an event value."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
