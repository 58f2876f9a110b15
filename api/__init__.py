"""The HTTP API: `create_app(config=None)` builds a Flask app with every /v1 resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, request
from flask_smorest import abort

from advocacy import config as advocacy_config
from api import auth, errors
from api.dashboard import register_dashboard
from api.auth import ApiKeys, ensure_api_keys
from api.docs import ASSETS_URL, register_docs
from api.mention_lane import MentionLane
from api.resources import register_resources
from api.schemas import storable
from api.services import Services, build_services, services

__all__ = ["Services", "create_app", "ensure_api_keys", "services"]


class DefaultConfig:
    """Defaults; the environment (ADVOCACY_*) and then the caller's dict override them."""

    DATA_DIR = None
    """Where SQLite files and the generated key file live (ADVOCACY_DATA_DIR, else ./var)."""
    API_KEYS = None
    """"role:key,role:key" (ADVOCACY_API_KEYS); unset: keys generated into DATA_DIR/api-keys."""
    STORE_ENV: Mapping[str, str] = {}
    """Extra persistence settings for the event store (eventsourcing's PERSISTENCE_MODULE, POSTGRES_*...)."""
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    """Largest request body in bytes (413 above): a full batch of 1000 long mentions fits."""
    WAIT_TIMEOUT = 5.0
    """Seconds a read waits for min_position before answering 503."""
    EMBEDDED_PROJECTIONS = "process"
    """Where this process runs the projections: "process" (a child process at a lower CPU priority, restarted if
    it dies), "thread" (a background thread of this process), or false (another process runs them:
    `advocacy projections run`). ADVOCACY_EMBEDDED_PROJECTIONS."""
    CLOCK = None
    ASSESSOR = None

    API_TITLE = "Advocacy tracker API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = ASSETS_URL + "/"
    API_SPEC_OPTIONS = {
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "info": {"description": "CRM integration API of the word-of-mouth advocacy tracker. See docs/api.md."},
    }


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then ADVOCACY_* environment, then `config`."""
    app = Flask(__name__)
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("ADVOCACY")
    app.config.update(config or {})
    store_env = _store_env(app.config)
    app.extensions["advocacy"] = build_services(app, store_env, _api_keys(app.config, store_env))
    register_resources(app)
    errors.register_error_handlers(app)
    register_docs(app)
    app.before_request(auth.check_access)
    app.before_request(_check_request)
    register_dashboard(app, advocacy_config.data_dir(store_env))
    app.wsgi_app = MentionLane(app, app.wsgi_app)  # type: ignore[method-assign]  # plain single mentions skip Flask
    return app


def _store_env(config: Mapping[str, Any]) -> dict[str, str]:
    env = {str(k): str(v) for k, v in dict(config["STORE_ENV"] or {}).items()}
    if config["DATA_DIR"]:
        env.setdefault("ADVOCACY_DATA_DIR", str(config["DATA_DIR"]))
    return env


def _api_keys(config: Mapping[str, Any], store_env: Mapping[str, str]) -> ApiKeys:
    if config["API_KEYS"]:
        return ApiKeys.parse(config["API_KEYS"])
    keys, _ = ensure_api_keys(advocacy_config.data_dir(store_env))
    return ApiKeys.parse(keys)


def _check_request() -> None:
    """422 for path segments no store can hold, 413 for bodies over MAX_CONTENT_LENGTH, 415 for non-JSON writes."""
    if request.endpoint is None or not auth.is_api_request():
        return
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and not storable(value):
            reason = "must not contain NUL characters or invalid Unicode"
            abort(422, message=f"{name}: {reason}", errors={"path": {name: [reason]}})
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit is not None and (request.content_length or 0) > limit:
        abort(413, message=f"request body is larger than {limit} bytes")
    if not request.is_json and not (_body_optional() and not request.get_data(cache=True)):
        abort(415, message="send the body as JSON with Content-Type: application/json")


def _body_optional() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "body_optional", False))
