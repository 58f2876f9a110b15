"""VADER's rule engine for Indonesian and mixed Indonesian-English text, with its own word tables.

Stock VADER keeps negators and boosters in module globals; this analyzer never touches them.
It reuses VADER's emoji descriptions, English lexicon, caps emphasis, punctuation emphasis and
normalisation, and applies Indonesian negators, pre- and post-positioned boosters and contrast.
"""

from __future__ import annotations

import string
from functools import lru_cache

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SentimentIntensityAnalyzer,
    allcap_differential,
)

from advocacy.sentiment.lexicon import IndonesianLexicon

_PRE_DECAY = (1.0, 0.95, 0.9)
_POST_DECAY = (1.0, 0.9)


def _strip_punctuation(token: str) -> str:
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


class IndonesianAnalyzer:
    """Scores Indonesian and mixed text like VADER's polarity_scores, with Indonesian rules."""

    def __init__(self, english: SentimentIntensityAnalyzer, lexicon: IndonesianLexicon) -> None:
        self._english = english
        self._emojis = english.emojis
        self._valence = {**english.lexicon, **lexicon.valence}
        self._negators = {word: N_SCALAR for word in NEGATE if word != "despite"} | lexicon.negators
        self._pre = {k: v for k, v in BOOSTER_DICT.items() if " " not in k} | lexicon.boosters_pre
        self._post = dict(lexicon.boosters_post)
        self._contrast = lexicon.contrast
        self._modifiers = frozenset(self._negators) | frozenset(self._pre) | frozenset(self._post) | self._contrast
        self._phrase_starts = lexicon.phrase_starts
        self._canonical = lru_cache(maxsize=65536)(lexicon.canonical)

    def polarity_scores(self, text: str) -> dict[str, float]:
        """neg/neu/pos/compound for `text`, on VADER's scales."""
        text = self._describe_emojis(text)
        surfaces = [_strip_punctuation(token) for token in text.split()]
        is_cap_diff = allcap_differential(surfaces)
        words, caps = self._tokens(surfaces, is_cap_diff)
        sentiments = [self._word_valence(words, caps, i) for i in range(len(words))]
        self._contrast_check(words, sentiments)
        return self._english.score_valence(sentiments, text)

    def _describe_emojis(self, text: str) -> str:
        if text.isascii():
            return text
        parts: list[str] = []
        prev_space = True
        for char in text:
            description = self._emojis.get(char)
            if description is None:
                parts.append(char)
                prev_space = char == " "
            else:
                if not prev_space:
                    parts.append(" ")
                parts.append(description)
                prev_space = False
        return "".join(parts).strip()

    def _tokens(self, surfaces: list[str], is_cap_diff: bool) -> tuple[list[str], list[bool]]:
        words: list[str] = []
        caps: list[bool] = []
        for surface in surfaces:
            shouted = is_cap_diff and surface.isupper()
            for word in self._canonical(surface.lower()):
                words.append(word)
                caps.append(shouted)
        return self._merge_phrases(words, caps)

    def _merge_phrases(self, words: list[str], caps: list[bool]) -> tuple[list[str], list[bool]]:
        if not self._phrase_starts.intersection(words):
            return words, caps
        merged: list[str] = []
        merged_caps: list[bool] = []
        i = 0
        while i < len(words):
            step = 1
            if words[i] in self._phrase_starts:
                for size in (3, 2):
                    phrase = " ".join(words[i : i + size])
                    if i + size <= len(words) and phrase in self._valence:
                        step = size
                        break
            merged.append(" ".join(words[i : i + step]))
            merged_caps.append(all(caps[i : i + step]))
            i += step
        return merged, merged_caps

    def _is_sentiment(self, word: str) -> bool:
        return bool(self._valence.get(word)) and word not in self._modifiers

    def _acts_as_modifier(self, words: list[str], i: int) -> bool:
        word = words[i]
        if word in self._post and any(self._is_sentiment(w) for w in words[max(0, i - 2) : i]):
            return True
        if word in self._negators or word in self._pre:
            return any(self._is_sentiment(w) for w in words[i + 1 : i + 4]) or not self._valence.get(word)
        return word in self._contrast

    def _word_valence(self, words: list[str], caps: list[bool], i: int) -> float:
        word = words[i]
        valence = self._valence.get(word, 0.0)
        if not valence or (word in self._modifiers and self._acts_as_modifier(words, i)):
            return 0.0
        sign = 1.0 if valence > 0 else -1.0
        if caps[i]:
            valence += C_INCR * sign
        for k, j in enumerate(range(i + 1, min(i + 3, len(words)))):
            if words[j] in self._post:
                valence += self._post[words[j]] * sign * _POST_DECAY[k] + (C_INCR * sign if caps[j] else 0.0)
            elif self._is_sentiment(words[j]):
                break
        for k, j in enumerate(range(i - 1, max(i - 4, -1), -1)):
            before = words[j]
            if self._is_sentiment(before):
                break
            if before in self._pre:
                valence += self._pre[before] * sign * _PRE_DECAY[k] + (C_INCR * sign if caps[j] else 0.0)
            if before in self._negators:
                valence *= self._negators[before]
        return valence

    def _contrast_check(self, words: list[str], sentiments: list[float]) -> None:
        at = next((i for i, word in enumerate(words) if word in self._contrast), None)
        if at is None:
            return
        for i in range(len(sentiments)):
            if i < at:
                sentiments[i] *= 0.5
            elif i > at:
                sentiments[i] *= 1.5
