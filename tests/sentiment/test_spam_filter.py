from datetime import UTC, datetime, timedelta

import pytest

from advocacy.sentiment.duplicates import DuplicateWindow, duplicate_key
from advocacy.sentiment.preprocess import clean_text
from advocacy.sentiment.scorer import LanguageAwareAssessor
from advocacy.sentiment.spam import SpamClassifier

LUCKY_CLUB = (
    "Lucky Club Casino Site - Login to your Instagram, TikTok 365 Followers, 138 Following, 689 Posts - "
    "See Instagram photos luckyclub and videos from Lucky Club Casino Site (@luckyclub) on Instagram"
)
NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def verdict(text, **kwargs):
    return SpamClassifier().classify(clean_text(text), text, **kwargs)


def test_the_lucky_club_casino_comment_is_spam_with_its_reasons():
    result = verdict(LUCKY_CLUB)
    assert result.is_spam
    assert any(r.startswith("gambling-terms:") for r in result.reasons)
    assert "profile-counts" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "SLOT GACOR hari ini gampang maxwin, daftar sekarang di zeus138",
        "\U0001d5e6\U0001d5df\U0001d5e2\U0001d5e7 \U0001d5da\U0001d5d4\U0001d5d6\U0001d5e2\U0001d5e5 depo 10k wd berapapun dibayar",
        "bocoran rtp live hari ini, link alternatif di bio",
        "sl\u200bot g\u0430c\u043er anti rungkad",
        "Check out my channel guys, subscribe to my channel for daily vlogs!",
        "Info pinjaman cepat cair tanpa jaminan, hubungi wa 0812-3456-7890",
        "Togel hari ini, bandar togel terpercaya",
    ],
)
def test_gambling_and_bait_comments_are_spam(text):
    assert verdict(text).is_spam


@pytest.mark.parametrize(
    "text",
    [
        "Pelayanan @tokoku mantap banget! Review lengkapnya aku tulis di https://blogku.com/review-tokoku",
        "Love this place, menu here: https://instagram.com/p/abc123 #coffee",
        "barangnya bagus, slot pengiriman sore juga cepat",
        "Aku menang jackpot di arisan kantor hehe",
        "CS nya ramah, nomor order 0812345 sudah diproses, makasih kak",
        "I bet the new flavour will sell out, it's so good",
        "Tolong dicek kak pesanan saya belum sampai sudah 5 hari",
    ],
)
def test_ordinary_customer_posts_including_praise_with_a_link_are_not_spam(text):
    result = verdict(text)
    assert not result.is_spam
    assert result.reasons == ()


def test_the_same_text_from_three_authors_within_a_day_is_spam():
    classifier = SpamClassifier()
    text = "Dapatkan hadiah jutaan rupiah sekarang juga, klik profil kami"
    results = [
        classifier.classify(text, author=f"twitter:@bot{n}", occurred_at=NOON + timedelta(hours=n)) for n in range(4)
    ]
    assert [r.is_spam for r in results] == [False, False, True, True]
    assert any(r.startswith("duplicate-by-authors") for r in results[2].reasons)


def test_digits_case_and_spacing_do_not_hide_a_duplicate():
    assert duplicate_key("promo 123 gila hari ini cek sekarang".split()) == duplicate_key("promo 999 gila hari ini cek sekarang".split())


def test_one_author_repeating_a_text_is_not_a_duplicate_campaign():
    classifier = SpamClassifier()
    text = "Kak tolong dibalas DM saya ya, sudah tiga hari menunggu"
    results = [classifier.classify(text, author="customer:42", occurred_at=NOON + timedelta(minutes=n)) for n in range(5)]
    assert not any(r.is_spam for r in results)


def test_posts_more_than_a_day_apart_do_not_count_as_duplicates():
    classifier = SpamClassifier()
    text = "Dapatkan hadiah jutaan rupiah sekarang juga, klik profil kami"
    results = [classifier.classify(text, author=f"a{n}", occurred_at=NOON + timedelta(days=2 * n)) for n in range(4)]
    assert not any(r.is_spam for r in results)


def test_short_common_phrases_are_never_duplicates():
    classifier = SpamClassifier()
    results = [classifier.classify("mantap kak", author=f"a{n}", occurred_at=NOON) for n in range(10)]
    assert not any(r.is_spam for r in results)


def test_the_duplicate_window_keeps_bounded_memory():
    window = DuplicateWindow(max_keys=100)
    for n in range(1000):
        window.observe(n, "author", NOON)
    assert len(window) == 100


def test_the_same_sequence_of_calls_gives_the_same_verdicts():
    def run():
        assessor = LanguageAwareAssessor()
        texts = ["Promo gila hari ini cek profil kami sekarang"] * 4 + [LUCKY_CLUB, "bagus banget"]
        return [assessor.assess(t, author=f"a{i % 3}", occurred_at=NOON).spam for i, t in enumerate(texts)]

    assert run() == run()


def test_assess_feeds_author_and_time_to_the_duplicate_window():
    assessor = LanguageAwareAssessor()
    text = "Follow akun kami untuk hadiah menarik setiap hari ya kak"
    spam = [assessor.assess(text, author=f"ig:@u{n}", occurred_at=NOON).spam.is_spam for n in range(3)]
    assert spam == [False, False, True]


def test_the_duplicate_window_counts_correctly_under_concurrent_threads():
    from concurrent.futures import ThreadPoolExecutor

    window = DuplicateWindow()

    def post(n):
        return window.observe(n % 10, f"author{n // 10}", NOON)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(post, range(60)))
    assert all(window.observe(key, "one-more", NOON) == 7 for key in range(10))


def test_no_post_of_the_sentiment_development_sets_is_flagged_as_spam():
    from pathlib import Path

    from advocacy.sentiment.evaluation import read_labelled

    data = Path(__file__).resolve().parent.parent / "data" / "sentiment"
    texts = [row["text"] for path in sorted(data.glob("dev_sentiment_*.tsv")) for row in read_labelled(path)]
    assessor = LanguageAwareAssessor()
    flagged = [t for n, t in enumerate(texts) if assessor.assess(t, author=f"c{n}", occurred_at=NOON).spam.is_spam]
    assert len(texts) > 250 and flagged == []
