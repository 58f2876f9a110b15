"""GET /v1/health: is the store reachable, and how far behind are the projections."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from api.auth import public
from api.blueprint import Blueprint
from api.services import services

PREFIX = "/health"
blp = Blueprint("health", __name__, description="Liveness, store head and projection lag")


class HealthOut(Schema):
    status = fields.String(required=True, metadata={"description": "ok"})
    store = fields.Dict(required=True, metadata={"description": "kind and head position of the event log"})
    projections = fields.Raw(allow_none=True, metadata={"description": "status of each projection and its lag"})


@blp.get("")
@public(blp)
@blp.response(200, HealthOut)
def health() -> dict[str, Any]:
    """Store head position and projection lag."""
    s = services()
    status = s.reads.status() if s.reads is not None else None
    return {"status": "ok", "store": {"kind": s.application.db.dialect, "head": s.application.head()}, "projections": status}
