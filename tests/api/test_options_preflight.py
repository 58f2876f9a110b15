"""OPTIONS on /v1 routes (a CORS preflight, a probe) needs no key: Flask answers with the allowed methods."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/v1/brands", {"GET"}),
        ("/v1/brands/Kopiku", {"PUT"}),
        ("/v1/mentions", {"POST"}),
        ("/v1/mentions/00000000-0000-0000-0000-000000000000", {"GET"}),
        ("/v1/customers/C-1", {"GET", "DELETE"}),
        ("/v1/projections/rebuild", {"POST"}),
    ],
)
def test_options_answers_the_allowed_methods_without_a_key(api, path, methods):
    preflight = {"Access-Control-Request-Method": "POST", "Origin": "https://crm.example"}
    response = api.client.options(path, headers=preflight)
    assert response.status_code == 200, response.get_data(as_text=True)
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert methods | {"OPTIONS"} <= allowed
    assert not any(h.lower().startswith("access-control-") for h in response.headers.keys())
    assert response.data == b""


def test_options_with_any_key_answers_the_same(api):
    for key in ("wrong", "integration-key-1", "admin-key-1"):
        response = api.client.options("/v1/advocates", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200 and "GET" in response.headers["Allow"]


def test_other_methods_still_need_a_key(api):
    assert_error(api.get("/v1/brands", role=None), 401)
    assert_error(api.client.put("/v1/brands/Kopiku", json={"own": True}), 401)


def test_options_on_an_unknown_route_is_404(api):
    assert_error(api.client.options("/v1/nothing-here"), 404)
