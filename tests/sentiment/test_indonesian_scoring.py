import pytest

from advocacy.sentiment import default_assessor


def compound(text):
    return default_assessor().assess(text).sentiment.compound


def label(text):
    return default_assessor().assess(text).sentiment.label


@pytest.mark.parametrize(
    "text",
    [
        "Pelayanannya mantap banget, sangat puas!",
        "keren banget kak",
        "mantappp",
        "makasih kak, pengirimannya cepet bgt",
        "nggak nyesel beli di sini",
        "gak ada obat emang",
        "jangan ragu order disini",
    ],
)
def test_indonesian_praise_is_positive(text):
    assert label(text) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "aplikasinya lemot parah, kecewa",
        "tidak bagus",
        "kurang puas sama pelayanannya",
        "barangnya bagus tapi pengirimannya lama banget",
        "belum sampai juga, kecewa berat",
    ],
)
def test_indonesian_complaints_are_negative(text):
    assert label(text) == "negative"


def test_a_post_positioned_booster_strengthens_the_word_before_it():
    assert compound("keren banget") > compound("keren")


def test_a_pre_positioned_dampener_weakens_the_word_after_it():
    assert 0 < compound("agak bagus") < compound("bagus")


def test_negation_turns_praise_negative():
    assert compound("tidak bagus") < 0 < compound("bagus")


def test_repeated_letters_score_like_the_plain_word():
    assert compound("kereeen") == compound("keren")


def test_contrast_gives_the_clause_after_tapi_more_weight():
    assert compound("mahal tapi kualitasnya bagus") > 0 > compound("kualitasnya bagus tapi mahal banget")


def test_mixed_posts_score_both_languages():
    assert label("the packaging was nice, tapi kurirnya jutek banget, kecewa") == "negative"
    assert label("udah order 3x, always on time, recommended banget") == "positive"


def test_stock_vader_scored_this_indonesian_praise_as_neutral_and_we_do_not():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    text = "Pelayanannya mantap banget, sangat puas!"
    assert SentimentIntensityAnalyzer().polarity_scores(text)["compound"] == 0.0
    assert compound(text) > 0.5
