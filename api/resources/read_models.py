"""The read models (projections): how far each has read the log, and rebuilding them beside the live ones."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import abort
from marshmallow import fields, validate

from api.auth import ADMINISTER, READ, allow
from api.blueprint import Blueprint
from api.schemas import ReadArgs, Text, optional_body
from api.services import services
from projections.rebuild import RebuildBusy
from projections.views import VIEWS

PREFIX = "/projections"
blp = Blueprint("projections", __name__, description="Read model positions and rebuilds")


class RebuildIn(ma.Schema):
    name = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(list(VIEWS)),
        metadata={"description": "the projection to rebuild; every projection when absent"},
    )


class RebuildRun(ma.Schema):
    name = fields.String(allow_none=True, metadata={"description": "the projection asked for; null for all"})
    projections = fields.List(fields.String(), required=True, metadata={"description": "the projections rebuilt"})
    started_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "why it failed; the live views are unchanged"})
    generations = fields.List(fields.Dict(), metadata={"description": "the generations made live: name, generation"})


class Failure(ma.Schema):
    since = fields.String(required=True, metadata={"description": "ISO 8601 time of the first failed attempt in a row"})
    attempts = fields.Integer(required=True, metadata={"description": "failed attempts in a row"})
    error = fields.String(required=True, metadata={"description": "the last one's error"})


class Projection(ma.Schema):
    name = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "last log position the live view applied"})
    head = fields.Integer(required=True)
    lag = fields.Integer(required=True)
    generation = fields.Integer(allow_none=True, metadata={"description": "the live generation; a rebuild makes a new one"})
    scoring_version = fields.String(allow_none=True)
    failing = fields.Nested(
        Failure, allow_none=True, metadata={"description": "while its batches keep failing (nothing is lost); else null"}
    )


class RebuildStatus(ma.Schema):
    running = fields.Boolean(required=True, metadata={"description": "a rebuild runs, in this process or another"})
    position = fields.Integer(allow_none=True, metadata={"description": "log position the rebuild reached, if known"})
    head = fields.Integer(allow_none=True, metadata={"description": "the log's head, when position is known"})
    building = fields.List(fields.String(), allow_none=True, metadata={"description": "projections being built"})
    last = fields.Nested(RebuildRun, allow_none=True, metadata={"description": "the latest rebuild this process started"})


class ProjectionsOut(ma.Schema):
    head = fields.Integer(required=True, metadata={"description": "the newest log position"})
    projections = fields.List(fields.Nested(Projection), required=True)
    rebuild = fields.Nested(RebuildStatus, required=True)


@blp.get("")
@allow(blp, READ)
@blp.arguments(ReadArgs, location="query")
@blp.response(200, ProjectionsOut)
def projections_status(args: dict[str, Any]) -> dict[str, Any]:
    """Each projection's live position, the log's head and lag, and the rebuild in progress."""
    s = services()
    reads = s.read_models(args["min_position"])
    # The rebuild's state before the positions: "not running" then means its switch is in what follows.
    rebuild = _rebuilds().status()
    items = reads.status()
    return {"head": s.application.head(), "projections": items, "rebuild": rebuild}


@blp.post("/rebuild")
@allow(blp, ADMINISTER)
@optional_body
@blp.arguments(RebuildIn, required=False)
@blp.response(202, RebuildRun)
@blp.doc(responses={409: "CONFLICT"})
def rebuild_projections(data: dict[str, Any]) -> dict[str, Any]:
    """Start rebuilding one projection (or all) from the first event; the live views answer until the switch."""
    try:
        return _rebuilds().start(data.get("name"))
    except RebuildBusy as error:
        abort(409, message=f"{error}; see GET /v1/projections")


def _rebuilds() -> Any:
    rebuilds = services().rebuilds
    if rebuilds is None:
        abort(503, message="rebuilds are not available in this deployment")
    return rebuilds
