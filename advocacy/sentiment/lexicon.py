"""The Indonesian lexicon, modifiers and spelling variants, loaded from the package data files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain

DATA_FILES = (
    "id_lexicon.tsv",
    "id_modifiers.tsv",
    "id_variants.tsv",
    "language_words.tsv",
    "spam_terms.tsv",
)
_REPEATS = re.compile(r"(.)\1{2,}")
_DOUBLES = re.compile(r"(.)\1+")
_ANY_DOUBLE = re.compile(r"(.)\1")
_REDUP = re.compile(r"^([a-z]{2,})(?:-\1|2)$")
_CLITICS = ("nya", "lah", "kah", "pun")
_LETTER = re.compile(r"[^\W\d_]")
_FOUND_SIZE = 100_000


def read_rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file, without blank and '#' comment lines."""
    text = resources.files("advocacy.sentiment").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """Short hash of every data file: part of the scorer version, so data changes are visible."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(resources.files("advocacy.sentiment").joinpath("data", name).read_bytes())
    return digest.hexdigest()[:10]


@dataclass(frozen=True)
class IndonesianLexicon:
    """Valences (words and phrases), modifiers and variants of the Indonesian rule path."""

    valence: dict[str, float]
    negators: dict[str, float]
    boosters_pre: dict[str, float]
    boosters_post: dict[str, float]
    contrast: frozenset[str]
    variants: dict[str, tuple[str, ...]]
    phrase_starts: frozenset[str]

    _found: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, default_factory=dict)
    _letters_only: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        entries = chain(self.valence, self.variants, self.negators, self.boosters_post)
        object.__setattr__(self, "_letters_only", all(_LETTER.search(entry) for entry in entries))

    def canonical(self, token: str) -> tuple[str, ...]:
        """The lexicon form(s) of a lower-case token: variants, repeated letters, clitics, reduplication.

        Both the language detector and the rules ask for each new token, so answers are remembered
        (bounded). A token without a letter (a number, a price, "#1") has no shorter spelling in a
        lexicon whose every entry has a letter: every candidate is a part of the token.
        """
        if token in self.valence or token in self.variants:
            return self.variants.get(token, (token,))
        found = self._found.get(token)
        if found is None:
            found = (token,) if self._letters_only and not _LETTER.search(token) else self.search(token)
            if len(self._found) >= _FOUND_SIZE:
                self._found.clear()
            self._found[token] = found
        return found

    def search(self, token: str) -> tuple[str, ...]:
        """canonical() of a token that is neither a lexicon word nor a variant, worked out afresh."""
        for candidate in _candidates(token):
            if candidate in self.variants:
                return self.variants[candidate]
            if candidate in self.valence or candidate in self.negators or candidate in self.boosters_post:
                return (candidate,)
        return (token,)


def _candidates(token: str):
    """Shorter spellings to try for an unknown token, most faithful first."""
    squeezed = token
    if _ANY_DOUBLE.search(token):
        squeezed = _REPEATS.sub(r"\1", token)
        yield squeezed
        yield _DOUBLES.sub(r"\1", token)
    if "-" in squeezed or squeezed.endswith("2"):
        redup = _REDUP.match(squeezed)
        if redup:
            yield redup.group(1)
    stems = [squeezed]
    for clitic in _CLITICS:
        if squeezed.endswith(clitic) and len(squeezed) > len(clitic) + 2:
            stems.append(squeezed[: -len(clitic)])
            yield stems[-1]
    for stem in stems:
        yield from _affix_stripped(stem)


def _affix_stripped(word: str):
    """Roots under common affixes: di-X, ke-X-an, ber-X, X-in (colloquial), X-an."""
    if word.startswith("di") and len(word) >= 6:
        yield word[2:]
    if word.startswith("ke") and word.endswith("an") and len(word) >= 7:
        yield word[2:-2]
    if word.startswith("ber") and len(word) >= 7:
        yield word[3:]
    if word.endswith("in") and len(word) >= 6:
        yield word[:-2]
    if word.endswith("an") and len(word) >= 7:
        yield word[:-2]


def _modifiers(rows: list[list[str]], kind: str) -> dict[str, float]:
    return {row[0]: float(row[2]) for row in rows if len(row) >= 3 and row[1] == kind}


@lru_cache(maxsize=1)
def load_indonesian_lexicon() -> IndonesianLexicon:
    """Parse the package data files once per process."""
    valence = {row[0].strip().lower(): float(row[1]) for row in read_rows("id_lexicon.tsv")}
    modifiers = read_rows("id_modifiers.tsv")
    variants = {row[0].strip(): tuple(row[1].split()) for row in read_rows("id_variants.tsv")}
    return IndonesianLexicon(
        valence=valence,
        negators=_modifiers(modifiers, "negator"),
        boosters_pre=_modifiers(modifiers, "booster_pre"),
        boosters_post=_modifiers(modifiers, "booster_post"),
        contrast=frozenset(row[0] for row in modifiers if len(row) >= 2 and row[1] == "contrast"),
        variants=variants,
        phrase_starts=frozenset(key.split()[0] for key in valence if " " in key),
    )
