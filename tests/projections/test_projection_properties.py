"""Property tests: any batching and restarts give the one-pass view, and scores match a reference."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advocacy.application import AdvocacyApplication
from advocacy.domain import ids
from advocacy.domain.errors import Conflict, CustomerForgotten, InvalidInput, NotFound
from advocacy.inputs import Handle, NewMention
from tests.projections.projection_helpers import CodedAssessor, close_enough, fresh_store, patched_era_bits, text
from projections import ProjectionsConfig, ReadModels, rebuild
from projections.runner import ensure_live, live_targets, step
from projections.scoring import reach_factor
from projections.store import table_rows
from projections.views import VIEWS

START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CUSTOMERS = ["c0", "c1", "c2"]
HANDLES = ["h0", "h1", "h2"]
BRANDS = ["b0", "b1", "b2"]
COMPOUNDS = [-0.9, -0.3, -0.05, -0.04, 0.0, 0.04, 0.05, 0.3, 0.9]

customer = st.sampled_from(CUSTOMERS)
day = st.integers(0, 30)
mention = st.tuples(
    st.just("mention"),
    st.one_of(st.tuples(st.just("crm"), customer), st.tuples(st.just("handle"), st.sampled_from(HANDLES))),
    st.sampled_from(["b0", "b0", "b0", "b1", "b2"]), st.sampled_from(COMPOUNDS + [0.9, -0.9, 0.3]),
    st.sampled_from([False, False, False, True]),
    st.sampled_from([0, 10, 5000]), day, st.sampled_from(["ig", "tiktok"]), st.sampled_from(["en", "id"]),
)
link = st.tuples(st.just("link"), customer, st.sampled_from(HANDLES))
operation = st.one_of(
    mention, mention, mention, mention, link, link,
    st.tuples(st.just("register"), customer),
    st.tuples(st.just("track"), st.sampled_from(BRANDS), st.booleans()),
    st.tuples(st.just("override_sentiment"), st.integers(0, 20), st.sampled_from(COMPOUNDS)),
    st.tuples(st.just("override_spam"), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("answer_mention"), st.integers(0, 20)),
    st.tuples(st.just("outreach"), customer, day, st.one_of(st.none(), st.integers(0, 20))),
    st.tuples(st.just("answer"), st.integers(0, 5), st.sampled_from(["replied", "accepted", "declined", "no_response"]), day),
    st.tuples(st.just("refer"), customer, day, st.sampled_from([None, "Promo"])),
    st.tuples(st.just("convert"), st.integers(0, 5), day),
    st.tuples(st.just("reject"), st.integers(0, 5)),
    st.tuples(st.just("opt_out"), customer),
    st.tuples(st.just("forget"), customer),
    st.tuples(st.just("campaign"), st.sampled_from(BRANDS), day, st.integers(0, 10)),
    st.tuples(st.just("step"), st.integers(1, 7)),
    st.tuples(st.just("restart")),
)
PRELUDE = [("register", c) for c in CUSTOMERS] + [("track", "b0", True)]
LATE_MENTION = ("mention", ("handle", "h0"), "b0", 0.9, False, 10, 3, "ig", "en")
scenarios = st.lists(operation, min_size=20, max_size=50).map(lambda ops: PRELUDE + ops)


class Scenario:
    """Plays operations against the application, skipping those the domain refuses."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.app = self._open()
        self.mentions: list[Any] = []
        self.outreach: list[tuple[str, Any]] = []
        self.referrals: list[str] = []
        self.names = list(VIEWS)
        ensure_live(self.app.db, self.names, ProjectionsConfig())

    def _open(self) -> AdvocacyApplication:
        return AdvocacyApplication(env=self.env, assessor=CodedAssessor(), clock=lambda: NOW)

    def play(self, op: tuple[Any, ...]) -> None:
        kind, *args = op
        try:
            getattr(self, f"_{kind}")(*args)
        except (Conflict, CustomerForgotten, InvalidInput, NotFound):
            pass

    def _register(self, crm: str) -> None:
        self.app.register_customer(crm, f"Name of {crm}")

    def _link(self, crm: str, handle: str) -> None:
        self.app.link_handle(crm, "ig", handle)

    def _track(self, brand: str, own: bool) -> None:
        self.app.track_brand(brand.upper(), own)

    def _mention(self, author, brand, compound, spam, reach, d, channel, language) -> None:
        who = {"crm_id": author[1]} if author[0] == "crm" else {"author": Handle("ig", author[1])}
        ref = f"m{len(self.mentions)}-{self.app.head()}"
        when = START + timedelta(days=d, hours=len(self.mentions))
        recorded = self.app.record_mention(
            NewMention("src", ref, brand, channel, text(compound, spam=spam, language=language), when, reach=reach, **who)
        )
        self.mentions.append(recorded.id)

    def _override_sentiment(self, index: int, compound: float) -> None:
        if self.mentions:
            self.app.override_sentiment(self.mentions[index % len(self.mentions)], compound, "ana", "fix")

    def _override_spam(self, index: int, spam: bool) -> None:
        if self.mentions:
            self.app.override_spam(self.mentions[index % len(self.mentions)], spam, "ana", "fix")

    def _answer_mention(self, index: int) -> None:
        if self.mentions:
            self.app.answer_mention(self.mentions[index % len(self.mentions)], "ana")

    def _outreach(self, crm: str, d: int, mention: int | None) -> None:
        about = self.mentions[mention % len(self.mentions)] if mention is not None and self.mentions else None
        written = self.app.log_outreach(crm, "reply", "ana", occurred_at=START + timedelta(days=d), mention_id=about)
        self.outreach.append((crm, written.id))

    def _answer(self, index: int, outcome: str, d: int) -> None:
        if self.outreach:
            crm, outreach_id = self.outreach[index % len(self.outreach)]
            self.app.answer_outreach(crm, outreach_id, outcome, occurred_at=START + timedelta(days=d))

    def _refer(self, crm: str, d: int, campaign: str | None) -> None:
        ref = f"r{len(self.referrals)}"
        self.app.make_referral(ref, crm, START + timedelta(days=d), referee_name="Friend", campaign=campaign)
        self.referrals.append(ref)

    def _convert(self, index: int, d: int) -> None:
        if self.referrals:
            ref = self.referrals[index % len(self.referrals)]
            self.app.convert_referral(ref, f"new-{ref}", START + timedelta(days=d), value="9.90")

    def _reject(self, index: int) -> None:
        if self.referrals:
            self.app.reject_referral(self.referrals[index % len(self.referrals)], "fraud")

    def _opt_out(self, crm: str) -> None:
        self.app.opt_out(crm)

    def _forget(self, crm: str) -> None:
        self.app.forget_customer(crm, occurred_at=NOW)

    def _campaign(self, brand: str, d: int, length: int) -> None:
        first = (START + timedelta(days=d)).date()
        self.app.define_campaign("Promo", brand, first, first + timedelta(days=length))

    def _step(self, size: int) -> None:
        step(self.app, self.app.db, live_targets(self.names), size)

    def _restart(self) -> None:
        self.app.close()
        self.app = self._open()


