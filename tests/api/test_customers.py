"""Customers pushed by the CRM: idempotent registration, profile, erasure."""

from __future__ import annotations

from tests.api.conftest import assert_error


def test_registering_a_customer_is_201_and_the_same_push_again_is_200_with_the_same_body(api):
    handles = [{"platform": "Instagram", "handle": "@budi"}]
    first = api.customer("C-1", "Budi", email="budi@example.com", handles=handles)
    head = api.application.head()
    again = api.customer("C-1", "Budi", email="budi@example.com", handles=handles)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert api.application.head() == head
    assert set(first.get_json()) == {"id", "crm_id", "position"}


def test_changed_details_are_recorded_and_answered_200(api):
    api.customer("C-1", "Budi")
    changed = api.customer("C-1", "Budi Santoso")
    assert changed.status_code == 200
    assert api.get("/v1/customers/C-1").get_json()["name"] == "Budi Santoso"


def test_the_profile_shows_handles_consent_and_score(api):
    api.customer("C-1", "Budi", email="Budi@Example.com", handles=[{"platform": "twitter", "handle": "@Budi"}])
    profile = api.get("/v1/customers/C-1", role="officer").get_json()
    assert profile["crm_id"] == "C-1"
    assert profile["email"] == "budi@example.com"
    assert profile["handles"] == [{"platform": "twitter", "handle": "budi"}]
    assert profile["opted_out"] is False and profile["forgotten"] is False
    assert "score" in profile


def test_an_unknown_customer_is_404(api):
    assert_error(api.get("/v1/customers/nobody"), 404)
    assert_error(api.delete("/v1/customers/nobody"), 404)


def test_invalid_fields_are_named(api):
    assert_error(api.customer("", "Budi"), 422, "crm_id")
    assert_error(api.customer("C-1", "Budi", email="not-an-email"), 422, "email")
    assert_error(api.customer("C-1", "Budi", handles=[{"platform": "", "handle": "x"}]), 422, "handles[0].platform")
    assert_error(api.customer("C-1", "Budi", handles=[{"platform": "x"}]), 422, "handles")
    assert_error(api.customer("C-1", "x" * 201), 422, "name")
    assert_error(api.post("/v1/customers", {"name": "Budi"}), 422, "crm_id")


def test_forgetting_a_customer_is_204_and_leaves_no_personal_data(api):
    api.customer("C-1", "Budi", email="budi@example.com", handles=[{"platform": "twitter", "handle": "@budi"}])
    assert api.delete("/v1/customers/C-1").status_code == 204
    assert api.delete("/v1/customers/C-1").status_code == 204
    profile = api.get("/v1/customers/C-1").get_json()
    assert profile["forgotten"] is True
    assert profile["name"] is None and profile["email"] is None
    assert "budi" not in api.get("/v1/events?limit=100").get_data(as_text=True).lower()


def test_a_forgotten_customer_cannot_be_registered_again(api):
    api.customer("C-1", "Budi")
    api.delete("/v1/customers/C-1")
    assert_error(api.customer("C-1", "Budi"), 409)


def test_consent_is_recorded_and_repeating_it_changes_nothing(api):
    api.customer("C-1", "Budi")
    first = api.post("/v1/customers/C-1/consent", {"opted_out": True})
    head = api.application.head()
    again = api.post("/v1/customers/C-1/consent", {"opted_out": True}, role="officer")
    assert (first.status_code, again.status_code) == (200, 200)
    assert api.application.head() == head
    assert api.get("/v1/customers/C-1").get_json()["opted_out"] is True
    assert api.post("/v1/customers/C-1/consent", {"opted_out": False}).status_code == 200
    assert api.get("/v1/customers/C-1").get_json()["opted_out"] is False
    assert_error(api.post("/v1/customers/C-1/consent", {}), 422, "opted_out")
    assert_error(api.post("/v1/customers/C-404/consent", {"opted_out": True}), 404)
