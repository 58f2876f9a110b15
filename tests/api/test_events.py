"""The change feed a CRM syncs from: ordered, paged, without forgotten personal data."""

from __future__ import annotations

from tests.api.conftest import assert_error


def test_the_feed_pages_in_log_order_with_next_after(api):
    api.customer("C-1", "Budi")
    for i in range(4):
        api.mention(f"m-{i}")
    first = api.get("/v1/events?limit=3").get_json()
    second = api.get(f"/v1/events?after={first['next_after']}&limit=3").get_json()
    positions = [e["position"] for e in first["items"] + second["items"]]
    assert positions == sorted(positions) and len(positions) == 5
    assert first["items"][0]["type"] == "Customer.Registered"
    assert {e["type"] for e in second["items"]} == {"Mention.Recorded"}
    assert set(first["items"][0]) >= {"position", "type", "occurred_at", "data"}
    assert second["next_after"] == positions[-1]
    last = api.get(f"/v1/events?after={second['next_after']}").get_json()
    assert last == {"items": [], "next_after": second["next_after"]}


def test_the_feed_shows_no_personal_data_of_forgotten_customers(api):
    api.customer("C-1", "Budi Santoso", email="budi@example.com")
    api.mention("m-1", text="Budi says Kopiku rocks")
    api.delete("/v1/customers/C-1")
    feed = api.get("/v1/events?limit=100").get_data(as_text=True)
    assert "Budi" not in feed and "budi@example.com" not in feed
    assert "Customer.Forgotten" in feed


def test_feed_arguments_are_checked(api):
    assert_error(api.get("/v1/events?after=-1"), 422, "after")
    assert_error(api.get("/v1/events?limit=0"), 422, "limit")
    assert_error(api.get("/v1/events?limit=1001"), 422, "limit")
    assert_error(api.get("/v1/events?after=abc"), 422, "after")
    assert api.get("/v1/events?min_position=0").status_code == 200
