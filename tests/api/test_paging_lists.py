"""GET /v1/brands, /v1/campaigns and /v1/outreach/recommendations page with `limit` and a cursor, in a stable order."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.read import cursors
from tests.api.conftest import assert_error

BRANDS = {"Kopiku": True, "Teh Manis": True, "Kapalapi": False, "Torabika": False, "Indocafe": False}
CAMPAIGNS = {  # two pairs start on the same day: the name breaks the tie
    "ngopi": "2026-11-01",
    "arabika": "2026-11-01",
    "ramadan": "2026-03-01",
    "lebaran": "2026-04-10",
    "merdeka": "2026-08-17",
    "akhir-tahun": "2026-08-17",
}


@pytest.fixture
def brands(api) -> int:
    """Five tracked brands and two only seen in mentions; the log position after the last write."""
    for name, own in BRANDS.items():
        api.put(f"/v1/brands/{name}", {"own": own})
    api.customer("C-1", "Budi")
    api.mention("m-1", brand="Kenangan", text="Kenangan coffee is fine")
    return api.mention("m-2", brand="Janji Jiwa", text="Janji Jiwa is fine").get_json()["position"]


@pytest.fixture
def campaigns(api) -> int:
    """Six campaigns; the log position after the last."""
    position = 0
    for name, starts_on in CAMPAIGNS.items():
        body = {"brand": "Kopiku", "starts_on": starts_on, "ends_on": starts_on}
        position = api.put(f"/v1/campaigns/{name}", body, role="officer").get_json()["position"]
    return position


WORDS = ("Pagi", "Siang", "Sore", "Malam", "Senin", "Selasa", "Rabu")


@pytest.fixture
def advocates(api) -> int:
    """Seven customers with positive mentions of our brand, two pairs of them equally many (equal scores); the
    log position after the last write."""
    api.put("/v1/brands/Kopiku", {"own": True})
    position = 0
    for number, mentions in enumerate((3, 1, 2, 2, 4, 1, 5)):
        crm_id = f"C-{number}"
        api.customer(crm_id, f"Customer {number}")
        for m in range(mentions):
            # Equal counts, equal texts, equal scores; no text by more than two authors (three or more is spam).
            text = f"{WORDS[mentions]} {WORDS[m]}: I love Kopiku, the best coffee!"
            position = api.mention(f"m-{number}-{m}", crm_id=crm_id, text=text).get_json()["position"]
    return position


def pages(api, path: str, position: int, limit: int) -> list[dict]:
    """Every page of `path`, following next_cursor to the end."""
    found, cursor = [], None
    for _ in range(50):
        query = f"limit={limit}&min_position={position}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(f"{path}?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert len(body["items"]) <= limit
        found.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return found
    raise AssertionError("paging never ended")


def test_paging_through_brands_returns_every_brand_once_in_order(api, brands):
    whole = api.get(f"/v1/brands?min_position={brands}").get_json()
    assert whole["next_cursor"] is None
    names = [b["name"] for b in whole["items"]]
    assert len(names) == 7 and len(set(names)) == 7
    assert [b["own"] for b in whole["items"][:2]] == [True, True]  # ours first, then competitors, then unclassified
    assert [b["tracked"] for b in whole["items"][-2:]] == [False, False]
    paged = pages(api, "/v1/brands", brands, limit=2)
    assert [len(p["items"]) for p in paged] == [2, 2, 2, 1]
    assert [b["name"] for p in paged for b in p["items"]] == names
    assert [b for p in paged for b in p["items"]] == whole["items"]


def test_a_brand_list_as_long_as_the_limit_has_no_next_page(api, brands):
    body = api.get(f"/v1/brands?limit=7&min_position={brands}").get_json()
    assert len(body["items"]) == 7 and body["next_cursor"] is None


def test_paging_through_campaigns_returns_every_campaign_once_latest_first(api, campaigns):
    whole = api.get(f"/v1/campaigns?min_position={campaigns}").get_json()
    assert whole["next_cursor"] is None
    expected = sorted(CAMPAIGNS, key=lambda n: (-int(CAMPAIGNS[n].replace("-", "")), n))
    assert [c["name"] for c in whole["items"]] == expected
    paged = pages(api, "/v1/campaigns", campaigns, limit=2)
    assert [len(p["items"]) for p in paged] == [2, 2, 2]
    assert [c["name"] for p in paged for c in p["items"]] == expected
    assert all("referrals" in c for p in paged for c in p["items"])


def test_a_page_reflects_campaigns_defined_after_the_cursor_was_given(api, campaigns):
    first = api.get(f"/v1/campaigns?limit=3&min_position={campaigns}").get_json()
    body = {"brand": "Kopiku", "starts_on": "2026-01-05", "ends_on": "2026-01-06"}
    position = api.put("/v1/campaigns/imlek", body, role="officer").get_json()["position"]
    rest = api.get(f"/v1/campaigns?cursor={first['next_cursor']}&min_position={position}").get_json()
    names = [c["name"] for c in first["items"] + rest["items"]]
    assert sorted(names) == sorted([*CAMPAIGNS, "imlek"]) and names[-1] == "imlek"


def test_paging_through_recommendations_returns_everyone_once_best_first(api, advocates):
    whole = api.get(f"/v1/outreach/recommendations?min_position={advocates}", role="officer").get_json()
    assert whole["next_cursor"] is None
    assert len(whole["items"]) == 7 and len({r["crm_id"] for r in whole["items"]}) == 7
    scores = [r["score"] for r in whole["items"]]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 5  # two ties
    paged = pages(api, "/v1/outreach/recommendations", advocates, limit=2)
    assert [len(p["items"]) for p in paged] == [2, 2, 2, 1]
    assert [r for p in paged for r in p["items"]] == whole["items"]


def test_a_recommendation_page_leaves_out_whoever_was_contacted_since(api, advocates):
    first = api.get(f"/v1/outreach/recommendations?limit=3&min_position={advocates}", role="officer").get_json()
    whole = api.get(f"/v1/outreach/recommendations?min_position={advocates}", role="officer").get_json()
    contacted = whole["items"][4]["crm_id"]
    outreach = {"crm_id": contacted, "action": "thank", "officer": "dewi"}
    position = api.post("/v1/outreach", outreach, role="officer").get_json()["position"]
    rest = api.get(f"/v1/outreach/recommendations?cursor={first['next_cursor']}&min_position={position}").get_json()
    expected = [r["crm_id"] for r in whole["items"] if r["crm_id"] != contacted]
    assert [r["crm_id"] for r in first["items"] + rest["items"]] == expected


@pytest.mark.parametrize("path", ["/v1/brands", "/v1/campaigns", "/v1/outreach/recommendations"])
@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        base64.urlsafe_b64encode(b"[1, 2]").decode(),  # JSON, but not an object
        base64.urlsafe_b64encode(json.dumps({"v": 1.0, "c": "x", "r": 2}).encode()).decode(),  # another list's
        base64.urlsafe_b64encode(json.dumps({"o": "yes", "t": 1, "n": 3, "s": 1, "k": None}).encode()).decode(),
    ],
)
def test_a_malformed_cursor_is_422_naming_it(api, brands, campaigns, path, cursor):
    assert_error(api.get(f"{path}?cursor={cursor}&min_position={campaigns}"), 422, "cursor")


LISTS = ("/v1/advocates", "/v1/attention", "/v1/brands", "/v1/campaigns", "/v1/outreach/recommendations")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)
# The fields every list's cursors use, so that many generated cursors have the right names and wrong values.
CURSOR_DATA = st.dictionaries(st.sampled_from(["v", "c", "r", "t", "m", "s", "k", "o", "n"]), JSON, max_size=4)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(LISTS), data=CURSOR_DATA)
def test_a_forged_cursor_is_a_page_or_422_never_a_failure(api, advocates, path, data):
    response = api.get(f"{path}?limit=2&min_position={advocates}&cursor={cursors.encode(data)}")
    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 422:
        assert_error(response, 422, "cursor")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/v1/advocates", {"v": 1.5, "c": "x\x00", "r": 2}),  # PostgreSQL takes no NUL in text
        ("/v1/advocates", {"v": 1.5, "c": "\ud800", "r": 2}),  # an unpaired surrogate is no UTF-8
        ("/v1/advocates", {"v": 10**19, "c": "x", "r": 2}),  # wider than SQLite's integers
        ("/v1/advocates", {"v": float("nan"), "c": "x", "r": 2}),
        ("/v1/advocates", {"v": True, "c": "x", "r": 2}),
        ("/v1/advocates", {"v": 1.5, "c": "x"}),  # the recommendations' cursor
        ("/v1/attention", {"t": "yesterday", "m": "x"}),
        ("/v1/attention", {"o": True, "t": True, "n": "Kopiku"}),  # the brands' cursor
        ("/v1/outreach/recommendations", {"v": 1.5, "c": "x", "r": 2}),  # the advocates' cursor
        ("/v1/brands", {"o": 1, "t": 0, "n": "Kopiku"}),
    ],
)
def test_a_cursor_of_another_list_or_with_unusable_values_is_422(api, advocates, path, data):
    assert_error(api.get(f"{path}?min_position={advocates}&cursor={cursors.encode(data)}"), 422, "cursor")


@pytest.mark.parametrize("path", ["/v1/brands", "/v1/campaigns", "/v1/outreach/recommendations"])
def test_limits_are_bounded(api, path):
    assert_error(api.get(f"{path}?limit=0"), 422, "limit")
    assert_error(api.get(f"{path}?limit=501"), 422, "limit")
    assert_error(api.get(f"{path}?limit=many"), 422, "limit")
    assert api.get(f"{path}?limit=500").status_code == 200


def test_the_default_page_is_50(api):
    position = 0
    for number in range(52):
        position = api.put(f"/v1/brands/brand-{number:02d}", {"own": False}).get_json()["position"]
    first = api.get(f"/v1/brands?min_position={position}").get_json()
    assert len(first["items"]) == 50 and first["next_cursor"]
    rest = api.get(f"/v1/brands?cursor={first['next_cursor']}").get_json()
    assert [b["name"] for b in rest["items"]] == ["brand-50", "brand-51"] and rest["next_cursor"] is None


@pytest.mark.parametrize("path", ["/v1/brands", "/v1/campaigns", "/v1/outreach/recommendations"])
def test_lists_need_a_key_and_every_role_reads_them(api, path):
    assert_error(api.get(path, role=None), 401)
    for role in ("integration", "officer", "admin"):
        assert api.get(f"{path}?limit=1", role=role).status_code == 200


def test_the_spec_documents_paging_on_these_lists(api):
    spec = api.get("/v1/openapi.json", role=None).get_json()
    for path in ("/v1/brands", "/v1/campaigns", "/v1/outreach/recommendations"):
        parameters = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"limit", "cursor", "min_position"} <= parameters
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        name = schema["$ref"].rsplit("/", 1)[-1]
        assert "next_cursor" in spec["components"]["schemas"][name]["properties"]
