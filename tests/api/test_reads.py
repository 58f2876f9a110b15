"""Reads from the projections: advocates, recommendations, trends, share of voice, attention, campaigns."""

from __future__ import annotations

import pytest

from projections.failures import clear_failures, note_failure
from tests.api.conftest import assert_error

WEEK_AGO = "2026-10-26T10:00:00+07:00"


@pytest.fixture
def story(api):
    """Budi praises Kopiku and brings a converted referral; Sari complains; a competitor is mentioned."""
    api.put("/v1/brands/Kopiku", {"own": True})
    api.put("/v1/brands/Kapalapi", {"own": False})
    api.put("/v1/campaigns/ngopi", {"brand": "Kopiku", "starts_on": "2026-10-20", "ends_on": "2026-10-31"}, role="officer")
    api.customer("C-1", "Budi")
    api.customer("C-2", "Sari")
    api.mention("m-1", text="I love Kopiku, the best coffee!", reach=300)
    api.mention("m-2", crm_id="C-2", text="Kopiku is terrible, awful service", occurred_at=WEEK_AGO)
    api.mention("m-3", crm_id="C-2", brand="Kapalapi", text="Kapalapi is nice", reach=700)
    api.mention("m-4", author={"platform": "x", "handle": "@bot"}, crm_id=None,
                text="SLOT GACOR hari ini maxwin, depo 10rb via dana, link alternatif di bio!!")
    referral = {"external_id": "R-1", "referrer_crm_id": "C-1", "referee": {"email": "a@example.com"},
                "occurred_at": WEEK_AGO, "campaign": "ngopi"}
    api.post("/v1/referrals", referral)
    conversion = {"crm_id": "C-9", "value": 100000, "occurred_at": "2026-10-28T10:00:00+07:00"}
    return api.post("/v1/referrals/R-1/conversion", conversion).get_json()["position"]


def read(api, path: str, position: int, role: str = "officer") -> dict:
    response = api.get(f"{path}{'&' if '?' in path else '?'}min_position={position}", role=role)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_advocates_rank_the_referrer_first_with_an_explained_score(api, story):
    body = read(api, "/v1/advocates", story)
    first, second = body["items"][:2]
    assert (first["crm_id"], first["rank"], first["name"]) == ("C-1", 1, "Budi")
    assert first["score"] > second["score"]
    assert first["breakdown"]["referrals_converted"]["count"] == 1
    assert body["scoring_version"]


def test_advocates_page_with_a_cursor(api, story):
    first = read(api, "/v1/advocates?limit=1", story)
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = read(api, f"/v1/advocates?limit=1&cursor={first['next_cursor']}", story)
    assert second["items"][0]["rank"] == 2
    assert_error(api.get("/v1/advocates?cursor=not-a-cursor"), 422, "cursor")
    assert_error(api.get("/v1/advocates?limit=501"), 422, "limit")


def test_a_customer_shows_score_and_rank_and_a_timeline(api, story):
    profile = read(api, "/v1/customers/C-1", story)
    assert profile["score"]["rank"] == 1
    timeline = read(api, "/v1/customers/C-1/timeline", story)
    types = [e["type"] for e in timeline["items"]]
    assert types[0] == "Customer.Registered"
    assert {"Mention.Recorded", "Referral.Made", "Referral.Converted"} <= set(types)
    positions = [e["position"] for e in timeline["items"]]
    assert positions == sorted(positions)
    page = read(api, "/v1/customers/C-1/timeline?limit=2", story)
    rest = read(api, f"/v1/customers/C-1/timeline?cursor={page['next_cursor']}", story)
    assert [e["position"] for e in page["items"] + rest["items"]] == positions
    assert_error(api.get("/v1/customers/C-404/timeline"), 404)
    assert_error(api.get("/v1/customers/C-1/timeline?cursor=abc"), 422, "cursor")


def test_recommendations_give_reasons_and_an_action_and_respect_the_cooldown(api, story, clock):
    body = read(api, "/v1/outreach/recommendations", story)
    top = body["items"][0]
    assert top["crm_id"] == "C-1"
    assert any("referral" in reason for reason in top["reasons"])
    assert top["suggested_action"]
    contacted = api.post("/v1/outreach", {"crm_id": "C-1", "action": "reward", "officer": "dewi"}, role="officer")
    later = read(api, "/v1/outreach/recommendations", contacted.get_json()["position"])
    assert "C-1" not in [r["crm_id"] for r in later["items"]]


