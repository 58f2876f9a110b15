"""The officer's dashboard: attention queue, advocates and recommendations, trends, campaigns, corrections."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from advocacy.domain.errors import AdvocacyError
from advocacy.domain.validation import OUTREACH_ACTIONS
from advocacy.results import Written
from api.dashboard.charts import share_bars, trend_chart
from api.dashboard.i18n import LANGUAGES
from api.dashboard.session import officer_page, open_page, sign_in
from api.services import services

bp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/dashboard",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

LABEL_COMPOUND = {"positive": 0.6, "neutral": 0.0, "negative": -0.6}
"""The compound score recorded when an officer relabels a mention's sentiment."""


@bp.get("/login")
@open_page
def login() -> str:
    """Sign-in form."""
    return render_template("dashboard/login.html", next=request.args.get("next", ""))


@bp.post("/login")
@open_page
def do_login() -> Any:
    """Sign in with an officer or admin key."""
    officer = request.form.get("officer", "").strip()
    if not officer:
        return render_template("dashboard/login.html", error=_("Please give your name."), next=request.form.get("next")), 400
    if sign_in(request.form.get("key", "")) is None:
        error = _("That key is unknown or not an officer's key.")
        return render_template("dashboard/login.html", error=error, next=request.form.get("next")), 401
    session["officer"] = officer[:200]
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/dashboard/") else url_for("dashboard.attention"))


@bp.post("/language")
@open_page
def choose_language() -> Any:
    """Switch the dashboard's language."""
    if request.form.get("lang") in LANGUAGES:
        session["lang"] = request.form["lang"]
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/dashboard/") else url_for("dashboard.home"))


@bp.post("/logout")
@officer_page
def logout() -> Any:
    """Sign out."""
    session.clear()
    return redirect(url_for("dashboard.login"))


@bp.get("/")
@officer_page
def home() -> Any:
    """The attention queue comes first."""
    return redirect(url_for("dashboard.attention"))


@bp.get("/attention")
@officer_page
def attention() -> str:
    """Unhappy customers still waiting for an answer, oldest first."""
    queue = _reads().attention(limit=100)["items"]
    recorded = services().application.events_at([item["position"] for item in queue])
    texts = {str(e.aggregate_id): (e.data.get("personal") or {}).get("text") for e in recorded}
    return render_template("dashboard/attention.html", items=queue, texts=texts, reasons=_attention_reasons())


@bp.post("/mentions/<uuid:mention_id>/answer")
@officer_page
def answer(mention_id: UUID) -> Any:
    """Mark a mention answered."""
    _run(lambda app: app.answer_mention(mention_id, session["officer"]), _("Marked as answered."))
    return redirect(request.form.get("back") or url_for("dashboard.attention"))


@bp.get("/advocates")
@officer_page
def advocates() -> str:
    """Top advocates with their score breakdown, and whom to contact now."""
    brand = request.args.get("brand") or None
    reads = _reads()
    return render_template(
        "dashboard/advocates.html",
        brand=brand or "",
        top=reads.top_advocates(limit=50, brand=brand),
        recommendations=reads.recommendations(limit=20, brand=brand)["items"],
        actions=OUTREACH_ACTIONS,
    )


@bp.post("/outreach")
@officer_page
def log_outreach() -> Any:
    """Log an outreach to a customer."""
    form = request.form
    _run(
        lambda app: app.log_outreach(form.get("crm_id", ""), form.get("action", ""), session["officer"], notes=form.get("notes")),
        _("Outreach logged."),
    )
    return redirect(form.get("back") or url_for("dashboard.advocates"))


@bp.get("/customers/<crm_id>")
@officer_page
def customer(crm_id: str) -> Any:
    """One customer: profile, score with its breakdown, outreach, and their last 100 events, newest first."""
    application = services().application
    try:
        profile = application.get_customer(crm_id)
    except AdvocacyError:
        return render_template("dashboard/missing.html", what=_("customer %(crm_id)s", crm_id=crm_id)), 404
    reads = _reads()
    positions = sorted(reads.customer_timeline_positions(crm_id), reverse=True)[:100]
    return render_template(
        "dashboard/customer.html",
        profile=profile,
        score=reads.customer_score(crm_id),
        timeline=sorted(application.events_at(positions), key=lambda e: e.occurred_at, reverse=True),
        actions=OUTREACH_ACTIONS,
    )


