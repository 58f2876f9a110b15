"""The language-aware assessor: preprocess -> language -> spam -> VADER (English or Indonesian rules)."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from math import copysign

from advocacy.sentiment.assessment import MAX_TEXT_LENGTH, SentimentScores, TextAssessment
from advocacy.sentiment.duplicates import duplicate_text
from advocacy.sentiment.english import FastVader
from advocacy.sentiment.language import LanguageDetector
from advocacy.sentiment.lexicon import data_fingerprint, load_indonesian_lexicon
from advocacy.sentiment.preprocess import clean_text, coerce_text
from advocacy.sentiment.rules import IndonesianAnalyzer
from advocacy.sentiment.spam import MIN_DUPLICATE_AUTHORS, NOT_SPAM, SpamClassifier, fold, verdict_of, words_of

_log = logging.getLogger(__name__)
_NEUTRAL = SentimentScores(0.0, 0.0, 0.0, 0.0)
_ALL_NEUTRAL = SentimentScores(0.0, 0.0, 1.0, 0.0)
Partial = tuple[str, float, float, float, float, tuple[tuple[str, float], ...], str | None]
"""assess_stateless(): language, compound, pos, neu, neg, spam signals, duplicate text (or None)."""
RULES_VERSION = "1"
"""Bump when the code of the rules changes; data changes show up in the data fingerprint."""


class LanguageAwareAssessor:
    """Scores English with stock VADER, Indonesian and mixed posts with Indonesian rules; flags spam."""

    name = "vader-id"

    def __init__(self, spam: SpamClassifier | None = None) -> None:
        self._english = FastVader()  # stock VADER's scores, linear time, per-token cache
        self._indonesian = IndonesianAnalyzer(self._english, load_indonesian_lexicon())
        self._detector = LanguageDetector()
        self._spam = spam if spam is not None else SpamClassifier()
        self.version = f"3.3.2+id{RULES_VERSION}.{data_fingerprint()}"

    def assess(
        self, text: str, *, author: str | None = None, occurred_at: datetime | None = None
    ) -> TextAssessment:
        """Language, sentiment and spam verdict for `text`; never raises on odd input.

        The same as finish(assess_stateless(text), author, occurred_at): the stateless part
        (preprocess, language, spam signals, sentiment) then the duplicate-author window.
        """
        try:
            return self._finish(self._stateless(text), author, occurred_at)
        except Exception:  # ingestion must not fail on a scorer bug: record a neutral verdict
            _log.exception("assessment failed; recorded as neutral, language 'other'")
            return self.failed()

    def assess_stateless(self, text: object) -> Partial | None:
        """Everything about `text` that does not depend on other posts, as a plain (picklable) tuple:
        (language, compound, pos, neu, neg, spam signals as ((reason, weight), ...), duplicate text).

        None when a stage raised (logged); finish() then records the neutral verdict. Deterministic:
        any instance in any process returns the same tuple for the same text.
        """
        try:
            return self._stateless(text)
        except Exception:
            _log.exception("assessment failed; recorded as neutral, language 'other'")
            return None

    def finish(self, partial: Partial | None, author: object = None, occurred_at: object = None) -> TextAssessment:
        """The TextAssessment for an assess_stateless() result: applies the duplicate-author window
        (in call order; stateful) and the spam threshold. Never raises."""
        if partial is None:
            return self.failed()
        try:
            return self._finish(partial, author, occurred_at)
        except Exception:
            _log.exception("assessment failed; recorded as neutral, language 'other'")
            return self.failed()

    def failed(self) -> TextAssessment:
        """The neutral verdict recorded when a stage raised."""
        return TextAssessment("other", _NEUTRAL, NOT_SPAM, self.name, self.version)

    def _stateless(self, text: object) -> Partial:
        raw = coerce_text(text)[: MAX_TEXT_LENGTH * 2]
        cleaned = clean_text(raw)
        folded = fold(cleaned)
        words = words_of(folded)
        distinct = set(words)  # shared by the detector and the spam vocabulary
        language = self._detector.detect(cleaned, words, distinct)
        signals = self._spam.signals(cleaned, raw, folded, words, distinct)
        compound, pos, neu, neg = self.scores(cleaned, language)
        return (language, compound, pos, neu, neg, tuple(signals.items()), duplicate_text(words))

    def _finish(self, partial: Partial, author: object, occurred_at: object) -> TextAssessment:
        language, compound, pos, neu, neg, signals, duplicate = partial
        if author is not None and duplicate is not None:  # as SpamClassifier.observe
            author = author if type(author) is str else coerce_text(author)
            authors = self._spam.window.observe(hash(duplicate), author, occurred_at)
            if authors >= MIN_DUPLICATE_AUTHORS:
                signals += ((f"duplicate-by-authors:{authors}", 1.0),)
        spam = verdict_of(dict(signals)) if signals else NOT_SPAM
        if neu == 1.0 and compound == pos == neg == 0.0 and copysign(1.0, compound) > 0:  # not -0.0
            scores = _ALL_NEUTRAL  # immutable, so shared: the commonest result needs no new object
        else:
            scores = SentimentScores(compound, pos, neu, neg)
        return TextAssessment(language, scores, spam, self.name, self.version)

    def score(self, cleaned: str, language: str) -> SentimentScores:
        """Sentiment of an already cleaned text in the given language."""
        return SentimentScores(*self.scores(cleaned, language))

    def scores(self, cleaned: str, language: str) -> tuple[float, float, float, float]:
        """score() as a tuple (compound, pos, neu, neg)."""
        analyzer = self._indonesian if language in ("id", "mixed") else self._english
        return analyzer.scores(cleaned)


@lru_cache(maxsize=1)
def default_assessor() -> LanguageAwareAssessor:
    """The process-wide assessor instance."""
    return LanguageAwareAssessor()
