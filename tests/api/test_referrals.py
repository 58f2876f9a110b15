"""Referrals and conversions: idempotent, conflicts refused."""

from __future__ import annotations

import pytest

from tests.api.conftest import WHEN, assert_error


@pytest.fixture
def referrer(api):
    api.customer("C-1", "Budi", email="budi@example.com")


def referral(external_id: str = "R-1", **fields):
    body = {"external_id": external_id, "referrer_crm_id": "C-1", "referee": {"email": "sari@example.com"}, "occurred_at": WHEN}
    body.update(fields)
    return body


def test_a_referral_is_201_and_its_retry_200_with_the_same_body(api, referrer):
    first = api.post("/v1/referrals", referral())
    again = api.post("/v1/referrals", referral())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert first.get_json()["external_id"] == "R-1"


def test_the_same_referral_with_other_details_is_409(api, referrer):
    api.post("/v1/referrals", referral())
    assert_error(api.post("/v1/referrals", referral(campaign="other")), 409)


def test_referral_inputs_are_checked(api, referrer):
    assert_error(api.post("/v1/referrals", referral(referrer_crm_id="nobody")), 422, "referrer_crm_id")
    assert_error(api.post("/v1/referrals", referral(referee={})), 422, "referee")
    assert_error(api.post("/v1/referrals", referral(referee={"email": "budi@example.com"})), 422, "referee")
    assert_error(api.post("/v1/referrals", referral(referee={"email": "nope"})), 422, "referee.email")
    assert_error(api.post("/v1/referrals", referral(occurred_at=None)), 422, "occurred_at")


def test_a_conversion_is_200_and_repeating_it_changes_nothing(api, referrer):
    api.post("/v1/referrals", referral())
    conversion = {"crm_id": "C-2", "value": 150000, "occurred_at": "2026-11-03T10:00:00+07:00"}
    first = api.post("/v1/referrals/R-1/conversion", conversion)
    head = api.application.head()
    again = api.post("/v1/referrals/R-1/conversion", conversion)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.get_json() == first.get_json()
    assert api.application.head() == head
    assert api.application.get_referral("R-1")["status"] == "converted"


def test_conversions_are_checked(api, referrer):
    api.post("/v1/referrals", referral())
    conversion = {"crm_id": "C-2", "value": "12.50", "occurred_at": WHEN}
    assert_error(api.post("/v1/referrals/R-404/conversion", conversion), 404)
    assert_error(api.post("/v1/referrals/R-1/conversion", {**conversion, "value": -1}), 422, "value")
    assert_error(api.post("/v1/referrals/R-1/conversion", {**conversion, "value": "lots"}), 422, "value")
    assert api.post("/v1/referrals/R-1/conversion", conversion).status_code == 200
    assert_error(api.post("/v1/referrals/R-1/conversion", {**conversion, "crm_id": "C-3"}), 409)
