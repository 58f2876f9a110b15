"""The lexicon's remembered and short-cut answers are the ones its search works out afresh."""

from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.sentiment.lexicon import IndonesianLexicon, load_indonesian_lexicon

LEXICON = load_indonesian_lexicon()
WORDS = sorted(LEXICON.valence) + sorted(LEXICON.variants) + sorted(LEXICON.negators)
tokens = st.one_of(
    st.sampled_from(WORDS).flatmap(  # known words bent the ways canonical() undoes: clitics, repeats, affixes
        lambda w: st.sampled_from([w, w + "nya", w + "lah", "di" + w, "ke" + w + "an", w[:1] * 3 + w[1:], w + "-" + w, w + "2"])
    ),
    st.text(alphabet="abcdeginkalmoprstuy0123456789-#.'", min_size=1, max_size=10),
    st.integers(0, 10**8).map(str),
    st.text(min_size=1, max_size=6),
)


@settings(max_examples=600, deadline=None)
@given(tokens)
def test_canonical_gives_what_a_fresh_search_gives(token):
    token = token.lower()
    fresh = LEXICON.variants.get(token, (token,)) if token in LEXICON.valence or token in LEXICON.variants else LEXICON.search(token)
    assert LEXICON.canonical(token) == fresh
    assert LEXICON.canonical(token) == fresh  # remembered the second time, still the same


def test_numbers_skip_the_search_only_while_every_entry_has_a_letter():
    assert LEXICON._letters_only
    assert LEXICON.canonical("2024") == ("2024",)
    odd = IndonesianLexicon(
        valence={"2": 1.0}, negators={}, boosters_pre={}, boosters_post={}, contrast=frozenset(),
        variants={}, phrase_starts=frozenset(),
    )
    assert not odd._letters_only
    assert odd.canonical("222") == ("2",)  # repeated characters squeezed, as for any token
