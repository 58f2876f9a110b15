"""Brands: ours or a competitor's, for share of voice and for counting advocacy."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from api.auth import ADMINISTER, READ, allow
from api.blueprint import Blueprint
from api.schemas import PageArgs, Written, created_or_ok
from api.services import services

PREFIX = "/brands"
blp = Blueprint("brands", __name__, description="Our brands and competitors")


class BrandIn(ma.Schema):
    own = fields.Boolean(required=True, metadata={"description": "true for ours, false for a competitor"})


class BrandWritten(Written):
    name = fields.String(required=True)
    own = fields.Boolean(required=True)


class Brand(ma.Schema):
    name = fields.String(required=True)
    own = fields.Boolean(required=True)
    tracked = fields.Boolean(metadata={"description": "false: seen in mentions, not classified (counted as a competitor)"})
    mentions = fields.Integer()
    spam = fields.Integer()


class BrandsOut(ma.Schema):
    items = fields.List(fields.Nested(Brand), required=True)
    next_cursor = fields.String(allow_none=True)


@blp.put("/<name>")
@allow(blp, ADMINISTER)
@blp.arguments(BrandIn)
@blp.response(201, BrandWritten)
@blp.alt_response(200, schema=BrandWritten, description="Known already (reclassified, or unchanged)")
def track_brand(data: dict[str, Any], name: str) -> tuple[dict[str, Any], int]:
    """Track a brand as ours or a competitor's."""
    written = services().application.track_brand(name, data["own"])
    body = {"id": written.id, "name": name.strip(), "own": data["own"], "position": written.position}
    return body, created_or_ok(written.status)


@blp.get("")
@allow(blp, READ)
@blp.arguments(PageArgs, location="query")
@blp.response(200, BrandsOut)
def list_brands(args: dict[str, Any]) -> dict[str, Any]:
    """Tracked brands (ours first), then brands seen in mentions but not yet classified (counted as competitors)."""
    return services().query("brand_page", args.pop("min_position"))(**args)
