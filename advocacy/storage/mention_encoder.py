"""A new mention's Recorded event encoded straight from its checked fields and verdict.

Bulk import stores a thousand `Mention.Recorded` events per call. Building each event's vars, copying
them and walking them through the generic transcoder took about 18 us of the calling process per
mention, the largest single step; writing the transcoded form directly takes about 10. The stored event
is the one the mapper gives for `Mention.Recorded(...)` (tests/core/test_mention_encoder.py checks the
bytes). Whatever this module does not expect (another transcoding registered for UUIDs or datetimes, a
value not of its plain type, a string orjson refuses) gives None, and the caller takes the generic path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from advocacy.domain.mention import Mention
from advocacy.storage.fast_json import FastJSONTranscoder
from advocacy.storage.mapper import PersonalDataMapper

_FIELDS = frozenset({
    "source", "external_id", "customer_id", "handle_id", "platform", "brand", "channel", "occurred_at", "reach",
    "campaign", "subject", "personal",
})
"""What MentionChecks gives: Mention.Recorded's fields but the verdict's."""
_TEXT_FIELDS = ("source", "external_id", "brand", "channel")
_OPTIONAL_TEXT_FIELDS = ("platform", "campaign")
_ID_FIELDS = ("customer_id", "handle_id")
_SCORES = frozenset({"compound", "pos", "neu", "neg"})
_SPAM = frozenset({"is_spam", "reasons"})
_NONE = type(None)


class MentionEncoder:
    """Encodes new mentions' Recorded events for one mapper; `encode` gives None where it cannot."""

    def __init__(self, mapper: PersonalDataMapper) -> None:
        self._mapper = mapper
        self._topic = get_topic(Mention.Recorded)
        self._originator_topic = get_topic(Mention)
        transcoder = mapper.transcoder
        names = transcoder.direct_names() if isinstance(transcoder, FastJSONTranscoder) else {}
        self._uuid_name = names.get(UUID)
        self._datetime_name = names.get(datetime)
        self.usable = (
            self._uuid_name is not None
            and self._datetime_name is not None
            and getattr(Mention.Recorded, "class_version", 1) == 1
        )

    def encode(
        self, mention_id: UUID, fields: dict[str, Any], decided: dict[str, Any], sealed: str | None
    ) -> StoredEvent | None:
        """The stored Recorded event of a new mention from MentionChecks' `fields`, the verdict's fields
        (`decided`, as Mention.Recorded keeps them) and its sealed personal data; None: use the generic path."""
        if not self.usable:
            return None
        state = self._prepared(fields, decided, sealed)
        if state is None:
            return None
        try:
            encoded = orjson.dumps(state)
        except orjson.JSONEncodeError:  # lone surrogates: the generic path writes them as the library does
            return None
        return self._mapper.stored_event(mention_id, Mention.INITIAL_VERSION, self._topic, encoded)

    def _prepared(self, fields: dict[str, Any], decided: dict[str, Any], sealed: str | None) -> dict[str, Any] | None:
        """The event's vars as the transcoder hands them to orjson, or None if a value is not of its plain type."""
        if fields.keys() != _FIELDS:
            return None
        for name in _TEXT_FIELDS:
            if type(fields[name]) is not str:
                return None
        for name in _OPTIONAL_TEXT_FIELDS:
            if type(fields[name]) not in (str, _NONE):
                return None
        for name in _ID_FIELDS:
            if type(fields[name]) not in (UUID, _NONE):
                return None
        reach, subject, occurred_at = fields["reach"], fields["subject"], fields["occurred_at"]
        if type(reach) is not int or not -(2**63) <= reach < 2**64 or type(subject) is not UUID:
            return None
        if type(occurred_at) is not datetime or type(sealed) not in (str, _NONE):
            return None
        sentiment, spam = decided["sentiment"], decided["spam"]
        if type(sentiment) is not dict or sentiment.keys() != _SCORES or type(spam) is not dict or spam.keys() != _SPAM:
            return None
        for value in sentiment.values():  # floats the standard library writes as orjson does: no exponent, NaN, inf
            if type(value) is not float or not (value == 0.0 or 1e-4 <= abs(value) < 1e16):
                return None
        reasons = spam["reasons"]
        if type(spam["is_spam"]) is not bool or type(reasons) is not list or any(type(r) is not str for r in reasons):
            return None
        if type(decided["language"]) is not str or type(decided["scorer"]) is not str:
            return None
        if type(decided["scorer_version"]) is not str:
            return None
        uuid_name, datetime_name = self._uuid_name, self._datetime_name
        customer_id, handle_id = fields["customer_id"], fields["handle_id"]
        return {
            "timestamp": {"_type_": datetime_name, "_data_": Mention.Recorded.create_timestamp().isoformat()},
            "originator_topic": self._originator_topic,
            "source": fields["source"],
            "external_id": fields["external_id"],
            "customer_id": None if customer_id is None else {"_type_": uuid_name, "_data_": customer_id.hex},
            "handle_id": None if handle_id is None else {"_type_": uuid_name, "_data_": handle_id.hex},
            "platform": fields["platform"],
            "brand": fields["brand"],
            "channel": fields["channel"],
            "occurred_at": {"_type_": datetime_name, "_data_": occurred_at.isoformat()},
            "reach": reach,
            "campaign": fields["campaign"],
            "language": decided["language"],
            "sentiment": sentiment,
            "spam": spam,
            "scorer": decided["scorer"],
            "scorer_version": decided["scorer_version"],
            "subject": {"_type_": uuid_name, "_data_": subject.hex},
            "personal": None if fields["personal"] is None else sealed,
        }
