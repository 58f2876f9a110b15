"""The orjson event decoder gives exactly the domain event the library's Mapper gives, or steps aside."""

import uuid

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import Environment, get_topic
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.application import AdvocacyApplication
from advocacy.demo import load_demo
from advocacy.domain.mention import Mention
from advocacy.storage.event_decoder import EventDecoder
from tests.core.test_fast_json import FAST, values
from tests.core.test_mention_encoder import NOW, decided, fields, generic, mapper, plain, recorded_at_now, sealed

TOPIC = get_topic(Mention.Answered)


def library(target: Mapper, stored: StoredEvent):
    """What the library's own decoding gives (or the exception it raises)."""
    try:
        return Mapper.to_domain_event(target, stored)
    except Exception as error:  # noqa: BLE001 - compared below: the decoder must then step aside
        return error


def same(ours, theirs) -> bool:
    """Same class, same attributes in the same order, each of the same type and value (1 == 1.0 is not enough)."""
    return type(ours) is type(theirs) and repr(list(vars(ours).items())) == repr(list(vars(theirs).items()))


def stored(state: bytes, topic: str = TOPIC) -> StoredEvent:
    return StoredEvent(originator_id=uuid.uuid4(), originator_version=3, topic=topic, state=state)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=8), values, max_size=6))
def test_any_state_decodes_as_the_library_decodes_it_or_is_left_to_the_library(state):
    try:
        encoded = FAST.encode(state)
    except UnicodeEncodeError:
        return  # lone surrogates: never stored
    target = mapper()
    event, expected = EventDecoder(target).decode(stored(encoded)), library(target, stored(encoded))
    if event is not None:
        assert not isinstance(expected, Exception)
        event_state = {k: v for k, v in vars(event).items() if k not in ("originator_id", "originator_version")}
        expected_state = {k: v for k, v in vars(expected).items() if k not in ("originator_id", "originator_version")}
        assert repr(event_state) == repr(expected_state)


@settings(max_examples=300, deadline=None)
@given(st.uuids(), fields, decided, sealed)
def test_recorded_mentions_decode_as_the_library_decodes_them(mention_id, fields, decided, sealed):
    target = mapper()
    with recorded_at_now():
        try:
            event = generic(target, mention_id, fields, decided, sealed)
        except UnicodeEncodeError:
            return
    ours = EventDecoder(target).decode(event)
    if plain(fields, decided):  # what bulk import and the API store: never left to the slow path
        assert ours is not None
    if ours is not None:
        assert same(ours, Mapper.to_domain_event(target, event))


@pytest.mark.parametrize(
    "state",
    [
        b'{"a": {"_type_": "uuid_hex", "_data_": "not-a-uuid"}}',
        b'{"a": {"_type_": "no_such_transcoding", "_data_": "x"}}',
        b'{"a": {"b": {"_type_": "uuid_hex", "_data_": "0123456789abcdef0123456789abcdef"}}}',
        b'{"a": [{"_type_": "datetime_iso", "_data_": "2026-11-26T00:00:00+00:00"}]}',
        b'{"a": 123456789012345678901234567890}',
        b'{"a": NaN}',
        b'{"a": "\\ud800"}',
        b'{"class_version": 2, "a": 1}',
        b'[1, 2]',
    ],
)
def test_what_it_does_not_reproduce_is_left_to_the_library(state):
    assert EventDecoder(mapper()).decode(stored(state)) is None


def test_a_top_level_transcoded_value_is_turned_back():
    state = b'{"at": {"_type_": "datetime_iso", "_data_": "2026-11-26T07:30:00+07:00"}, "n": 1.5, "who": ' \
        b'{"_type_": "uuid_hex", "_data_": "0123456789abcdef0123456789abcdef"}, "d": {"_type_": "date_iso", "_data_": "2026-11-26"}}'
    target = mapper()
    assert EventDecoder(target).decode(stored(state)) is None  # date_iso: not one of the two it turns back itself
    given = stored(state[: state.index(b', "d"')] + b"}")
    event = EventDecoder(target).decode(given)
    assert event is not None and same(event, Mapper.to_domain_event(target, given))
    assert event.who == uuid.UUID("0123456789abcdef0123456789abcdef") and event.at.utcoffset().total_seconds() == 7 * 3600


def test_compressed_and_encrypted_events_decode_alike():
    cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: AESCipher.create_key(16)}))
    plain_mapper = mapper()
    target = mapper(compressor=ZlibCompressor())
    target.cipher = cipher
    event = Mapper.to_domain_event(plain_mapper, plain_mapper.to_stored_event(
        Mention.Answered(originator_id=uuid.uuid4(), originator_version=2, timestamp=NOW, officer="sari", occurred_at=NOW)
    ))
    stored_event = target.to_stored_event(event)
    assert b"sari" not in stored_event.state
    ours = EventDecoder(target).decode(stored_event)
    assert ours is not None and same(ours, Mapper.to_domain_event(target, stored_event))


def test_every_event_of_the_demo_log_decodes_as_the_library_decodes_it(tmp_path):
    app = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": str(tmp_path)})
    try:
        load_demo(app)
        notifications = app.recorder.select_notifications(0, 100_000)
        decoder = EventDecoder(app.mapper)
        decoded, left = set(), set()
        for n in notifications:
            ours = decoder.decode(n)
            if ours is None:
                left.add(n.topic.rpartition(":")[2])
                continue
            assert same(ours, Mapper.to_domain_event(app.mapper, n)), n.topic
            decoded.add(type(ours).__qualname__)
        assert {"Mention.Recorded", "Customer.Registered", "Customer.HandleLinked", "Customer.OutreachLogged"} <= decoded
        assert left == {"Campaign.Defined", "Referral.Converted"}  # dates and decimals: left to the library
    finally:
        app.close()


def test_an_unknown_topic_is_left_to_the_library():
    assert EventDecoder(mapper()).decode(stored(b'{"a": 1}', topic="advocacy.domain.nowhere:Gone")) is None