def finish_in_random_batches(scenario: Scenario, sizes: list[int]) -> None:
    i = 0
    while step(scenario.app, scenario.app.db, live_targets(scenario.names), sizes[i % len(sizes)]):
        i += 1
        if i % 3 == 0:
            scenario._restart()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=scenarios, sizes=st.lists(st.integers(1, 9), min_size=1, max_size=4))
@example(ops=[*PRELUDE, LATE_MENTION, ("step", 2), ("link", "c0", "h0")], sizes=[1])
def test_views_built_in_random_batches_with_restarts_equal_the_one_pass_build_and_the_reference(store_env, ops, sizes):
    # Four log positions per era instead of 16,384: every scenario spreads its mention rows over many eras,
    # so lookups by author must search them all (the indexes are declared with the real size; they only
    # make the lookups fast, and the lookups' results must not depend on them).
    with patched_era_bits(2), fresh_store(store_env) as env:
        scenario = Scenario(env)
        try:
            for op in ops:
                scenario.play(op)
            finish_in_random_batches(scenario, sizes)
            app = scenario.app
            live = {name: g.generation for name, g in _live(app).items()}

            one_pass = rebuild(app, config=ProjectionsConfig(batch_size=100_000), switch=False)

            for g in one_pass:
                incremental = table_rows(app.db, VIEWS[g.name], live[g.name])
                built_once = table_rows(app.db, VIEWS[g.name], g.generation)
                for table in incremental:
                    assert close_enough(incremental[table], built_once[table]), (g.name, table)
            reference = Reference(app)
            reads = ReadModels(app)
            for crm in CUSTOMERS:
                got = reads.customer_score(crm)
                if got is None:
                    assert crm not in reference.crm_ids
                    continue
                assert got["score"] == pytest.approx(reference.score(crm), abs=1e-5), crm
                assert got["last_activity"] == reference.last_activity(crm), crm
            assert _trend_counts(reads) == reference.trend_counts()
            assert {i["mention_id"] for i in reads.attention(limit=1000)["items"]} == reference.attention()
        finally:
            scenario.app.close()


def _live(app: AdvocacyApplication) -> dict[str, Any]:
    from projections.store import live_generations

    return live_generations(app.db)


def _trend_counts(reads: ReadModels) -> dict[str, tuple[int, ...]]:
    return {
        d["period"]: (d["mentions"], d["positive"], d["neutral"], d["negative"], d["spam"])
        for d in reads.trends()["items"]
    }


