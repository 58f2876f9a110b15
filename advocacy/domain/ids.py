"""Deterministic aggregate ids, so a retried delivery lands on the same aggregate."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from uuid import UUID

NAMESPACE = UUID("6f1c3d0e-5a7b-4c1e-9a43-2d6b8e0f7a21")
_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)
"""SHA-1 state after hashing the namespace: every id continues from a copy of it."""


def customer_id(crm_id: str) -> UUID:
    """Id of the customer known to the CRM as `crm_id`."""
    return _cached_uuid5(f"customer:{crm_id}")


def handle_id(platform: str, handle: str) -> UUID:
    """Id of a social media handle, the same however it is capitalised or prefixed with @."""
    return _cached_uuid5(f"handle:{normal_platform(platform)}:{normal_handle(handle)}")


def mention_id(source: str, external_id: str) -> UUID:
    """Id of the mention that `source` knows as `external_id`."""
    return uuid5(f"mention:{source}:{external_id}")


def referral_id(external_id: str) -> UUID:
    """Id of the referral the referral programme knows as `external_id`."""
    return uuid5(f"referral:{external_id}")


def brand_id(name: str) -> UUID:
    """Id of a brand, case-insensitive."""
    return uuid5(f"brand:{normal_name(name)}")


def campaign_id(name: str) -> UUID:
    """Id of a campaign, case-insensitive."""
    return uuid5(f"campaign:{normal_name(name)}")


def uuid5(name: str) -> UUID:
    """uuid.uuid5(NAMESPACE, name), without hashing the namespace again each time."""
    sha1 = _NAMESPACE_SHA1.copy()
    sha1.update(name.encode("utf-8"))
    return UUID(bytes=sha1.digest()[:16], version=5)


@lru_cache(maxsize=65_536)
def _cached_uuid5(name: str) -> UUID:
    """uuid5 for names that recur (customers and handles post many mentions); UUIDs are immutable."""
    return uuid5(name)


def normal_platform(platform: str) -> str:
    """Platform name as stored: trimmed, lower case."""
    return platform.strip().casefold()


def normal_handle(handle: str) -> str:
    """Handle as stored: trimmed, lower case, without a leading @."""
    return handle.strip().lstrip("@").casefold()


def normal_name(name: str) -> str:
    """Brand or campaign name as compared: trimmed, case-folded."""
    return " ".join(name.split()).casefold()
