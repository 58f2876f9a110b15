"""Opaque page cursors: base64 of a small JSON object."""

from __future__ import annotations

import base64
import json
from typing import Any


def encode(data: dict[str, Any]) -> str:
    """A cursor string for `data`."""
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> dict[str, Any] | None:
    """The data of a cursor; ValueError when it is not one of ours."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as error:
        raise ValueError("invalid cursor") from error
    if not isinstance(data, dict):
        raise ValueError("invalid cursor")
    return data
