"""Language-aware sentiment scoring and spam filtering for social media text."""

from advocacy.sentiment.assessment import (
    MAX_TEXT_LENGTH,
    SentimentScores,
    SpamVerdict,
    TextAssessment,
    TextAssessor,
    label_for,
)
from advocacy.sentiment.scorer import default_assessor

__all__ = [
    "MAX_TEXT_LENGTH",
    "SentimentScores",
    "SpamVerdict",
    "TextAssessment",
    "TextAssessor",
    "default_assessor",
    "label_for",
]
