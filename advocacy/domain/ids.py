"""Deterministic aggregate ids, so a retried delivery lands on the same aggregate."""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c3d0e-5a7b-4c1e-9a43-2d6b8e0f7a21")


def customer_id(crm_id: str) -> UUID:
    """Id of the customer known to the CRM as `crm_id`."""
    return uuid5(NAMESPACE, f"customer:{crm_id}")


def handle_id(platform: str, handle: str) -> UUID:
    """Id of a social media handle, the same however it is capitalised or prefixed with @."""
    return uuid5(NAMESPACE, f"handle:{normal_platform(platform)}:{normal_handle(handle)}")


def mention_id(source: str, external_id: str) -> UUID:
    """Id of the mention that `source` knows as `external_id`."""
    return uuid5(NAMESPACE, f"mention:{source}:{external_id}")


def referral_id(external_id: str) -> UUID:
    """Id of the referral the referral programme knows as `external_id`."""
    return uuid5(NAMESPACE, f"referral:{external_id}")


def brand_id(name: str) -> UUID:
    """Id of a brand, case-insensitive."""
    return uuid5(NAMESPACE, f"brand:{normal_name(name)}")


def campaign_id(name: str) -> UUID:
    """Id of a campaign, case-insensitive."""
    return uuid5(NAMESPACE, f"campaign:{normal_name(name)}")


def normal_platform(platform: str) -> str:
    """Platform name as stored: trimmed, lower case."""
    return platform.strip().casefold()


def normal_handle(handle: str) -> str:
    """Handle as stored: trimmed, lower case, without a leading @."""
    return handle.strip().lstrip("@").casefold()


def normal_name(name: str) -> str:
    """Brand or campaign name as compared: trimmed, case-folded."""
    return " ".join(name.split()).casefold()
