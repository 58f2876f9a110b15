"""Rule-based spam classifier for social comments; every verdict carries the reasons that decided it."""

from __future__ import annotations

import re
from functools import lru_cache

from advocacy.sentiment.assessment import SpamVerdict
from advocacy.sentiment.duplicates import DuplicateWindow, duplicate_key
from advocacy.sentiment.lexicon import read_rows

THRESHOLD = 1.0
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
    r"wa\.me/|api\.whatsapp\.com|(?:\+62|\b62|\b0)\s?8\d{1,3}[-\s.]?\d{3,4}[-\s.]?\d{3,5}\b"
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


@lru_cache(maxsize=1)
def _term_patterns() -> dict[str, re.Pattern[str]]:
    by_kind: dict[str, list[str]] = {}
    for row in read_rows("spam_terms.tsv"):
        if len(row) >= 2:
            by_kind.setdefault(row[1].strip(), []).append(row[0].strip().lower())
    return {
        kind: re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)"
        )
        for kind, terms in by_kind.items()
    }


class SpamClassifier:
    """Scores comment-spam signals; spam when their weights reach THRESHOLD. Thread-safe."""

    def __init__(self, window: DuplicateWindow | None = None) -> None:
        self._terms = _term_patterns()
        self.window = window if window is not None else DuplicateWindow()

    def classify(self, text: str, raw: str = "", author: object = None, occurred_at: object = None) -> SpamVerdict:
        """Verdict for a cleaned (NFKC) `text`; `raw` is the text before NFKC, for styled letters."""
        folded = text.translate(_CONFUSABLES).lower()
        reasons: dict[str, float] = {}
        self._vocabulary(folded, reasons)
        self._structure(folded, reasons)
        self._lettering(text, raw, reasons)
        if author is not None:
            self._duplicates(folded, str(author), occurred_at, reasons)
        is_spam = sum(reasons.values()) >= THRESHOLD
        return SpamVerdict(is_spam, tuple(sorted(reasons)) if is_spam else ())

    def _vocabulary(self, folded: str, reasons: dict[str, float]) -> None:
        strong = set(self._terms["gambling_strong"].findall(folded))
        weak = set(self._terms["gambling"].findall(folded)) - strong
        if strong or weak:
            terms = ",".join(sorted({" ".join(t.split()) for t in strong | weak}))
            reasons[f"gambling-terms:{terms}"] = (1.0 if strong else 0.0) + 0.35 * len(weak)
        bait = set(self._terms["bait"].findall(folded))
        if bait:
            reasons["bait-phrase:" + ",".join(sorted({" ".join(t.split()) for t in bait}))] = 0.5 * len(bait)
        brands = set(_BRAND_DIGITS.findall(folded))
        if brands:
            reasons["brand-digits-name:" + ",".join(sorted(brands))] = 0.6

    def _structure(self, folded: str, reasons: dict[str, float]) -> None:
        counts = {m.rstrip("s") for m in _COUNTS.findall(folded)}
        if len(counts) >= 2:
            reasons["profile-counts"] = 1.0
        urls = len(_URL.findall(folded))
        if urls >= 2 or _SHORTENER.search(folded):
            reasons["link-density"] = 0.5 if urls <= 2 else 1.0
        handles = len(_HANDLE.findall(folded))
        if handles >= 5 and handles * 2 >= len(_WORDS.findall(folded)):
            reasons["handle-density"] = 0.6
        if _PHONE.search(folded):
            reasons["phone-or-whatsapp"] = 0.6

    def _lettering(self, text: str, raw: str, reasons: dict[str, float]) -> None:
        if text.isascii() and raw.isascii():
            return
        mixed = sum(1 for w in text.split() if _LOOKALIKE.search(w) and _LATIN.search(w))
        if mixed:
            reasons["lookalike-letters"] = 0.6
        if raw and len(_STYLED.findall(raw)) >= 4:
            reasons["styled-letters"] = 0.4

    def _duplicates(self, folded: str, author: str, occurred_at: object, reasons: dict[str, float]) -> None:
        key = duplicate_key(folded)
        if key is not None:
            authors = self.window.observe(key, author, occurred_at)
            if authors >= MIN_DUPLICATE_AUTHORS:
                reasons[f"duplicate-by-authors:{authors}"] = 1.0
