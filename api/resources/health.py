"""GET /v1/health: is the store reachable, and how far behind are the projections."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from api.auth import public
from api.blueprint import Blueprint
from api.resources.read_models import Projection
from api.services import services

PREFIX = "/health"
blp = Blueprint("health", __name__, description="Liveness, store head and projection lag")


class HealthOut(Schema):
    status = fields.String(
        required=True,
        metadata={"description": "ok; degraded while a projection keeps failing (its `failing` says since when and why)"},
    )
    store = fields.Dict(required=True, metadata={"description": "kind and head position of the event log"})
    projections = fields.List(
        fields.Nested(Projection),
        allow_none=True,
        metadata={"description": "each projection's position, lag and `failing`; null when this process reads none"},
    )


@blp.get("")
@public(blp)
@blp.response(200, HealthOut)
def health() -> dict[str, Any]:
    """Store head position, projection lag, and any projection that keeps failing."""
    s = services()
    projections = s.reads.status() if s.reads is not None else None
    degraded = any(p["failing"] for p in projections or ())
    store = {"kind": s.application.db.dialect, "head": s.application.head()}
    return {"status": "degraded" if degraded else "ok", "store": store, "projections": projections}
