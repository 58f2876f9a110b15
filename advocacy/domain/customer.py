"""The customer: identity from the CRM, linked handles, consent, outreach and erasure."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from advocacy.domain import ids
from advocacy.domain.personal import read


class Customer(Aggregate):
    """A customer known to the CRM, possibly under several social media handles."""

    class Registered(Aggregate.Created):
        crm_id: str
        subject: UUID
        personal: dict[str, Any] | None

    class DetailsChanged(Aggregate.Event):
        subject: UUID
        personal: dict[str, Any] | None

    class HandleLinked(Aggregate.Event):
        handle_id: UUID
        platform: str
        subject: UUID
        personal: dict[str, Any] | None

    class OptedOut(Aggregate.Event):
        occurred_at: datetime

    class OptedIn(Aggregate.Event):
        occurred_at: datetime

    class OutreachLogged(Aggregate.Event):
        outreach_id: UUID
        action: str
        officer: str
        occurred_at: datetime
        mention_id: UUID | None
        subject: UUID
        personal: dict[str, Any] | None

    class OutreachAnswered(Aggregate.Event):
        outreach_id: UUID
        outcome: str
        occurred_at: datetime

    class Forgotten(Aggregate.Event):
        occurred_at: datetime
        forgotten_subjects: list[UUID]

    @staticmethod
    def create_id(crm_id: str, **_: Any) -> UUID:
        """The customer's id, derived from the CRM id."""
        return ids.customer_id(crm_id)

    @event(Registered)
    def __init__(self, crm_id: str, subject: UUID, personal: dict[str, Any] | None):
        self.crm_id = crm_id
        self.name: str | None = read(personal, "name")
        self.email: str | None = read(personal, "email")
        self.handles: dict[UUID, dict[str, str | None]] = {}
        self.opted_out = False
        self.forgotten = False
        self.outreach: dict[UUID, dict[str, Any]] = {}

    @event(DetailsChanged)
    def change_details(self, subject: UUID, personal: dict[str, Any] | None) -> None:
        """Record a new name or email from the CRM."""
        self.name = read(personal, "name")
        self.email = read(personal, "email")

    @event(HandleLinked)
    def link_handle(
        self, handle_id: UUID, platform: str, subject: UUID, personal: dict[str, Any] | None
    ) -> None:
        """Record that a social media handle belongs to this customer."""
        self.handles[handle_id] = {"platform": platform, "handle": read(personal, "handle")}

    @event(OptedOut)
    def opt_out(self, occurred_at: datetime) -> None:
        """Record that the customer does not want to be contacted."""
        self.opted_out = True

    @event(OptedIn)
    def opt_in(self, occurred_at: datetime) -> None:
        """Record that the customer may be contacted again."""
        self.opted_out = False

    @event(OutreachLogged)
    def log_outreach(
        self,
        outreach_id: UUID,
        action: str,
        officer: str,
        occurred_at: datetime,
        mention_id: UUID | None,
        subject: UUID,
        personal: dict[str, Any] | None,
    ) -> None:
        """Record that an officer contacted the customer."""
        self.outreach[outreach_id] = {
            "action": action,
            "officer": officer,
            "occurred_at": occurred_at,
            "mention_id": mention_id,
            "notes": read(personal, "notes"),
            "outcome": None,
            "answered_at": None,
        }

    @event(OutreachAnswered)
    def answer_outreach(self, outreach_id: UUID, outcome: str, occurred_at: datetime) -> None:
        """Record the customer's answer to an earlier outreach."""
        self.outreach[outreach_id].update(outcome=outcome, answered_at=occurred_at)

    @event(Forgotten)
    def forget(self, occurred_at: datetime, forgotten_subjects: list[UUID]) -> None:
        """Record the erasure request; personal values are dropped from this state too."""
        self.forgotten = True
        self.name = self.email = None
        for linked in self.handles.values():
            linked["handle"] = None
        for record in self.outreach.values():
            record["notes"] = None

    @property
    def personal_subjects(self) -> list[UUID]:
        """Every subject whose key holds this customer's personal data."""
        return [self.id, *self.handles]

    @property
    def last_contacted_at(self) -> datetime | None:
        """When an officer last reached out, if ever."""
        return max((o["occurred_at"] for o in self.outreach.values()), default=None)
