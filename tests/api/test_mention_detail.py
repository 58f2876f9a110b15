"""GET /v1/mentions/<id>: the stored mention as the application returns it."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def recorded(api) -> dict:
    """A mention by Budi, as recorded."""
    api.customer("C-1", "Budi")
    response = api.mention("m-1", reach=1200, url="https://x.com/budi/status/1")
    assert response.status_code == 201
    return response.get_json()


def test_every_role_reads_the_stored_mention(api, recorded):
    for role in ("integration", "officer", "admin"):
        response = api.get(f"/v1/mentions/{recorded['id']}", role=role)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["id"] == recorded["id"]
        assert (body["source"], body["external_id"], body["brand"], body["channel"]) == ("listening", "m-1", "kopiku", "twitter")
        assert (body["text"], body["url"], body["reach"]) == ("I love Kopiku, the best coffee!", "https://x.com/budi/status/1", 1200)
        assert body["sentiment"] == recorded["sentiment"] and body["spam"] == recorded["spam"]
        assert body["language"] == recorded["language"] and body["customer_id"]
        assert body["occurred_at"].startswith("2026-11-01T03:00:00") and body["overrides"] == []
        assert body["answered_at"] is None


def test_corrections_show_in_the_stored_mention(api, recorded):
    path = f"/v1/mentions/{recorded['id']}"
    api.post(f"{path}/sentiment", {"compound": -0.6, "officer": "dewi", "reason": "sarcasm"}, role="officer")
    api.post(f"{path}/spam", {"is_spam": True, "officer": "dewi", "reason": "casino link"}, role="officer")
    body = api.get(path).get_json()
    assert body["sentiment"]["compound"] == -0.6 and body["spam"]["is_spam"] is True
    assert [o["kind"] for o in body["overrides"]] == ["sentiment", "spam"]


def test_a_forgotten_authors_text_is_gone(api, recorded):
    assert api.delete("/v1/customers/C-1").status_code == 204
    body = api.get(f"/v1/mentions/{recorded['id']}").get_json()
    assert body["text"] is None and body["url"] is None and body["brand"] == "kopiku"


@pytest.mark.parametrize("mention_id", [UNKNOWN, "not-a-uuid", "12345"])
def test_an_unknown_or_malformed_id_is_404(api, mention_id):
    assert_error(api.get(f"/v1/mentions/{mention_id}"), 404)


def test_reading_a_mention_needs_a_key(api, recorded):
    assert_error(api.get(f"/v1/mentions/{recorded['id']}", role=None), 401)
    assert_error(api.get(f"/v1/mentions/{UNKNOWN}", role=None), 401)
