"""Outreach logged by officers."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import assert_error


@pytest.fixture
def customer(api):
    api.customer("C-1", "Budi")


def test_logging_outreach_is_201_and_a_retry_with_its_id_is_200(api, customer):
    outreach_id = str(uuid.uuid4())
    body = {"crm_id": "C-1", "action": "thank", "officer": "dewi", "notes": "DM sent", "outreach_id": outreach_id}
    first = api.post("/v1/outreach", body, role="officer")
    again = api.post("/v1/outreach", body, role="officer")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"] == outreach_id
    assert api.get("/v1/customers/C-1").get_json()["last_contacted_at"] is not None


def test_outreach_may_answer_a_mention(api, customer):
    mention_id = api.mention("m-1").get_json()["id"]
    body = {"crm_id": "C-1", "action": "reply", "officer": "dewi", "mention_id": mention_id}
    assert api.post("/v1/outreach", body, role="officer").status_code == 201
    body["mention_id"] = str(uuid.uuid4())
    assert_error(api.post("/v1/outreach", body, role="officer"), 422, "mention_id")


def test_outreach_inputs_are_checked(api, customer):
    ok = {"crm_id": "C-1", "action": "thank", "officer": "dewi"}
    assert_error(api.post("/v1/outreach", {**ok, "action": "spam them"}, role="officer"), 422, "action")
    assert_error(api.post("/v1/outreach", {**ok, "crm_id": "nobody"}, role="officer"), 422, "crm_id")
    assert_error(api.post("/v1/outreach", {**ok, "occurred_at": "2026-11-01T10:00"}, role="officer"), 422, "occurred_at")
    assert_error(api.post("/v1/outreach", {**ok, "outreach_id": "x"}, role="officer"), 422, "outreach_id")


def test_forgotten_customers_are_not_contacted(api, customer):
    api.delete("/v1/customers/C-1")
    assert_error(api.post("/v1/outreach", {"crm_id": "C-1", "action": "thank", "officer": "d"}, role="officer"), 409)


def test_answers_to_outreach_are_recorded(api, customer):
    outreach_id = api.post("/v1/outreach", {"crm_id": "C-1", "action": "thank", "officer": "d"}, role="officer").get_json()["id"]
    answer = {"crm_id": "C-1", "outcome": "replied"}
    assert api.post(f"/v1/outreach/{outreach_id}/answer", answer, role="officer").status_code == 200
    assert_error(api.post(f"/v1/outreach/{outreach_id}/answer", {**answer, "outcome": "maybe"}, role="officer"), 422, "outcome")
    assert_error(api.post(f"/v1/outreach/{uuid.uuid4()}/answer", answer, role="officer"), 404)
    assert_error(api.post(f"/v1/outreach/{outreach_id}/answer", answer, role="integration"), 403)
