"""Referrals from the referral programme, and their conversions from orders."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from api.auth import INGEST, allow
from api.blueprint import Blueprint
from api.schemas import MAX_AMOUNT, Written, created_or_ok, moment, optional_text, required_text
from api.services import services

PREFIX = "/referrals"
blp = Blueprint("referrals", __name__, description="Referrals and conversions")


class Referee(ma.Schema):
    email = optional_text(example="sari@example.com")
    name = optional_text(example="Sari")
    crm_id = optional_text()


class ReferralIn(ma.Schema):
    external_id = required_text(example="R-77")
    referrer_crm_id = required_text(example="C-1001")
    referee = fields.Nested(Referee, required=True)
    occurred_at = moment(required=True)
    campaign = optional_text()


class ConversionIn(ma.Schema):
    crm_id = required_text(example="C-2002")
    value = fields.Decimal(
        load_default=None,
        allow_none=True,
        validate=lambda v: 0 <= v <= MAX_AMOUNT or _refuse(f"must be from 0 to {MAX_AMOUNT}"),
        metadata={"example": 150000, "minimum": 0, "maximum": MAX_AMOUNT},
    )
    occurred_at = moment(required=True)


class ReferralWritten(Written):
    external_id = fields.String(required=True)


@blp.post("")
@allow(blp, INGEST)
@blp.arguments(ReferralIn)
@blp.response(201, ReferralWritten)
@blp.alt_response(200, schema=ReferralWritten, description="Delivered before with the same details")
def make_referral(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Record that a customer referred someone; a repeated delivery is not stored again."""
    referee = data.pop("referee")
    written = services().application.make_referral(
        **data, referee_crm_id=referee["crm_id"], referee_email=referee["email"], referee_name=referee["name"]
    )
    body = {"id": written.id, "external_id": data["external_id"].strip(), "position": written.position}
    return body, created_or_ok(written.status)


@blp.post("/<external_id>/conversion")
@allow(blp, INGEST)
@blp.arguments(ConversionIn)
@blp.response(200, ReferralWritten)
def convert_referral(data: dict[str, Any], external_id: str) -> dict[str, Any]:
    """Record that a referral converted (with the order value if known); repeating it changes nothing."""
    written = services().application.convert_referral(external_id, **data)
    return {"id": written.id, "external_id": external_id, "position": written.position}


def _refuse(reason: str) -> bool:
    raise ma.ValidationError(reason)
