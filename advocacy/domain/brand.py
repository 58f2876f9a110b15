"""Brands we track (ours or competitors') and campaigns run for them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from advocacy.domain import ids


class Brand(Aggregate):
    """A brand, ours or a competitor's, so share of voice and advocacy can tell them apart."""

    class Tracked(Aggregate.Created):
        name: str
        own: bool

    class Reclassified(Aggregate.Event):
        own: bool

    @staticmethod
    def create_id(name: str, **_: Any) -> UUID:
        """The brand's id, from its case-folded name."""
        return ids.brand_id(name)

    @event(Tracked)
    def __init__(self, name: str, own: bool):
        self.name = name
        self.own = own

    @event(Reclassified)
    def reclassify(self, own: bool) -> None:
        """Record that the brand is now ours, or now a competitor's."""
        self.own = own


class Campaign(Aggregate):
    """A campaign for one brand over a period, compared with the periods before and after."""

    class Defined(Aggregate.Created):
        name: str
        brand: str
        starts_on: date
        ends_on: date
        description: str

    class Changed(Aggregate.Event):
        brand: str
        starts_on: date
        ends_on: date
        description: str

    @staticmethod
    def create_id(name: str, **_: Any) -> UUID:
        """The campaign's id, from its case-folded name."""
        return ids.campaign_id(name)

    @event(Defined)
    def __init__(self, name: str, brand: str, starts_on: date, ends_on: date, description: str):
        self.name = name
        self.brand = brand
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.description = description

    @event(Changed)
    def change(self, brand: str, starts_on: date, ends_on: date, description: str) -> None:
        """Record new dates, brand or description."""
        self.brand = brand
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.description = description

    def same_as(self, brand: str, starts_on: date, ends_on: date, description: str) -> bool:
        """True when nothing would change."""
        return (self.brand, self.starts_on, self.ends_on, self.description) == (
            brand,
            starts_on,
            ends_on,
            description,
        )
