"""Reading the log in batches and decoding it, opening personal data only where a view shows it."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic

from advocacy.domain.customer import Customer

PERSONAL_TOPICS = frozenset({get_topic(Customer.Registered), get_topic(Customer.DetailsChanged)})
"""Events whose personal data a view shows (customer names); all others skip the decryption."""


def read_events(app: Any, after: int, limit: int) -> list[tuple[int, Any]]:
    """Up to `limit` (position, event) pairs after `after`; never assumes contiguous positions. Events are decoded
    by the application's EventDecoder where it can, else by the library's Mapper; events with personal data by the
    application's mapper, all of a batch at once (their subjects' keys in one query, not one each)."""
    notifications = app.recorder.select_notifications(after, limit, inclusive_of_start=False)
    mapper, decoder = app.mapper, app.event_decoder
    plain = Mapper.to_domain_event
    personal = [n for n in notifications if n.topic in PERSONAL_TOPICS]
    opened = dict(zip((n.id for n in personal), mapper.to_domain_events(personal), strict=True)) if personal else {}
    return [
        (n.id, opened[n.id] if n.topic in PERSONAL_TOPICS else (decoder.decode(n) or plain(mapper, n)))
        for n in notifications
    ]