class Reference:
    """The final state folded straight from the log, and the numbers computed from it by hand."""

    def __init__(self, app: AdvocacyApplication):
        self.config = ProjectionsConfig().scoring
        self.crm_ids: dict[str, str] = {}
        self.forgotten: set[str] = set()
        self.own: dict[str, bool] = {}
        self.brand_names: dict[str, str] = {}
        self.handles: dict[str, str] = {}
        self.mentions: dict[str, dict[str, Any]] = {}
        self.referrals: dict[str, dict[str, Any]] = {}
        self.outreach: dict[str, dict[str, Any]] = {}
        for e in app.read_log(0, 100_000):
            self._fold(e.type, str(e.aggregate_id), e.data)

    def _fold(self, kind: str, aggregate: str, d: dict[str, Any]) -> None:
        when = datetime.fromisoformat(d["occurred_at"]) if "occurred_at" in d else None
        if kind == "Customer.Registered":
            self.crm_ids[d["crm_id"]] = aggregate
        elif kind == "Customer.Forgotten":
            self.forgotten.add(aggregate)
        elif kind == "Customer.HandleLinked":
            self.handles[d["handle_id"]] = aggregate
        elif kind == "Customer.OutreachLogged":
            self.outreach[d["outreach_id"]] = {"customer": aggregate, "mention": d["mention_id"], "at": when, "outcome": None}
        elif kind == "Customer.OutreachAnswered":
            self.outreach[d["outreach_id"]].update(outcome=d["outcome"], answered=when)
        elif kind == "Brand.Tracked":
            self.brand_names[aggregate] = ids.normal_name(d["name"])
            self.own[self.brand_names[aggregate]] = d["own"]
        elif kind == "Brand.Reclassified":
            self.own[self.brand_names[aggregate]] = d["own"]
        elif kind == "Mention.Recorded":
            self.mentions[aggregate] = {
                "customer": d["customer_id"], "handle": d["handle_id"], "brand": d["brand"], "at": when,
                "reach": d["reach"], "compound": d["sentiment"]["compound"], "spam": d["spam"]["is_spam"],
            }
        elif kind == "Mention.SentimentOverridden":
            self.mentions[aggregate]["compound"] = d["compound"]
        elif kind == "Mention.SpamVerdictOverridden":
            self.mentions[aggregate]["spam"] = d["is_spam"]
        elif kind == "Mention.Answered":
            self.mentions[aggregate]["marked"] = True
        elif kind == "Referral.Made":
            self.referrals[aggregate] = {"referrer": d["referrer_id"], "made": when, "status": "made"}
        elif kind == "Referral.Converted":
            self.referrals[aggregate].update(status="converted", converted=when)
        elif kind == "Referral.Rejected":
            self.referrals[aggregate]["status"] = "rejected"

    def owner(self, m: dict[str, Any]) -> str | None:
        return m["customer"] or self.handles.get(m["handle"])

    def score(self, crm: str) -> float:
        cfg = self.config
        return sum(points * 0.5 ** ((NOW - at).total_seconds() / (cfg.half_life_days * 86400)) for points, at in self.counted(crm))

    def last_activity(self, crm: str) -> str | None:
        times = [at for _, at in self.counted(crm)]
        return max(times).astimezone(UTC).isoformat() if times else None

    def counted(self, crm: str) -> list[tuple[float, datetime]]:
        c, cfg = self.crm_ids[crm], self.config
        result: list[tuple[float, datetime]] = []

        def add(points: float, at: datetime) -> None:
            result.append((points, at))

        for m in self.mentions.values():
            if self.owner(m) == c and not m["spam"] and self.own.get(m["brand"], False):
                compound = m["compound"]
                if compound >= 0.05:
                    add(cfg.positive_mention * compound * reach_factor(m["reach"]), m["at"])
                elif compound <= -0.05:
                    add(cfg.negative_mention * -compound * reach_factor(m["reach"]), m["at"])
        for r in self.referrals.values():
            if r["referrer"] == c and r["status"] != "rejected":
                add(cfg.referral_made, r["made"])
            if r["referrer"] == c and r["status"] == "converted":
                add(cfg.referral_converted, r["converted"])
        for o in self.outreach.values():
            if o["customer"] == c and o["outcome"] in cfg.answered_outcomes:
                add(cfg.outreach_answered, o["answered"])
        return result

    def trend_counts(self) -> dict[str, tuple[int, ...]]:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for m in self.mentions.values():
            row = counts[m["at"].astimezone(UTC).date().isoformat()]
            if m["spam"]:
                row[4] += 1
                continue
            row[0] += 1
            row[1 if m["compound"] >= 0.05 else 3 if m["compound"] <= -0.05 else 2] += 1
        return {k: tuple(v) for k, v in sorted(counts.items())}

    def attention(self) -> set[str]:
        result = set()
        for mention_id, m in self.mentions.items():
            owner = self.owner(m)
            if m["spam"] or m["compound"] > -0.05 or not self.own.get(m["brand"], False) or owner in self.forgotten:
                continue
            answered = m.get("marked", False) or any(
                o["mention"] == mention_id or (owner is not None and o["customer"] == owner and o["at"] >= m["at"])
                for o in self.outreach.values()
            )
            if not answered:
                result.add(mention_id)
        return result