@bp.get("/trends")
@officer_page
def trends() -> str:
    """Sentiment over time by brand, channel and language; share of voice against competitors."""
    args = request.args
    filters = {
        "brand": args.get("brand") or None,
        "channel": args.get("channel") or None,
        "language": args.get("language") or None,
        "granularity": args.get("granularity") if args.get("granularity") in ("day", "week", "month") else "week",
        "start": _date(args.get("from")),
        "end": _date(args.get("to")),
    }
    reads = _reads()
    items = reads.trends(**filters)["items"]
    voice = reads.share_of_voice(start=filters["start"], end=filters["end"])["items"]
    return render_template(
        "dashboard/trends.html",
        filters=filters,
        items=items,
        spam=sum(i["spam"] for i in items),
        chart=trend_chart([i["period"] for i in items], [i["mentions"] for i in items], [i["net_sentiment"] for i in items]),
        voice=voice,
        voice_chart=share_bars([(v["brand"], v["share"], v["own"]) for v in voice]),
    )


@bp.get("/campaigns")
@officer_page
def campaigns() -> str:
    """Every campaign, with a link to its report."""
    return render_template("dashboard/campaigns.html", campaigns=_reads().campaigns())


@bp.post("/campaigns")
@officer_page
def define_campaign() -> Any:
    """Define a campaign, or change its brand, dates or description."""
    form = request.form
    starts_on, ends_on = _date(form.get("starts_on")), _date(form.get("ends_on"))
    if starts_on is None or ends_on is None:
        flash(_("Give the first and the last day of the campaign."), "error")
        return redirect(url_for("dashboard.campaigns"))
    written = _run(
        lambda app: app.define_campaign(form.get("name", ""), form.get("brand", ""), starts_on, ends_on, form.get("description")),
        _("Campaign saved."),
    )
    if written is None:
        return redirect(url_for("dashboard.campaigns"))
    return redirect(url_for("dashboard.campaign", name=form.get("name", "").strip()))


@bp.get("/campaigns/<name>")
@officer_page
def campaign(name: str) -> Any:
    """A campaign's report: printable, or CSV with ?format=csv."""
    report = _reads().campaign_report(name)
    if report is None:
        return render_template("dashboard/missing.html", what=_("campaign %(name)s", name=name)), 404
    if request.args.get("format") == "csv":
        return _csv(report_rows(report), f"campaign-{name}.csv")
    return render_template("dashboard/campaign.html", report=report, rows=report_rows(report))


@bp.get("/mentions/<uuid:mention_id>")
@officer_page
def mention(mention_id: UUID) -> Any:
    """One mention with its verdicts and the forms to correct them."""
    try:
        found = services().application.get_mention(mention_id)
    except AdvocacyError:
        return render_template("dashboard/missing.html", what=_("that mention")), 404
    return render_template("dashboard/mention.html", mention=found, labels=LABEL_COMPOUND)


@bp.post("/mentions/<uuid:mention_id>/sentiment")
@officer_page
def override_sentiment(mention_id: UUID) -> Any:
    """Relabel a mention's sentiment."""
    label = request.form.get("label", "")
    compound = LABEL_COMPOUND.get(label)
    reason = request.form.get("reason") or f"relabelled {label} by an officer"
    if compound is None:
        flash(_("Choose positive, neutral or negative."), "error")
    else:
        _run(lambda app: app.override_sentiment(mention_id, compound, session["officer"], reason), _("Sentiment corrected."))
    return redirect(url_for("dashboard.mention", mention_id=mention_id))


@bp.post("/mentions/<uuid:mention_id>/spam")
@officer_page
def override_spam(mention_id: UUID) -> Any:
    """Correct a mention's spam verdict."""
    is_spam = request.form.get("is_spam") == "true"
    reason = request.form.get("reason") or ("marked spam by an officer" if is_spam else "marked not spam by an officer")
    _run(lambda app: app.override_spam(mention_id, is_spam, session["officer"], reason), _("Spam verdict corrected."))
    return redirect(url_for("dashboard.mention", mention_id=mention_id))


def report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """A campaign's mentions before, during and after it, one row per period, for the page and the CSV."""
    periods = report.get("mentions") or {}
    return [{"period": name, **periods.get(name, {})} for name in ("before", "during", "after")]


def _attention_reasons() -> dict[str, str]:
    return {"negative_mention": _("negative mention"), "turned_negative": _("turned from positive to negative")}


def _reads() -> Any:
    """Read models, after the projections caught up with this officer's last write."""
    return services().read_models(min_position=session.get("position"))


def _run(command: Any, done: str) -> Written | None:
    """Run a command for the form; remember its position so the next page shows it."""
    try:
        written = command(services().application)
    except AdvocacyError as error:
        flash(str(error), "error")
        return None
    session["position"] = written.position
    flash(done, "ok")
    return written


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        flash(_("Not a date: %(value)s. Use YYYY-MM-DD.", value=value), "error")
        return None


def _csv(rows: list[dict[str, Any]], filename: str) -> Response:
    buffer = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
