"""Share of voice: our mentions and reach against tracked competitors'."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from api.auth import READ, allow
from api.blueprint import Blueprint
from api.schemas import ReadArgs, day
from api.services import services

PREFIX = "/share-of-voice"
blp = Blueprint("share-of-voice", __name__, description="Share of voice")


class ShareArgs(ReadArgs):
    start = day(data_key="from")
    end = day(data_key="to")


class Share(ma.Schema):
    brand = fields.String(required=True)
    own = fields.Boolean(required=True)
    mentions = fields.Integer(required=True)
    reach = fields.Integer(required=True)
    share = fields.Float(allow_none=True)
    reach_share = fields.Float(allow_none=True)


class SharesOut(ma.Schema):
    start = fields.String(allow_none=True, metadata={"format": "date"})
    end = fields.String(allow_none=True, metadata={"format": "date"})
    items = fields.List(fields.Nested(Share), required=True)
    own_share = fields.Float(metadata={"description": "our brands' share of mentions"})
    own_reach_share = fields.Float(metadata={"description": "our brands' share of reach"})


@blp.get("")
@allow(blp, READ)
@blp.arguments(ShareArgs, location="query")
@blp.response(200, SharesOut)
def share_of_voice(args: dict[str, Any]) -> dict[str, Any]:
    """Each brand's share of non-spam mentions and of reach."""
    return services().query("share_of_voice", args.pop("min_position"))(**args)
