"""Projection test helpers: an assessor whose verdict is written in the text, fresh stores per example."""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from advocacy.sentiment import SentimentScores, SpamVerdict, TextAssessment
from tests.conftest import PG

_CODE = re.compile(r"c=(-?[0-9.]+)")


class CodedAssessor:
    """Reads the verdict from the text: 'c=0.6' gives compound 0.6, 'spam' marks spam, 'lang=id' the language."""

    name = "coded"
    version = "1"

    def assess(self, text: str, **_: Any) -> TextAssessment:
        """The verdict written in `text`."""
        match = _CODE.search(text)
        compound = float(match.group(1)) if match else 0.0
        language = "id" if "lang=id" in text else "en"
        return TextAssessment(
            language=language,
            sentiment=SentimentScores(compound, max(compound, 0.0), 1 - abs(compound), max(-compound, 0.0)),
            spam=SpamVerdict("spam" in text, ("coded",) if "spam" in text else ()),
            scorer=self.name,
            scorer_version=self.version,
        )


def text(compound: float, *, spam: bool = False, language: str = "en") -> str:
    """A mention text that CodedAssessor scores as asked."""
    return f"c={compound}" + (" spam" if spam else "") + (" lang=id" if language == "id" else "")


@contextmanager
def fresh_store(store_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """A new empty store of the same kind as `store_env` (for each hypothesis example)."""
    if store_env.get("PERSISTENCE_MODULE", "").endswith("postgres"):
        import psycopg

        schema = f"h_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(**PG, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield {**store_env, "POSTGRES_SCHEMA": schema}
        finally:
            with psycopg.connect(**PG, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    else:
        directory = tempfile.mkdtemp(prefix="projections-")
        try:
            yield {"ADVOCACY_DATA_DIR": directory}
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def close_enough(a: Any, b: Any, tol: float = 1e-7) -> bool:
    """Equal, with floats compared relative to their size (sums in another order differ in the last bits)."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(a)), abs(float(b)))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close_enough(a[k], b[k], tol) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(close_enough(x, y, tol) for x, y in zip(a, b, strict=True))
    return a == b


@contextmanager
def patched_era_bits(bits: int) -> Iterator[None]:
    """Per-mention rows grouped into eras of 2**bits log positions for the block (see projections.views.base)."""
    from projections.views import base

    real = base.ERA_BITS
    base.ERA_BITS = bits
    try:
        yield
    finally:
        base.ERA_BITS = real
