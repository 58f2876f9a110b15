"""Stock VADER 3.3.2 rules with linear-time helpers: identical scores, no quadratic blow-up.

VADER's negation and idiom checks lower-case the whole token list for every sentiment word,
which makes long or emoji-heavy texts quadratic (a 5,000-emoji text took 12 s). These overrides
pass the same checks only the tokens they read (three before, two after), so results are equal.
"""

from __future__ import annotations

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, SentimentIntensityAnalyzer, SentiText

from advocacy.sentiment.rules import _ALL_NEUTRAL, _NO_SENTIMENT, describe_emojis, valence_scores


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


_NEGATE = frozenset(NEGATE)
_NEVER_OBJECTS = ("so", "this")
_CACHE_SIZE = 100_000
_NEUTRAL, _LEXICON, _KIND = 0, 1, 2


def _negated(word: str) -> bool:
    """VADER's negated([word]) for one lower-case word: a listed negation or a word containing "n't"."""
    return word in _NEGATE or "n't" in word


class FastVader(LinearVader):
    """LinearVader with the per-text work outside lexicon words done once per distinct token.

    Same scores as stock VADER 3.3.2 (property-tested): the emoji loop is skipped for ASCII text
    (no emoji key is ASCII), tokens are stripped, lower-cased and classified through a cache, words
    outside the lexicon score 0 without a call, and lexicon words go through VADER's own
    sentiment_valence (with the negation check reading a set instead of scanning NEGATE).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._ascii_emojis = any(key.isascii() for key in self.emojis)
        self._cache: dict[str, tuple[str, str, bool, int]] = {}

    def polarity_scores(self, text):
        if not isinstance(text, str) or self._ascii_emojis:
            return super().polarity_scores(text)
        compound, pos, neu, neg = self.scores(text)
        return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}

    def scores(self, text: str) -> tuple[float, float, float, float]:
        """(compound, pos, neu, neg) for `text`: polarity_scores as a tuple."""
        if self._ascii_emojis:
            s = super().polarity_scores(text)
            return (s["compound"], s["pos"], s["neu"], s["neg"])
        if not text.isascii():
            text = describe_emojis(text, self.emojis)
        text = text.strip()
        cached = self._cache.get
        entries = [cached(token) or self._token(token) for token in text.split()]
        if not any([entry[3] for entry in entries]):
            return _ALL_NEUTRAL if entries else _NO_SENTIMENT
        sentiments: list = [0] * len(entries)
        sentitext = SentiText.__new__(SentiText)
        sentitext.text = text
        words = sentitext.words_and_emoticons = [entry[0] for entry in entries]
        caps = sum([entry[2] for entry in entries])
        sentitext.is_cap_diff = 0 < len(words) - caps < len(words)
        last = len(entries) - 1
        valence_of = self.sentiment_valence
        scored: list = []
        for i, entry in enumerate(entries):
            kind = entry[3]
            if kind == _LEXICON or (kind == _KIND and not (i < last and entries[i + 1][1] == "of")):
                scored.clear()
                valence_of(0, sentitext, entry[0], i, scored)
                sentiments[i] = scored[0]
        if "but" in [entry[1] for entry in entries]:
            sentiments = self._but_check(words, sentiments)
        return valence_scores(sentiments, text)

    def _token(self, token: str) -> tuple[str, str, bool, int]:
        """(VADER's stripped word, its lower case, ALL CAPS?, kind), cached."""
        word = SentiText._strip_punc_if_word(token)
        lower = word.lower()
        if lower == word:
            lower = word  # one string object, not two
        if lower in BOOSTER_DICT:
            kind = _NEUTRAL  # a booster scores 0 itself; it acts through the word it precedes
        elif lower == "kind":
            kind = _KIND if lower in self.lexicon else _NEUTRAL
        else:
            kind = _LEXICON if lower in self.lexicon else _NEUTRAL
        entry = (word, lower, word.isupper(), kind)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[token] = entry
        return entry

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        """VADER's _negation_check, reading only the words it looks at and NEGATE as a set."""
        w1 = words_and_emoticons[i - 1].lower()
        if start_i == 0:
            if _negated(w1):
                valence = valence * N_SCALAR
        elif start_i == 1:
            w2 = words_and_emoticons[i - 2].lower()
            if w2 == "never" and w1 in _NEVER_OBJECTS:
                valence = valence * 1.25
            elif w2 == "without" and w1 == "doubt":
                pass
            elif _negated(w2):
                valence = valence * N_SCALAR
        elif start_i == 2:
            w2 = words_and_emoticons[i - 2].lower()
            w3 = words_and_emoticons[i - 3].lower()
            if (w3 == "never" and w2 in _NEVER_OBJECTS) or w1 in _NEVER_OBJECTS:
                valence = valence * 1.25
            elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                pass
            elif _negated(w3):
                valence = valence * N_SCALAR
        return valence
