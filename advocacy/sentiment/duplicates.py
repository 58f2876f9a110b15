"""Same text from several different authors within a day: a bounded, thread-safe sliding window."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from datetime import datetime, timezone

_DIGITS_AND_SPACES = re.compile(r"[\d\s]+")


def duplicate_key(text: str) -> bytes | None:
    """Hash of the text with case, digits and spacing normalised; None for texts too short to judge."""
    normalised = _DIGITS_AND_SPACES.sub(" ", text.lower()).strip()
    if len(normalised) < 20 or normalised.count(" ") < 3:
        return None
    return hashlib.blake2b(normalised.encode("utf-8", errors="replace"), digest_size=12).digest()


def to_seconds(moment: object) -> float | None:
    """POSIX seconds of a datetime (naive ones are taken as UTC); None for anything else."""
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


class DuplicateWindow:
    """Counts distinct authors per normalised text within `window_seconds` of each post."""

    def __init__(self, window_seconds: float = 86_400.0, max_keys: int = 200_000, max_authors: int = 16) -> None:
        self.window_seconds = window_seconds
        self._max_keys = max_keys
        self._max_authors = max_authors
        self._seen: OrderedDict[bytes, dict[str, float]] = OrderedDict()
        self._clock = 0.0
        self._lock = threading.Lock()

    def observe(self, key: bytes, author: str, moment: object) -> int:
        """Record `author` posting `key` at `moment`; return distinct authors within the window."""
        with self._lock:
            at = to_seconds(moment)
            at = self._clock if at is None else at
            self._clock = max(self._clock, at)
            authors = self._seen.pop(key, None) or {}
            authors[author] = at
            if len(authors) > self._max_authors:
                oldest = sorted(authors, key=lambda name: (authors[name], name))
                for name in oldest[: len(authors) - self._max_authors]:
                    del authors[name]
            self._seen[key] = authors
            while len(self._seen) > self._max_keys:
                self._seen.popitem(last=False)
            return sum(1 for t in authors.values() if abs(t - at) <= self.window_seconds)

    def __len__(self) -> int:
        return len(self._seen)
