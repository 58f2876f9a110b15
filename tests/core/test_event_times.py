"""Events say when they happened, which is never more than a day after the server's clock: a mention dated years
ahead would outweigh every real one in the recency-weighted scores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from advocacy.domain.errors import InvalidInput
from advocacy.domain.validation import MAX_AHEAD
from advocacy.inputs import Handle, NewMention


def mention(external_id, occurred_at):
    return NewMention("instagram", external_id, "Gojek", "Instagram", "Great service!", occurred_at, author=Handle("ig", "@sari"))


def test_a_mention_up_to_a_day_ahead_of_the_clock_is_recorded_and_later_ones_are_refused(app, clock):
    assert not app.record_mention(mention("m-1", clock.now + MAX_AHEAD)).duplicate  # clock skew, a time-zone slip
    with pytest.raises(InvalidInput) as refused:
        app.record_mention(mention("m-2", clock.now + MAX_AHEAD + timedelta(seconds=1)))
    assert refused.value.field == "occurred_at" and "future" in refused.value.reason
    assert [e.type for e in app.read_log()] == ["Mention.Recorded"]


def test_a_batch_refuses_only_its_future_items_by_index(app, clock):
    batch = app.record_mentions([
        mention("m-1", clock.now - timedelta(days=3)),
        mention("m-2", clock.now.replace(year=2999)),
        mention("m-3", clock.now),
    ])
    assert batch.accepted == 2
    assert [(r["index"], r["error"].field) for r in batch.rejected] == [(1, "occurred_at")]


def test_the_limit_follows_the_clock(app, clock):
    later = clock.now + timedelta(days=30)
    with pytest.raises(InvalidInput):
        app.record_mention(mention("m-1", later))
    clock.now = later
    assert not app.record_mention(mention("m-1", later)).duplicate


@pytest.mark.parametrize("command", ["referral", "conversion", "outreach", "answer", "consent"])
def test_other_events_dated_ahead_of_the_clock_are_refused(app, clock, command):
    app.register_customer("C-1", "Sari")
    app.make_referral("R-1", "C-1", clock.now, referee_name="Budi")
    ahead = clock.now + timedelta(days=2)
    calls = {
        "referral": lambda: app.make_referral("R-2", "C-1", ahead, referee_name="Ani"),
        "conversion": lambda: app.convert_referral("R-1", "C-2", ahead),
        "outreach": lambda: app.log_outreach("C-1", "thank", "dewi", occurred_at=ahead),
        "answer": lambda: app.answer_outreach("C-1", app.log_outreach("C-1", "thank", "dewi").id, "replied", ahead),
        "consent": lambda: app.opt_out("C-1", occurred_at=ahead),
    }
    position = app.head()
    with pytest.raises(InvalidInput) as refused:
        calls[command]()
    assert refused.value.field == "occurred_at"
    assert app.head() == position + (command == "answer")  # only the outreach the answer was for: nothing dated ahead
