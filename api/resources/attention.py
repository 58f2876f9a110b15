"""The attention queue: unhappy, unanswered people first."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from api.auth import READ, allow
from api.blueprint import Blueprint
from api.schemas import PageArgs
from api.services import services

PREFIX = "/attention"
blp = Blueprint("attention", __name__, description="Attention queue")


class Attention(ma.Schema):
    mention_id = fields.UUID(allow_none=True)
    position = fields.Integer()
    reason = fields.String(metadata={"description": "negative_mention, or turned_negative (a customer whose sentiment just turned)"})
    crm_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    linked = fields.Boolean(metadata={"description": "the author is a known customer"})
    brand = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    occurred_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    compound = fields.Float(allow_none=True)


class AttentionOut(ma.Schema):
    items = fields.List(fields.Nested(Attention), required=True)
    next_cursor = fields.String(allow_none=True)


@blp.get("")
@allow(blp, READ)
@blp.arguments(PageArgs, location="query")
@blp.response(200, AttentionOut)
def attention(args: dict[str, Any]) -> dict[str, Any]:
    """Negative mentions of our brands and customers whose sentiment turned, not yet answered."""
    return services().query("attention", args.pop("min_position"))(**args)
