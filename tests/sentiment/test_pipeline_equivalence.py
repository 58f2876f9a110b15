"""The assessor's results are pinned: a speed-up must not change any TextAssessment.

`tests/data/sentiment/pipeline_results.json` holds, for the development sets and for a few
thousand synthetic texts (built here from a fixed seed), a short hash of every result, captured
from the pipeline before its speed-up. Each sequence runs through one fresh assessor in a fixed
order with authors and times, so the duplicate-author window takes part.

If a change is meant to alter results (new lexicon data, new rules, RULES_VERSION bumped),
re-capture with `python tests/sentiment/test_pipeline_equivalence.py --capture`.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer

from advocacy.sentiment.evaluation import read_labelled
from advocacy.sentiment.lexicon import load_indonesian_lexicon, read_rows
from advocacy.sentiment.scorer import LanguageAwareAssessor

DATA = Path(__file__).resolve().parent.parent / "data" / "sentiment"
FIXTURE = DATA / "pipeline_results.json"
START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
SEED = 20261126
SYNTHETIC = 4000


def result_hash(result) -> str:
    """8 hex digits over every field of a TextAssessment (floats by their exact repr)."""
    s = result.sentiment
    fields = (result.language, s.compound, s.pos, s.neu, s.neg, result.spam.is_spam, result.spam.reasons,
              result.scorer, result.scorer_version)  # fmt: skip
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:8]


def text_hash(text: object) -> str:
    return hashlib.sha256(repr(text).encode()).hexdigest()[:8]


def dev_items() -> list[tuple[object, object, object]]:
    """The development sets twice, from rotating authors a minute apart (repeats trip the window)."""
    texts = [row["text"] for path in sorted(DATA.glob("dev_*.tsv")) for row in read_labelled(path)]
    items = []
    for i, text in enumerate(texts + texts):
        items.append((text, f"twitter:@dev{i % 5}", START + timedelta(minutes=i)))
    return items


def _vocabulary() -> dict[str, list[str]]:
    lexicon = load_indonesian_lexicon()
    vader = SentimentIntensityAnalyzer()
    english = sorted(vader.lexicon)
    return {
        "id": sorted(lexicon.valence) + sorted(lexicon.variants),
        "idmod": sorted(lexicon.negators) + sorted(lexicon.boosters_pre) + sorted(lexicon.boosters_post)
        + sorted(lexicon.contrast),
        "en": english,
        "enmod": sorted(BOOSTER_DICT) + sorted(NEGATE) + sorted(SPECIAL_CASES) + ["but", "kind of", "least", "never so"],
        "marker": sorted(row[0] for row in read_rows("language_words.tsv") if row),
        "spam": sorted(row[0] for row in read_rows("spam_terms.tsv") if row),
        "emoji": sorted(vader.emojis)[:400],
        "plain": "saya kami kamu dia ini itu yang dan di ke dari the a of to is it on for with my your "
        "produk toko barang kirim admin promo order hari besok kak gan min bro sis app wifi sinyal".split(),
        "odd": ["https://bit.ly/x1", "www.toko.id/a", "zeus138", "gacor77", "@user_1", "@a.b", "0812-3456-7890",
                "wa.me/62812", "+62 812 3456 789", "10k followers", "200 following", "35 posts", "123", "3.5",
                ":)", ":-(", ":D", "<3", "xD", "lol", "LOL", "!!!", "???", "?!", "...", ",", "-", "--", "'", '"',
                "\u200b", "\ufe0f", "\ufe0e", "\u00ad", "\u2764\ufe0f", "\U0001f44d\U0001f3fd", "caf\u00e9", "naïve",
                "\u0441asino", "sl\u043et", "\U0001d407\U0001d41e\U0001d425\U0001d425\U0001d428", "ｇａｃｏｒ",
                "Ⓐⓑⓒⓓ", "你好很好", "مرحبا", "привет", "ok", "OK", "mantappp", "kereeen", "keren2", "keren-keren",
                "bagusnya", "dikirim", "kecewaaa", "bgt", "gk", "tp", "yg", "\t", "\n", "  ", "\x00", "\ud800"],
    }  # fmt: skip


MODES = {  # word-kind weights: Indonesian, English, mixed, spam-like posts
    "id": {"id": 40, "idmod": 18, "marker": 12, "plain": 12, "emoji": 4, "odd": 4},
    "en": {"en": 40, "enmod": 20, "plain": 10, "emoji": 4, "odd": 4},
    "mixed": {"id": 22, "idmod": 10, "en": 18, "enmod": 8, "marker": 12, "spam": 4, "emoji": 5, "plain": 14, "odd": 7},
    "spam": {"spam": 30, "odd": 20, "id": 10, "en": 10, "plain": 10, "emoji": 5},
}


def _word(rng: random.Random, vocab: dict[str, list[str]], mode: str) -> str:
    weights = MODES[mode]
    kind = rng.choices(list(weights), weights=list(weights.values()))[0]
    word = rng.choice(vocab[kind])
    if mode == "en" and kind in ("en", "enmod") and rng.random() < 0.5:
        return word  # plain English sentences: the stock-VADER path
    roll = rng.random()
    if roll < 0.06:
        word = word.upper()
    elif roll < 0.09:
        word = word.capitalize()
    elif roll < 0.11 and word:
        word = word + word[-1] * rng.randint(1, 4)
    elif roll < 0.13:
        word = word + rng.choice(["nya", "lah", "kah", "pun", "2", "-" + word, "an", "in"])
    elif roll < 0.15:
        word = rng.choice(["di", "ke", "ber"]) + word
    if rng.random() < 0.12:
        word += rng.choice([",", ".", "!", "?", "!!", "...", ":", ";", ")", "'s", "n't"])
    if rng.random() < 0.03:
        word = rng.choice(["(", '"', "#", "*"]) + word
    return word


def synthetic_items(n: int = SYNTHETIC) -> list[tuple[object, object, object]]:
    """n texts from a fixed seed: word salad over both languages' lexicons, modifiers, spam terms,
    emoji, odd Unicode and punctuation; some repeated by several authors within (and beyond) a day,
    some odd inputs (None, bytes, numbers, naive or missing times, missing authors)."""
    rng = random.Random(SEED)
    vocab = _vocabulary()
    items: list[tuple[object, object, object]] = []
    moment = START
    previous: list[str] = []
    for i in range(n):
        moment += timedelta(seconds=rng.choice([1, 30, 120, 600, 1800, 3600, 90_000]))
        author: object = f"{rng.choice(['twitter', 'instagram'])}:@u{rng.randint(0, 40)}"
        mode = rng.choice(list(MODES))
        when: object = moment
        roll = rng.random()
        if roll < 0.2 and previous:
            text: object = rng.choice(previous[-8:])
            if rng.random() < 0.3:
                text = text.upper() if rng.random() < 0.5 else text.replace(" ", "  ") + " 123"
        elif roll < 0.17:
            text = rng.choice([None, b"bagus banget \xff\xfe", 12345, 3.25, b"", "", " ", "\U0001f602" * 300])
        elif roll < 0.19:
            text = " ".join(_word(rng, vocab, mode) for _ in range(rng.randint(150, 600)))
        else:
            text = " ".join(_word(rng, vocab, mode) for _ in range(rng.randint(1, 30)))
            if rng.random() < 0.2:
                if rng.random() < 0.1:
                    text = text.replace(" ", "")[:40]
                else:
                    text = text.replace(" ", rng.choice([" ", "  ", "\n"]))
            previous.append(text)
        roll = rng.random()
        if roll < 0.03:
            author = None
        elif roll < 0.05:
            when = moment.replace(tzinfo=None)
        elif roll < 0.06:
            when = None
        items.append((text, author, when))
    return items


def results(items, assessor=None) -> list[str]:
    assessor = assessor if assessor is not None else LanguageAwareAssessor()
    return [result_hash(assessor.assess(t, author=a, occurred_at=w)) for t, a, w in items]


def _items_digest(items) -> str:
    return hashlib.sha256(repr([(t, a, w) for t, a, w in items]).encode()).hexdigest()[:16]


def capture() -> dict:
    dev, synthetic = dev_items(), synthetic_items()
    return {
        "about": "result hashes pinned before the speed-up; see tests/sentiment/test_pipeline_equivalence.py",
        "scorer_version": LanguageAwareAssessor().version,
        "dev": [f"{text_hash(t)}:{r}" for (t, _, _), r in zip(dev, results(dev))],
        "synthetic_digest": _items_digest(synthetic),
        "synthetic": " ".join(results(synthetic)),
    }


def _pinned() -> dict:
    pinned = json.loads(FIXTURE.read_text("utf-8"))
    version = LanguageAwareAssessor().version
    assert pinned["scorer_version"] == version, (
        f"scorer version changed ({pinned['scorer_version']} -> {version}); if results are meant to change, "
        "re-capture with python tests/sentiment/test_pipeline_equivalence.py --capture"
    )
    return pinned


def test_dev_set_results_are_unchanged():
    pinned = _pinned()["dev"]
    items = dev_items()
    got = [f"{text_hash(t)}:{r}" for (t, _, _), r in zip(items, results(items))]
    changed = [(i, items[i][0]) for i, (a, b) in enumerate(zip(got, pinned)) if a != b]
    assert len(got) == len(pinned) and not changed, changed[:10]


def test_synthetic_results_are_unchanged():
    pinned = _pinned()
    items = synthetic_items()
    assert _items_digest(items) == pinned["synthetic_digest"], "the synthetic generator changed; re-capture"
    got = results(items)
    expected = pinned["synthetic"].split()
    changed = [(i, items[i]) for i, (a, b) in enumerate(zip(got, expected)) if a != b]
    assert len(got) == len(expected) and not changed, changed[:5]


if __name__ == "__main__":
    if sys.argv[1:] != ["--capture"]:
        sys.exit("usage: python tests/sentiment/test_pipeline_equivalence.py --capture")
    FIXTURE.write_text(json.dumps(capture(), indent=0) + "\n", "utf-8")
    print(f"wrote {FIXTURE}")
