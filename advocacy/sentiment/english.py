"""Stock VADER 3.3.2 rules with linear-time helpers: identical scores, no quadratic blow-up.

VADER's negation and idiom checks lower-case the whole token list for every sentiment word,
which makes long or emoji-heavy texts quadratic (a 5,000-emoji text took 12 s). These overrides
pass the same checks only the tokens they read (three before, two after), so results are equal.
"""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


class LinearVader(SentimentIntensityAnalyzer):
    """SentimentIntensityAnalyzer whose per-word checks look only at their own window."""

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        lo = max(0, i - 3)
        return SentimentIntensityAnalyzer._negation_check(valence, words_and_emoticons[lo : i + 1], start_i, i - lo)

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):
        lo = max(0, i - 3)
        return SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons[lo : i + 3], i - lo)
