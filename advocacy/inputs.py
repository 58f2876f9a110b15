"""Plain input records for commands that take many fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Handle:
    """A social media account: platform and handle."""

    platform: str
    handle: str


@dataclass(frozen=True, slots=True)
class NewMention:
    """A mention as delivered by a listening source, before it is scored."""

    source: str
    external_id: str
    brand: str
    channel: str
    text: str
    occurred_at: datetime
    crm_id: str | None = None
    author: Handle | None = None
    url: str | None = None
    reach: int | None = None
    campaign: str | None = None
