"""The officer's dashboard through Flask's test client: sign-in, pages, forms, languages, CSV."""

import csv
import io
from datetime import timedelta

from advocacy.inputs import Handle, NewMention


def seed(advocacy, clock, flask_app):
    """Our brand, a competitor, a happy customer, an unhappy one and a campaign; projections caught up."""
    advocacy.track_brand("Gojek", own=True)
    advocacy.track_brand("Grab", own=False)
    advocacy.register_customer("CRM-1", "Budi Santoso", "budi@example.com", [Handle("instagram", "budi")])
    advocacy.register_customer("CRM-2", "Sari Dewi")
    day = clock.now - timedelta(days=3)
    advocacy.define_campaign("Promo Hemat", "Gojek", (day - timedelta(days=1)).date(), (day + timedelta(days=1)).date())
    mentions = [
        NewMention("ig", "1", "Gojek", "instagram", "Pelayanannya mantap banget, sangat puas!", day, crm_id="CRM-1", reach=5000),
        NewMention("ig", "2", "Gojek", "instagram", "Aplikasinya lemot parah, kecewa banget", day, crm_id="CRM-2"),
        NewMention("ig", "3", "Grab", "instagram", "Great service, love it", day, author=Handle("instagram", "x")),
        NewMention("ig", "4", "Gojek", "tiktok", "SLOT GACOR maxwin hari ini, depo 10rb link alternatif", day, author=Handle("tiktok", "bot1")),
    ]
    result = advocacy.record_mentions(mentions)
    assert not result.rejected
    flask_app.extensions["advocacy"].reads.wait(advocacy.head(), 10)
    return result


def test_pages_need_an_officer_session(flask_app):
    client = flask_app.test_client()

    response = client.get("/dashboard/attention")

    assert response.status_code == 302
    assert "/dashboard/login" in response.headers["Location"]


def test_an_integration_key_cannot_sign_in(flask_app):
    response = flask_app.test_client().post("/dashboard/login", data={"officer": "Bot", "key": "integration-key"})

    assert response.status_code == 401


