"""GET /v1/projections and POST /v1/projections/rebuild: positions, lag, and rebuilds in the background."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest

from api import rebuilds as background
from projections.failures import note_failure
from projections.rebuild import rebuild_lock
from tests.api.conftest import assert_error

NAMES = ["advocates", "trends", "attention", "campaigns"]


@pytest.fixture
def story(api) -> int:
    """A brand, a customer and two mentions; the log position after them."""
    api.put("/v1/brands/Kopiku", {"own": True})
    api.customer("C-1", "Budi")
    api.mention("m-1", text="I love Kopiku, the best coffee!")
    return api.mention("m-2", text="Kopiku is terrible, awful service").get_json()["position"]


def status(api, role: str = "officer", position: int = 0) -> dict:
    response = api.get(f"/v1/projections?min_position={position}", role=role)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def finished(api, timeout: float = 30.0) -> dict:
    """The status once no rebuild runs any more."""
    deadline = time.monotonic() + timeout
    while (body := status(api))["rebuild"]["running"]:
        assert time.monotonic() < deadline, body
        time.sleep(0.05)
    return body


def generations(body: dict) -> dict[str, int]:
    return {p["name"]: p["generation"] for p in body["projections"]}


def test_every_role_sees_positions_head_and_lag(api, story):
    for role in ("integration", "officer", "admin"):
        body = status(api, role, story)
        assert body["head"] >= story
        assert [p["name"] for p in body["projections"]] == NAMES
        for p in body["projections"]:
            assert p["position"] == story and p["head"] == body["head"] and p["lag"] == body["head"] - p["position"]
            assert p["failing"] is None
        assert body["rebuild"]["running"] is False and body["rebuild"]["last"] is None
    assert_error(api.get("/v1/projections", role=None), 401)


def test_a_projection_that_keeps_failing_shows_since_when_and_why(api, story):
    status(api, "officer", story)  # this app's runner is under way (it clears failures on record when it starts)
    note_failure(api.application.db, ["attention"], 4, OSError("disk full"))  # as a failing runner records it
    failing = {p["name"]: p["failing"] for p in status(api, "officer", story)["projections"]}
    assert failing["advocates"] is None
    assert failing["attention"]["attempts"] == 4 and failing["attention"]["error"] == "OSError: disk full"
    assert datetime.fromisoformat(failing["attention"]["since"]).tzinfo is not None


def test_a_rebuild_of_everything_switches_to_new_generations_and_reads_still_answer(api, story):
    before = api.get(f"/v1/advocates?min_position={story}").get_json()
    brands_before = api.get("/v1/brands").get_json()
    old = generations(status(api, position=story))
    response = api.post("/v1/projections/rebuild", {}, role="admin")
    assert response.status_code == 202, response.get_data(as_text=True)
    started = response.get_json()
    assert started["name"] is None and started["projections"] == NAMES and started["finished_at"] is None
    body = finished(api)
    last = body["rebuild"]["last"]
    assert last["error"] is None and last["finished_at"] and last["started_at"] == started["started_at"]
    new = generations(body)
    assert all(new[n] > old[n] for n in NAMES), (old, new)
    assert sorted((g["name"], g["generation"]) for g in last["generations"]) == sorted(new.items())
    assert all(p["position"] >= story for p in body["projections"])
    after = api.get(f"/v1/advocates?min_position={story}").get_json()
    assert [(a["crm_id"], a["rank"]) for a in after["items"]] == [(a["crm_id"], a["rank"]) for a in before["items"]]
    assert api.get("/v1/brands").get_json() == brands_before
    position = api.mention("m-3", text="Kopiku again, lovely").get_json()["position"]
    assert api.get(f"/v1/attention?min_position={position}").status_code == 200  # the new generation follows the log


def test_a_rebuild_of_one_projection_leaves_the_others(api, story):
    old = generations(status(api, position=story))
    response = api.post("/v1/projections/rebuild", {"name": "trends"}, role="admin")
    assert response.status_code == 202 and response.get_json()["projections"] == ["trends"]
    body = finished(api)
    assert body["rebuild"]["last"]["error"] is None, body["rebuild"]["last"]
    new = generations(body)
    assert new["trends"] > old["trends"], body
    assert {n: g for n, g in new.items() if n != "trends"} == {n: g for n, g in old.items() if n != "trends"}
    assert api.get(f"/v1/sentiment/trends?min_position={story}").status_code == 200


def test_the_body_may_be_left_out(api, story):
    response = api.client.post("/v1/projections/rebuild", headers={"Authorization": "Bearer admin-key-1"})
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json()["projections"] == NAMES
    finished(api)


def test_only_admins_rebuild(api):
    assert_error(api.post("/v1/projections/rebuild", {}, role=None), 401)
    for role in ("integration", "officer"):
        assert_error(api.post("/v1/projections/rebuild", {}, role=role), 403)
    assert status(api)["rebuild"]["last"] is None


@pytest.mark.parametrize("name", ["nope", "", "Advocates", 7])
def test_an_unknown_projection_is_422_naming_it(api, name):
    assert_error(api.post("/v1/projections/rebuild", {"name": name}, role="admin"), 422, "name")
    assert_error(api.post("/v1/projections/rebuild", {"other": 1}, role="admin"), 422, "other")


def test_a_second_rebuild_while_one_runs_here_is_409_and_reads_answer_meanwhile(api, story, monkeypatch):
    release = threading.Event()
    original = background.rebuild

    def slow(*args, **kwargs):
        assert release.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(background, "rebuild", slow)
    assert api.post("/v1/projections/rebuild", {"name": "advocates"}, role="admin").status_code == 202
    try:
        body = assert_error(api.post("/v1/projections/rebuild", {}, role="admin"), 409)
        assert "running" in body["message"]
        running = status(api)["rebuild"]
        assert running["running"] is True and running["last"]["finished_at"] is None
        assert api.get(f"/v1/advocates?min_position={story}").status_code == 200
    finally:
        release.set()
    assert finished(api)["rebuild"]["last"]["error"] is None


def test_a_rebuild_running_in_another_process_is_409(api, story):
    lock = rebuild_lock(api.application)  # what `advocacy projections rebuild` holds while it runs
    try:
        assert_error(api.post("/v1/projections/rebuild", {}, role="admin"), 409)
        assert status(api)["rebuild"]["running"] is True
    finally:
        lock.release()
    assert status(api)["rebuild"]["running"] is False
    assert api.post("/v1/projections/rebuild", {}, role="admin").status_code == 202
    finished(api)


def test_progress_shows_the_generations_being_built(api, story, monkeypatch):
    release, building = threading.Event(), threading.Event()
    original = background.rebuild

    def paused(app, name=None, progress=None, config=None, **kwargs):
        def report(position, head):
            building.set()
            assert release.wait(30)

        return original(app, name, report, config, **kwargs)

    monkeypatch.setattr(background, "rebuild", paused)
    assert api.post("/v1/projections/rebuild", {"name": "campaigns"}, role="admin").status_code == 202
    try:
        assert building.wait(30)
        rebuild = status(api)["rebuild"]
        assert rebuild["running"] is True and rebuild["building"] == ["campaigns"]
        assert 0 <= rebuild["position"] <= rebuild["head"] and rebuild["head"] >= story
        assert api.get(f"/v1/campaigns?min_position={story}").status_code == 200  # the live view still answers
    finally:
        release.set()
    assert finished(api)["rebuild"]["position"] is None


def test_the_spec_documents_both_operations(api):
    spec = api.get("/v1/openapi.json", role=None).get_json()
    post = spec["paths"]["/v1/projections/rebuild"]["post"]
    assert {"202", "401", "403", "409", "422"} <= set(post["responses"])
    assert post["requestBody"].get("required") is not True
    assert {"200", "401", "403"} <= set(spec["paths"]["/v1/projections"]["get"]["responses"])
