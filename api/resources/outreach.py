"""Outreach: officers log contacts; recommendations say whom to contact next and how."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import marshmallow as ma
from marshmallow import fields, validate

from advocacy.domain.validation import OUTREACH_ACTIONS, OUTREACH_OUTCOMES
from api.auth import CURATE, READ, allow
from api.blueprint import Blueprint
from api.schemas import PageArgs, Written, created_or_ok, moment, optional_text, required_text
from api.services import services

PREFIX = "/outreach"
blp = Blueprint("outreach", __name__, description="Outreach log and recommendations")


class OutreachIn(ma.Schema):
    crm_id = required_text(example="C-1001")
    action = fields.String(required=True, validate=validate.OneOf(OUTREACH_ACTIONS))
    officer = required_text(example="dewi")
    occurred_at = moment()
    notes = optional_text()
    mention_id = fields.UUID(load_default=None, allow_none=True, metadata={"description": "the mention answered"})
    outreach_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "your id for it, so a retry is not logged twice"}
    )


class AnswerIn(ma.Schema):
    crm_id = required_text(example="C-1001")
    outcome = fields.String(required=True, validate=validate.OneOf(OUTREACH_OUTCOMES))
    occurred_at = moment()


class RecommendationArgs(PageArgs):
    brand = optional_text()


class Recommendation(ma.Schema):
    crm_id = fields.String(required=True)
    name = fields.String(allow_none=True)
    score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)
    suggested_action = fields.String(required=True)


class RecommendationsOut(ma.Schema):
    items = fields.List(fields.Nested(Recommendation), required=True)
    scoring_version = fields.String()
    cooldown_days = fields.Float(metadata={"description": "people contacted more recently are left alone"})
    next_cursor = fields.String(allow_none=True)


@blp.post("")
@allow(blp, CURATE)
@blp.arguments(OutreachIn)
@blp.response(201, Written)
@blp.alt_response(200, schema=Written, description="The same outreach_id was logged before")
def log_outreach(data: dict[str, Any]) -> tuple[Any, int]:
    """Log that an officer contacted a customer."""
    written = services().application.log_outreach(**data)
    return written, created_or_ok(written.status)


@blp.post("/<uuid:outreach_id>/answer")
@allow(blp, CURATE)
@blp.arguments(AnswerIn)
@blp.response(200, Written)
def answer_outreach(data: dict[str, Any], outreach_id: UUID) -> Any:
    """Record the customer's answer to an outreach (replied, accepted, declined, no_response)."""
    return services().application.answer_outreach(data["crm_id"], outreach_id, data["outcome"], data["occurred_at"])


@blp.get("/recommendations")
@allow(blp, READ)
@blp.arguments(RecommendationArgs, location="query")
@blp.response(200, RecommendationsOut)
def recommendations(args: dict[str, Any]) -> dict[str, Any]:
    """Top advocates to contact now, with reasons and a suggested action."""
    recommend = services().query("recommendations", args.pop("min_position"))
    return recommend(**args, now=services().application.clock())
