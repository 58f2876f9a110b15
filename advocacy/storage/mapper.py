"""An eventsourcing Mapper that seals each event's `personal` dict with its subject's key."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from advocacy.storage.keyring import SEAL_PREFIX, Keyring


class PersonalDataMapper(Mapper[UUID]):
    """Like the library's Mapper, plus per-subject sealing of the `personal` field."""

    def __init__(self, *args: Any, keyring: Keyring, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.keyring = keyring

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        """Encode the event, sealing personal data first."""
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        if state.get("personal") is not None:
            plain = self.transcoder.encode(state["personal"])
            state["personal"] = self.keyring.seal(state["subject"], plain)
        stored = self.transcoder.encode(state)
        if self.compressor:
            stored = self.compressor.compress(stored)
        if self.cipher:
            stored = self.cipher.encrypt(stored)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=stored,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """Decode the event; personal data of forgotten subjects comes back as None."""
        event = super().to_domain_event(stored_event)
        sealed = getattr(event, "personal", None)
        if isinstance(sealed, str) and sealed.startswith(SEAL_PREFIX):
            plain = self.keyring.open(event.subject, sealed)  # type: ignore[attr-defined]
            opened = None if plain is None else self.transcoder.decode(plain)
            object.__setattr__(event, "personal", opened)
        return event
