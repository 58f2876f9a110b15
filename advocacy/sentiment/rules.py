"""VADER's rule engine for Indonesian and mixed Indonesian-English text, with its own word tables.

Stock VADER keeps negators and boosters in module globals; this analyzer never touches them.
It reuses VADER's emoji descriptions, English lexicon, caps emphasis, punctuation emphasis and
normalisation, and applies Indonesian negators, pre- and post-positioned boosters and contrast.
"""

from __future__ import annotations

import math
import re
import string

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SentimentIntensityAnalyzer,
    normalize,
)

from advocacy.sentiment.lexicon import IndonesianLexicon

_PRE_DECAY = (1.0, 0.95, 0.9)
_POST_DECAY = (1.0, 0.9)
_CACHE_SIZE = 100_000
_CLAUSE_END = frozenset(".,;:!?")
_INNER_PUNCTUATION = re.compile(r"[.,;:!?]+")
_ZERO = (0.0,)
_BOUND = {False: (False,), True: (True,)}
_ORDINARY = "\x00ordinary"
"""The form recorded for ordinary words: matches no lexicon entry, phrase or modifier."""


def _strip_punctuation(token: str) -> str:
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


def score_valence(sentiments: list[float], text: str) -> dict[str, float]:
    """VADER 3.3.2's score_valence, inlined (same formulas and rounding) to save method calls."""
    compound, pos, neu, neg = valence_scores(sentiments, text)
    return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}


_NO_SENTIMENT = (0.0, 0.0, 0.0, 0.0)
_ALL_NEUTRAL = (0.0, 0.0, 1.0, 0.0)
"""valence_scores of a non-empty list of zeros: nothing positive or negative, everything neutral."""