def test_trends_count_mentions_and_spam_per_period(api, story):
    body = read(api, "/v1/sentiment/trends?granularity=month&brand=Kopiku", story)
    totals = {k: sum(p[k] for p in body["items"]) for k in ("mentions", "positive", "negative", "spam")}
    assert totals["mentions"] == 2
    assert totals["positive"] == 1 and totals["negative"] == 1
    weeks = read(api, "/v1/sentiment/trends?granularity=week&from=2026-10-26&to=2026-11-01", story)
    assert all(p["period"] >= "2026-10-26" for p in weeks["items"])
    assert_error(api.get("/v1/sentiment/trends?granularity=year"), 422, "granularity")
    assert_error(api.get("/v1/sentiment/trends?from=yesterday"), 422, "from")


def test_share_of_voice_compares_our_brand_with_competitors(api, story):
    body = read(api, "/v1/share-of-voice", story)
    shares = {item["brand"]: item for item in body["items"]}
    assert shares["kopiku"]["own"] is True and shares["kapalapi"]["own"] is False
    assert shares["kopiku"]["mentions"] == 2 and shares["kapalapi"]["mentions"] == 1
    assert shares["kopiku"]["share"] == pytest.approx(2 / 3, abs=1e-4)
    assert shares["kapalapi"]["reach_share"] == pytest.approx(0.7, abs=1e-4)


def test_the_attention_queue_shows_the_unhappy_customer(api, story):
    body = read(api, "/v1/attention", story)
    assert [item["crm_id"] for item in body["items"]] == ["C-2"]


def test_brands_and_campaigns_are_listed_and_reported(api, story):
    brands = {b["name"]: b for b in read(api, "/v1/brands", story)["items"]}
    assert brands["kopiku"]["own"] is True
    campaigns = read(api, "/v1/campaigns", story)["items"]
    assert [c["name"] for c in campaigns] == ["ngopi"]
    report = read(api, "/v1/campaigns/ngopi", story)
    assert report["referrals"]["converted"] == 1
    assert set(report["mentions"]) == {"before", "during", "after"}
    assert_error(api.get("/v1/campaigns/nothing"), 404)


def test_min_position_beyond_the_log_is_refused(api, story):
    assert_error(api.get(f"/v1/advocates?min_position={story + 1000}"), 422, "min_position")


def test_reads_that_cannot_catch_up_in_time_answer_503(store_env, tmp_path):
    from tests.api.conftest import make_app

    app = make_app(store_env, tmp_path, EMBEDDED_PROJECTIONS=False, WAIT_TIMEOUT=0.2)
    try:
        client = app.test_client()
        headers = {"Authorization": "Bearer admin-key-1"}
        position = client.post("/v1/customers", json={"crm_id": "C-1", "name": "Budi"}, headers=headers).get_json()["position"]
        response = client.get(f"/v1/advocates?min_position={position}", headers=headers)
        assert_error(response, 503)
        assert response.headers["Retry-After"] == "1"
        assert client.get("/v1/advocates", headers=headers).status_code == 200
    finally:
        app.extensions["advocacy"].close()


def test_without_read_models_reads_answer_503_and_writes_go_on(api, monkeypatch):
    monkeypatch.setattr(api.app.extensions["advocacy"], "reads", None)
    assert_error(api.get("/v1/advocates"), 503)
    assert api.customer("C-1", "Budi").status_code == 201
    assert api.get("/v1/health", role=None).status_code == 200


def test_health_reports_store_head_and_projection_lag(api, story):
    body = api.get("/v1/health", role=None).get_json()
    assert body["status"] == "ok"
    assert body["store"]["head"] >= story
    assert body["projections"]
    assert all(p["failing"] is None for p in body["projections"])


def test_health_is_degraded_while_a_projection_keeps_failing(api, story):
    # What a runner in another process writes when its batches keep failing (tests/projections covers the runner),
    # once this app's runner is under way (it clears failures on record when it starts).
    assert api.get(f"/v1/projections?min_position={story}").status_code == 200
    db = api.application.db
    note_failure(db, ["trends"], 1, OSError("disk full"))
    note_failure(db, ["trends"], 2, OSError("disk full"))

    body = api.get("/v1/health", role=None).get_json()

    assert body["status"] == "degraded"
    failing = {p["name"]: p["failing"] for p in body["projections"]}
    assert failing["advocates"] is None
    assert failing["trends"]["attempts"] == 2 and failing["trends"]["error"] == "OSError: disk full"
    clear_failures(db, ["trends"])
    assert api.get("/v1/health", role=None).get_json()["status"] == "ok"

