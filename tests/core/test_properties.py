"""Property tests for the domain: idempotent delivery, sealing round-trips, input never crashes."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy.application import AdvocacyApplication
from advocacy.domain.errors import InvalidInput
from advocacy.inputs import Handle, NewMention

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = datetime(2026, 10, 1, tzinfo=UTC)


@contextmanager
def fresh_app() -> Iterator[AdvocacyApplication]:
    """An application on its own SQLite file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="advocacy-prop-") as directory:
        app = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": directory})
        try:
            yield app
        finally:
            app.close()


deliveries = st.lists(
    st.tuples(st.sampled_from(["ig", "tiktok"]), st.integers(0, 6), st.integers(0, 3)), min_size=1, max_size=30
)


@SETTINGS
@given(deliveries=deliveries, batch_size=st.integers(1, 7))
def test_any_redelivery_pattern_stores_each_mention_once(deliveries, batch_size):
    with fresh_app() as app:
        mentions = [
            NewMention(src, str(ext), "Gojek", "ig", f"mantap {ext}", BASE + timedelta(hours=ext), author=Handle("ig", f"u{who}"))
            for src, ext, who in deliveries
        ]
        for start in range(0, len(mentions), batch_size):
            app.record_mentions(mentions[start : start + batch_size])

        recorded = [e for e in app.read_log(limit=1000) if e.type == "Mention.Recorded"]
        assert len(recorded) == len({(src, ext) for src, ext, _ in deliveries})


storable = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
personal_text = st.text(storable, min_size=1, max_size=300).filter(lambda t: t.strip())


@SETTINGS
@given(name=st.text(storable, min_size=1, max_size=200).filter(lambda t: t.strip()), text=personal_text)
def test_personal_data_reads_back_exactly_until_forgotten(name, text):
    with fresh_app() as app:
        app.register_customer("c", name)
        recorded = app.record_mention(NewMention("s", "1", "b", "ig", text, BASE, crm_id="c"))

        assert app.get_customer("c")["name"] == name.strip()
        assert app.get_mention(recorded.id)["text"] == text

        app.forget_customer("c")
        assert app.get_customer("c")["name"] is None
        assert app.get_mention(recorded.id)["text"] is None


@SETTINGS
@given(text=st.one_of(st.text(max_size=6000), st.none(), st.integers(), st.binary(max_size=20)))
def test_any_mention_text_is_either_recorded_or_refused_with_a_field_error(text):
    with fresh_app() as app:
        try:
            recorded = app.record_mention(NewMention("s", "1", "b", "ig", text, BASE, author=Handle("ig", "u")))
        except InvalidInput as error:
            assert error.field == "text"
            assert app.head() == 0
        else:
            assert -1 <= recorded.sentiment["compound"] <= 1
            assert app.head() == 1


@SETTINGS
@given(registrations=st.lists(st.tuples(st.sampled_from(["Budi", "Sari"]), st.sampled_from([None, "a@x.id", "b@x.id"])), min_size=1, max_size=8))
def test_a_customer_shows_the_last_registration_and_records_only_changes(registrations):
    with fresh_app() as app:
        changes = 0
        previous = None
        for name, email in registrations:
            app.register_customer("c", name, email)
            changes += (name, email) != previous
            previous = (name, email)

        assert (app.get_customer("c")["name"], app.get_customer("c")["email"]) == previous
        assert len(app.customer_history("c")) == changes
