"""Top advocates, ranked by score (strength x reach x recency), each point explained."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from api.auth import READ, allow
from api.blueprint import Blueprint
from api.schemas import PageArgs, moment, optional_text
from api.services import services

PREFIX = "/advocates"
blp = Blueprint("advocates", __name__, description="Advocate ranking")


class AdvocateArgs(PageArgs):
    brand = optional_text()
    as_of = moment(description="score as of this time (default now)")


class Advocate(ma.Schema):
    rank = fields.Integer(required=True)
    crm_id = fields.String(required=True)
    name = fields.String(allow_none=True)
    score = fields.Float(required=True)
    breakdown = fields.Raw(metadata={"description": "what contributed how much"})
    last_activity = fields.String(allow_none=True, metadata={"format": "date-time"})


class AdvocatesOut(ma.Schema):
    items = fields.List(fields.Nested(Advocate), required=True)
    scoring_version = fields.String(required=True)
    next_cursor = fields.String(allow_none=True)


@blp.get("")
@allow(blp, READ)
@blp.arguments(AdvocateArgs, location="query")
@blp.response(200, AdvocatesOut)
def top_advocates(args: dict[str, Any]) -> dict[str, Any]:
    """Advocates by score, best first."""
    return services().query("top_advocates", args.pop("min_position"))(**args)
