"""One JSON error shape for every failure; malformed input never produces a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import KEYS, assert_error


def test_malformed_json_is_400(api):
    response = api.client.post(
        "/v1/customers", data='{"crm_id": ', content_type="application/json", headers={"Authorization": f"Bearer {KEYS['admin']}"}
    )
    assert_error(response, 400)


def test_invalid_utf8_is_400(api):
    response = api.client.post(
        "/v1/customers", data=b'{"crm_id": "\xff"}', content_type="application/json", headers={"Authorization": f"Bearer {KEYS['admin']}"}
    )
    assert_error(response, 400)


DEEP = 100_000


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/customers", "[" * DEEP + "]" * DEEP),
        ("/v1/mentions", "[" * DEEP + "]" * DEEP),  # past the mention lane, whose decoder refuses it too
        ("/v1/mentions/batch", '{"mentions": ' + "[" * DEEP + "]" * DEEP + "}"),
        ("/v1/referrals", '{"referee": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}"),
        ("/v1/brands/Kopiku", "[" * DEEP + "]" * DEEP),
    ],
)
def test_json_nested_too_deeply_to_decode_is_400(api, path, body):
    method = api.client.put if path.startswith("/v1/brands") else api.client.post
    response = method(path, data=body, content_type="application/json", headers={"Authorization": f"Bearer {KEYS['admin']}"})
    assert_error(response, 400)
    assert response.get_json()["errors"] == {"json": ["JSON nested too deeply."]}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_bodies_that_are_not_json_are_415(api, content_type):
    response = api.client.post(
        "/v1/customers", data="crm_id=1", content_type=content_type, headers={"Authorization": f"Bearer {KEYS['admin']}"}
    )
    assert_error(response, 415)


def test_unknown_paths_are_404_and_wrong_methods_405(api):
    assert_error(api.get("/v1/nothing-here"), 404)
    assert_error(api.get("/v1/mentions/not-a-uuid/spam"), 404)
    response = api.client.patch("/v1/customers", headers={"Authorization": f"Bearer {KEYS['admin']}"})
    assert_error(response, 405)
    assert "POST" in response.headers["Allow"]


def test_bodies_over_the_limit_are_413(store_env, tmp_path):
    from tests.api.conftest import make_app

    app = make_app(store_env, tmp_path, MAX_CONTENT_LENGTH=1000, EMBEDDED_PROJECTIONS=False)
    try:
        response = app.test_client().post(
            "/v1/mentions/batch",
            json={"mentions": [{"text": "x" * 2000}]},
            headers={"Authorization": f"Bearer {KEYS['integration']}"},
        )
        assert_error(response, 413)
    finally:
        app.extensions["advocacy"].close()


@pytest.mark.parametrize("body", [[], "text", 3, None, {"crm_id": None, "name": None}, {"crm_id": {"a": 1}, "name": []}])
def test_wrong_json_types_are_422_never_500(api, body):
    response = api.client.post(
        "/v1/customers",
        data=__import__("json").dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {KEYS['admin']}"},
    )
    assert_error(response, 422)


def test_unknown_fields_are_named(api):
    assert_error(api.customer(nickname="bud"), 422, "nickname")


@pytest.mark.parametrize("text", ["nul \x00 inside", "lone \ud800 surrogate"])
def test_text_no_store_can_hold_is_422(api, text):
    assert_error(api.customer(name=text), 422, "name")


def test_an_unexpected_failure_answers_in_the_error_shape_without_a_trace(api, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api.application, "read_log", broken)
    response = api.get("/v1/events")
    body = assert_error(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["message"]
    assert "secret internals" in caplog.text


def test_a_busy_or_unreachable_store_is_503(api, monkeypatch):
    from eventsourcing.persistence import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(api.application, "read_log", locked)
    assert_error(api.get("/v1/events"), 503)


def test_path_segments_no_store_can_hold_are_422(api):
    assert_error(api.put("/v1/brands/a%00b", {"own": True}), 422)
    assert_error(api.get("/v1/campaigns/a%00b"), 422)
    assert_error(api.delete("/v1/customers/x%00"), 422)
