"""The advocacy application service: commands that record events, queries over the log."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, StoredEvent, Transcoder
from eventsourcing.sqlite import SQLiteDatastore

from advocacy.config import persistence_env
from advocacy.domain import ids, validation
from advocacy.domain.brand import Brand, Campaign
from advocacy.domain.customer import Customer
from advocacy.domain.errors import Conflict, CustomerForgotten, InvalidInput, NotFound
from advocacy.domain.mention import Mention
from advocacy.domain.mention_checks import MentionChecks
from advocacy.domain.referral import Referral
from advocacy.events import describe
from advocacy.gc_pause import gc_paused
from advocacy.inputs import Handle, NewMention
from advocacy.results import BatchRecorded, LoggedEvent, MentionRecorded, Written
from advocacy.sentiment import TextAssessment, TextAssessor, default_assessor
from advocacy.sentiment.batch import Assessing, assessing
from advocacy.storage.append import append_events
from advocacy.storage.event_decoder import EventDecoder
from advocacy.storage.existing import stored_positions
from advocacy.storage.fast_json import FastJSONTranscoder
from advocacy.storage.keyring import Keyring
from advocacy.storage.mapper import PersonalDataMapper
from advocacy.storage.mention_encoder import MentionEncoder
from advocacy.storage.sql import Database
from advocacy.storage.sqlite_statements import use_statement_cache
from advocacy.storage.transcodings import DateAsISO
from advocacy.storage.write_turns import take_turns

T = TypeVar("T")
MAX_ATTEMPTS = 40
"""How often a command is re-run after a concurrent writer changed the same aggregate."""
PUMP_EVERY = 25
"""Mentions checked between looks at the scoring workers' answers (so that they always have texts to score)."""
RETRY_PAUSE = 0.002
"""Upper bound in seconds of the first random pause between attempts; it doubles with each attempt."""
RETRY_PAUSE_CAP = 0.25
"""Largest upper bound of a pause between attempts (reached after seven collisions)."""


