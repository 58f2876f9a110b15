"""Sentiment trends by period, channel and language."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.auth import READ, allow
from api.blueprint import Blueprint
from api.schemas import ReadArgs, day, optional_text
from api.services import services

PREFIX = "/sentiment"
blp = Blueprint("sentiment", __name__, description="Sentiment trends")


class TrendArgs(ReadArgs):
    brand = optional_text()
    channel = optional_text()
    language = optional_text()
    granularity = fields.String(load_default="week", validate=validate.OneOf(("day", "week", "month")))
    start = day(data_key="from", metadata={"description": "first day (inclusive)"})
    end = day(data_key="to", metadata={"description": "last day (inclusive)"})


class Period(ma.Schema):
    period = fields.String(required=True)
    mentions = fields.Integer(required=True, metadata={"description": "non-spam mentions"})
    positive = fields.Integer(required=True)
    neutral = fields.Integer(required=True)
    negative = fields.Integer(required=True)
    spam = fields.Integer(required=True, metadata={"description": "mentions filtered as spam"})
    reach = fields.Integer(metadata={"description": "summed reach of the non-spam mentions"})
    mean_compound = fields.Float(allow_none=True)
    net_sentiment = fields.Float(allow_none=True, metadata={"description": "(pos - neg) / (pos + neg)"})


class TrendsOut(ma.Schema):
    granularity = fields.String()
    items = fields.List(fields.Nested(Period), required=True)


@blp.get("/trends")
@allow(blp, READ)
@blp.arguments(TrendArgs, location="query")
@blp.response(200, TrendsOut)
def trends(args: dict[str, Any]) -> dict[str, Any]:
    """Mentions and net sentiment per day, ISO week or month."""
    return services().query("trends", args.pop("min_position"))(**args)
