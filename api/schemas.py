"""Schema pieces every resource uses: safe strings, read arguments, paging and write results."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_POSITION = 2**63 - 1
"""Largest log position a store can hold (64-bit)."""
MAX_AMOUNT = 10**12
"""Largest reach or order value accepted: far above any real audience, well inside 64-bit columns."""


def storable(text: str) -> bool:
    """True when every store can hold `text`: no NUL characters (PostgreSQL), no unpaired surrogates (UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Text(fields.String):
    """A string that every store can hold."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not storable(text):
            raise ma.ValidationError("must not contain NUL characters or invalid Unicode")
        return text


def required_text(**metadata: Any) -> Text:
    """A required string field."""
    return Text(required=True, metadata=metadata)


def optional_text(**metadata: Any) -> Text:
    """An optional string field; null allowed."""
    return Text(load_default=None, allow_none=True, metadata=metadata)


FIRST_YEAR, LAST_YEAR = 1970, 2999
"""Dates outside these years are refused: no social media post or referral happened then, and the periods
around them (a campaign's before and after, ISO weeks) must stay within what Python's dates can hold."""


def _in_era(value: date) -> bool:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ma.ValidationError(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
    return True


def moment(*, required: bool = False, **metadata: Any) -> fields.DateTime:
    """An ISO 8601 date and time (the application insists on a zone)."""
    if required:
        return fields.DateTime(required=True, validate=_in_era, metadata=metadata)
    return fields.DateTime(load_default=None, allow_none=True, validate=_in_era, metadata=metadata)


def day(*, required: bool = False, **options: Any) -> fields.Date:
    """An ISO 8601 calendar date."""
    if required:
        return fields.Date(required=True, validate=_in_era, **options)
    return fields.Date(load_default=None, validate=_in_era, **options)


class ReadArgs(ma.Schema):
    """Every read waits until the read models reached `min_position` (a position a write returned)."""

    min_position = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=MAX_POSITION),
        metadata={"description": "Wait until the read models have processed this log position"},
    )


class PageArgs(ReadArgs):
    """Bounded pages with an opaque cursor."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = Text(load_default=None, metadata={"description": "next_cursor of the previous page"})


class Written(ma.Schema):
    """What a write returns: the id it touched and the log position to pass as min_position."""

    id = fields.UUID(required=True)
    position = fields.Integer(required=True, metadata={"description": "Log position at which the write is visible"})


def optional_body(view: Any) -> Any:
    """Let a POST view be called without a body (no 415); its arguments must be `required=False`."""
    view.body_optional = True
    return view


def created_or_ok(status: str) -> int:
    """201 for something new, 200 for an update or a repeated delivery."""
    return 201 if status == "created" else 200
