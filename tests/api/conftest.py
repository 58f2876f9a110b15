"""Flask test clients on each store (SQLite file, PostgreSQL), with one key per role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app

KEYS = {"integration": "integration-key-1", "officer": "officer-key-1", "admin": "admin-key-1"}
API_KEYS = ",".join(f"{role}:{key}" for role, key in KEYS.items())
WHEN = "2026-11-01T10:00:00+07:00"


def auth(role: str | None) -> dict[str, str]:
    """The Authorization header of `role`'s key (none for None)."""
    return {"Authorization": f"Bearer {KEYS[role]}"} if role else {}


class Api:
    """The test client, speaking JSON with a role's key."""

    def __init__(self, client: FlaskClient, app: Flask):
        self.client = client
        self.app = app

    def get(self, path: str, role: str | None = "integration", **kw: Any):
        return self.client.get(path, headers=auth(role), **kw)

    def post(self, path: str, body: Any = None, role: str | None = "integration", **kw: Any):
        return self.client.post(path, json=body, headers=auth(role), **kw)

    def put(self, path: str, body: Any = None, role: str | None = "admin", **kw: Any):
        return self.client.put(path, json=body, headers=auth(role), **kw)

    def delete(self, path: str, role: str | None = "admin", **kw: Any):
        return self.client.delete(path, headers=auth(role), **kw)

    @property
    def application(self):
        return self.app.extensions["advocacy"].application

    # Small builders that read like the product

    def customer(self, crm_id: str = "C-1", name: str = "Budi", role: str = "integration", **extra: Any):
        return self.post("/v1/customers", {"crm_id": crm_id, "name": name, **extra}, role=role)

    def mention(self, external_id: str = "m-1", role: str = "integration", **fields: Any):
        return self.post("/v1/mentions", mention(external_id, **fields), role=role)


def mention(external_id: str = "m-1", **fields: Any) -> dict[str, Any]:
    """A valid mention body by customer C-1 unless fields say otherwise."""
    body = {
        "source": "listening",
        "external_id": external_id,
        "crm_id": "C-1",
        "brand": "Kopiku",
        "channel": "twitter",
        "text": "I love Kopiku, the best coffee!",
        "occurred_at": WHEN,
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def make_app(store_env: dict[str, str], tmp_path, **config: Any) -> Flask:
    """An API app on `store_env` with the test keys."""
    settings = {
        "TESTING": True,
        "STORE_ENV": store_env,
        "DATA_DIR": str(tmp_path / "api-data"),
        "API_KEYS": API_KEYS,
        "WAIT_TIMEOUT": 10.0,
        "EMBEDDED_PROJECTIONS": "thread",  # the child process is tested on its own (test_projections_process.py)
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def flask_app(store_env: dict[str, str], clock, tmp_path) -> Iterator[Flask]:
    """The API app on each store, with a hand-moved clock."""
    app = make_app(store_env, tmp_path, CLOCK=clock)
    yield app
    app.extensions["advocacy"].close()


@pytest.fixture
def api(flask_app: Flask) -> Api:
    """A JSON client for the API."""
    return Api(flask_app.test_client(), flask_app)


def assert_error(response, status: int, *fields: str) -> dict[str, Any]:
    """The response is the one error shape with `status`, naming each of `fields`."""
    body = response.get_json()
    assert response.status_code == status, response.get_data(as_text=True)
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["code"] == status
    assert isinstance(body["message"], str) and body["message"]
    named = {name for location in body["errors"].values() if isinstance(location, dict) for name in location}
    for field in fields:
        assert field in named, f"{field} not in {body['errors']}"
    return body
