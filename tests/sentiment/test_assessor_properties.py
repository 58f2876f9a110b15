from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.sentiment import MAX_TEXT_LENGTH, TextAssessment, default_assessor
from advocacy.sentiment.language import LANGUAGES
from advocacy.sentiment.scorer import LanguageAwareAssessor


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_string_is_assessed_without_raising(text):
    result = default_assessor().assess(text, author="twitter:@x", occurred_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert isinstance(result, TextAssessment)
    assert result.language in LANGUAGES
    assert -1.0 <= result.sentiment.compound <= 1.0


FIRST, SECOND = LanguageAwareAssessor(), LanguageAwareAssessor()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_assessment_is_deterministic_across_instances_and_calls(text):
    first = FIRST.assess(text)
    assert first == SECOND.assess(text) == FIRST.assess(text)


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.none(), st.binary(max_size=100), st.integers(), st.floats(), st.lists(st.integers())))
def test_non_string_input_is_coerced_not_raised(value):
    assert default_assessor().assess(value).language in LANGUAGES


def test_a_5000_character_emoji_heavy_text_completes():
    text = ("\U0001f60d\u2764\ufe0f mantap \U0001f525 " * 1000)[: MAX_TEXT_LENGTH]
    assert default_assessor().assess(text).sentiment.compound > 0


def test_a_text_far_over_the_cap_is_cut_and_completes():
    text = "\U0001f602" * (MAX_TEXT_LENGTH * 20)
    assert default_assessor().assess(text).language == "other"


def test_odd_authors_and_times_do_not_raise():
    assessor = LanguageAwareAssessor()
    for author, moment in [(None, None), (123, "yesterday"), ("a", datetime(1, 1, 1)), ("b", datetime(9999, 12, 31))]:
        assessor.assess("Promo gila hari ini cek profil kami sekarang", author=author, occurred_at=moment)


def test_the_scorer_version_names_the_rules_and_the_data():
    version = default_assessor().version
    assert version.startswith("3.3.2+id") and len(version.rsplit(".", 1)[-1]) == 10
    assert default_assessor().assess("bagus").scorer_version == version


def test_default_assessor_is_one_shared_instance():
    assert default_assessor() is default_assessor()


def test_a_scorer_bug_is_recorded_as_neutral_instead_of_failing_ingestion(caplog):
    assessor = LanguageAwareAssessor()

    def broken(cleaned, language):
        raise RuntimeError("bug")

    assessor.scores = broken
    result = assessor.assess("bagus banget")
    assert (result.language, result.sentiment.compound, result.spam.is_spam) == ("other", 0.0, False)
    assert "assessment failed" in caplog.text


def test_an_author_whose_str_raises_does_not_break_assessment():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    result = LanguageAwareAssessor().assess("Promo gila hari ini cek profil kami sekarang", author=Hostile())
    assert result.language in LANGUAGES
