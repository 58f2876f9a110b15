"""The OpenAPI document, the offline docs, and schemathesis against every operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import auth

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 40


def test_the_spec_documents_every_route_with_auth_and_errors(api):
    spec = api.get("/v1/openapi.json", role=None).get_json()
    assert spec["openapi"].startswith("3.")
    routes = {
        rule.rule.replace("<uuid:", "{").replace("<", "{").replace(">", "}")
        for rule in api.app.url_map.iter_rules()
        if rule.rule.startswith("/v1") and not rule.rule.startswith(("/v1/docs", "/v1/openapi"))
    }
    assert routes == set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            if path != "/v1/health":
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
            assert operation.get("summary"), (method, path)


def test_the_docs_page_uses_only_local_assets(api):
    page = api.get("/v1/docs", role=None).get_data(as_text=True)
    assert "/v1/docs/assets/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        response = api.get(f"/v1/docs/assets/{asset}", role=None)
        assert response.status_code == 200 and len(response.data) > 1000
        response.close()


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_500_or_breaks_the_schema(flask_app, mode):
    flask_app.test_client().post("/v1/customers", json={"crm_id": "C-1", "name": "Budi"}, headers=auth("admin"))
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", flask_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 28
    for operation in operations:
        check_operation(operation, mode)


def check_operation(operation, mode: GenerationMode) -> None:
    """Bounded examples of one operation, called with an admin key, checked for 500s and schema breaks."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        response = case.call(headers=auth("admin"))
        if response.status_code == 503 and "not available in this version" in response.text:
            return  # a read model the projections do not provide yet
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing to negate: the operation takes no input
