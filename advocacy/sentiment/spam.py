"""Rule-based spam classifier for social comments; every verdict carries the reasons that decided it."""

from __future__ import annotations

import re
from functools import lru_cache

from advocacy.sentiment.assessment import SpamVerdict
from advocacy.sentiment.duplicates import DuplicateWindow, duplicate_text
from advocacy.sentiment.lexicon import read_rows
from advocacy.sentiment.preprocess import coerce_text

THRESHOLD = 1.0
NOT_SPAM = SpamVerdict(False, ())
MIN_DUPLICATE_AUTHORS = 3

_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁɡνοαεκτριυχАВЕКМНОРСТХΑΒΕΖΗΙΚΜΝΟΡΤΥΧѡԝ",
    "aeopcyxijsdgvoaektpiuxABEKMHOPCTXABEZHIKMNOPTYXww",
)
_LATIN = re.compile(r"[a-zA-Z]")
_LOOKALIKE = re.compile(r"[\u0370-\u03FF\u0400-\u04FF\u0500-\u052F\u0261]")
_STYLED = re.compile(r"[\U0001D400-\U0001D7FF\uFF01-\uFF5E\u24B6-\u24E9\U0001F130-\U0001F189]")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|id|co|io|ly|me|xyz|site|online|link|click|vip|"
    r"top|info|biz|cc|pro|shop|store|app|asia|live|fun|icu|bet|win|club)\b(?:/\S*)?"
)
_SHORTENER = re.compile(r"\b(?:bit\.ly|s\.id|linktr\.ee|cutt\.ly|tinyurl\.com|t\.ly|rebrand\.ly|lynk\.id|heylink\.me)\b")
_HANDLE = re.compile(r"(?<![\w.])@[a-z0-9_.]{2,30}")
_PHONE = re.compile(
    r"(?:\+62|\b62|\b0)\s?8\d{1,3}[-\s.]?\d{3,4}[-\s.]?\d{3,5}\b"
    r"|\b(?:wa|whatsapp|telegram|tele)\s*[:.]?\s*(?:\+?62|0)8"
)
_COUNTS = re.compile(
    r"\b\d[\d.,]*\s*[kmb]?\s*(followers?|following|posts?|pengikut|mengikuti|postingan|subscribers?)\b"
)
_BRAND_DIGITS = re.compile(
    r"\b(?:[a-z]{3,}(?:4d|88|77|99|138|168|188|303|777|789|808|888|889|899|5000)"
    r"|(?:slot|gacor|zeus|hoki|dewa|mpo|maxwin|toto|naga|raja|sultan|jitu|olympus|mahjong|luck|bet|win|spin|jp)"
    r"[a-z]*\d{2,4})\b"
)
_WORDS = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_DOT_WORD = re.compile(r"\.[a-z0-9]")
_COUNT_WORDS = ("follow", "post", "pengikut", "mengikuti", "subscriber")
"""Every _COUNTS match contains one of these."""
_LETTER_DIGIT = re.compile(r"[a-z]\d")
"""Every _BRAND_DIGITS match has a letter right before its first digit."""
_STRUCTURE = re.compile(r"[\d@]|\.[a-z0-9]")
"""Any character a structure signal needs (a digit, an @, a dot before a letter or digit)."""


def fold(text: str) -> str:
    """Lower-case text with Cyrillic and Greek look-alike letters folded to Latin."""
    return text.lower() if text.isascii() else text.translate(_CONFUSABLES).lower()


def words_of(folded: str) -> list[str]:
    """Word tokens (letters, digits, underscore) of folded text."""
    return _WORDS.findall(folded)


@lru_cache(maxsize=1)
def _terms() -> tuple[dict[str, str], dict[str, list[tuple[tuple[str, ...], int, str]]]]:
    """({one-word term: kind}, {anchor word: [(multi-word term, anchor offset, kind)]}).

    A multi-word term is looked for only where its rarest word (its longest one, a cheap proxy)
    occurs, so common openers such as "cek" or "link" cost nothing on ordinary posts.
    """
    single: dict[str, str] = {}
    anchored: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
    for row in read_rows("spam_terms.tsv"):
        if len(row) < 2:
            continue
        words, kind = tuple(row[0].lower().split()), row[1].strip()
        if len(words) == 1:
            single[words[0]] = kind
        else:
            offset = max(range(len(words)), key=lambda n: (len(words[n]), -n))
            anchored.setdefault(words[offset], []).append((words, offset, kind))
    return single, anchored


@lru_cache(maxsize=1)
def _term_tables() -> tuple:
    single, anchored = _terms()
    return single, anchored, frozenset(single), frozenset(anchored), frozenset(single) | frozenset(anchored)


def find_terms(words: list[str], distinct: set[str] | None = None) -> dict[str, set[str]]:
    """Spam terms among lower-case word tokens, grouped by kind; `distinct` may pass set(words)."""
    single, anchored, single_keys, anchor_keys, any_term = _term_tables()
    distinct = set(words) if distinct is None else distinct
    if any_term.isdisjoint(distinct):
        return {}  # the common case: no term word at all
    found: dict[str, set[str]] = {}
    for word in distinct & single_keys:
        found.setdefault(single[word], set()).add(word)
    for anchor in distinct & anchor_keys:
        positions = [i for i, word in enumerate(words) if word == anchor]
        for term, offset, kind in anchored[anchor]:
            for at in positions:
                start = at - offset
                if start >= 0 and tuple(words[start : start + len(term)]) == term:
                    found.setdefault(kind, set()).add(" ".join(term))
                    break
    return found