def valence_scores(sentiments: list[float], text: str) -> tuple[float, float, float, float]:
    """score_valence as a tuple (compound, pos, neu, neg): same formulas, order of additions and rounding."""
    if not sentiments:
        return _NO_SENTIMENT
    ep = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm = 0 if qm_count <= 1 else (qm_count * 0.18 if qm_count <= 3 else 0.96)
    emphasis = ep + qm
    total = float(sum(sentiments))
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    compound = normalize(total)
    positive = [score for score in sentiments if score > 0]
    negative = [score for score in sentiments if score < 0]
    neu_count = len(sentiments) - len(positive) - len(negative)  # zeros (and NaN), as VADER counts them
    pos_sum = neg_sum = 0.0
    for score in positive:  # the same additions in the same order as VADER's loop
        pos_sum += score + 1
    for score in negative:
        neg_sum += score - 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += emphasis
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= emphasis
    whole = pos_sum + math.fabs(neg_sum) + neu_count
    return (
        round(compound, 4),
        round(math.fabs(pos_sum / whole), 3),
        round(math.fabs(neu_count / whole), 3),
        round(math.fabs(neg_sum / whole), 3),
    )


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
        self._phrase_pairs = frozenset(" ".join(p.split()[:2]) for p in self._valence if p.count(" ") >= 1)
        self._lexicon = lexicon
        self._cache: dict[str, tuple] = {}
        phrase_words = {word for phrase in self._valence if " " in phrase for word in phrase.split()}
        self._plain = frozenset(self._valence) | frozenset(phrase_words) | self._modifiers
        self._ordinary = {  # one shared cache entry for every ordinary word, by (ALL CAPS?, clause end?)
            (caps, end): (caps, (_ORDINARY,), False, _BOUND[end], _ZERO)
            for caps in (False, True)
            for end in (False, True)
        }

    def polarity_scores(self, text: str) -> dict[str, float]:
        """neg/neu/pos/compound for `text`, on VADER's scales."""
        compound, pos, neu, neg = self.scores(text)
        return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}

    def scores(self, text: str) -> tuple[float, float, float, float]:
        """(compound, pos, neu, neg) for `text`: polarity_scores as a tuple."""
        if not text.isascii():
            text = self._describe_emojis(text)
        cached = self._cache.get
        entries = [cached(token) or self._token(token) for token in text.split()]
        if not any([entry[2] for entry in entries]):
            return _ALL_NEUTRAL if any([entry[1] for entry in entries]) else _NO_SENTIMENT
        shouted = sum([entry[0] for entry in entries])
        words, caps, bounds, values = self._tokens(entries, 0 < shouted < len(entries))
        modifiers = self._modifiers
        scored = [bool(v) and w not in modifiers for w, v in zip(words, values)]
        sentiments = [
            self._word_valence(words, caps, bounds, values, scored, i) if v else 0.0 for i, v in enumerate(values)
        ]
        self._contrast_check(words, sentiments)
        return valence_scores(sentiments, text)

    def _describe_emojis(self, text: str) -> str:
        if text.isascii():
            return text
        return describe_emojis(text, self._emojis).strip()

    def _token(self, token: str) -> tuple:
        """(ALL CAPS?, lexicon forms, could carry sentiment?, clause end after each form?, valences), cached."""
        entry = self._cache.get(token)
        if entry is None:
            surface = _strip_punctuation(token)
            parts = [surface]
            if "/" not in surface and "@" not in surface and len(surface) > 3:
                parts = [p for p in _INNER_PUNCTUATION.split(surface) if p] or [surface]
            forms: list[str] = []
            bounds: list[bool] = []
            for n, part in enumerate(parts):
                lower = part.lower()
                part_forms = self._lexicon.canonical(part if lower == part else lower)
                forms.extend(part_forms)
                bounds.extend([False] * (len(part_forms) - 1) + [n < len(parts) - 1])
            if token[-1:] in _CLAUSE_END and bounds:
                bounds[-1] = True
            relevant = any(f in self._valence or f in self._phrase_starts for f in forms)
            if len(forms) == 1 and forms[0] not in self._plain:
                # an ordinary word (no valence, in no phrase, no modifier): the rules only count it
                # and read its caps and clause end, so every such token shares one entry (less memory)
                entry = self._ordinary[surface.isupper(), bounds[0]]
            else:
                values = tuple(self._valence.get(f, 0.0) for f in forms)
                entry = (surface.isupper(), tuple(forms), relevant, tuple(bounds), values)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[token] = entry
        return entry

    def _tokens(self, entries, is_cap_diff: bool):
        words: list[str] = []
        bounds: list[bool] = []
        values: list[float] = []
        for entry in entries:
            words += entry[1]
            bounds += entry[3]
            values += entry[4]
        if is_cap_diff:
            caps = [entry[0] for entry in entries for _ in entry[1]]
        else:
            caps = [False] * len(words)
        if not self._phrase_starts.isdisjoint(words):
            merged = self._merge_phrases(words, caps, bounds)
            if merged is not None:
                words, caps, bounds = merged
                get = self._valence.get
                values = [get(word, 0.0) for word in words]
        return words, caps, bounds, values

    def _merge_phrases(self, words: list[str], caps: list[bool], bounds: list[bool]):
        matches: dict[int, int] = {}
        skip_to = 0
        pairs, starts = self._phrase_pairs, self._phrase_starts
        for i in [i for i in range(len(words) - 1) if words[i] in starts]:
            if i < skip_to or words[i] + " " + words[i + 1] not in pairs:
                continue
            for size in (3, 2):
                if (
                    i + size <= len(words)
                    and not any(bounds[i : i + size - 1])
                    and " ".join(words[i : i + size]) in self._valence
                ):
                    matches[i] = size
                    skip_to = i + size
                    break
        if not matches:
            return None
        merged: list[str] = []
        merged_caps: list[bool] = []
        merged_bounds: list[bool] = []
        i = 0
        while i < len(words):
            step = matches.get(i, 1)
            merged.append(" ".join(words[i : i + step]))
            merged_caps.append(all(caps[i : i + step]))
            merged_bounds.append(bounds[i + step - 1])
            i += step
        return merged, merged_caps, merged_bounds

    def _acts_as_modifier(self, words: list[str], scored: list[bool], i: int) -> bool:
        word = words[i]
        if word in self._post and any(scored[max(0, i - 2) : i]):
            return True
        if word in self._negators or word in self._pre:
            return any(scored[i + 1 : i + 4])
        return word in self._contrast

    def _word_valence(self, words, caps, bounds, values, scored, i: int) -> float:
        word = words[i]
        if word in self._modifiers and self._acts_as_modifier(words, scored, i):
            return 0.0
        valence = values[i]
        sign = 1.0 if valence > 0 else -1.0
        if caps[i]:
            valence += C_INCR * sign
        for k, j in enumerate(range(i + 1, min(i + 3, len(words)))):
            if bounds[j - 1]:
                break
            if words[j] in self._post:
                valence += self._post[words[j]] * sign * _POST_DECAY[k] + (C_INCR * sign if caps[j] else 0.0)
            elif scored[j]:
                break
        for k, j in enumerate(range(i - 1, max(i - 4, -1), -1)):
            if scored[j] or bounds[j]:
                break
            before = words[j]
            if before in self._pre:
                valence += self._pre[before] * sign * _PRE_DECAY[k] + (C_INCR * sign if caps[j] else 0.0)
            if before in self._negators:
                valence *= self._negators[before]
        return valence

    def _contrast_check(self, words: list[str], sentiments: list[float]) -> None:
        if self._contrast.isdisjoint(words):
            return
        at = next(i for i, word in enumerate(words) if word in self._contrast)
        for i in range(len(sentiments)):
            if i < at:
                sentiments[i] *= 0.5
            elif i > at:
                sentiments[i] *= 1.5


def describe_emojis(text: str, emojis: dict[str, str]) -> str:
    """VADER's emoji-to-description loop (same output), joined once instead of concatenated per character."""
    parts: list[str] = []
    prev_space = True
    for char in text:
        description = emojis.get(char)
        if description is None:
            parts.append(char)
            prev_space = char == " "
        else:
            if not prev_space:
                parts.append(" ")
            parts.append(description)
            prev_space = False
    return "".join(parts)
