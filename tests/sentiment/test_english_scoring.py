import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from advocacy.sentiment import default_assessor
from advocacy.sentiment.english import LinearVader

stock = SentimentIntensityAnalyzer()
linear = LinearVader()

ENGLISH = [
    "VADER is smart, handsome, and funny.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "At least it isn't a horrible book.",
    "Today only kinda sux! But I'll get by, lol",
    "Without a doubt, an excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "The support team never answered my emails, worst experience ever.",
    "I love this app, the delivery was fast and the staff were friendly :)",
    "Not bad at all",
    "Catch utf-8 emoji such as \U0001f498 and \U0001f48b and \U0001f601",
]


def stock_scores(text):
    s = stock.polarity_scores(text)
    return (s["compound"], s["pos"], s["neu"], s["neg"])


@pytest.mark.parametrize("text", ENGLISH)
def test_english_posts_score_exactly_like_stock_vader(text):
    result = default_assessor().assess(text)
    assert result.language == "en"
    s = result.sentiment
    assert (s.compound, s.pos, s.neu, s.neg) == stock_scores(text)


WORDS = st.sampled_from(
    "not never no least kind of so this without doubt very good bad great horrible but the shit "
    "kinda at movie is was really isn't n't sort LOVE HATE ! ? :) uh-uh nor or".split()
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=25))
def test_linear_vader_equals_stock_vader_on_rule_heavy_word_salad(words):
    text = " ".join(words)
    assert linear.polarity_scores(text) == stock.polarity_scores(text)


def test_emoji_with_variation_selector_scores_like_the_bare_emoji():
    with_selector = default_assessor().assess("I love it \u2764\ufe0f").sentiment
    bare = default_assessor().assess("I love it \u2764").sentiment
    assert with_selector == bare
    assert stock.polarity_scores("I love it \u2764\ufe0f")["compound"] < with_selector.compound


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.0, 1.5, -2.25, 3.1, -0.4, 0.293, -4.0]), max_size=12),
    st.text(alphabet="ab !?", max_size=12),
)
def test_the_inlined_score_valence_matches_vader(sentiments, text):
    from advocacy.sentiment.rules import score_valence

    assert score_valence(list(sentiments), text) == stock.score_valence(list(sentiments), text)


def test_a_long_english_text_with_emoji_still_scores_exactly_like_stock_vader():
    text = ("The staff were not very helpful but the food was great \U0001f60d. " * 30)[:4000]
    s = default_assessor().assess(text).sentiment
    assert (s.compound, s.pos, s.neu, s.neg) == stock_scores(text)
