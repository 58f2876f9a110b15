"""Stored events decoded through orjson: the domain event the library's Mapper gives, in about half the time.

Projections decode every event of the log when they catch up, and `Mapper.to_domain_event` spent about
14 us on a recorded mention: the standard library's scanner calls a Python hook for each of its seven
dicts, and each UUID is built through `UUID.__init__`. Here orjson parses the state, the top-level
values the library's own UUID and datetime transcodings wrote are turned back directly, and every other
value is checked to be one the library's decoder leaves as it is. Anything else (another transcoding, a
nested transcoded value, an integer orjson would turn into a float, text orjson refuses, a versioned
event class) gives None, and the caller takes the library's path (tests/core/test_event_decoder.py
checks the two agree on generated events). Personal data stays sealed: this is `Mapper.to_domain_event`,
not the application mapper's, which also opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, SafeUUID

import orjson
from eventsourcing.persistence import DatetimeAsISO, Mapper, StoredEvent, UUIDAsHex, find_id_convertor
from eventsourcing.utils import resolve_topic

_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown
_INT_LIMIT = 2.0**63
"""orjson reads an integer beyond 64 bits as a float (the library's decoder keeps an int); a float this
large is taken the library's way."""


def _uuid(data: str) -> UUID:
    """UUID(data) for 32 letters and digits (what UUIDAsHex writes), skipping UUID.__init__'s parsing."""
    if len(data) != 32 or not data.isalnum():
        raise _Unexpected
    u = _new(UUID)
    _set(u, "int", int(data, 16))
    _set(u, "is_safe", _UNKNOWN)
    return u


class _Unexpected(Exception):
    """A value this decoder does not reproduce exactly: use the library's path."""


def _transcoded(d: dict[str, Any]) -> bool:
    """True for a dict the library's decoder replaces by the value it transcodes."""
    return len(d) == 2 and "_type_" in d and "_data_" in d


def _plain(value: Any) -> bool:
    """True when the library's decoder would give `value` back unchanged and orjson read it as the standard
    library does (no transcoded dict inside, no integer turned into a float)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return -_INT_LIMIT < value < _INT_LIMIT
    if kind is list or kind is dict:  # scalar items are checked inline, without a call each
        if kind is dict:
            if _transcoded(value):
                return False
            value = value.values()
        for item in value:
            item_kind = type(item)
            if item_kind is str or item_kind is int or item_kind is bool or item is None:
                continue
            if item_kind is float:
                if not -_INT_LIMIT < item < _INT_LIMIT:
                    return False
            elif not _plain(item):
                return False
        return True
    return False


class EventDecoder:
    """Decodes stored events as `Mapper.to_domain_event` does, for one mapper; `decode` gives None where it
    cannot."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        transcoder = mapper.transcoder
        names = getattr(transcoder, "names", {})
        self._classes: dict[tuple[str, type], tuple[type, Callable[[Any], Any]] | None] = {}
        self._direct: dict[str, Callable[[str], Any]] = {}
        for name, transcoding in names.items():
            if type(transcoding) is UUIDAsHex:
                self._direct[name] = _uuid
            elif type(transcoding) is DatetimeAsISO:
                self._direct[name] = datetime.fromisoformat

    def decode(self, stored: StoredEvent) -> Any | None:
        """The domain event `Mapper.to_domain_event(mapper, stored)` gives, or None: decode it that way."""
        try:
            found = self._classes[(stored.topic, type(stored.originator_id))]
        except KeyError:
            found = self._event_class(stored.topic, type(stored.originator_id))
        if found is None:
            return None
        cls, to_id = found
        state = stored.state
        mapper = self._mapper
        try:
            if mapper.cipher:
                state = mapper.cipher.decrypt(state)
            if mapper.compressor:
                state = mapper.compressor.decompress(state)
            values = orjson.loads(state)
        except Exception:  # noqa: BLE001 - the library's path raises its own error for it
            return None
        if type(values) is not dict or "class_version" in values or _transcoded(values):
            return None
        direct = self._direct
        try:
            for key, value in values.items():
                kind = type(value)
                if kind is str or kind is int or kind is bool or value is None:
                    continue
                if kind is dict and _transcoded(value):
                    to_value = direct.get(value["_type_"])
                    data = value["_data_"]
                    if to_value is None or type(data) is not str:
                        return None
                    values[key] = to_value(data)
                elif not _plain(value):
                    return None
        except (_Unexpected, ValueError):
            return None
        values["originator_id"] = to_id(stored.originator_id)
        values["originator_version"] = stored.originator_version
        event = _new(cls)
        _set(event, "__dict__", values)
        return event

    def _event_class(self, topic: str, id_type: type) -> tuple[type, Callable[[Any], Any]] | None:
        """The event class of a topic and its id convertor, if this decoder may build its events (unversioned
        classes only); remembered."""
        try:
            cls = resolve_topic(topic)
        except Exception:  # noqa: BLE001 - the library's path raises its own error for it
            return None
        found = (cls, find_id_convertor(cls, id_type)) if getattr(cls, "class_version", 1) == 1 else None
        if len(self._classes) < 1024:
            self._classes[(topic, id_type)] = found
        return found
