"""One flask-smorest Blueprint per resource, registered on one Api."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from api.errors import ErrorSchema
from api.resources import (
    advocates,
    attention,
    brands,
    campaigns,
    customers,
    events,
    health,
    mentions,
    outreach,
    read_models,
    referrals,
    sentiment,
    share_of_voice,
)

BLUEPRINTS = (
    health,
    customers,
    mentions,
    referrals,
    outreach,
    brands,
    campaigns,
    advocates,
    sentiment,
    share_of_voice,
    attention,
    events,
    read_models,
)


class AdvocacyApi(Api):
    """flask-smorest's Api with our error schema in the spec."""

    ERROR_SCHEMA = ErrorSchema


def register_resources(app: Flask) -> Api:
    """Create the Api, document the auth errors, and register every resource."""
    api = AdvocacyApi(app)
    api.spec.components.response("UNAUTHORIZED", _error_response("Missing or unknown API key"))
    api.spec.components.response("FORBIDDEN", _error_response("The key's role may not do this"))
    api.spec.components.response("NOT_FOUND", _error_response("The resource the URL names does not exist"))
    api.spec.components.response("CONFLICT", _error_response("Contradicts what is recorded or running"))
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp, url_prefix=f"/v1{module.PREFIX}")
    return api


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": "Error"}}}
