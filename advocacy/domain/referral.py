"""A referral: one customer invites another person; it may convert or be rejected as fraud."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from advocacy.domain import ids
from advocacy.domain.errors import Conflict
from advocacy.domain.personal import read


class Referral(Aggregate):
    """An invitation from a referrer to a referee, tracked until conversion or rejection."""

    class Made(Aggregate.Created):
        external_id: str
        referrer_id: UUID
        referrer_crm_id: str
        referee_crm_id: str | None
        occurred_at: datetime
        campaign: str | None
        subject: UUID
        personal: dict[str, Any] | None

    class Converted(Aggregate.Event):
        customer_crm_id: str
        value: Decimal | None
        occurred_at: datetime

    class Rejected(Aggregate.Event):
        reason: str
        occurred_at: datetime

    @staticmethod
    def create_id(external_id: str, **_: Any) -> UUID:
        """The referral's id, derived from the referral programme's id."""
        return ids.referral_id(external_id)

    @event(Made)
    def __init__(
        self,
        external_id: str,
        referrer_id: UUID,
        referrer_crm_id: str,
        referee_crm_id: str | None,
        occurred_at: datetime,
        campaign: str | None,
        subject: UUID,
        personal: dict[str, Any] | None,
    ):
        self.external_id = external_id
        self.referrer_id = referrer_id
        self.referrer_crm_id = referrer_crm_id
        self.referee_crm_id = referee_crm_id
        self.occurred_at = occurred_at
        self.campaign = campaign
        self.referee_name: str | None = read(personal, "name")
        self.referee_email: str | None = read(personal, "email")
        self.converted: dict[str, Any] | None = None
        self.rejected_because: str | None = None

    @property
    def status(self) -> str:
        """'made', 'converted' or 'rejected'."""
        if self.rejected_because is not None:
            return "rejected"
        return "converted" if self.converted else "made"

    def check_can_convert(self) -> None:
        """Refuse to convert a rejected referral."""
        if self.rejected_because is not None:
            msg = f"referral {self.external_id} was rejected ({self.rejected_because})"
            raise Conflict(msg)

    def check_can_reject(self) -> None:
        """Refuse to reject a referral that already converted."""
        if self.converted is not None:
            msg = f"referral {self.external_id} already converted"
            raise Conflict(msg)

    @event(Converted)
    def convert(self, customer_crm_id: str, value: Decimal | None, occurred_at: datetime) -> None:
        """Record that the referee became a paying customer."""
        self.converted = {"crm_id": customer_crm_id, "value": value, "occurred_at": occurred_at}

    @event(Rejected)
    def reject(self, reason: str, occurred_at: datetime) -> None:
        """Record that the referral does not count (self-referral, duplicate, fraud)."""
        self.rejected_because = reason
