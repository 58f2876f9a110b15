"""An eventsourcing Mapper that seals each event's `personal` dict with its subject's key."""

from __future__ import annotations

from collections.abc import Sequence
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
        personal = state.get("personal")
        sealed = None if personal is None else self.keyring.seal(state["subject"], self.transcoder.encode(personal))
        return self.to_stored_event_from_vars(type(domain_event), state, sealed)

    def seal_all(self, items: Sequence[tuple[UUID, dict[str, Any] | None]]) -> list[str | None]:
        """Each (subject, personal) sealed as to_stored_event seals it, the subjects' keys fetched or made at once."""
        plain = [(subject, self.transcoder.encode(personal)) for subject, personal in items if personal is not None]
        sealed = iter(self.keyring.seal_all(plain))
        return [None if personal is None else next(sealed) for _, personal in items]

    def to_stored_event_from_vars(self, event_class: type, state: dict[str, Any], sealed: str | None) -> StoredEvent:
        """Encode an event given as its class and a fresh copy of its vars(), its personal data sealed already
        (by `seal_all`; None if forgotten): the same stored event as to_stored_event gives for the instance."""
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(event_class, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        if state.get("personal") is not None:
            state["personal"] = sealed
        return self.stored_event(originator_id, originator_version, get_topic(event_class), self.transcoder.encode(state))

    def stored_event(self, originator_id: UUID, originator_version: int, topic: str, encoded: bytes) -> StoredEvent:
        """The stored event of an event's encoded state: compressed and encrypted as the mapper is configured."""
        if self.compressor:
            encoded = self.compressor.compress(encoded)
        if self.cipher:
            encoded = self.cipher.encrypt(encoded)
        return StoredEvent(originator_id=originator_id, originator_version=originator_version, topic=topic, state=encoded)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """Decode the event; personal data of forgotten subjects comes back as None."""
        event = super().to_domain_event(stored_event)
        self._open(event)
        return event

    def to_domain_events(self, stored_events: Sequence[StoredEvent]) -> list[DomainEventProtocol[UUID]]:
        """to_domain_event of each, the keys of all their subjects fetched together (not a query per subject)."""
        events = [super(PersonalDataMapper, self).to_domain_event(s) for s in stored_events]
        self.keyring.preload(e.subject for e in events if _sealed(e))  # type: ignore[attr-defined]
        for event in events:
            self._open(event)
        return events

    def _open(self, event: DomainEventProtocol[UUID]) -> None:
        if _sealed(event):
            plain = self.keyring.open(event.subject, event.personal)  # type: ignore[attr-defined]
            opened = None if plain is None else self.transcoder.decode(plain)
            object.__setattr__(event, "personal", opened)


def _sealed(event: Any) -> bool:
    sealed = getattr(event, "personal", None)
    return isinstance(sealed, str) and sealed.startswith(SEAL_PREFIX)
