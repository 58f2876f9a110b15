"""The checks of an incoming mention, done once per batch for values that recur (source, brand, channel, author)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advocacy.domain import ids, validation
from advocacy.domain.errors import InvalidInput
from advocacy.inputs import Handle, NewMention


class MentionChecks:
    """Checks mentions one by one, remembering what passed for values that recur within a batch."""

    def __init__(self) -> None:
        self._passed: dict[str, dict[Any, Any]] = {}
        self._passed_origins: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # (source, brand, channel, campaign)

    def check(self, m: NewMention) -> dict[str, Any]:
        """The fields to record for `m`; raises InvalidInput naming the first field that fails."""
        text = validation.text("text", m.text)
        crm_id, customer_id = self._recurring("crm_id", m.crm_id, _crm_id)
        author = m.author
        if crm_id is None and author is None:
            raise InvalidInput("author", "give either crm_id or author {platform, handle}")
        platform = handle = handle_id = None
        if author is not None:
            platform, handle, handle_id = self._recurring("author", author, _author)
        origin = (m.source, m.brand, m.channel, m.campaign)
        plain = all(map(_immutable, origin))
        known = self._passed_origins.get(origin) if plain else None  # all four passed before: same results
        source = known[0] if known else validation.name("source", m.source)
        external_id = validation.name("external_id", m.external_id)
        brand = known[1] if known else ids.normal_name(validation.name("brand", m.brand))
        channel = known[2] if known else ids.normal_name(validation.name("channel", m.channel))
        occurred_at = validation.aware_time("occurred_at", m.occurred_at)
        reach = validation.reach("reach", m.reach)
        campaign = known[3] if known else validation.optional_name("campaign", m.campaign)
        if plain and not known:
            self._passed_origins[origin] = (source, brand, channel, campaign)
        return {
            "source": source,
            "external_id": external_id,
            "customer_id": customer_id,
            "handle_id": handle_id,
            "platform": platform,
            "brand": brand,
            "channel": channel,
            "occurred_at": occurred_at,
            "reach": reach,
            "campaign": campaign,
            "subject": customer_id or handle_id,
            "personal": {
                "text": text,
                "url": validation.optional_name("url", m.url, max_length=validation.MAX_URL_LENGTH),
                "handle": handle,
            },
        }

    def _recurring(self, field: str, value: Any, check: Callable[[Any], Any]) -> Any:
        """check(value), remembered for values equal to one that passed before; failures are checked anew."""
        if not _immutable(value):
            return check(value)
        passed = self._passed.setdefault(field, {})
        try:
            return passed[value]
        except KeyError:
            result = passed[value] = check(value)
            return result


def _immutable(value: Any) -> bool:
    """Whether equal values are sure to pass or fail alike (plain strings, None, a Handle of two strings)."""
    if value is None or type(value) is str:
        return True
    return type(value) is Handle and type(value.platform) is str and type(value.handle) is str


def _crm_id(value: Any) -> tuple[str | None, Any]:
    crm_id = validation.optional_name("crm_id", value)
    return crm_id, (ids.customer_id(crm_id) if crm_id is not None else None)


def _author(value: Any) -> tuple[str, str, Any]:
    platform, handle = validation.handle("author", value)
    return platform, handle, (ids.handle_id(platform, handle) if platform and handle else None)
