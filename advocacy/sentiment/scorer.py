"""The default text assessor (placeholder: plain VADER; replaced by the language-aware pipeline)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from advocacy.sentiment.assessment import SentimentScores, SpamVerdict, TextAssessment


class VaderAssessor:
    """Plain VADER, English only, no spam filter."""

    name = "vader"
    version = "3.3.2"

    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()

    def assess(
        self, text: str, *, author: str | None = None, occurred_at: datetime | None = None
    ) -> TextAssessment:
        """Score `text` with stock VADER."""
        s = self._analyzer.polarity_scores(text)
        return TextAssessment(
            language="en",
            sentiment=SentimentScores(s["compound"], s["pos"], s["neu"], s["neg"]),
            spam=SpamVerdict(False),
            scorer=self.name,
            scorer_version=self.version,
        )


@lru_cache(maxsize=1)
def default_assessor() -> VaderAssessor:
    """The process-wide assessor instance."""
    return VaderAssessor()
