"""The change feed: every event in log order, for a CRM to follow."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.auth import READ, allow
from api.blueprint import Blueprint
from api.schemas import DEFAULT_LIMIT, MAX_POSITION, ReadArgs
from api.services import services

PREFIX = "/events"
MAX_FEED_LIMIT = 1000
blp = Blueprint("events", __name__, description="Change feed")


class FeedArgs(ReadArgs):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_POSITION), metadata={"description": "last position seen"})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_FEED_LIMIT))


class FeedEvent(ma.Schema):
    position = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"example": "Mention.Recorded"})
    aggregate_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    occurred_at = fields.String(required=True)
    data = fields.Dict(required=True, metadata={"description": "the event's fields; forgotten personal data is null"})


class FeedOut(ma.Schema):
    items = fields.List(fields.Nested(FeedEvent), required=True)
    next_after = fields.Integer(required=True, metadata={"description": "pass as `after` for the next page"})


@blp.get("")
@allow(blp, READ)
@blp.arguments(FeedArgs, location="query")
@blp.response(200, FeedOut)
def change_feed(args: dict[str, Any]) -> dict[str, Any]:
    """Events after a position, oldest first; positions may have gaps."""
    items = services().application.read_log(after=args["after"], limit=args["limit"])
    return {"items": items, "next_after": items[-1].position if items else args["after"]}
