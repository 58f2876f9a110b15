"""The mention lane answers plain single-mention POSTs without Flask, exactly as the Flask view would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import auth, make_app, mention


class Spy:
    """Wraps the Flask app's own wsgi_app (inside the lane) and counts the requests that reached it."""

    def __init__(self, wsgi_app: Callable[..., Any]):
        self.wsgi_app = wsgi_app
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.wsgi_app(environ, start_response)


def app_on(tmp_path, name: str) -> Flask:
    directory = tmp_path / name
    app = make_app({"ADVOCACY_DATA_DIR": str(directory / "data")}, directory, EMBEDDED_PROJECTIONS=False)
    app.test_client().post("/v1/customers", json={"crm_id": "C-1", "name": "Budi"}, headers=bearer("integration"))
    return app


def bearer(role: str | None) -> dict[str, str]:
    """The test keys' header, and an unknown key for the role "nobody"."""
    return {"Authorization": "Bearer not-a-key"} if role == "nobody" else auth(role)


@pytest.fixture
def lane_app(tmp_path):
    """An app whose lane wraps a spy, so a test sees which requests reached Flask."""
    app = app_on(tmp_path, "lane")
    app.wsgi_app.wsgi_app = spy = Spy(app.wsgi_app.wsgi_app)
    yield app, spy
    app.extensions["advocacy"].close()


def post(app: Flask, body: Any, role: str | None = "integration", content_type: str | None = "application/json",
         query: str = "") -> tuple[int, list[tuple[str, str]], bytes]:
    """POST /v1/mentions with a raw body (bytes) or a JSON one; status, headers and body as sent back."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = bearer(role)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = app.test_client().post("/v1/mentions" + query, data=data, headers=headers)
    return response.status_code, sorted(response.headers.to_wsgi_list()), response.get_data()


def test_a_plain_mention_from_an_ingesting_key_is_answered_by_the_lane(lane_app):
    app, spy = lane_app
    status, headers, body = post(app, mention("m-1"))
    assert status == 201
    assert spy.calls == 0
    answer = json.loads(body)
    assert set(answer) == {"id", "sentiment", "language", "spam", "position"}
    assert answer["sentiment"]["compound"] > 0.5 and answer["spam"] == {"is_spam": False, "reasons": []}
    assert ("Content-Type", "application/json") in headers

    again = post(app, mention("m-1"))
    assert again[0] == 200 and json.loads(again[2]) == answer  # a repeated delivery: the stored verdict
    assert spy.calls == 0
    assert post(app, mention("m-2"), role="admin")[0] == 201 and spy.calls == 0


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"role": "officer"}, 403),
        ({"role": None}, 401),
        ({"role": "nobody"}, 401),
        ({"content_type": "text/plain"}, 415),
        ({"content_type": None}, 415),
        ({"query": "?source=x"}, 201),  # Flask ignores the query; the lane leaves it to Flask all the same
        ({"body": b'{"source": "listening",'}, 400),
        ({"body": b'{"reach": NaN}'}, 422),
        ({"body": mention("m-3", reach="many")}, 422),
        ({"body": mention("m-3", colour="red")}, 422),
        ({"body": mention("m-3", crm_id="C-404")}, 422),  # plain, but recording refuses it: Flask says why
        ({"body": mention("m-3", crm_id=None)}, 422),
    ],
)
def test_anything_else_goes_to_flask(lane_app, change, status):
    app, spy = lane_app
    arguments = {"body": mention("m-3"), **change}
    assert post(app, **arguments)[0] == status
    assert spy.calls >= 1


SENTENCES = st.sampled_from([
    "I love Kopiku, the best coffee!",
    "Pelayanannya mantap banget, sangat puas",
    "Aplikasinya lemot parah, kecewa banget",
    "SLOT GACOR hari ini maxwin, depo 10rb via dana, link di bio!!",
    "Ada promo apa minggu ini?",
])
MOMENTS = st.sampled_from(["2026-11-01T10:00:00+07:00", "2026-11-01T03:00:00Z", "2026-11-01 10:00:00+07:00"]) | (
    st.sampled_from(["2026-11-01", "2026-11-01T10:00:00", "1899-01-01T00:00:00Z", "yesterday", 20261101])
)


@st.composite
def bodies(draw: st.DrawFn) -> Any:
    """Mention bodies: mostly valid, some refused by the schema or by the recording, a few not JSON."""
    if draw(st.integers(0, 20)) == 0:
        return draw(st.sampled_from([b"", b"[]", b"null", b'{"text": "\\ud800"}', b"\xef\xbb\xbf{}", b"{,}"]))
    body: dict[str, Any] = {
        "source": draw(st.sampled_from(["listening", "crm"])),
        "external_id": draw(st.sampled_from(["m-1", "m-2", "m-3"]) | st.text(min_size=1, max_size=6)),
        "brand": draw(st.sampled_from(["Kopiku", "Gojek", "Grab"])),
        "channel": draw(st.sampled_from(["twitter", "instagram"])),
        "text": draw(SENTENCES | st.text(max_size=30)),
        "occurred_at": draw(MOMENTS),
    }
    author = draw(st.sampled_from(["crm", "crm", "handle", "handle", "both", "neither"]))
    if author in ("crm", "both"):
        body["crm_id"] = draw(st.sampled_from(["C-1", "C-404"]))
    if author in ("handle", "both"):
        body["author"] = {"platform": "twitter", "handle": draw(st.sampled_from(["@budi", "@sari", ""]))}
    for name, values in (
        ("reach", st.none() | st.integers(-2, 10**13) | st.just("many")),
        ("url", st.none() | st.just("https://x.example/1")),
        ("campaign", st.none() | st.just("ramadan")),
        ("colour", st.just("red")),
    ):
        if draw(st.integers(0, 3)) == 0:
            body[name] = draw(values)
    return body


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    requests=st.lists(
        st.fixed_dictionaries({
            "body": bodies(),
            "role": st.sampled_from(["integration", "integration", "integration", "admin", "officer", None]),
            "content_type": st.sampled_from(["application/json"] * 4 + ["application/json; charset=utf-8", "text/plain"]),
        }),
        min_size=1,
        max_size=6,
    )
)
def test_the_lane_answers_every_request_as_the_flask_view_does(tmp_path_factory, requests):
    """The same requests to two apps on two fresh stores, one with the lane and one without: the same answers,
    byte for byte (positions and the spam window included). Every request is delivered twice, as a CRM
    retrying would: the second answer of a stored mention is its duplicate."""
    root = tmp_path_factory.mktemp("lane")
    with_lane, without = app_on(root, "with"), app_on(root, "without")
    without.wsgi_app = without.wsgi_app.wsgi_app  # type: ignore[method-assign]  # Flask alone
    try:
        for request in requests + requests:
            assert post(with_lane, **request) == post(without, **request), request
    finally:
        with_lane.extensions["advocacy"].close()
        without.extensions["advocacy"].close()
