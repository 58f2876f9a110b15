"""Trends, share of voice, the attention queue, recommendations and campaign reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from advocacy.inputs import Handle, NewMention
from tests.conftest import Clock
from tests.projections.projection_helpers import text
from projections import ReadModels, catch_up

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    """A clock at 2026-12-01 09:00 UTC: after every event these tests record (none may be dated ahead of it)."""
    return Clock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


def mention(ref, compound, *, brand="Gojek", channel="Instagram", when=MONDAY, reach=0, spam=False, language="en", **who):
    if not who:
        who = {"author": Handle("ig", f"anon-{ref}")}
    return NewMention("ig", ref, brand, channel, text(compound, spam=spam, language=language), when, reach=reach, **who)


@pytest.fixture
def reads(papp):
    papp.track_brand("Gojek", own=True)
    papp.track_brand("Grab", own=False)
    return ReadModels(papp)


def test_trends_count_sentiment_per_day_and_spam_separately(papp, reads):
    papp.record_mentions([
        mention("1", 0.5), mention("2", 0.05), mention("3", 0.0), mention("4", -0.05),
        mention("5", -0.8), mention("6", 0.9, spam=True), mention("7", 0.9, when=MONDAY + timedelta(days=1)),
    ])
    catch_up(papp)

    days = reads.trends(brand="GOJEK")["items"]

    assert [d["period"] for d in days] == ["2026-11-02", "2026-11-03"]
    first = days[0]
    assert (first["mentions"], first["positive"], first["neutral"], first["negative"], first["spam"]) == (5, 2, 1, 2, 1)
    assert first["mean_compound"] == pytest.approx((0.5 + 0.05 - 0.05 - 0.8) / 5)
    assert first["net_sentiment"] == 0.0


def test_weeks_start_on_monday_and_months_on_the_first(papp, reads):
    sunday = MONDAY - timedelta(days=1)
    papp.record_mentions([mention("1", 0.5, when=sunday), mention("2", 0.5, when=MONDAY), mention("3", -0.5, when=MONDAY + timedelta(days=6))])
    catch_up(papp)

    weeks = reads.trends(granularity="week")["items"]
    months = reads.trends(granularity="month")["items"]

    assert [(w["period"], w["mentions"]) for w in weeks] == [("2026-10-26", 1), ("2026-11-02", 2)]
    assert [(m["period"], m["mentions"]) for m in months] == [("2026-11-01", 3)]
    assert reads.trends(start=date(2026, 11, 2), end=date(2026, 11, 2))["items"][0]["mentions"] == 1


def test_trends_filter_by_channel_and_language(papp, reads):
    papp.record_mentions([mention("1", 0.5, channel="TikTok", language="id"), mention("2", 0.5)])
    catch_up(papp)

    assert reads.trends(channel="tiktok")["items"][0]["mentions"] == 1
    assert reads.trends(language="id")["items"][0]["mentions"] == 1
    assert reads.trends(language="fr")["items"] == []


def test_overrides_move_the_trends(papp, reads):
    recorded = papp.record_mention(mention("1", 0.5))
    catch_up(papp)
    papp.override_sentiment(recorded.id, -0.7, "ana", "sarcasm")
    catch_up(papp)
    day = reads.trends()["items"][0]
    assert (day["positive"], day["negative"]) == (0, 1)

    papp.override_spam(recorded.id, True, "ana", "bot")
    catch_up(papp)
    day = reads.trends()["items"][0]
    assert (day["mentions"], day["negative"], day["spam"]) == (0, 0, 1)


def test_share_of_voice_compares_our_brands_with_tracked_competitors(papp, reads):
    papp.record_mentions([
        mention("1", 0.5, reach=100), mention("2", 0.5, reach=100), mention("3", 0.5, brand="Grab", reach=600),
        mention("4", 0.5, brand="Untracked", reach=1000), mention("5", 0.5, spam=True, reach=1000),
    ])
    catch_up(papp)

    sov = reads.share_of_voice()

    assert [(i["brand"], i["own"], i["mentions"]) for i in sov["items"]] == [("gojek", True, 2), ("grab", False, 1)]
    assert sov["items"][0]["share"] == pytest.approx(2 / 3)
    assert sov["items"][0]["reach_share"] == pytest.approx(200 / 800)
    assert {b["name"]: b["tracked"] for b in reads.brand_page()["items"]} == {"gojek": True, "grab": True, "untracked": False}


def test_negative_mentions_wait_in_the_queue_until_an_outreach_answers_them(papp, reads):
    papp.register_customer("c-1", "Sari", handles=[Handle("ig", "sari")])
    older = papp.record_mention(mention("1", -0.6, author=Handle("ig", "sari"), when=MONDAY - timedelta(days=2)))
    papp.record_mention(mention("2", -0.6, when=MONDAY))
    papp.record_mention(mention("3", -0.6, brand="Grab", crm_id="c-1"))
    papp.record_mention(mention("4", -0.6, spam=True))
    catch_up(papp)

    queue = reads.attention()["items"]
    assert [(i["mention_id"], i["crm_id"], i["name"]) for i in queue][0] == (str(older.id), "c-1", "Sari")
    assert len(queue) == 2

    papp.log_outreach("c-1", "reply", "ana", occurred_at=MONDAY - timedelta(days=1))
    catch_up(papp)
    assert [i["crm_id"] for i in reads.attention()["items"]] == [None]


def test_a_handle_linked_right_after_an_override_brought_its_mention_into_the_queue_owns_it(papp, reads):
    papp.register_customer("c-1", "Sari")
    neutral = papp.record_mention(mention("1", 0.0, author=Handle("ig", "sari")))
    catch_up(papp)
    assert reads.attention()["items"] == []

    papp.override_sentiment(neutral.id, -0.7, officer="ana", reason="sarcasm")  # brings the mention in...
    papp.link_handle("c-1", "ig", "sari")  # ...and the link, in the same run of events, must find it
    catch_up(papp)

    assert [(i["mention_id"], i["crm_id"]) for i in reads.attention()["items"]] == [(str(neutral.id), "c-1")]


def test_a_customer_whose_sentiment_turned_negative_is_flagged(papp, reads):
    papp.register_customer("c-1", "Sari")
    papp.record_mention(mention("1", 0.8, crm_id="c-1", when=MONDAY - timedelta(days=3)))
    papp.record_mention(mention("2", -0.8, crm_id="c-1", when=MONDAY))
    papp.record_mention(mention("3", -0.8, when=MONDAY))
    catch_up(papp)

    reasons = {i["crm_id"]: i["reason"] for i in reads.attention()["items"]}
    assert reasons == {"c-1": "turned_negative", None: "negative_mention"}


def test_the_attention_queue_pages_oldest_first(papp, reads):
    papp.record_mentions([mention(str(i), -0.5, when=MONDAY + timedelta(hours=i)) for i in range(5)])
    catch_up(papp)

    first = reads.attention(limit=3)
    second = reads.attention(limit=3, cursor=first["next_cursor"])

    times = [i["occurred_at"] for i in first["items"] + second["items"]]
    assert times == sorted(times) and len(times) == 5
    assert second["next_cursor"] is None


def test_recommendations_skip_the_recently_contacted_the_opted_out_and_the_unhappy(papp, reads, clock):
    for crm in ("star", "contacted", "opted", "unhappy", "quiet"):
        papp.register_customer(crm, crm.title())
    recent = clock.now - timedelta(days=3)
    papp.record_mention(mention("s1", 0.9, crm_id="star", when=recent, reach=5000))
    papp.make_referral("r1", "star", recent, referee_name="X")
    papp.convert_referral("r1", "new-1", recent, value="20")
    papp.make_referral("r2", "star", recent, referee_name="Y")
    papp.convert_referral("r2", "new-2", recent, value="20")
    papp.record_mention(mention("c1", 0.9, crm_id="contacted", when=recent))
    papp.log_outreach("contacted", "thank", "ana", occurred_at=clock.now - timedelta(days=10))
    papp.record_mention(mention("o1", 0.9, crm_id="opted", when=recent))
    papp.opt_out("opted")
    papp.record_mention(mention("u1", 0.9, crm_id="unhappy", when=recent - timedelta(days=1), reach=10000))
    papp.record_mention(mention("u2", -0.1, crm_id="unhappy", when=recent))
    papp.record_mention(mention("q1", 0.3, crm_id="quiet", when=recent))
    catch_up(papp)

    items = reads.recommendations()["items"]

    assert [i["crm_id"] for i in items] == ["star", "quiet"]
    assert "2 converted referrals in the last 30 days" in items[0]["reasons"]
    assert items[0]["suggested_action"] == "reward"
    assert items[1]["suggested_action"] == "invite_referral"
    assert "never contacted" in items[1]["reasons"]


def test_a_campaign_report_compares_before_during_and_after(papp, reads):
    papp.register_customer("c-1", "Sari")
    papp.define_campaign("Ramadan Promo", "Gojek", date(2026, 11, 2), date(2026, 11, 8))
    papp.record_mentions([
        mention("b", -0.5, when=MONDAY - timedelta(days=3)),
        mention("d1", 0.5, when=MONDAY), mention("d2", 0.6, when=MONDAY + timedelta(days=6)),
        mention("a", 0.5, when=MONDAY + timedelta(days=7)),
    ])
    papp.make_referral("r1", "c-1", MONDAY, referee_name="X", campaign="ramadan promo")
    papp.make_referral("r2", "c-1", MONDAY, referee_name="Y", campaign="Ramadan Promo")
    papp.convert_referral("r1", "new-1", MONDAY, value="15.50")
    catch_up(papp)

    report = reads.campaign_report("RAMADAN PROMO")

    assert report["mentions"]["before"]["mentions"] == 1
    assert report["mentions"]["before"]["net_sentiment"] == -1.0
    assert report["mentions"]["during"]["mentions"] == 2
    assert report["mentions"]["after"]["mentions"] == 1
    assert report["referrals"] == {"made": 2, "converted": 1, "rejected": 0, "converted_value": 15.5, "conversion_rate": 0.5}
    assert report["referrers"][0]["crm_id"] == "c-1"
    assert [c["name"] for c in reads.campaigns()] == ["Ramadan Promo"]
    assert reads.campaign_report("nope") is None