def verdict_of(reasons: dict[str, float]) -> SpamVerdict:
    """Spam when the signals' weights (summed in the order they were found) reach THRESHOLD."""
    if not reasons or sum(reasons.values()) < THRESHOLD:
        return NOT_SPAM
    return SpamVerdict(True, tuple(sorted(reasons)))


class SpamClassifier:
    """Scores comment-spam signals; spam when their weights reach THRESHOLD. Thread-safe."""

    def __init__(self, window: DuplicateWindow | None = None) -> None:
        self.window = window if window is not None else DuplicateWindow()
        self._term_words = _term_tables()[4]

    def classify(
        self, text: str, raw: str = "", author: object = None, occurred_at: object = None, *, folded=None, words=None
    ) -> SpamVerdict:
        """Verdict for a cleaned (NFKC) `text`; `raw` is the text before NFKC, for styled letters.

        `folded` (fold(text)) and `words` (words_of(folded)) may be passed when already computed.
        """
        folded = fold(text) if folded is None else folded
        words = words_of(folded) if words is None else words
        reasons = self.signals(text, raw, folded, words)
        if author is not None:
            self.observe(reasons, duplicate_text(words), author, occurred_at)
        return verdict_of(reasons)

    def signals(self, text: str, raw: str, folded: str, words: list[str], distinct=None) -> dict[str, float]:
        """Every signal but the duplicate window (stateless): {reason: weight}, in a fixed order."""
        reasons: dict[str, float] = {}
        self._vocabulary(words, reasons, distinct)
        self._structure(folded, words, reasons)
        self._lettering(text, raw, reasons)
        return reasons

    def observe(self, reasons: dict[str, float], duplicate: str | None, author: object, occurred_at: object) -> None:
        """Record the post in the duplicate window (stateful) and add its reason when it is a duplicate.

        `duplicate` is duplicate_text(words): the normalised text, or None for texts too short to track.
        """
        if duplicate is not None:
            authors = self.window.observe(hash(duplicate), coerce_text(author), occurred_at)
            if authors >= MIN_DUPLICATE_AUTHORS:
                reasons[f"duplicate-by-authors:{authors}"] = 1.0

    def _vocabulary(self, words: list[str], reasons: dict[str, float], distinct=None) -> None:
        if self._term_words.isdisjoint(words if distinct is None else distinct):
            return  # no word of any spam term
        found = find_terms(words, distinct)
        if not found:
            return
        strong, weak = found.get("gambling_strong", set()), found.get("gambling", set())
        weak = weak - strong
        if strong or weak:
            reasons["gambling-terms:" + ",".join(sorted(strong | weak))] = (1.0 if strong else 0.0) + 0.35 * len(weak)
        strong_bait, bait = found.get("bait_strong", set()), found.get("bait", set())
        if strong_bait or bait:
            terms = ",".join(sorted(strong_bait | bait))
            reasons["bait-phrase:" + terms] = (1.0 if strong_bait else 0.0) + 0.5 * len(bait - strong_bait)

    def _structure(self, folded: str, words: list[str], reasons: dict[str, float]) -> None:
        if not _STRUCTURE.search(folded):
            return  # no digit, @ or dotted name: no structure signal can fire
        if _DIGIT.search(folded):  # each pattern only where the literal text it needs occurs
            if any(word in folded for word in _COUNT_WORDS):
                counts = {m.rstrip("s") for m in _COUNTS.findall(folded)}
                if len(counts) >= 2:
                    reasons["profile-counts"] = 1.0
            if _LETTER_DIGIT.search(folded):
                brands = set(_BRAND_DIGITS.findall(folded))
                if brands:
                    reasons["brand-digits-name:" + ",".join(sorted(brands))] = 0.6
            if "wa.me/" in folded or "api.whatsapp.com" in folded:
                reasons["phone-or-whatsapp"] = 1.0
            elif "8" in folded and _PHONE.search(folded):
                reasons["phone-or-whatsapp"] = 0.6
        if "." in folded and _DOT_WORD.search(folded):
            urls = len(_URL.findall(folded))
            if urls >= 2 or _SHORTENER.search(folded):
                reasons["link-density"] = 0.5 if urls <= 2 else 1.0
        if "@" in folded:
            handles = len(_HANDLE.findall(folded))
            if handles >= 5 and handles * 2 >= len(words):
                reasons["handle-density"] = 1.0

    def _lettering(self, text: str, raw: str, reasons: dict[str, float]) -> None:
        if text.isascii() and raw.isascii():
            return
        mixed = sum(1 for w in text.split() if _LOOKALIKE.search(w) and _LATIN.search(w))
        if mixed:
            reasons["lookalike-letters"] = 0.6
        if raw and len(_STYLED.findall(raw)) >= 4:
            reasons["styled-letters"] = 0.4
