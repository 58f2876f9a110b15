from advocacy.sentiment.assessment import MAX_TEXT_LENGTH
from advocacy.sentiment.preprocess import clean_text, coerce_text


def test_none_becomes_empty_text():
    assert coerce_text(None) == ""


def test_bytes_are_decoded_and_bad_bytes_replaced():
    assert coerce_text(b"bagus \xff") == "bagus \ufffd"


def test_numbers_become_their_text():
    assert coerce_text(42) == "42"


def test_a_hostile_str_method_does_not_raise():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert coerce_text(Hostile()) == ""


def test_variation_selector_is_removed_after_an_emoji():
    assert clean_text("love it \u2764\ufe0f") == "love it \u2764"


def test_zero_width_space_no_longer_hides_a_word():
    assert clean_text("sl\u200bot") == "slot"


def test_styled_letters_are_folded_by_nfkc():
    assert clean_text("\U0001d5e6\U0001d5df\U0001d5e2\U0001d5e7") == "SLOT"


def test_lone_surrogates_do_not_survive_cleaning():
    assert clean_text("a\ud800b").encode("utf-8")


def test_text_is_capped_at_the_maximum_length():
    assert len(clean_text("x" * (MAX_TEXT_LENGTH * 3))) == MAX_TEXT_LENGTH
