"""Opaque page cursors: base64 of a small JSON object."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from typing import Any

NUMBER = (int, float)
"""The kind of a cursor field holding a number (an int or a float)."""

Shape = Mapping[str, type | tuple[type, ...]]
"""A cursor's fields and the kind of value each holds (str, bool, int or NUMBER)."""


def encode(data: dict[str, Any]) -> str:
    """A cursor string for `data`."""
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str | None, shape: Shape) -> dict[str, Any] | None:
    """The data of a cursor with exactly the fields of `shape`, each of its kind; ValueError when it is not one
    of ours. Values are checked so that no query can fail on them: ints within 64 bits, finite floats, strings
    without NUL characters or unpaired surrogates."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as error:
        raise ValueError("invalid cursor") from error
    if not isinstance(data, dict) or data.keys() != shape.keys():
        raise ValueError("invalid cursor")
    if not all(_of_kind(data[name], kind) for name, kind in shape.items()):
        raise ValueError("invalid cursor")
    return data


def _of_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if type(value) is bool:  # a bool is an int to isinstance, never to a cursor
        return bool in kinds
    if type(value) is int:
        return int in kinds and -(2**63) <= value < 2**63
    if type(value) is float:
        return float in kinds and math.isfinite(value)
    if type(value) is str:
        return str in kinds and "\x00" not in value and _encodable(value)
    return False


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
