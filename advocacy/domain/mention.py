"""A mention of a brand on a social channel, with what was decided about it at ingestion."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from advocacy.domain import ids
from advocacy.domain.personal import read


class Mention(Aggregate):
    """One post or comment that names a brand; its verdicts can be corrected by an officer."""

    class Recorded(Aggregate.Created):
        source: str
        external_id: str
        customer_id: UUID | None
        handle_id: UUID | None
        platform: str | None
        brand: str
        channel: str
        occurred_at: datetime
        reach: int
        campaign: str | None
        language: str
        sentiment: dict[str, float]
        spam: dict[str, Any]
        scorer: str
        scorer_version: str
        subject: UUID
        personal: dict[str, Any] | None

    class SentimentOverridden(Aggregate.Event):
        compound: float
        officer: str
        reason: str
        occurred_at: datetime

    class SpamVerdictOverridden(Aggregate.Event):
        is_spam: bool
        officer: str
        reason: str
        occurred_at: datetime

    class Answered(Aggregate.Event):
        officer: str
        occurred_at: datetime

    @staticmethod
    def create_id(source: str, external_id: str, **_: Any) -> UUID:
        """The mention's id, derived from where it came from."""
        return ids.mention_id(source, external_id)

    @classmethod
    def record(cls, mention_id: UUID, **fields: Any) -> dict[str, Any]:
        """vars() of the event that starts a mention's history, without building the aggregate or the event.

        A new mention has nothing to decide: its first event is all there is, so bulk import encodes
        these straight away (PersonalDataMapper.to_stored_event_from_vars); the stored event is the one
        `Mention.Recorded(...)` would give, and replaying it gives the same aggregate as `Mention(...)`.
        """
        given = {
            "originator_id": mention_id,
            "originator_version": cls.INITIAL_VERSION,
            "timestamp": cls.Recorded.create_timestamp(),
            "originator_topic": _TOPIC,
            **fields,
        }
        if given.keys() != _RECORDED_FIELDS.keys():
            raise TypeError(f"Mention.Recorded takes {list(_RECORDED_FIELDS)}, not {list(given)}")
        return {name: given[name] for name in _RECORDED_FIELDS}  # in the order an event instance keeps them

    @event(Recorded)
    def __init__(
        self,
        source: str,
        external_id: str,
        customer_id: UUID | None,
        handle_id: UUID | None,
        platform: str | None,
        brand: str,
        channel: str,
        occurred_at: datetime,
        reach: int,
        campaign: str | None,
        language: str,
        sentiment: dict[str, float],
        spam: dict[str, Any],
        scorer: str,
        scorer_version: str,
        subject: UUID,
        personal: dict[str, Any] | None,
    ):
        self.source = source
        self.external_id = external_id
        self.customer_id = customer_id
        self.handle_id = handle_id
        self.platform = platform
        self.brand = brand
        self.channel = channel
        self.occurred_at = occurred_at
        self.reach = reach
        self.campaign = campaign
        self.language = language
        self.sentiment = dict(sentiment)
        self.spam = {"is_spam": spam["is_spam"], "reasons": list(spam["reasons"])}
        self.scorer = scorer
        self.scorer_version = scorer_version
        self.text: str | None = read(personal, "text")
        self.url: str | None = read(personal, "url")
        self.handle: str | None = read(personal, "handle")
        self.overrides: list[dict[str, Any]] = []
        self.answered_at: datetime | None = None

    @event(SentimentOverridden)
    def override_sentiment(
        self, compound: float, officer: str, reason: str, occurred_at: datetime
    ) -> None:
        """Record an officer's correction of the sentiment."""
        self.sentiment = {**self.sentiment, "compound": compound}
        self.overrides.append({"kind": "sentiment", "compound": compound, "officer": officer})

    @event(SpamVerdictOverridden)
    def override_spam(self, is_spam: bool, officer: str, reason: str, occurred_at: datetime) -> None:
        """Record an officer's correction of the spam verdict."""
        self.spam = {"is_spam": is_spam, "reasons": [f"overridden by officer: {reason}"]}
        self.overrides.append({"kind": "spam", "is_spam": is_spam, "officer": officer})

    @event(Answered)
    def answer(self, officer: str, occurred_at: datetime) -> None:
        """Record that an officer answered this mention on its channel."""
        self.answered_at = occurred_at


_TOPIC = get_topic(Mention)
_RECORDED_FIELDS = dict.fromkeys(f.name for f in dataclasses.fields(Mention.Recorded))
