"""The short path for plainly valid mention bodies gives what the marshmallow schema gives, and nothing else."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from api.mention_fast_path import plain_mention
from api.resources.mentions import MentionIn
from tests.api.conftest import mention

SCHEMA = MentionIn()


def schema_load(body: Any) -> Any:
    """What the schema alone gives: the NewMention, or the ValidationError's messages."""
    try:
        return ma.Schema.load(SCHEMA, body)  # the schema's own load, without the short path
    except ma.ValidationError as error:
        return error.normalized_messages()


def same(a: Any, b: Any) -> bool:
    """Equal, down to the time zone of the time (datetimes compare equal across zones)."""
    return a == b and repr(getattr(a, "occurred_at", None)) == repr(getattr(b, "occurred_at", None))


texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "Kopiku", "nul\x00", "lone \ud800", "@budi", "  spaced  "]),
)
times = st.one_of(
    st.sampled_from([
        "2026-11-20T10:00:00+07:00", "2026-11-20T10:00:00Z", "2026-11-20T10:00:00", "2026-11-20",
        "2026-11-20 10:00", "2026-11-20T10:00:00.5+07:00", "1969-12-31T23:59:59Z", "3000-01-01T00:00:00Z",
        "20261120T100000+0700", "not a time", "2026-13-01T00:00:00Z", "",
    ]),
    st.datetimes().map(lambda d: d.isoformat()),
    st.text(max_size=25),
)
anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts, st.lists(st.integers(), max_size=2))
authors = st.one_of(
    st.none(),
    st.fixed_dictionaries({"platform": texts, "handle": texts}),
    st.fixed_dictionaries({"platform": st.sampled_from(["ig", "nul\x00"]), "handle": st.sampled_from(["@b", "lone \ud800"])}),
    st.dictionaries(st.sampled_from(["platform", "handle", "id"]), st.one_of(texts, anything), max_size=3),
    anything,
)
reaches = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**12 + 5), st.sampled_from([-1, 10**12, 10**12 + 1, True, 1.0, "7"]))
REQUIRED = {"source", "external_id", "brand", "channel", "text", "occurred_at"}
VALUES = {
    "source": st.one_of(texts, anything), "external_id": st.one_of(texts, anything), "brand": texts,
    "channel": texts, "text": st.one_of(texts, anything), "occurred_at": st.one_of(times, anything),
    "crm_id": st.one_of(st.none(), texts, anything), "url": st.one_of(st.none(), texts), "campaign": st.one_of(st.none(), texts),
    "author": authors, "reach": reaches, "unknown_field": anything,
}
PLAIN = {
    "source": st.sampled_from(["listening", "brandwatch"]), "external_id": st.text(min_size=1, max_size=8),
    "brand": st.sampled_from(["Kopiku", "Grab"]), "channel": st.sampled_from(["twitter", "instagram"]),
    "text": st.text(max_size=20), "occurred_at": st.sampled_from(["2026-11-20T10:00:00+07:00", "2026-01-01T00:00:00Z"]),
    "crm_id": st.sampled_from(["C-1", None]), "url": st.none(), "campaign": st.none(),
    "author": st.fixed_dictionaries({"platform": st.just("ig"), "handle": st.just("@budi")}), "reach": st.integers(0, 10**6),
}


@st.composite
def bodies(draw: st.DrawFn) -> Any:
    """Plain valid bodies with one to three fields changed to odd values, missing, or added unknown."""
    body = {key: draw(PLAIN[key]) for key in sorted(PLAIN) if key in REQUIRED or draw(st.booleans())}
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        key = draw(st.sampled_from(sorted(VALUES)))
        if draw(st.integers(0, 5)) == 0:
            body.pop(key, None)
        else:
            body[key] = draw(VALUES[key])
    return body


@settings(max_examples=600, deadline=None)
@given(st.one_of(bodies(), anything, st.lists(bodies(), max_size=1)))
@example(mention())
@example(mention(author={"platform": "ig", "handle": "@budi"}, crm_id=None, reach=0, url="https://x", campaign="Promo"))
@example(mention(reach=True))
@example(mention(occurred_at="2026-11-20 10:00"))
@example(mention(reach=-1))
@example(mention(reach=10**12 + 1))
@example(mention(author={"platform": "ig", "handle": "nul\x00"}))
def test_the_short_path_gives_what_the_schema_gives_or_leaves_it_to_the_schema(body):
    quick = plain_mention(body)
    if quick is not None:
        assert same(quick, schema_load(body)), (body, quick, schema_load(body))


@pytest.mark.parametrize(
    "body",
    [
        mention(),
        mention(crm_id=None, author={"platform": "instagram", "handle": "@budi"}),
        mention(reach=1500, url="https://example.com/p/1", campaign="Ramadan"),
        mention(occurred_at="2026-11-20T10:00:00Z"),
        mention(occurred_at="2026-11-20T10:00:00.123456-03:30"),
    ],
)
def test_ordinary_bodies_take_the_short_path(body):
    quick = plain_mention(body)
    assert quick is not None
    assert same(quick, schema_load(body))
    assert same(SCHEMA.load(body), quick)


def test_a_refused_body_gets_the_schemas_own_messages():
    with pytest.raises(ma.ValidationError) as refused:
        SCHEMA.load(mention(reach=-1, colour="red"))
    assert refused.value.normalized_messages() == schema_load(mention(reach=-1, colour="red"))
    assert set(refused.value.normalized_messages()) == {"reach", "colour"}


def test_the_batch_endpoint_takes_the_short_path_for_each_plain_item(api, monkeypatch):
    import api.resources.mentions as resource

    taken = []

    def counting(body):
        result = plain_mention(body)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(resource, "plain_mention", counting)
    api.customer("C-1", "Budi")
    response = api.post("/v1/mentions/batch", {"mentions": [mention("m-9"), {**mention("m-10"), "reach": "many"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert taken == [True, False]  # the second goes through the schema, which refuses it
    assert response.get_json()["accepted"] == 1


def field_shapes(schema: ma.Schema) -> dict[str, tuple[str, bool, bool, list[str]]]:
    """Each field's type, required, allow_none and validators, as the short path relies on them."""
    return {
        name: (type(f).__name__, f.required, f.allow_none, [getattr(v, "__name__", repr(v)) for v in f.validators])
        for name, f in schema.fields.items()
    }


def test_the_schema_is_still_the_one_the_short_path_mirrors():
    # The short path repeats MentionIn's rules; a field, type or validator added to the schema must be
    # added there too (or the short path dropped), and this test says so before the two drift apart.
    from api.resources.customers import HandleSchema

    text, optional = ("Text", True, False, []), ("Text", False, True, [])
    assert field_shapes(SCHEMA) == {
        "source": text, "external_id": text, "crm_id": optional, "author": ("Nested", False, True, []),
        "brand": text, "channel": text, "text": text, "url": optional,
        "reach": ("Integer", False, True, ["<Range(min=0, max=1000000000000, min_inclusive=True, max_inclusive=True, error=None)>"]),
        "occurred_at": ("DateTime", True, False, ["_in_era"]), "campaign": optional,
    }
    assert field_shapes(HandleSchema()) == {"platform": text, "handle": text}
