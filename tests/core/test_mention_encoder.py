"""A new mention's Recorded event encoded directly is, byte for byte, the one the mapper gives for the event."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone

import pytest
from eventsourcing.application import Application
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import JSONTranscoder, Transcoding
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.domain.mention import Mention
from advocacy.storage.fast_json import FastJSONTranscoder
from advocacy.storage.keyring import Keyring
from advocacy.storage.mapper import PersonalDataMapper
from advocacy.storage.mention_encoder import MentionEncoder
from advocacy.storage.transcodings import DateAsISO

NOW = datetime(2026, 11, 26, 21, 30, 5, 123456, tzinfo=UTC)


def mapper(transcoder=None, compressor=None) -> PersonalDataMapper:
    if transcoder is None:
        transcoder = FastJSONTranscoder()
        Application.register_transcodings(None, transcoder)  # type: ignore[arg-type]
        transcoder.register(DateAsISO())
    return PersonalDataMapper(transcoder=transcoder, compressor=compressor, keyring=Keyring())


class Odd(str):
    """A str subclass: left to the generic path, which knows how the standard library writes it."""


zones = st.sampled_from([UTC, timezone(timedelta(hours=7), "WIB"), timezone(timedelta(hours=-3, minutes=-30))])
texts = st.one_of(st.text(max_size=12), st.text(max_size=3).map(Odd))
ids = st.one_of(st.none(), st.uuids())
scores = st.one_of(
    st.floats(min_value=-1, max_value=1).map(lambda x: round(x, 4)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1, 1),
)
fields = st.fixed_dictionaries(
    {
        "source": texts,
        "external_id": texts,
        "customer_id": ids,
        "handle_id": ids,
        "platform": st.one_of(st.none(), texts),
        "brand": texts,
        "channel": texts,
        "occurred_at": st.datetimes(timezones=zones),
        "reach": st.one_of(st.integers(0, 10**7), st.integers(), st.booleans()),
        "campaign": st.one_of(st.none(), texts),
        "subject": st.uuids(),
        "personal": st.one_of(st.none(), st.just({"text": "t", "url": None, "handle": "h"})),
    }
)
decided = st.fixed_dictionaries(
    {
        "language": texts,
        "sentiment": st.fixed_dictionaries({"compound": scores, "pos": scores, "neu": scores, "neg": scores}),
        "spam": st.fixed_dictionaries({"is_spam": st.booleans(), "reasons": st.lists(texts, max_size=3)}),
        "scorer": st.just("vader-id"),
        "scorer_version": texts,
    }
)
sealed = st.one_of(st.none(), st.text(max_size=20))


@contextmanager
def recorded_at_now() -> Iterator[None]:
    """Mention.Recorded events made inside get NOW as their timestamp (so that two encodings compare)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Mention.Recorded, "create_timestamp", staticmethod(lambda: NOW))
        yield


def generic(target: PersonalDataMapper, mention_id, fields, decided, sealed):
    state = Mention.record(mention_id, **fields, **decided)
    return target.to_stored_event_from_vars(Mention.Recorded, state, sealed)


@settings(max_examples=400, deadline=None)
@given(st.uuids(), fields, decided, sealed)
def test_the_encoded_event_is_the_one_the_mapper_stores(mention_id, fields, decided, sealed):
    target = mapper()
    with recorded_at_now():
        ours = MentionEncoder(target).encode(mention_id, fields, decided, sealed)
        try:
            theirs = generic(target, mention_id, fields, decided, sealed)
        except UnicodeEncodeError:  # lone surrogates: the library refuses them, so the direct path must step aside
            assert ours is None
            return
    assert (ours is not None) == plain(fields, decided)  # stepped aside only for what it does not write itself
    if ours is not None:
        assert ours == theirs


def plain(fields, decided) -> bool:
    """Whether every value is of the plain type the direct path writes itself (a reference for its checks)."""
    reach = fields["reach"]
    names = ("source", "external_id", "platform", "brand", "channel", "campaign")
    texts = [fields[name] for name in names] + [decided["language"], decided["scorer_version"], *decided["spam"]["reasons"]]
    return (
        type(reach) is int
        and -(2**63) <= reach < 2**64
        and all(type(text) in (str, type(None)) for text in texts)
        and all(type(s) is float and (s == 0 or 1e-4 <= abs(s) < 1e16) for s in decided["sentiment"].values())
    )


def test_plain_values_take_the_direct_path_with_a_compressor_too():
    target = mapper(compressor=ZlibCompressor())
    fields = {
        "source": "instagram", "external_id": "p-1", "customer_id": None, "handle_id": uuid.uuid4(),
        "platform": "instagram", "brand": "gojek", "channel": "instagram",
        "occurred_at": datetime(2026, 11, 1, 19, 30, tzinfo=timezone(timedelta(hours=7))), "reach": 120,
        "campaign": None, "subject": uuid.uuid4(), "personal": {"text": "mantap", "url": None, "handle": "sari"},
    }
    decided = {
        "language": "id", "sentiment": {"compound": 0.4215, "pos": 0.6, "neu": 0.4, "neg": 0.0},
        "spam": {"is_spam": False, "reasons": []}, "scorer": "vader-id", "scorer_version": "3.3.2+id1",
    }
    with recorded_at_now():
        ours = MentionEncoder(target).encode(uuid.uuid4(), fields, decided, "opaque")
        assert ours is not None
        theirs = generic(target, ours.originator_id, fields, decided, "opaque")
    assert ours == theirs
    event = target.to_domain_event(ours)
    assert (event.brand, event.occurred_at, event.sentiment, event.personal) == ("gojek", fields["occurred_at"], decided["sentiment"], "opaque")


class UUIDAsText(Transcoding):
    """Another way to store UUIDs, registered over the library's."""

    type = uuid.UUID
    name = "uuid_str"

    def encode(self, obj: uuid.UUID) -> str:
        return str(obj)

    def decode(self, data: str) -> uuid.UUID:
        return uuid.UUID(data)


def test_a_transcoder_that_writes_ids_differently_is_left_the_generic_path():
    replaced = FastJSONTranscoder()
    Application.register_transcodings(None, replaced)  # type: ignore[arg-type]
    replaced.register(UUIDAsText())
    library = JSONTranscoder()
    Application.register_transcodings(None, library)  # type: ignore[arg-type]
    assert not MentionEncoder(mapper(replaced)).usable
    assert not MentionEncoder(mapper(library)).usable
    assert MentionEncoder(mapper()).usable
