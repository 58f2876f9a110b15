"""POST /v1/mentions without Flask's request machinery, for the plainly valid request of a key that may ingest.

Single-mention POSTs are the API's busiest path: every post a listening tool forwards is one. Through Flask,
the session, the before-request hooks, webargs, marshmallow and the response wrapper took about as much CPU
as recording and scoring the mention: 1.65-1.76 ms a request in-process against 0.69-0.92 ms without them
(2026-11-27, alternating runs). This WSGI middleware answers a request itself only when its answer is the
Flask view's: POST to exactly this path with no query, a JSON body of a stated length within the limit, a
bearer key whose role may ingest, a body `plain_mention` takes, and a recording that succeeds. Every other
request, and one whose recording raises, goes to the Flask app with the body it was sent, and Flask answers
as if this lane were not there; recording is idempotent per (source, external_id), so a mention is never
stored twice. tests/api/test_mention_lane.py compares the two on generated requests.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from flask import Flask

from advocacy.results import MentionRecorded
from api.auth import INGEST
from api.mention_fast_path import plain_mention

PATH = "/v1/mentions"
SENTIMENT_FIELDS = ("compound", "pos", "neu", "neg")
log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class MentionLane:
    """Wraps the Flask app's `wsgi_app`: `app.wsgi_app = MentionLane(app, app.wsgi_app)`."""

    def __init__(self, flask_app: Flask, wsgi_app: WSGIApp):
        self.flask_app = flask_app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != PATH or environ.get("QUERY_STRING"):
            return self.wsgi_app(environ, start_response)
        recorded = self._record(environ)
        if recorded is None:
            return self.wsgi_app(environ, start_response)
        if self.flask_app.debug or getattr(self.flask_app.json, "compact", None) is not None:
            response = self.flask_app.json.response(_mention_out(recorded))  # indented, or as configured
            response.status_code = 200 if recorded.duplicate else 201
            return response(environ, start_response)
        # What jsonify sends in production, without building a Response object (a tenth of a request's CPU here).
        body = self.flask_app.json.dumps(_mention_out(recorded), separators=(",", ":")).encode() + b"\n"
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        start_response("200 OK" if recorded.duplicate else "201 CREATED", headers)
        return [body]

    def _record(self, environ: dict[str, Any]) -> MentionRecorded | None:
        """The recorded mention, or None when Flask must answer (the body, if read, put back for it)."""
        length = _content_length(environ, self.flask_app.config["MAX_CONTENT_LENGTH"])
        if length is None or not _is_json(environ.get("CONTENT_TYPE", "")) or not self._may_ingest(environ):
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            mention = plain_mention(orjson.loads(body))
        except orjson.JSONDecodeError:  # Flask's parser decides (it also takes NaN, BOMs, UTF-16...)
            return None
        if mention is None:
            return None
        try:
            return self.flask_app.extensions["advocacy"].mentions.record(mention)
        except Exception:  # noqa: BLE001 - refused or failed: the Flask view records it again or says why
            log.debug("mention lane: recording raised; handing the request to the Flask view", exc_info=True)
            return None

    def _may_ingest(self, environ: dict[str, Any]) -> bool:
        scheme, _, key = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return self.flask_app.extensions["advocacy"].keys.role_of(key.strip()) in INGEST


def _content_length(environ: dict[str, Any], limit: int | None) -> int | None:
    value = environ.get("CONTENT_LENGTH", "")
    if not value.isdigit() or environ.get("HTTP_TRANSFER_ENCODING"):
        return None
    length = int(value)
    return length if 0 < length and (limit is None or length <= limit) else None


def _is_json(content_type: str) -> bool:
    return content_type.partition(";")[0].strip().lower() == "application/json"


def _mention_out(recorded: MentionRecorded) -> dict[str, Any]:
    """What MentionOut dumps for a recorded mention."""
    return {
        "id": str(recorded.id),
        "sentiment": {name: float(recorded.sentiment[name]) for name in SENTIMENT_FIELDS},
        "language": recorded.language,
        "spam": {"is_spam": bool(recorded.spam["is_spam"]), "reasons": [str(r) for r in recorded.spam["reasons"]]},
        "position": recorded.position,
    }
