"""Bearer keys per role: 401 without a known key, 403 without the role, keys generated on first start."""

from __future__ import annotations

import logging
import re
import stat

import pytest

from api import create_app, ensure_api_keys
from api.auth import ApiKeys
from tests.api.conftest import KEYS, assert_error, mention

PUBLIC = {"/v1/health", "/v1/openapi.json", "/v1/docs"}


def test_every_v1_route_but_health_spec_and_docs_needs_a_key(api):
    for rule in api.app.url_map.iter_rules():
        path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", rule.rule)
        path = path.replace("<", "").replace(">", "")
        if not path.startswith("/v1") or path in PUBLIC or path.startswith("/v1/docs/assets"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = api.client.open(path, method=method, json={})
            assert_error(response, 401)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_health_spec_and_docs_are_open(api):
    for path in PUBLIC:
        assert api.get(path, role=None).status_code == 200


@pytest.mark.parametrize(
    "header", ["Bearer wrong-key", "Basic " + KEYS["admin"], KEYS["admin"], "Bearer", "Bearer " + KEYS["admin"] + "x"]
)
def test_unknown_or_malformed_keys_get_401(api, header):
    response = api.client.get("/v1/events", headers={"Authorization": header})
    assert_error(response, 401)


def test_the_scheme_is_case_insensitive(api):
    response = api.client.get("/v1/events", headers={"Authorization": "bearer " + KEYS["officer"]})
    assert response.status_code == 200


def test_integrations_write_customers_mentions_and_referrals_but_not_outreach_or_brands(api):
    assert api.customer(role="integration").status_code == 201
    assert api.mention(role="integration").status_code == 201
    assert_error(api.post("/v1/outreach", {"crm_id": "C-1", "action": "thank", "officer": "d"}), 403)
    assert_error(api.put("/v1/brands/Kopiku", {"own": True}, role="integration"), 403)
    assert_error(api.put("/v1/campaigns/x", {}, role="integration"), 403)
    assert_error(api.delete("/v1/customers/C-1", role="integration"), 403)


def test_officers_read_log_outreach_and_override_but_do_not_ingest(api):
    api.customer()
    mention_id = api.mention().get_json()["id"]
    assert_error(api.customer("C-2", role="officer"), 403)
    assert_error(api.post("/v1/mentions", mention("m-2"), role="officer"), 403)
    assert_error(api.post("/v1/mentions/batch", {"mentions": []}, role="officer"), 403)
    assert_error(api.post("/v1/referrals", {}, role="officer"), 403)
    assert_error(api.put("/v1/brands/Kopiku", {"own": True}, role="officer"), 403)
    assert_error(api.delete("/v1/customers/C-1", role="officer"), 403)
    outreach = {"crm_id": "C-1", "action": "thank", "officer": "dewi"}
    assert api.post("/v1/outreach", outreach, role="officer").status_code == 201
    override = {"compound": -0.5, "officer": "dewi", "reason": "sarcasm"}
    assert api.post(f"/v1/mentions/{mention_id}/sentiment", override, role="officer").status_code == 200
    assert api.get("/v1/events", role="officer").status_code == 200


def test_admins_do_everything(api):
    assert api.customer(role="admin").status_code == 201
    assert api.put("/v1/brands/Kopiku", {"own": True}, role="admin").status_code == 201
    assert api.post("/v1/outreach", {"crm_id": "C-1", "action": "thank", "officer": "d"}, role="admin").status_code == 201
    assert api.delete("/v1/customers/C-1", role="admin").status_code == 204


def test_auth_is_checked_before_the_body(api):
    response = api.client.post("/v1/customers", data="{not json", content_type="text/plain")
    assert_error(response, 401)


def test_keys_never_reach_the_log(api, caplog):
    caplog.set_level(logging.DEBUG)
    api.client.get("/v1/events", headers={"Authorization": "Bearer leaked-secret"})
    api.get("/v1/events", role="admin")
    assert "leaked-secret" not in caplog.text
    assert KEYS["admin"] not in caplog.text


def test_several_keys_per_role_allow_rotation():
    keys = ApiKeys.parse("integration:old, integration:new\nadmin:root")
    assert keys.role_of("old") == keys.role_of("new") == "integration"
    assert keys.role_of("root") == "admin"
    assert keys.role_of("") is None


@pytest.mark.parametrize("spec", ["", "integration", "boss:key", "admin:", ":key"])
def test_bad_key_configuration_is_refused_without_echoing_keys(spec):
    with pytest.raises(ValueError) as error:
        ApiKeys.parse(spec)
    assert "key" in str(error.value)


def test_first_start_generates_one_key_per_role_in_a_private_file(tmp_path):
    keys, path = ensure_api_keys(tmp_path / "data")
    assert set(keys) == {"integration", "officer", "admin"}
    assert len(set(keys.values())) == 3 and all(len(k) >= 32 for k in keys.values())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_api_keys(tmp_path / "data") == (keys, path)


def test_without_configured_keys_the_app_uses_the_generated_file(tmp_path):
    keys, _ = ensure_api_keys(tmp_path)
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "EMBEDDED_PROJECTIONS": False})
    try:
        client = app.test_client()
        ok = client.get("/v1/events", headers={"Authorization": f"Bearer {keys['officer']}"})
        assert ok.status_code == 200
        assert client.get("/v1/events", headers={"Authorization": "Bearer x"}).status_code == 401
    finally:
        app.extensions["advocacy"].close()
