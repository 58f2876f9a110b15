"""What the application learns about a text at ingestion: language, sentiment and spam verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

MAX_TEXT_LENGTH = 5000
"""Longest text accepted for scoring; VADER's cost grows quadratically with length."""

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05


@dataclass(frozen=True, slots=True)
class SentimentScores:
    """VADER-style scores: compound in [-1, 1], pos/neu/neg proportions summing to about 1."""

    compound: float
    pos: float
    neu: float
    neg: float

    @property
    def label(self) -> str:
        """'positive', 'negative' or 'neutral' by VADER's usual thresholds."""
        return label_for(self.compound)


@dataclass(frozen=True, slots=True)
class SpamVerdict:
    """Whether a text is spam, and the reasons that decided it."""

    is_spam: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TextAssessment:
    """Everything decided about one text, recorded in the mention event."""

    language: str
    sentiment: SentimentScores
    spam: SpamVerdict
    scorer: str
    scorer_version: str


class TextAssessor(Protocol):
    """Scores a text; one instance per process, shared by threads."""

    name: str
    version: str

    def assess(
        self, text: str, *, author: str | None = None, occurred_at: datetime | None = None
    ) -> TextAssessment:
        """Return language, sentiment and spam verdict for `text`."""
        ...


def label_for(compound: float) -> str:
    """Sentiment label for a compound score by VADER's thresholds (+-0.05)."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"
