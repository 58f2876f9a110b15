"""Mentions: scored at ingestion, retried deliveries never counted twice, batches reported by index."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import assert_error, mention


@pytest.fixture
def customer(api):
    api.customer("C-1", "Budi", handles=[{"platform": "twitter", "handle": "@budi"}])


def test_a_new_mention_is_201_with_its_verdicts_and_position(api, customer):
    response = api.mention("m-1", text="I love Kopiku, the best coffee!")
    body = response.get_json()
    assert response.status_code == 201
    assert set(body) == {"id", "sentiment", "language", "spam", "position"}
    assert body["sentiment"]["compound"] > 0.5
    assert set(body["sentiment"]) == {"compound", "pos", "neu", "neg"}
    assert body["spam"] == {"is_spam": False, "reasons": []}
    assert body["position"] == api.application.head()


def test_a_retried_delivery_is_200_with_the_same_body_and_no_new_event(api, customer):
    first = api.mention("m-1")
    head = api.application.head()
    again = api.mention("m-1")
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert api.application.head() == head


def test_a_mention_by_a_platform_handle_needs_no_customer(api):
    body = {"author": {"platform": "instagram", "handle": "@sari"}, "crm_id": None}
    assert api.mention("m-1", **body).status_code == 201


def test_an_author_is_required(api):
    assert_error(api.mention("m-1", crm_id=...), 422, "author")


def test_an_unknown_customer_is_a_field_error(api):
    assert_error(api.mention("m-1", crm_id="nobody"), 422, "crm_id")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "2026-11-01T10:00:00"),
        ("occurred_at", "yesterday"),
        ("text", ""),
        ("text", "x" * 5001),
        ("reach", -1),
        ("reach", 1.5),
        ("reach", "100"),
        ("brand", None),
        ("source", 7),
    ],
)
def test_invalid_fields_are_named(api, customer, field, value):
    assert_error(api.mention("m-1", **{field: value}), 422, field)


def test_a_batch_stores_valid_items_and_reports_invalid_ones_by_index(api, customer):
    api.mention("m-0")
    items = [
        mention("m-1"),
        mention("m-2", occurred_at="not a time"),
        mention("m-0"),
        mention("m-3", crm_id="nobody"),
        "not an object",
        mention("m-4", text="Kopiku is awful, never again."),
        mention("m-1"),
    ]
    head = api.application.head()
    response = api.post("/v1/mentions/batch", {"mentions": items})
    body = response.get_json()
    assert response.status_code == 200
    assert body["accepted"] == 2
    assert body["duplicates"] == 2
    assert [r["index"] for r in body["rejected"]] == [1, 3, 4]
    assert "occurred_at" in body["rejected"][0]["errors"]
    assert "crm_id" in body["rejected"][1]["errors"]
    assert body["position"] == api.application.head() == head + 2
    assert api.post("/v1/mentions/batch", {"mentions": items}).get_json()["accepted"] == 0


def test_a_batch_of_valid_items_is_one_transaction(api, customer):
    items = [mention(f"m-{i}") for i in range(50)]
    body = api.post("/v1/mentions/batch", {"mentions": items}).get_json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (50, 0, [])
    positions = [e["position"] for e in api.get("/v1/events?limit=100").get_json()["items"]]
    assert body["position"] == max(positions)


def test_an_empty_batch_is_accepted(api):
    assert api.post("/v1/mentions/batch", {"mentions": []}).get_json()["accepted"] == 0


def test_a_batch_over_1000_items_is_refused(api):
    assert_error(api.post("/v1/mentions/batch", {"mentions": [{}] * 1001}), 422, "mentions")
    assert_error(api.post("/v1/mentions/batch", {}), 422, "mentions")


def test_officers_override_sentiment_and_spam(api, customer):
    mention_id = api.mention("m-1").get_json()["id"]
    override = {"compound": -0.6, "officer": "dewi", "reason": "sarcasm"}
    response = api.post(f"/v1/mentions/{mention_id}/sentiment", override, role="officer")
    assert response.status_code == 200
    assert response.get_json()["id"] == mention_id
    spam = {"is_spam": True, "officer": "dewi", "reason": "casino link"}
    assert api.post(f"/v1/mentions/{mention_id}/spam", spam, role="officer").status_code == 200
    stored = api.application.get_mention(uuid.UUID(mention_id))
    assert stored["sentiment"]["compound"] == -0.6
    assert stored["spam"]["is_spam"] is True


def test_overrides_are_checked(api, customer):
    mention_id = api.mention("m-1").get_json()["id"]
    path = f"/v1/mentions/{mention_id}/sentiment"
    assert_error(api.post(path, {"compound": 1.5, "officer": "d", "reason": "r"}, role="officer"), 422, "compound")
    assert_error(api.post(path, {"compound": 0.1, "officer": "", "reason": "r"}, role="officer"), 422, "officer")
    spam = f"/v1/mentions/{mention_id}/spam"
    assert_error(api.post(spam, {"officer": "d", "reason": "r"}, role="officer"), 422, "is_spam")
    unknown = f"/v1/mentions/{uuid.uuid4()}/sentiment"
    assert_error(api.post(unknown, {"compound": 0.1, "officer": "d", "reason": "r"}, role="officer"), 404)


def test_a_mention_dated_more_than_a_day_ahead_is_422_naming_occurred_at(api, customer):
    # The test clock reads 2026-11-02 09:00 UTC: a typed year 2062 for 2026, say, would outweigh every real mention.
    response = api.mention("m-2062", occurred_at="2062-11-01T10:00:00+07:00")
    assert_error(response, 422, "occurred_at")
    assert "future" in response.get_json()["errors"]["json"]["occurred_at"][0]
    assert api.mention("m-skew", occurred_at="2026-11-03T08:00:00Z").status_code == 201  # within a day: clock skew
    batch = api.post("/v1/mentions/batch", {"mentions": [mention("b-1"), mention("b-2", occurred_at="2030-01-01T00:00:00Z")]})
    assert batch.get_json()["accepted"] == 1
    assert batch.get_json()["rejected"] == [{"index": 1, "errors": {"occurred_at": [response.get_json()["errors"]["json"]["occurred_at"][0]]}}]
