"""Mentions from social listening: one at a time, in batches, and officers' corrections."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import marshmallow as ma
from marshmallow import fields, validate

from advocacy.inputs import NewMention
from advocacy.results import MentionRecorded
from api.auth import CURATE, INGEST, READ, allow
from api.blueprint import Blueprint
from api.mention_fast_path import plain_mention
from api.resources.customers import HandleSchema
from api.schemas import MAX_AMOUNT, Written, moment, optional_text, required_text
from api.services import services

PREFIX = "/mentions"
MAX_BATCH = 1000
blp = Blueprint("mentions", __name__, description="Mentions of our brands and competitors")


class MentionIn(ma.Schema):
    source = required_text(example="brandwatch")
    external_id = required_text(example="tw-1860000000001")
    crm_id = optional_text(description="the author, when the CRM knows them; else give author")
    author = fields.Nested(HandleSchema, load_default=None, allow_none=True)
    brand = required_text(example="kopiku")
    channel = required_text(example="twitter")
    text = required_text(example="Kopiku mantap banget, pelayanannya ramah!")
    url = optional_text()
    reach = fields.Integer(strict=True, load_default=None, allow_none=True, validate=validate.Range(0, MAX_AMOUNT))
    occurred_at = moment(required=True, example="2026-11-20T10:00:00+07:00")
    campaign = optional_text()

    def load(self, data: Any, *, many: bool | None = None, partial: Any = None, unknown: str | None = None) -> Any:
        """As the schema loads it; a plainly valid body takes a short path to the same NewMention."""
        if not many and not partial and unknown in (None, ma.RAISE):
            mention = plain_mention(data)
            if mention is not None:
                return mention
        return super().load(data, many=many, partial=partial, unknown=unknown)

    @ma.post_load
    def make(self, data: dict[str, Any], **_: Any) -> NewMention:
        return NewMention(**data)


class Sentiment(ma.Schema):
    compound = fields.Float(required=True)
    pos = fields.Float(required=True)
    neu = fields.Float(required=True)
    neg = fields.Float(required=True)


class Spam(ma.Schema):
    is_spam = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True)


class MentionOut(ma.Schema):
    id = fields.UUID(required=True)
    sentiment = fields.Nested(Sentiment, required=True)
    language = fields.String(required=True)
    spam = fields.Nested(Spam, required=True)
    position = fields.Integer(required=True)


class BatchIn(ma.Schema):
    mentions = fields.List(
        fields.Raw(metadata={"type": "object"}),
        required=True,
        validate=validate.Length(max=MAX_BATCH),
        metadata={"description": f"up to {MAX_BATCH} mentions, each shaped like the body of POST /v1/mentions"},
    )


class Rejected(ma.Schema):
    index = fields.Integer(required=True)
    errors = fields.Dict(required=True, metadata={"description": "field -> reasons"})


class BatchOut(ma.Schema):
    accepted = fields.Integer(required=True)
    duplicates = fields.Integer(required=True)
    rejected = fields.List(fields.Nested(Rejected), required=True)
    position = fields.Integer(required=True)


class StoredMention(ma.Schema):
    id = fields.UUID(required=True)
    source = fields.String(required=True)
    external_id = fields.String(required=True)
    customer_id = fields.UUID(allow_none=True, metadata={"description": "the author's customer id, when known"})
    handle_id = fields.UUID(allow_none=True)
    brand = fields.String(required=True)
    channel = fields.String(required=True)
    occurred_at = fields.DateTime(required=True)
    reach = fields.Integer(allow_none=True)
    campaign = fields.String(allow_none=True)
    language = fields.String(required=True)
    sentiment = fields.Dict(required=True, metadata={"description": "compound, pos, neu, neg; compound as corrected"})
    spam = fields.Nested(Spam, required=True)
    scorer = fields.String(required=True)
    scorer_version = fields.String(required=True)
    text = fields.String(allow_none=True, metadata={"description": "null once the author is forgotten"})
    url = fields.String(allow_none=True)
    overrides = fields.List(fields.Dict(), required=True, metadata={"description": "officers' corrections, oldest first"})
    answered_at = fields.DateTime(allow_none=True)


class SentimentOverride(ma.Schema):
    compound = fields.Float(required=True, validate=validate.Range(-1, 1))
    officer = required_text()
    reason = required_text()
    occurred_at = moment()


class SpamOverride(ma.Schema):
    is_spam = fields.Boolean(required=True)
    officer = required_text()
    reason = required_text()
    occurred_at = moment()


@blp.post("")
@allow(blp, INGEST)
@blp.arguments(MentionIn())  # an instance: the hot path skips building a schema per request
@blp.response(201, MentionOut)
@blp.alt_response(200, schema=MentionOut, description="Delivered before: the stored verdict, no new event")
def record_mention(mention: NewMention) -> tuple[MentionRecorded, int]:
    """Record and score a mention; a repeated (source, external_id) is not stored again."""
    recorded = services().mentions.record(mention)
    return recorded, 200 if recorded.duplicate else 201


@blp.post("/batch")
@allow(blp, INGEST)
@blp.arguments(BatchIn)
@blp.response(200, BatchOut)
def record_batch(data: dict[str, Any]) -> dict[str, Any]:
    """Record up to 1000 mentions in one transaction; invalid items are reported by index."""
    parsed, rejected = parse_items(data["mentions"])
    batch = services().application.record_mentions([m for _, m in parsed])
    rejected += [{"index": parsed[r["index"]][0], "errors": _reasons(r["error"])} for r in batch.rejected]
    return {
        "accepted": batch.accepted,
        "duplicates": batch.duplicates,
        "rejected": sorted(rejected, key=lambda r: r["index"]),
        "position": batch.position,
    }


@blp.get("/<uuid:mention_id>")
@allow(blp, READ)
@blp.response(200, StoredMention)
@blp.doc(responses={404: "NOT_FOUND"})
def get_mention(mention_id: UUID) -> dict[str, Any]:
    """The stored mention with its current verdicts, read from the log (always current)."""
    return services().application.get_mention(mention_id)


@blp.post("/<uuid:mention_id>/sentiment")
@allow(blp, CURATE)
@blp.arguments(SentimentOverride)
@blp.response(200, Written)
def override_sentiment(data: dict[str, Any], mention_id: UUID) -> Any:
    """Correct a mention's sentiment (recorded as an event; every number follows)."""
    return services().application.override_sentiment(mention_id, **data)


@blp.post("/<uuid:mention_id>/spam")
@allow(blp, CURATE)
@blp.arguments(SpamOverride)
@blp.response(200, Written)
def override_spam(data: dict[str, Any], mention_id: UUID) -> Any:
    """Correct a mention's spam verdict."""
    return services().application.override_spam(mention_id, **data)


def parse_items(items: list[Any]) -> tuple[list[tuple[int, NewMention]], list[dict[str, Any]]]:
    """Each item through MentionIn: the parsed ones with their index, and the refused ones with reasons."""
    schema = MentionIn()
    parsed, rejected = [], []
    for index, item in enumerate(items):
        try:
            parsed.append((index, schema.load(item)))
        except ma.ValidationError as error:
            rejected.append({"index": index, "errors": error.normalized_messages()})
    return parsed, rejected


def _reasons(error: Exception) -> dict[str, list[str]]:
    field = getattr(error, "field", None) or "_schema"
    reason = getattr(error, "reason", None) or str(error)
    return {field: [reason]}
