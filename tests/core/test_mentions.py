"""Recording mentions: idempotent re-delivery, verdicts decided at ingestion, refused input."""

from datetime import datetime

import pytest

from advocacy.domain.errors import InvalidInput, NotFound
from advocacy.domain.mention import Mention
from advocacy.inputs import Handle, NewMention
from tests.conftest import WIB

WHEN = datetime(2026, 11, 1, 19, 30, tzinfo=WIB)


def mention(external_id="m-1", text="Great service, I love it!", **overrides):
    fields = dict(source="instagram", external_id=external_id, brand="Gojek", channel="Instagram", text=text, occurred_at=WHEN)
    fields.update(overrides)
    if "crm_id" not in fields and "author" not in fields:
        fields["author"] = Handle("instagram", "@sari")
    return NewMention(**fields)


def test_the_same_mention_delivered_three_times_is_stored_once(app):
    first = app.record_mention(mention())
    second = app.record_mention(mention())
    third = app.record_mention(mention())

    assert (first.duplicate, second.duplicate, third.duplicate) == (False, True, True)
    assert first.id == second.id == third.id
    assert second.sentiment == first.sentiment
    assert first.position == second.position == third.position
    assert [e.type for e in app.read_log()] == ["Mention.Recorded"]


def test_a_mention_records_what_was_decided_at_ingestion(app):
    recorded = app.record_mention(mention())

    stored = app.get_mention(recorded.id)
    assert stored["sentiment"]["compound"] > 0.5
    assert set(stored["sentiment"]) == {"compound", "pos", "neu", "neg"}
    assert stored["language"] == recorded.language
    assert stored["spam"] == {"is_spam": False, "reasons": []}
    assert stored["scorer"] and stored["scorer_version"]
    assert stored["occurred_at"].utcoffset().total_seconds() == 0
    assert stored["occurred_at"] == WHEN
    assert stored["text"] == "Great service, I love it!"


def test_a_batch_stores_valid_items_in_one_transaction_and_reports_invalid_ones(app):
    app.record_mention(mention("m-0"))
    head = app.head()
    batch = [mention("m-0"), mention("m-1"), mention("m-2", text=""), mention("m-3"), mention("m-1")]

    result = app.record_mentions(batch)

    assert (result.accepted, result.duplicates) == (2, 2)
    assert result.mentions[0].position == head
    assert result.mentions[4].position == result.mentions[1].position == head + 2
    assert [r["index"] for r in result.rejected] == [2]
    assert result.rejected[0]["error"].field == "text"
    assert result.position == head + 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": 42}, "text"),
        ({"text": None}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"occurred_at": datetime(2026, 11, 1, 19, 30)}, "occurred_at"),
        ({"occurred_at": "2026-11-01"}, "occurred_at"),
        ({"reach": -1}, "reach"),
        ({"reach": 10**13}, "reach"),
        ({"text": "ok\x00"}, "text"),
        ({"text": "broken \ud800 unicode"}, "text"),
        ({"occurred_at": datetime(1, 1, 1, tzinfo=WIB)}, "occurred_at"),
        ({"brand": ""}, "brand"),
        ({"author": None}, "author"),
    ],
)
def test_input_that_cannot_be_stored_is_refused_before_anything_is_saved(app, overrides, field):
    with pytest.raises(InvalidInput) as error:
        app.record_mention(mention(**overrides))

    assert error.value.field == field
    assert app.head() == 0


def test_a_mention_by_an_unknown_crm_id_is_refused(app):
    with pytest.raises(NotFound) as error:
        app.record_mention(mention(crm_id="ghost"))

    assert error.value.field == "crm_id"


def test_text_at_the_cap_is_accepted(app):
    assert not app.record_mention(mention(text="bagus " * 833)).duplicate


def test_officer_overrides_are_recorded_as_events(app):
    recorded = app.record_mention(mention(text="Wow, just great. Another 2 hour wait."))

    app.override_sentiment(recorded.id, -0.6, "rina", "sarcasm")
    app.override_spam(recorded.id, True, "rina", "bot account")

    stored = app.get_mention(recorded.id)
    assert stored["sentiment"]["compound"] == -0.6
    assert stored["spam"]["is_spam"] is True
    types = [e.type for e in app.read_log()]
    assert types == ["Mention.Recorded", "Mention.SentimentOverridden", "Mention.SpamVerdictOverridden"]


def test_answering_a_mention_is_recorded_once(app):
    recorded = app.record_mention(mention(text="Aplikasinya lemot parah, kecewa"))

    assert app.answer_mention(recorded.id, "rina").status == "updated"
    assert app.answer_mention(recorded.id, "rina").status == "duplicate"
    assert app.get_mention(recorded.id)["answered_at"] is not None


def test_a_bulk_recorded_mention_replays_like_one_built_as_an_aggregate(app):
    recorded = app.record_mentions([mention("bulk-1", text="Mantap, driver ramah")]).mentions[0]

    replayed = app.repository.get(recorded.id)
    assert isinstance(replayed, Mention) and replayed.version == 1
    assert (replayed.source, replayed.external_id, replayed.text) == ("instagram", "bulk-1", "Mantap, driver ramah")
    assert replayed.sentiment == recorded.sentiment