class AdvocacyApplication(Application[UUID]):
    """Records customers, mentions, referrals and outreach as events."""

    name = "Advocacy"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        assessor: TextAssessor | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.keyring = Keyring()
        use_statement_cache()
        super().__init__(persistence_env(env))
        if isinstance(self.recorder.datastore, SQLiteDatastore):
            take_turns(self.recorder.datastore)
        self.db = Database(self.recorder)
        self.keyring.bind(self.db)
        self.mention_encoder = MentionEncoder(self.mapper)
        self.event_decoder = EventDecoder(self.mapper)
        self.assessor = assessor or default_assessor()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.listeners: list[Callable[[int], None]] = []

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, plus per-customer sealing of personal data."""
        return PersonalDataMapper(
            transcoder=self.construct_transcoder(),
            cipher=self.factory.cipher(),
            compressor=self.factory.compressor(),
            keyring=self.keyring,
        )

    def construct_transcoder(self) -> Transcoder:
        """JSON transcoder that also knows calendar dates, encoding with orjson (advocacy/storage/fast_json.py)."""
        transcoder = super().construct_transcoder()
        if type(transcoder) is JSONTranscoder:  # the library's own: the same bytes, encoded faster
            transcoder = FastJSONTranscoder()
            self.register_transcodings(transcoder)
        if isinstance(transcoder, JSONTranscoder):
            transcoder.register(DateAsISO())
        return transcoder

    # Customers

    def register_customer(
        self,
        crm_id: str,
        name: str,
        email: str | None = None,
        handles: Sequence[Handle] = (),
    ) -> Written:
        """Register a customer from the CRM, or record what changed; same data twice is a duplicate."""
        crm_id = validation.name("crm_id", crm_id)
        name = validation.name("name", name)
        email = validation.email("email", email)
        wanted = [validation.handle(f"handles[{i}]", h) for i, h in enumerate(handles)]

        def attempt() -> Written:
            try:
                customer = self._customer(crm_id)
            except NotFound:
                customer = Customer(crm_id=crm_id, subject=ids.customer_id(crm_id), personal={"name": name, "email": email})
                status = "created"
            else:
                if customer.forgotten:
                    raise CustomerForgotten(crm_id)
                status = "duplicate"
                if (customer.name, customer.email) != (name, email):
                    customer.change_details(subject=customer.id, personal={"name": name, "email": email})
                    status = "updated"
            for platform, handle in wanted:
                if _link(customer, platform, handle):
                    status = "updated" if status == "duplicate" else status
            return Written(customer.id, status, self._save(customer))

        return self._retrying(attempt)

    def link_handle(self, crm_id: str, platform: str, handle: str) -> Written:
        """Record that a social media handle belongs to a customer."""
        platform, handle = validation.handle("handle", Handle(platform, handle))

        def attempt() -> Written:
            customer = self._living_customer(crm_id)
            status = "updated" if _link(customer, platform, handle) else "duplicate"
            return Written(customer.id, status, self._save(customer))

        return self._retrying(attempt)

    def opt_out(self, crm_id: str, occurred_at: datetime | None = None) -> Written:
        """Record that a customer does not want outreach."""
        return self._set_consent(crm_id, opted_out=True, occurred_at=occurred_at)

    def opt_in(self, crm_id: str, occurred_at: datetime | None = None) -> Written:
        """Record that a customer welcomes outreach again."""
        return self._set_consent(crm_id, opted_out=False, occurred_at=occurred_at)

    def forget_customer(self, crm_id: str, occurred_at: datetime | None = None) -> Written:
        """Destroy a customer's personal data everywhere; anonymous facts stay."""
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            customer = self._customer(crm_id)
            if customer.forgotten:
                return Written(customer.id, "duplicate", self._head())
            subjects = customer.personal_subjects
            # Keys first: if the save below fails, the data is unreadable already and a retry completes it.
            self.keyring.forget(subjects)
            customer.forget(occurred_at=when, forgotten_subjects=subjects)
            return Written(customer.id, "updated", self._save(customer))

        return self._retrying(attempt)

    # Outreach

    def log_outreach(
        self,
        crm_id: str,
        action: str,
        officer: str,
        occurred_at: datetime | None = None,
        notes: str | None = None,
        mention_id: UUID | None = None,
        outreach_id: UUID | None = None,
    ) -> Written:
        """Record that an officer contacted a customer; the same outreach id twice is a duplicate."""
        action = validation.choice("action", action, validation.OUTREACH_ACTIONS)
        officer = validation.name("officer", officer)
        notes = validation.optional_name("notes", notes, max_length=validation.MAX_NOTES_LENGTH)
        when = self._when("occurred_at", occurred_at)
        outreach_id = outreach_id or uuid4()
        if mention_id is not None:
            self._mention(mention_id)

        def attempt() -> Written:
            customer = self._living_customer(crm_id)
            if outreach_id in customer.outreach:
                return Written(outreach_id, "duplicate", self._head())
            customer.log_outreach(
                outreach_id=outreach_id,
                action=action,
                officer=officer,
                occurred_at=when,
                mention_id=mention_id,
                subject=customer.id,
                personal={"notes": notes} if notes else None,
            )
            return Written(outreach_id, "created", self._save(customer))

        return self._retrying(attempt)

    def answer_outreach(
        self, crm_id: str, outreach_id: UUID, outcome: str, occurred_at: datetime | None = None
    ) -> Written:
        """Record the customer's answer to an outreach."""
        outcome = validation.choice("outcome", outcome, validation.OUTREACH_OUTCOMES)
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            customer = self._customer(crm_id)
            record = customer.outreach.get(outreach_id)
            if record is None:
                raise NotFound("outreach", str(outreach_id), "outreach_id")
            if record["outcome"] == outcome:
                return Written(outreach_id, "duplicate", self._head())
            customer.answer_outreach(outreach_id=outreach_id, outcome=outcome, occurred_at=when)
            return Written(outreach_id, "updated", self._save(customer))

        return self._retrying(attempt)

    # Mentions

    def record_mention(self, mention: NewMention) -> MentionRecorded:
        """Score and record one mention; a re-delivery returns the stored verdict and records nothing."""
        batch = self.record_mentions([mention])
        if batch.rejected:
            raise batch.rejected[0]["error"]
        result = batch.mentions[0]
        assert result is not None
        return result

    def record_mentions(self, mentions: Sequence[NewMention]) -> BatchRecorded:
        """Score and record many mentions in one transaction; invalid items are reported by index."""
        # The workers start on the texts while the mentions are checked (pumped with more every PUMP_EVERY
        # checks, so they never sit idle); texts found invalid or stored already are never asked for, and only
        # those the workers took before the checks ended are assessed in vain (a re-delivered batch of 1,000
        # costs the workers a few hundred texts' scoring, time they would otherwise have spent idle).
        with gc_paused(), assessing(self.assessor, [m.text for m in mentions]) as scoring:
            checked: list[tuple[int, dict[str, Any]]] = []
            rejected: list[dict[str, Any]] = []
            checks = MentionChecks()
            now = self.clock()
            for index, item in enumerate(mentions):
                if index % PUMP_EVERY == 0:
                    scoring.pump()
                try:
                    fields = checks.check(item)
                    validation.not_ahead("occurred_at", fields["occurred_at"], now)
                    checked.append((index, fields))
                except InvalidInput as error:
                    rejected.append({"index": index, "error": error})
            authors = {f["customer_id"] for _, f in checked if f["customer_id"] is not None}
            known = stored_positions(self.db, self.recorder, authors) if authors else {}
            valid = []
            for index, fields in checked:
                if fields["customer_id"] is None or fields["customer_id"] in known:
                    valid.append((index, fields))
                else:
                    unknown = NotFound("customer", str(mentions[index].crm_id).strip(), "crm_id")
                    rejected.append({"index": index, "error": unknown})
            rejected.sort(key=lambda r: r["index"])
            return self._retrying(lambda: self._record_checked(valid, rejected, len(mentions), scoring))

    def answer_mention(self, mention_id: UUID, officer: str, occurred_at: datetime | None = None) -> Written:
        """Record that an officer answered a mention; it leaves the attention queue."""
        officer = validation.name("officer", officer)
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            mention = self._mention(mention_id)
            if mention.answered_at is not None:
                return Written(mention.id, "duplicate", self._head())
            mention.answer(officer=officer, occurred_at=when)
            return Written(mention.id, "updated", self._save(mention))

        return self._retrying(attempt)

    def override_sentiment(
        self, mention_id: UUID, compound: float, officer: str, reason: str, occurred_at: datetime | None = None
    ) -> Written:
        """Record an officer's correction of a mention's sentiment."""
        compound = validation.compound("compound", compound)
        officer = validation.name("officer", officer)
        reason = validation.name("reason", reason, max_length=validation.MAX_NOTES_LENGTH)
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            mention = self._mention(mention_id)
            mention.override_sentiment(compound=compound, officer=officer, reason=reason, occurred_at=when)
            return Written(mention.id, "updated", self._save(mention))

        return self._retrying(attempt)

    def override_spam(
        self, mention_id: UUID, is_spam: bool, officer: str, reason: str, occurred_at: datetime | None = None
    ) -> Written:
        """Record an officer's correction of a mention's spam verdict."""
        if not isinstance(is_spam, bool):
            raise InvalidInput("is_spam", "must be true or false")
        officer = validation.name("officer", officer)
        reason = validation.name("reason", reason, max_length=validation.MAX_NOTES_LENGTH)
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            mention = self._mention(mention_id)
            mention.override_spam(is_spam=is_spam, officer=officer, reason=reason, occurred_at=when)
            return Written(mention.id, "updated", self._save(mention))

        return self._retrying(attempt)

    # Referrals

    def make_referral(
        self,
        external_id: str,
        referrer_crm_id: str,
        occurred_at: datetime,
        referee_crm_id: str | None = None,
        referee_email: str | None = None,
        referee_name: str | None = None,
        campaign: str | None = None,
    ) -> Written:
        """Record that a customer referred someone; the same referral twice is a duplicate."""
        external_id = validation.name("external_id", external_id)
        referrer_crm_id = validation.name("referrer_crm_id", referrer_crm_id)
        referee_crm_id = validation.optional_name("referee.crm_id", referee_crm_id)
        referee_email = validation.email("referee.email", referee_email)
        referee_name = validation.optional_name("referee.name", referee_name)
        campaign = validation.optional_name("campaign", campaign)
        when = self._happened("occurred_at", occurred_at)
        if not (referee_crm_id or referee_email or referee_name):
            raise InvalidInput("referee", "needs a crm_id, an email or a name")
        try:
            referrer = self._living_customer(referrer_crm_id)
        except NotFound:
            raise NotFound("customer", referrer_crm_id, "referrer_crm_id") from None
        same_crm = referee_crm_id == referrer_crm_id
        same_email = referee_email is not None and referee_email == referrer.email
        if same_crm or same_email:
            raise InvalidInput("referee", "referrer and referee are the same person")
        fields = dict(
            referrer_id=referrer.id,
            referrer_crm_id=referrer_crm_id,
            referee_crm_id=referee_crm_id,
            occurred_at=when,
            campaign=campaign,
        )

        def attempt() -> Written:
            existing = self._optional(Referral, ids.referral_id(external_id))
            if existing is not None:
                stored = {k: getattr(existing, k) for k in fields}
                if stored != fields:
                    msg = f"referral {external_id} was already recorded with other details"
                    raise Conflict(msg)
                return Written(existing.id, "duplicate", self._head())
            subject = ids.customer_id(referee_crm_id) if referee_crm_id else ids.referral_id(external_id)
            referral = Referral(
                external_id=external_id,
                subject=subject,
                personal={"name": referee_name, "email": referee_email},
                **fields,
            )
            return Written(referral.id, "created", self._save(referral))

        return self._retrying(attempt)

    def convert_referral(
        self, external_id: str, crm_id: str, occurred_at: datetime, value: Any = None
    ) -> Written:
        """Record that a referral converted into a customer, with the order value if known."""
        crm_id = validation.name("crm_id", crm_id)
        amount = validation.money("value", value)
        when = self._happened("occurred_at", occurred_at)

        def attempt() -> Written:
            referral = self._referral(external_id)
            referral.check_can_convert()
            if referral.converted is not None:
                if (referral.converted["crm_id"], referral.converted["value"]) != (crm_id, amount):
                    msg = f"referral {external_id} already converted with other details"
                    raise Conflict(msg)
                return Written(referral.id, "duplicate", self._head())
            referral.convert(customer_crm_id=crm_id, value=amount, occurred_at=when)
            return Written(referral.id, "updated", self._save(referral))

        return self._retrying(attempt)

    def reject_referral(self, external_id: str, reason: str, occurred_at: datetime | None = None) -> Written:
        """Record that a referral does not count (self-referral, duplicate referee, fraud)."""
        reason = validation.name("reason", reason)
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            referral = self._referral(external_id)
            if referral.rejected_because is not None:
                return Written(referral.id, "duplicate", self._head())
            referral.check_can_reject()
            referral.reject(reason=reason, occurred_at=when)
            return Written(referral.id, "updated", self._save(referral))

        return self._retrying(attempt)

    # Brands and campaigns

    def track_brand(self, name: str, own: bool) -> Written:
        """Track a brand as ours or as a competitor's, or reclassify it."""
        name = validation.name("name", name)
        if not isinstance(own, bool):
            raise InvalidInput("own", "must be true or false")

        def attempt() -> Written:
            brand = self._optional(Brand, ids.brand_id(name))
            if brand is None:
                brand = Brand(name=name, own=own)
                return Written(brand.id, "created", self._save(brand))
            if brand.own == own:
                return Written(brand.id, "duplicate", self._head())
            brand.reclassify(own=own)
            return Written(brand.id, "updated", self._save(brand))

        return self._retrying(attempt)

    def define_campaign(
        self, name: str, brand: str, starts_on: date, ends_on: date, description: str | None = None
    ) -> Written:
        """Define a campaign's brand and dates, or change them."""
        name = validation.name("name", name)
        brand = ids.normal_name(validation.name("brand", brand))
        starts_on = validation.day("starts_on", starts_on)
        ends_on = validation.day("ends_on", ends_on)
        description = validation.optional_name("description", description, max_length=validation.MAX_NOTES_LENGTH) or ""
        if ends_on < starts_on:
            raise InvalidInput("ends_on", "must not be before starts_on")
        details = dict(brand=brand, starts_on=starts_on, ends_on=ends_on, description=description)

        def attempt() -> Written:
            campaign = self._optional(Campaign, ids.campaign_id(name))
            if campaign is None:
                campaign = Campaign(name=name, **details)
                return Written(campaign.id, "created", self._save(campaign))
            if campaign.same_as(**details):
                return Written(campaign.id, "duplicate", self._head())
            campaign.change(**details)
            return Written(campaign.id, "updated", self._save(campaign))

        return self._retrying(attempt)

    # Queries

    def get_customer(self, crm_id: str) -> dict[str, Any]:
        """A customer's profile as plain data."""
        self.keyring.refresh()
        customer = self._customer(crm_id)
        return {
            "id": customer.id,
            "crm_id": customer.crm_id,
            "name": customer.name,
            "email": customer.email,
            "handles": sorted(
                ({"platform": h["platform"], "handle": h["handle"]} for h in customer.handles.values()),
                key=lambda h: (h["platform"], h["handle"] or ""),
            ),
            "opted_out": customer.opted_out,
            "forgotten": customer.forgotten,
            "last_contacted_at": customer.last_contacted_at,
            "outreach": [{"id": k, **v} for k, v in customer.outreach.items()],
        }

    def get_mention(self, mention_id: UUID) -> dict[str, Any]:
        """A mention with its current verdicts, as plain data."""
        self.keyring.refresh()
        m = self._mention(mention_id)
        return {
            "id": m.id,
            "source": m.source,
            "external_id": m.external_id,
            "customer_id": m.customer_id,
            "handle_id": m.handle_id,
            "brand": m.brand,
            "channel": m.channel,
            "occurred_at": m.occurred_at,
            "reach": m.reach,
            "campaign": m.campaign,
            "language": m.language,
            "sentiment": m.sentiment,
            "spam": m.spam,
            "scorer": m.scorer,
            "scorer_version": m.scorer_version,
            "text": m.text,
            "url": m.url,
            "overrides": m.overrides,
            "answered_at": m.answered_at,
        }

    def get_referral(self, external_id: str) -> dict[str, Any]:
        """A referral and its status, as plain data."""
        self.keyring.refresh()
        r = self._referral(external_id)
        return {
            "id": r.id,
            "external_id": r.external_id,
            "referrer_crm_id": r.referrer_crm_id,
            "referee_crm_id": r.referee_crm_id,
            "referee_name": r.referee_name,
            "referee_email": r.referee_email,
            "occurred_at": r.occurred_at,
            "campaign": r.campaign,
            "status": r.status,
            "converted": r.converted,
            "rejected_because": r.rejected_because,
        }

    def customer_history(self, crm_id: str) -> list[LoggedEvent]:
        """The customer aggregate's own events in order (registration, handles, consent, outreach)."""
        self.keyring.refresh()
        customer_id = ids.customer_id(crm_id)
        events = list(self.events.get(customer_id))
        if not events:
            raise NotFound("customer", crm_id, "crm_id")
        return [describe(e, None) for e in events]

    def read_log(self, after: int = 0, limit: int = 100) -> list[LoggedEvent]:
        """Events after a log position, oldest first."""
        self.keyring.refresh()
        if after < 0:
            raise InvalidInput("after", "must be zero or more")
        notifications = self.recorder.select_notifications(after, limit, inclusive_of_start=False)
        return [describe(self.mapper.to_domain_event(n), n.id) for n in notifications]

    def events_at(self, positions: Sequence[int]) -> list[LoggedEvent]:
        """The events at the given log positions, in the order given; missing positions are skipped."""
        self.keyring.refresh()
        found = []
        for position in positions:
            notifications = self.recorder.select_notifications(position, 1)
            if notifications and notifications[0].id == position:
                found.append(describe(self.mapper.to_domain_event(notifications[0]), position))
        return found

    def head(self) -> int:
        """The position of the newest event in the log (0 when empty)."""
        return self._head()

    # Internals

    def _record_checked(
        self, checked: list[tuple[int, dict[str, Any]]], rejected: list[dict[str, Any]], size: int, scoring: Assessing
    ) -> BatchRecorded:
        results: list[MentionRecorded | None] = [None] * size
        wanted = [(index, ids.mention_id(f["source"], f["external_id"]), f) for index, f in checked]
        stored = stored_positions(self.db, self.recorder, (mention_id for _, mention_id, _ in wanted))
        fresh: list[tuple[int, UUID, dict[str, Any]]] = []
        for index, mention_id, fields in wanted:
            if mention_id in stored:
                continue
            stored[mention_id] = 0  # a second copy in this batch is a duplicate of this one
            fresh.append((index, mention_id, fields))
        position, new = self._record_new(fresh, scoring) if fresh else (self._head(), [])
        for index, result in new:
            results[index] = result
        duplicates = 0
        for index, mention_id, _ in wanted:
            if results[index] is None:
                original = stored[mention_id] or position
                mention = self.repository.get(mention_id)
                results[index] = _mention_result(mention_id, vars(mention), duplicate=True, position=original)
                duplicates += 1
        return BatchRecorded(
            accepted=len(new),
            duplicates=duplicates,
            rejected=rejected,
            position=position,
            mentions=results,
        )

    def _record_new(
        self, fresh: list[tuple[int, UUID, dict[str, Any]]], scoring: Assessing
    ) -> tuple[int, list[tuple[int, MentionRecorded]]]:
        """Score, seal and store new mentions in one transaction: the log position, and each one's result by index.

        While the workers score, this process seals the personal data and then encodes each mention as soon
        as its verdict is in, so that only the insert waits for the last verdict.
        """
        verdicts = scoring.results((index, _author_key(f), f["occurred_at"]) for index, _, f in fresh)
        scoring.pump()
        sealed = self.mapper.seal_all([(f["subject"], f["personal"]) for _, _, f in fresh])
        scoring.pump()
        decisions: list[dict[str, Any]] = []
        stored: list[StoredEvent] = []
        encode = self.mention_encoder.encode
        for (_, mention_id, fields), verdict, personal in zip(fresh, verdicts, sealed, strict=True):
            decided = _verdict_fields(verdict)
            event = encode(mention_id, fields, decided, personal)
            if event is None:
                state = Mention.record(mention_id, **fields, **decided)
                event = self.mapper.to_stored_event_from_vars(Mention.Recorded, state, personal)
            decisions.append(decided)
            stored.append(event)
        scoring.close()  # every verdict is in: free the workers for other batches while this one is stored
        position = self._insert(stored)
        return position, [
            (index, _mention_result(mention_id, decided, duplicate=False, position=position))
            for (index, mention_id, _), decided in zip(fresh, decisions, strict=True)
        ]

    def _set_consent(self, crm_id: str, *, opted_out: bool, occurred_at: datetime | None) -> Written:
        when = self._when("occurred_at", occurred_at)

        def attempt() -> Written:
            customer = self._living_customer(crm_id)
            if customer.opted_out == opted_out:
                return Written(customer.id, "duplicate", self._head())
            if opted_out:
                customer.opt_out(occurred_at=when)
            else:
                customer.opt_in(occurred_at=when)
            return Written(customer.id, "updated", self._save(customer))

        return self._retrying(attempt)

    def _save(self, *aggregates: Any) -> int:
        """Save in one transaction and return the newest log position reached."""
        return self._reached(self.save(*aggregates))

    def _insert(self, stored: Sequence[StoredEvent]) -> int:
        """Store already mapped new events in one transaction (bulk import: no aggregates to collect them from)."""
        position = append_events(self.recorder, stored)
        return self._announce(position) if position is not None else self._head()

    def _reached(self, recordings: Sequence[Any]) -> int:
        if not recordings:
            return self._head()
        return self._announce(max(r.notification.id for r in recordings))

    def _announce(self, position: int) -> int:
        """Tell the listeners the log reached `position`, and return it."""
        for listener in list(self.listeners):
            listener(position)
        return position

    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Run a command, re-running it from fresh state when a concurrent writer got there first."""
        for attempt_number in range(1, MAX_ATTEMPTS + 1):
            try:
                return attempt()
            except IntegrityError:
                if attempt_number == MAX_ATTEMPTS:
                    raise
                # Random pauses in a window that doubles ("full jitter") spread contending writers out; a window
                # that grew only linearly to 20 ms let eight writers of one customer on a slow machine collide
                # forty times in a row.
                window = min(RETRY_PAUSE_CAP, RETRY_PAUSE * 2 ** (attempt_number - 1))
                time.sleep(random.uniform(0, window))  # noqa: S311
        raise AssertionError("unreachable")

    def _head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _when(self, field: str, value: datetime | None) -> datetime:
        """An optional time of something that happened; now when not given."""
        return self.clock() if value is None else self._happened(field, value)

    def _happened(self, field: str, value: Any) -> datetime:
        """The time of something that happened: with a zone, in the accepted years, not ahead of the clock."""
        return validation.not_ahead(field, validation.aware_time(field, value), self.clock())

    def _optional(self, kind: type[T], aggregate_id: UUID) -> T | None:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(aggregate, kind)
        return aggregate

    def _customer(self, crm_id: str) -> Customer:
        customer = self._optional(Customer, ids.customer_id(validation.name("crm_id", crm_id)))
        if customer is None:
            raise NotFound("customer", crm_id, "crm_id")
        return customer

    def _living_customer(self, crm_id: str) -> Customer:
        customer = self._customer(crm_id)
        if customer.forgotten:
            raise CustomerForgotten(crm_id)
        return customer

    def _mention(self, mention_id: UUID) -> Mention:
        mention = self._optional(Mention, mention_id) if isinstance(mention_id, UUID) else None
        if mention is None:
            raise NotFound("mention", str(mention_id), "mention_id")
        return mention

    def _referral(self, external_id: str) -> Referral:
        external_id = validation.name("external_id", external_id)
        referral = self._optional(Referral, ids.referral_id(external_id))
        if referral is None:
            raise NotFound("referral", external_id, "external_id")
        return referral


def _link(customer: Customer, platform: str, handle: str) -> bool:
    handle_id = ids.handle_id(platform, handle)
    if handle_id in customer.handles:
        return False
    customer.link_handle(handle_id=handle_id, platform=platform, subject=handle_id, personal={"handle": handle})
    return True


def _author_key(fields: dict[str, Any]) -> str:
    """Who posted, as the spam filter's duplicate-author window counts them."""
    if fields["platform"]:
        return f"{fields['platform']}:{fields['personal']['handle']}"
    return str(fields["customer_id"])


def _verdict_fields(verdict: TextAssessment) -> dict[str, Any]:
    """What a Mention.Recorded event keeps of a verdict."""
    sentiment = verdict.sentiment
    return {
        "language": verdict.language,
        "sentiment": {"compound": sentiment.compound, "pos": sentiment.pos, "neu": sentiment.neu, "neg": sentiment.neg},
        "spam": {"is_spam": verdict.spam.is_spam, "reasons": list(verdict.spam.reasons)},
        "scorer": verdict.scorer,
        "scorer_version": verdict.scorer_version,
    }


def _mention_result(mention_id: UUID, decided: dict[str, Any], *, duplicate: bool, position: int) -> MentionRecorded:
    """What was decided about a mention, from vars() of its aggregate or the verdict fields its Recorded event keeps."""
    return MentionRecorded(
        id=mention_id,
        duplicate=duplicate,
        language=decided["language"],
        sentiment=dict(decided["sentiment"]),
        spam=dict(decided["spam"]),
        scorer=decided["scorer"],
        scorer_version=decided["scorer_version"],
        position=position,
    )
