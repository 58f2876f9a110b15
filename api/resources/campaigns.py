"""Campaigns: a brand's period, reported against the periods before and after."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import abort
from marshmallow import fields

from api.auth import CURATE, READ, allow
from api.blueprint import Blueprint
from api.schemas import PageArgs, ReadArgs, Written, created_or_ok, day, optional_text, required_text
from api.services import services

PREFIX = "/campaigns"
blp = Blueprint("campaigns", __name__, description="Campaigns and their reports")


class CampaignIn(ma.Schema):
    brand = required_text(example="kopiku")
    starts_on = day(required=True, metadata={"example": "2026-11-01"})
    ends_on = day(required=True, metadata={"example": "2026-11-30"})
    description = optional_text()


class CampaignWritten(Written):
    name = fields.String(required=True)


class CampaignsOut(ma.Schema):
    items = fields.List(fields.Dict(), required=True)
    next_cursor = fields.String(allow_none=True)


@blp.put("/<name>")
@allow(blp, CURATE)
@blp.arguments(CampaignIn)
@blp.response(201, CampaignWritten)
@blp.alt_response(200, schema=CampaignWritten, description="Defined before (changed, or unchanged)")
def define_campaign(data: dict[str, Any], name: str) -> tuple[dict[str, Any], int]:
    """Define a campaign's brand and dates, or change them."""
    written = services().application.define_campaign(name, **data)
    return {"id": written.id, "name": name.strip(), "position": written.position}, created_or_ok(written.status)


@blp.get("")
@allow(blp, READ)
@blp.arguments(PageArgs, location="query")
@blp.response(200, CampaignsOut)
def list_campaigns(args: dict[str, Any]) -> dict[str, Any]:
    """Defined campaigns with their referral totals, latest start first."""
    return services().query("campaign_page", args.pop("min_position"))(**args)


@blp.get("/<name>")
@allow(blp, READ)
@blp.arguments(ReadArgs, location="query")
@blp.response(200, description="The campaign report: before, during and after")
def campaign_report(args: dict[str, Any], name: str) -> dict[str, Any]:
    """Mentions, net sentiment, referrals and conversions before, during and after the campaign."""
    report = services().query("campaign_report", args["min_position"])(name)
    if report is None:
        abort(404, message=f"unknown campaign: {name}")
    return report
