import pytest

from advocacy.sentiment.language import LanguageDetector

detector = LanguageDetector()


@pytest.mark.parametrize(
    "text",
    [
        "Pelayanannya mantap banget, sangat puas!",
        "aplikasinya lemot parah, kecewa",
        "kak kapan restock lagi? udah nunggu dari minggu lalu",
        "tidak bagus",
    ],
)
def test_indonesian_posts_are_detected_as_indonesian(text):
    assert detector.detect(text) == "id"


@pytest.mark.parametrize(
    "text",
    [
        "The service was great, thanks!",
        "I waited two hours and nobody answered my call.",
        "Honestly the best coffee in town",
    ],
)
def test_english_posts_are_detected_as_english(text):
    assert detector.detect(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "udah order 3x, always on time, recommended banget",
        "Guys, this app is so bad, kecewa banget sama pelayanannya",
        "jujur I really love the packaging, rapi banget dan wangi",
    ],
)
def test_mixed_indonesian_english_posts_are_not_forced_into_one_language(text):
    assert detector.detect(text) == "mixed"


@pytest.mark.parametrize("text", ["", "   ", "12345", "\U0001f60d\U0001f60d", "\u3053\u3093\u306b\u3061\u306f"])
def test_texts_without_latin_words_are_other(text):
    assert detector.detect(text) == "other"


def test_detection_is_deterministic():
    text = "barangnya oke, but shipping was slow"
    assert len({LanguageDetector().detect(text) for _ in range(5)}) == 1


def test_latin_text_without_marker_words_falls_back_to_the_packaged_model_offline():
    fresh = LanguageDetector()
    assert fresh.detect("Zorblat Quenmiv Traxlo") in ("en", "id")
    assert fresh._langid is not None
