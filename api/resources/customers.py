"""Customers pushed by the CRM: register, read with score and rank, timeline, forget."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from advocacy.domain.errors import InvalidInput
from advocacy.inputs import Handle
from api.auth import ADMINISTER, CURATE, INGEST, READ, allow
from api.blueprint import Blueprint
from api.schemas import PageArgs, ReadArgs, Written, created_or_ok, moment, optional_text, required_text
from api.services import services

PREFIX = "/customers"
blp = Blueprint("customers", __name__, description="Customers from the CRM")


class HandleSchema(ma.Schema):
    platform = required_text(example="instagram")
    handle = required_text(example="@budi")

    @ma.post_load
    def make(self, data: dict[str, str], **_: Any) -> Handle:
        return Handle(**data)


class CustomerIn(ma.Schema):
    crm_id = required_text(example="C-1001")
    name = required_text(example="Budi Santoso")
    email = optional_text(example="budi@example.com")
    handles = fields.List(fields.Nested(HandleSchema), load_default=list)


class CustomerWritten(Written):
    crm_id = fields.String(required=True)


class CustomerOut(ma.Schema):
    crm_id = fields.String(required=True)
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    handles = fields.List(fields.Dict())
    opted_out = fields.Boolean()
    forgotten = fields.Boolean()
    last_contacted_at = fields.DateTime(allow_none=True)
    score = fields.Raw(allow_none=True, metadata={"description": "score, breakdown and rank from the read models"})


class TimelineOut(ma.Schema):
    items = fields.List(fields.Dict(), required=True)
    next_cursor = fields.String(allow_none=True)


@blp.post("")
@allow(blp, INGEST)
@blp.arguments(CustomerIn)
@blp.response(201, CustomerWritten)
@blp.alt_response(200, schema=CustomerWritten, description="Already registered (same data) or updated")
def register_customer(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Register a customer, or record what changed."""
    written = services().application.register_customer(**data)
    return {"id": written.id, "crm_id": data["crm_id"].strip(), "position": written.position}, created_or_ok(written.status)


@blp.get("/<crm_id>")
@allow(blp, READ)
@blp.arguments(ReadArgs, location="query")
@blp.response(200, CustomerOut)
def get_customer(args: dict[str, Any], crm_id: str) -> dict[str, Any]:
    """A customer's profile, score with breakdown, and rank."""
    s = services()
    reads = s.read_models(args["min_position"]) if s.reads is not None else None
    profile = s.application.get_customer(crm_id)
    profile["score"] = reads.customer_score(crm_id) if reads is not None else None
    return profile


@blp.get("/<crm_id>/timeline")
@allow(blp, READ)
@blp.arguments(PageArgs, location="query")
@blp.response(200, TimelineOut)
def customer_timeline(args: dict[str, Any], crm_id: str) -> dict[str, Any]:
    """The customer's events (profile, mentions, referrals, outreach) in log order."""
    s = services()
    s.application.get_customer(crm_id)
    positions = s.query("customer_timeline_positions", args["min_position"])(crm_id)
    cursor = args["cursor"] or "0"
    if not cursor.isdecimal() or len(cursor) > 19:
        raise InvalidInput("cursor", "is not a cursor this endpoint returned")
    after = int(cursor)
    page = [p for p in sorted(positions) if p > after][: args["limit"]]
    more = len([p for p in positions if p > after]) > len(page)
    items = [
        {"position": e.position, "type": e.type, "occurred_at": e.occurred_at, "data": e.data}
        for e in s.application.events_at(page)
    ]
    return {"items": items, "next_cursor": str(page[-1]) if more else None}


@blp.delete("/<crm_id>")
@allow(blp, ADMINISTER)
@blp.response(204)
def forget_customer(crm_id: str) -> None:
    """Forget a customer: personal data becomes unreadable, anonymous facts stay."""
    services().application.forget_customer(crm_id)


class ConsentIn(ma.Schema):
    opted_out = fields.Boolean(
        required=True, metadata={"description": "true: the customer wants no outreach; false: outreach is welcome again"}
    )
    occurred_at = moment(description="When the customer said so (default: now)")


@blp.post("/<crm_id>/consent")
@allow(blp, INGEST | CURATE)
@blp.arguments(ConsentIn)
@blp.response(200, CustomerWritten)
def set_consent(args: dict[str, Any], crm_id: str) -> dict[str, Any]:
    """Record that a customer opted out of outreach, or back in; repeating it changes nothing."""
    application = services().application
    change = application.opt_out if args["opted_out"] else application.opt_in
    written = change(crm_id, occurred_at=args["occurred_at"])
    return {"id": written.id, "crm_id": crm_id, "position": written.position}