def test_the_attention_queue_shows_an_unhappy_customer_until_answered(flask_app, signed_in, advocacy, clock):
    result = seed(advocacy, clock, flask_app)
    unhappy = result.mentions[1]

    page = signed_in.get("/dashboard/attention", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sari Dewi" in page and "lemot parah" in page
    assert "Budi Santoso" not in page

    csrf = _csrf(signed_in)
    answered = signed_in.post(f"/dashboard/mentions/{unhappy.id}/answer", data={"csrf": csrf})
    assert answered.status_code == 302

    page = signed_in.get("/dashboard/attention").get_data(as_text=True)
    assert "Sari Dewi" not in page


def test_a_form_without_the_session_token_is_refused(flask_app, signed_in, advocacy, clock):
    result = seed(advocacy, clock, flask_app)

    response = signed_in.post(f"/dashboard/mentions/{result.mentions[1].id}/answer", data={"csrf": "forged"})

    assert response.status_code == 400
    assert advocacy.get_mention(result.mentions[1].id)["answered_at"] is None


def test_advocates_page_ranks_the_happy_customer_and_logging_outreach_takes_them_off_recommendations(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)

    page = signed_in.get("/dashboard/advocates", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.index("Budi Santoso") < page.index("Ranking")

    signed_in.post("/dashboard/outreach", data={"csrf": _csrf(signed_in), "crm_id": "CRM-1", "action": "thank", "notes": "voucher"})

    assert advocacy.get_customer("CRM-1")["outreach"][0]["officer"] == "Rina"
    page = signed_in.get("/dashboard/advocates").get_data(as_text=True)
    recommendations = page[page.index('id="recommendations"') : page.index('id="advocates"')]
    assert "Budi Santoso" not in recommendations


def test_trends_show_net_sentiment_and_the_spam_filtered(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)

    page = signed_in.get("/dashboard/trends?granularity=day&brand=gojek").get_data(as_text=True)

    assert "<svg" in page and "polyline" in page
    spam = page[page.index('id="spam-filtered"') :]
    assert "<strong>1</strong>" in spam[:200]
    assert "+0.00" in page  # one positive, one negative: net sentiment 0


def test_relabelling_a_mention_moves_the_trend(flask_app, signed_in, advocacy, clock):
    result = seed(advocacy, clock, flask_app)
    csrf = _csrf(signed_in)

    signed_in.post(f"/dashboard/mentions/{result.mentions[1].id}/sentiment", data={"csrf": csrf, "label": "positive", "reason": "slang"})

    assert advocacy.get_mention(result.mentions[1].id)["sentiment"]["compound"] == 0.6
    page = signed_in.get("/dashboard/trends?granularity=day&brand=gojek").get_data(as_text=True)
    assert "+1.00" in page


def test_the_campaign_report_page_compares_before_during_and_after(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)

    page = signed_in.get("/dashboard/campaigns/Promo Hemat", headers={"Accept-Language": "en"}).get_data(as_text=True)

    report = page[page.index('id="campaign-report"') : page.index('id="campaign-referrals"')]
    assert [line.split("</th>")[0] for line in report.split("<tr><th>")[2:]] == ["before", "during", "after"]
    assert page.count('id="campaign-report"') == 1
    assert len(page) < 20_000


def test_the_campaign_report_downloads_as_csv(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)

    response = signed_in.get("/dashboard/campaigns/Promo Hemat?format=csv")

    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["period"] for r in rows] == ["before", "during", "after"]
    assert rows[1]["mentions"] == "2"


def test_the_dashboard_speaks_indonesian_by_default_and_english_on_request(signed_in):
    indonesian = signed_in.get("/dashboard/attention", headers={"Accept-Language": "id-ID,id;q=0.9"}).get_data(as_text=True)
    assert "Antrean perhatian" in indonesian

    signed_in.post("/dashboard/language", data={"lang": "en", "back": "/dashboard/attention"})
    english = signed_in.get("/dashboard/attention", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Attention queue" in english


def test_the_stylesheet_is_served_without_a_key(flask_app):
    with flask_app.test_client().get("/dashboard/static/dashboard.css") as response:
        assert response.status_code == 200
        assert b"--accent" in response.data


def _csrf(client) -> str:
    with client.session_transaction() as session:
        return session["csrf"]



def test_a_customer_page_explains_the_score_and_shows_the_timeline(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)

    page = signed_in.get("/dashboard/customers/CRM-1", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Budi Santoso" in page
    assert "positive mentions" in page[page.index('id="breakdown"') :]
    timeline = page[page.index('id="timeline"') :]
    assert "Pelayanannya mantap banget" in timeline and "Customer.Registered" in timeline


def test_a_forgotten_customer_page_shows_no_personal_data(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)
    advocacy.forget_customer("CRM-1")

    page = signed_in.get("/dashboard/customers/CRM-1", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Budi" not in page and "mantap" not in page
    assert "(personal data forgotten)" in page


def test_an_officer_defines_a_campaign_and_sees_its_report(flask_app, signed_in, advocacy, clock):
    seed(advocacy, clock, flask_app)
    form = {"csrf": _csrf(signed_in), "name": "Harbolnas", "brand": "Gojek", "starts_on": "2026-11-01", "ends_on": "2026-11-12"}

    page = signed_in.get("/dashboard/campaigns").get_data(as_text=True)
    assert page.count('id="define-campaign"') == 1
    assert "<form" not in page[page.index("<title>") : page.index("</title>")]
    response = signed_in.post("/dashboard/campaigns", data=form)

    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard/campaigns/Harbolnas")
    page = signed_in.get(response.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Campaign report: Harbolnas" in page


def test_a_campaign_ending_before_it_starts_is_refused_with_the_reason(flask_app, signed_in, advocacy, clock):
    form = {"csrf": _csrf(signed_in), "name": "Oops", "brand": "Gojek", "starts_on": "2026-11-12", "ends_on": "2026-11-01"}

    response = signed_in.post("/dashboard/campaigns", data=form, follow_redirects=True, headers={"Accept-Language": "en"})

    assert "ends_on: must not be before starts_on" in response.get_data(as_text=True)
    assert flask_app.extensions["advocacy"].reads.campaigns() == []
