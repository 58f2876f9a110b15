"""Brands (ours or competitors') and campaigns."""

from __future__ import annotations

from tests.api.conftest import assert_error


def test_tracking_a_brand_is_201_then_200(api):
    first = api.put("/v1/brands/Kopiku", {"own": True})
    again = api.put("/v1/brands/Kopiku", {"own": True})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert first.get_json()["own"] is True
    reclassified = api.put("/v1/brands/Kopiku", {"own": False})
    assert reclassified.status_code == 200 and reclassified.get_json()["own"] is False


def test_brand_inputs_are_checked(api):
    assert_error(api.put("/v1/brands/Kopiku", {}), 422, "own")
    assert_error(api.put("/v1/brands/Kopiku", {"own": "perhaps"}), 422, "own")
    assert_error(api.put("/v1/brands/%20", {"own": True}), 422, "name")


def test_officers_define_campaigns(api):
    body = {"brand": "Kopiku", "starts_on": "2026-11-01", "ends_on": "2026-11-30", "description": "Ngopi bareng"}
    first = api.put("/v1/campaigns/ngopi", body, role="officer")
    again = api.put("/v1/campaigns/ngopi", body, role="officer")
    changed = api.put("/v1/campaigns/ngopi", {**body, "ends_on": "2026-12-07"}, role="officer")
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert first.get_json() == again.get_json()


def test_campaign_inputs_are_checked(api):
    body = {"brand": "Kopiku", "starts_on": "2026-11-30", "ends_on": "2026-11-01"}
    assert_error(api.put("/v1/campaigns/ngopi", body, role="officer"), 422, "ends_on")
    assert_error(api.put("/v1/campaigns/ngopi", {**body, "starts_on": "soon"}, role="officer"), 422, "starts_on")
    assert_error(api.put("/v1/campaigns/ngopi", {"brand": "Kopiku"}, role="officer"), 422, "starts_on", "ends_on")
