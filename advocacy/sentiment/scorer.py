"""The language-aware assessor: preprocess -> language -> spam -> VADER (English or Indonesian rules)."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from advocacy.sentiment.assessment import MAX_TEXT_LENGTH, SentimentScores, TextAssessment
from advocacy.sentiment.english import LinearVader
from advocacy.sentiment.language import LanguageDetector
from advocacy.sentiment.lexicon import data_fingerprint, load_indonesian_lexicon
from advocacy.sentiment.preprocess import clean_text, coerce_text
from advocacy.sentiment.rules import IndonesianAnalyzer
from advocacy.sentiment.spam import NOT_SPAM, SpamClassifier, fold, words_of

_SHORT = 1000
_log = logging.getLogger(__name__)
_NEUTRAL = SentimentScores(0.0, 0.0, 0.0, 0.0)
RULES_VERSION = "1"
"""Bump when the code of the rules changes; data changes show up in the data fingerprint."""


class LanguageAwareAssessor:
    """Scores English with stock VADER, Indonesian and mixed posts with Indonesian rules; flags spam."""

    name = "vader-id"

    def __init__(self, spam: SpamClassifier | None = None) -> None:
        self._english = LinearVader()
        self._stock = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
        self._stock.__dict__.update(self._english.__dict__)  # one lexicon in memory, stock rules
        self._indonesian = IndonesianAnalyzer(self._english, load_indonesian_lexicon())
        self._detector = LanguageDetector()
        self._spam = spam if spam is not None else SpamClassifier()
        self.version = f"3.3.2+id{RULES_VERSION}.{data_fingerprint()}"

    def assess(
        self, text: str, *, author: str | None = None, occurred_at: datetime | None = None
    ) -> TextAssessment:
        """Language, sentiment and spam verdict for `text`; never raises on odd input."""
        try:
            return self._assess(text, author, occurred_at)
        except Exception:  # ingestion must not fail on a scorer bug: record a neutral verdict
            _log.exception("assessment failed; recorded as neutral, language 'other'")
            return TextAssessment("other", _NEUTRAL, NOT_SPAM, self.name, self.version)

    def _assess(self, text: object, author: object, occurred_at: object) -> TextAssessment:
        raw = coerce_text(text)[: MAX_TEXT_LENGTH * 2]
        cleaned = clean_text(raw)
        folded = fold(cleaned)
        words = words_of(folded)
        language = self._detector.detect(cleaned, words)
        spam = self._spam.classify(cleaned, raw, author=author, occurred_at=occurred_at, folded=folded, words=words)
        return TextAssessment(
            language=language,
            sentiment=self.score(cleaned, language),
            spam=spam,
            scorer=self.name,
            scorer_version=self.version,
        )

    def score(self, cleaned: str, language: str) -> SentimentScores:
        """Sentiment of an already cleaned text in the given language."""
        if language in ("id", "mixed"):
            analyzer = self._indonesian
        elif len(cleaned) <= _SHORT and cleaned.isascii():
            analyzer = self._stock  # no emoji to expand: the quadratic part stays small, scores are equal
        else:
            analyzer = self._english
        s = analyzer.polarity_scores(cleaned)
        return SentimentScores(s["compound"], s["pos"], s["neu"], s["neg"])


@lru_cache(maxsize=1)
def default_assessor() -> LanguageAwareAssessor:
    """The process-wide assessor instance."""
    return LanguageAwareAssessor()
