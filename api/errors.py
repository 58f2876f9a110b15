"""One JSON error shape for every failure, and the one mapping from domain errors to HTTP statuses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from flask import Flask, request
from werkzeug.exceptions import HTTPException, InternalServerError

from advocacy.domain.errors import Conflict, InvalidInput, NotFound
from api.auth import is_api_request

log = logging.getLogger(__name__)


class ErrorSchema(ma.Schema):
    """The body of every error response."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a log"})
    errors = ma.fields.Dict(
        required=True,
        metadata={"description": "Field errors by location (json, query), each field with its reasons"},
    )


def error_body(code: int, message: str | None = None, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error shape: code, status name, message and field errors."""
    status = HTTPStatus(code)
    return {"code": code, "status": status.phrase, "message": message or status.description, "errors": errors or {}}


def http_error(error: HTTPException) -> Any:
    """Any werkzeug/flask-smorest HTTP error (abort, routing, 413, webargs 400/422) in the one shape."""
    if not is_api_request():
        return error  # pages outside /v1 (the dashboard) keep HTML errors
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages") or {}
    message = data.get("message") or _message_for(code, errors, error)
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"} if error.response is None else {}
    headers.update(data.get("headers") or {})
    return error_body(code, message, errors), code, headers


def domain_error(error: Exception) -> tuple[dict[str, Any], int]:
    """Domain errors, decided here and nowhere else."""
    if isinstance(error, InvalidInput):
        return _field_error(error.field, error.reason)
    if isinstance(error, NotFound):
        # 404 when the unknown thing is the resource the URL names; 422 when it is a reference in the input.
        if error.field is None or error.field in (request.view_args or {}):
            return error_body(404, str(error)), 404
        return _field_error(error.field, str(error))
    if isinstance(error, Conflict):
        return error_body(409, str(error)), 409
    if isinstance(error, IntegrityError):
        return error_body(409, "a concurrent write changed the same record; retry the request"), 409
    if isinstance(error, OperationalError | InterfaceError):
        log.warning("event store unavailable on %s %s: %s", request.method, request.path, error)
        return error_body(503, "the event store is busy or unavailable; retry shortly"), 503
    raise error


def unexpected_error(error: Exception) -> Any:
    """Last resort: log the failure and answer in the error shape, never with a stack trace."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    if not is_api_request():
        return InternalServerError()
    return error_body(500, "internal error; it has been logged"), 500


def register_error_handlers(app: Flask) -> None:
    """Route every failure to the shapes above."""
    app.register_error_handler(HTTPException, http_error)
    for kind in (InvalidInput, NotFound, Conflict, IntegrityError, OperationalError, InterfaceError):
        app.register_error_handler(kind, domain_error)
    app.register_error_handler(Exception, unexpected_error)


def _field_error(field: str, reason: str) -> tuple[dict[str, Any], int]:
    if field in (request.view_args or {}):
        location = "path"
    else:
        location = "json" if request.method in ("POST", "PUT", "PATCH") else "query"
    return error_body(422, f"{field}: {reason}", {location: {field: [reason]}}), 422


def _message_for(code: int, errors: Any, error: HTTPException) -> str:
    if code == 422 and isinstance(errors, dict):
        fields = sorted({f for location in errors.values() if isinstance(location, dict) for f in location})
        return "invalid input: " + ", ".join(fields) if fields else "invalid input"
    if code == 400 and errors:
        return "malformed JSON body"
    return error.description or HTTPStatus(code).description
