"""Offline, deterministic language detection for social posts: 'en', 'id', 'mixed' or 'other'.

Word lists decide (Indonesian and English marker words, see data/language_words.tsv); py3langid,
restricted to English, Indonesian and Malay and loaded lazily from the model inside its package,
only breaks the tie for Latin-script text that has no marker word at all. 'other' means no
letters (empty, digits, emoji only) or mostly non-Latin script.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from advocacy.sentiment.lexicon import load_indonesian_lexicon, read_rows

LANGUAGES = ("en", "id", "mixed", "other")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LATIN = re.compile(r"[a-zA-Z\u00C0-\u024F]")
_MIN_SHARE = 0.2
_CACHE_SIZE = 100_000
_EN, _ID, _UNKNOWN, _NOT_A_WORD = 1, 2, 3, 0


@lru_cache(maxsize=1)
def marker_words() -> tuple[frozenset[str], frozenset[str]]:
    """(English markers, Indonesian markers), built once from the data files and VADER's lexicon."""
    listed = {row[0]: row[1] for row in read_rows("language_words.tsv") if len(row) >= 2}
    lexicon = load_indonesian_lexicon()
    indonesian = {w for w in lexicon.valence if " " not in w}
    indonesian |= set(lexicon.negators) | set(lexicon.boosters_pre) | set(lexicon.boosters_post)
    indonesian |= set(lexicon.variants) | {w for w, lang in listed.items() if lang == "id"}
    indonesian -= {w for w, lang in listed.items() if lang in ("en", "both")}
    english = {w for w in SentimentIntensityAnalyzer().lexicon if w.isalpha() and len(w) > 2}
    english |= {w for w, lang in listed.items() if lang == "en"}
    english -= indonesian | {w for w, lang in listed.items() if lang == "both"}
    return frozenset(english), frozenset(indonesian)


class LanguageDetector:
    """Decides en / id / mixed / other for a cleaned text; thread-safe, deterministic."""

    def __init__(self) -> None:
        self._english, self._indonesian = marker_words()
        self._lexicon = load_indonesian_lexicon()
        self._codes: dict[str, int] = {}
        self._langid = None
        self._lock = threading.Lock()

    def detect(self, text: str, words: list[str] | None = None, distinct: set[str] | None = None) -> str:
        """The language of `text` (NFKC-normalised, capped); `words` may pass its lower-case word tokens,
        `distinct` the set of them.

        Counts distinct marker words of each language, so a repeated word does not decide alone.
        """
        codes = self._codes
        if distinct is None:
            distinct = set(_WORD.findall(text.lower()) if words is None else words)
        # set operations in C first: listed English, then listed Indonesian words; the rest one by one
        rest = distinct - self._english
        en = len(distinct) - len(rest)
        if rest:
            others = rest - self._indonesian
            id_ = len(rest) - len(others)
        else:
            others = rest
            id_ = 0
        unknown: list[str] = []
        for word in others:
            code = codes.get(word)
            if code is None:
                code = self._code(word)
            if code == _EN:
                en += 1
            elif code == _ID:
                id_ += 1
            elif code == _UNKNOWN:
                unknown.append(word)
        if not (en or id_ or unknown):
            return "other"
        if en == 0 and id_ == 0:
            return self._fallback(text, unknown)
        if en and id_ and min(en, id_) >= _MIN_SHARE * (en + id_) and (min(en, id_) >= 2 or en + id_ <= 6):
            return "mixed"
        return "id" if id_ >= en else "en"

    def _code(self, word: str) -> int:
        """Marker class of one lower-case word, cached: English, Indonesian, unknown, or not a word."""
        if word in self._english:
            code = _EN
        elif word in self._indonesian or self._lexicon.canonical(word)[0] in self._indonesian:
            code = _ID
        else:
            code = _UNKNOWN if word.isalpha() else _NOT_A_WORD
        if len(self._codes) >= _CACHE_SIZE:
            self._codes.clear()
        self._codes[word] = code
        return code

    def _fallback(self, text: str, words: list[str]) -> str:
        letters = sum(len(w) for w in words)
        if len(_LATIN.findall(text)) * 2 < letters:
            return "other"
        return "en" if self._identifier().classify(text)[0] == "en" else "id"

    def _identifier(self):
        with self._lock:
            if self._langid is None:
                from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=False)
                identifier.set_languages(["en", "id", "ms"])
                self._langid = identifier
            return self._langid
