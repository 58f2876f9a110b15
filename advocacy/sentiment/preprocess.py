"""Input hygiene before scoring: coercion, Unicode normalisation, variation selectors, length cap."""

from __future__ import annotations

import unicodedata

from advocacy.sentiment.assessment import MAX_TEXT_LENGTH

_SELECTORS = {0xFE0E: None, 0xFE0F: None}
"""Emoji presentation selectors: VADER looks emoji up one code point at a time, so "❤️" scored 0."""


def coerce_text(value: object) -> str:
    """Any value as a str: None -> "", bytes decoded as UTF-8 (bad bytes replaced), else str()."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value[: MAX_TEXT_LENGTH * 4]).decode("utf-8", errors="replace")
    try:
        return str(value)
    except Exception:  # a hostile __str__ must not break ingestion
        return ""


def clean_text(value: object, limit: int = MAX_TEXT_LENGTH) -> str:
    """Coerce, cap, NFKC-normalise and drop variation selectors and lone surrogates."""
    text = coerce_text(value)[: limit * 2]
    if not text.isascii():
        text = text.encode("utf-8", errors="replace").decode("utf-8")
        text = unicodedata.normalize("NFKC", text).translate(_SELECTORS)
    return text[:limit].strip()
