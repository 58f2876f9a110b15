"""Input hygiene before scoring: coercion, Unicode normalisation, variation selectors, length cap."""

from __future__ import annotations

import unicodedata

from advocacy.sentiment.assessment import MAX_TEXT_LENGTH

_INVISIBLE = dict.fromkeys([0xFE0E, 0xFE0F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD])
"""Variation selectors, zero-width characters and soft hyphens: VADER looks emoji up one code
point at a time, so "❤️" (heart + U+FE0F) scored 0; zero-width spaces hide words from matching."""


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
    """Coerce, cap, NFKC-normalise drop invisible characters and lone surrogates."""
    text = coerce_text(value)[: limit * 2]
    if not text.isascii():
        text = text.encode("utf-8", errors="replace").decode("utf-8")
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return text[:limit].strip()
