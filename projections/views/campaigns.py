"""Referrals and campaigns: each campaign's dates, and every referral with its campaign and outcome.

Mentions before/during/after a campaign are read from the trends view's daily cells of the
campaign's brand at query time, so this view only keeps campaigns and referrals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advocacy.domain import ids
from advocacy.domain.brand import Campaign
from advocacy.domain.referral import Referral
from projections.views.base import Batch, View, epoch

REAL = "DOUBLE PRECISION"


class CampaignsView(View):
    """Campaign definitions and referrals by campaign and referrer."""

    name = "campaigns"
    tables = {
        "campaigns": "campaign_id TEXT PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, brand TEXT NOT NULL,"
        " starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, description TEXT NOT NULL",
        "referrals": "referral_id TEXT PRIMARY KEY, campaign TEXT, referrer_crm_id TEXT NOT NULL,"
        f" status TEXT NOT NULL, made_at {REAL} NOT NULL, converted_at {REAL}, value {REAL}",
    }
    indexes = {"campaign": ("referrals", "campaign, referrer_crm_id"), "key": ("campaigns", "key")}

    def handlers(self) -> dict[type, Callable[[Batch, int, Any], None]]:
        """Event class -> handler."""
        return {
            Campaign.Defined: self._campaign,
            Campaign.Changed: self._campaign,
            Referral.Made: self._made,
            Referral.Converted: self._converted,
            Referral.Rejected: self._rejected,
        }

    def _campaign(self, batch: Batch, position: int, e: Any) -> None:
        cur, names = batch.cur, batch.names
        campaign_id = str(e.originator_id)
        fields = (e.brand, e.starts_on.isoformat(), e.ends_on.isoformat(), e.description or "")
        if type(e) is Campaign.Defined:
            cur.execute(
                f"INSERT INTO {names.campaigns} (campaign_id, key, name, brand, starts_on, ends_on, description)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (campaign_id, ids.normal_name(e.name), e.name, *fields),
            )
        else:
            cur.execute(
                f"UPDATE {names.campaigns} SET brand = ?, starts_on = ?, ends_on = ?, description = ? WHERE campaign_id = ?",
                (*fields, campaign_id),
            )

    def _made(self, batch: Batch, position: int, e: Any) -> None:
        campaign = ids.normal_name(e.campaign) if e.campaign else None
        batch.cur.execute(
            f"INSERT INTO {batch.names.referrals} (referral_id, campaign, referrer_crm_id, status, made_at)"
            " VALUES (?, ?, ?, 'made', ?)",
            (str(e.originator_id), campaign, e.referrer_crm_id, epoch(e.occurred_at)),
        )

    def _converted(self, batch: Batch, position: int, e: Any) -> None:
        value = float(e.value) if e.value is not None else None
        batch.cur.execute(
            f"UPDATE {batch.names.referrals} SET status = 'converted', converted_at = ?, value = ?"
            " WHERE referral_id = ? AND status = 'made'",
            (epoch(e.occurred_at), value, str(e.originator_id)),
        )

    def _rejected(self, batch: Batch, position: int, e: Any) -> None:
        batch.cur.execute(
            f"UPDATE {batch.names.referrals} SET status = 'rejected' WHERE referral_id = ? AND status = 'made'",
            (str(e.originator_id),),
        )
