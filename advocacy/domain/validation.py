"""Checks that refuse input before anything is saved, each naming the field and the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from advocacy.domain import ids
from advocacy.domain.errors import InvalidInput
from advocacy.inputs import Handle
from advocacy.sentiment import MAX_TEXT_LENGTH

MAX_NAME_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_NOTES_LENGTH = 2000
OUTREACH_ACTIONS = ("thank", "reward", "ask_review", "invite_referral", "reply", "other")
OUTREACH_OUTCOMES = ("replied", "accepted", "declined", "no_response")
MAX_COUNT = 10**12
"""Largest reach or amount accepted: beyond any real audience or order, small enough for every store."""
FIRST_YEAR, LAST_YEAR = 1970, 2999
"""Timestamps and dates outside these years are typing errors, and break date arithmetic in reports."""
MAX_AHEAD = timedelta(days=1)
"""How far after the server's clock an event may say it happened: clock skew and time-zone slips, not more. A
mention dated years ahead would outweigh every real one in the recency-weighted scores for as long as it lasts."""


def _plain(field: str, value: str) -> str:
    if "\x00" in value:
        raise InvalidInput(field, "must not contain NUL characters")
    if value.isascii():  # the common case, and always valid: only lone surrogates fail to encode
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(field, "must be valid Unicode text") from None
    return value


def name(field: str, value: Any, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A required short string, trimmed."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a string")
    value = _plain(field, value.strip())
    if not value:
        raise InvalidInput(field, "must not be empty")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value


def optional_name(field: str, value: Any, *, max_length: int = MAX_NAME_LENGTH) -> str | None:
    """An optional short string; empty counts as absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return name(field, value, max_length=max_length)


def handle(field: str, value: Any) -> tuple[str, str]:
    """A social media account as stored: (platform, handle), normalised as ids.handle_id does."""
    if not isinstance(value, Handle):
        raise InvalidInput(field, "must have a platform and a handle")
    platform = ids.normal_platform(name(f"{field}.platform", value.platform))
    account = ids.normal_handle(name(f"{field}.handle", value.handle))
    if not account:
        raise InvalidInput(f"{field}.handle", "must not be empty")
    return platform, account


def text(field: str, value: Any) -> str:
    """Mention text: a non-empty string no longer than the scoring cap."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a string")
    if not value.strip():
        raise InvalidInput(field, "must not be empty")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidInput(field, f"must be at most {MAX_TEXT_LENGTH} characters")
    return _plain(field, value)


def email(field: str, value: Any) -> str | None:
    """An optional email address, lower-cased."""
    value = optional_name(field, value, max_length=320)
    if value is not None and ("@" not in value or value.startswith("@") or value.endswith("@")):
        raise InvalidInput(field, "must be an email address")
    return value.casefold() if value else None


def aware_time(field: str, value: Any) -> datetime:
    """A timestamp with a time zone, converted to UTC."""
    if not isinstance(value, datetime):
        raise InvalidInput(field, "must be a date and time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "must include a time zone (e.g. 2026-11-26T10:00:00+07:00)")
    _check_year(field, value.year)
    return value.astimezone(UTC)


def not_ahead(field: str, moment: datetime, now: datetime) -> datetime:
    """`moment`, which must not be more than MAX_AHEAD after `now` (what has happened is not reported ahead)."""
    if moment - now > MAX_AHEAD:
        limit = (now + MAX_AHEAD).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        raise InvalidInput(field, f"must not be in the future (later than {limit}, a day after the server's clock)")
    return moment


def day(field: str, value: Any) -> date:
    """A calendar date."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(field, "must be a date (YYYY-MM-DD)")
    _check_year(field, value.year)
    return value


def _check_year(field: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(field, f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")


def reach(field: str, value: Any) -> int:
    """Audience size: a whole number, zero or more."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise InvalidInput(field, f"must be a whole number from 0 to {MAX_COUNT}")
    return value


def money(field: str, value: Any) -> Decimal | None:
    """An optional non-negative amount."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(field, "must be a number") from None
    if not amount.is_finite() or not 0 <= amount <= MAX_COUNT:
        raise InvalidInput(field, f"must be an amount from 0 to {MAX_COUNT}")
    return amount


def compound(field: str, value: Any) -> float:
    """A sentiment compound score in [-1, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1 <= value <= 1:
        raise InvalidInput(field, "must be a number from -1 to 1")
    return float(value)


def choice(field: str, value: Any, choices: tuple[str, ...]) -> str:
    """One of a fixed set of words."""
    if value not in choices:
        raise InvalidInput(field, f"must be one of: {', '.join(choices)}")
    return value
