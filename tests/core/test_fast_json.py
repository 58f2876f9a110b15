"""The orjson transcoder stores exactly the bytes the library's JSON transcoder would, and reads them back."""

import decimal
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding, TranscodingNotRegisteredError
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.storage.fast_json import FastJSONTranscoder
from advocacy.storage.transcodings import DateAsISO


def transcoders() -> tuple[JSONTranscoder, FastJSONTranscoder]:
    library, fast = JSONTranscoder(), FastJSONTranscoder()
    for transcoder in (library, fast):
        Application.register_transcodings(None, transcoder)  # type: ignore[arg-type]
        transcoder.register(DateAsISO())
    return library, fast


LIBRARY, FAST = transcoders()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.uuids(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=7)), None])),
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_encodes_the_bytes_the_library_encodes(value):
    try:
        expected = LIBRARY.encode(value)
    except UnicodeEncodeError:  # lone surrogates: the library refuses them, and so must we
        with pytest.raises(UnicodeEncodeError):
            FAST.encode(value)
        return
    assert FAST.encode(value) == expected
    assert FAST.decode(FAST.encode(value)) == LIBRARY.decode(expected)


@pytest.mark.parametrize(
    "value",
    [
        {"compound": 0.1531, "neg": 0.0, "minus_zero": -0.0, "tiny": 1e-05, "big": 1e16, "edge": 0.0001},
        {"nan": float("nan"), "inf": float("-inf")},
        {"huge": 2**70, "keys": {1: "int key", None: "none key", 2.5: "float key"}},
        {"text": 'quote " backslash \\ newline \n tab \t nul \x00 del \x7f line sep \u2028 emoji 😍 café'},
        {"when": datetime(2026, 11, 1, 19, 30, tzinfo=UTC), "day": date(2026, 11, 1), "id": uuid.UUID(int=7)},
        {"nested": [{"id": uuid.UUID(int=1), "amount": decimal.Decimal("1.50")}, (1, "two")]},
    ],
)
def test_encodes_edge_cases_as_the_library_does(value):
    assert FAST.encode(value) == LIBRARY.encode(value)


def test_an_unregistered_type_is_refused_as_the_library_refuses_it():
    class Unknown:
        pass

    with pytest.raises(TranscodingNotRegisteredError):
        LIBRARY.encode({"x": Unknown()})
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.encode({"x": Unknown()})


def test_the_application_encodes_with_it(app):
    assert type(app.mapper.transcoder) is FastJSONTranscoder


def test_a_transcoding_registered_over_the_library_one_takes_its_place():
    class UUIDAsInt(Transcoding):
        type = uuid.UUID
        name = "uuid_int"

        def encode(self, obj):
            return str(obj.int)

        def decode(self, data):
            return uuid.UUID(int=int(data))

    library, fast = transcoders()
    for transcoder in (library, fast):
        transcoder.register(UUIDAsInt())
    value = {"id": uuid.UUID(int=7), "ids": [uuid.UUID(int=8)]}
    assert fast.encode(value) == library.encode(value)
    assert b"uuid_int" in fast.encode(value)
