"""Same text from several different authors within a day: a bounded, thread-safe sliding window."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from operator import itemgetter
from datetime import datetime, timezone

_DIGITS = re.compile(r"\d+")


def duplicate_key(words: list[str]) -> int | None:
    """Hash of a text's lower-case words with digits, spacing and punctuation normalised away.

    None for texts too short to judge (under four words or 20 characters), so that short
    common replies ("mantap kak", "thank you so much") are never taken for a campaign.
    The window lives in one process's memory, so Python's own string hash (stable within a
    process) is enough; it is computed once and cached by the interpreter.
    """
    if len(words) < 4:
        return None
    normalised = " ".join(words)
    if _DIGITS.search(normalised):
        normalised = " ".join(_DIGITS.sub("", normalised).split())
    if len(normalised) < 20:
        return None
    return hash(normalised)


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

    def __init__(self, window_seconds: float = 86_400.0, max_keys: int = 200_000, max_authors: int = 8) -> None:
        self.window_seconds = window_seconds
        self._max_keys = max_keys
        self._max_authors = max_authors
        self._seen: OrderedDict[int, dict[str, float]] = OrderedDict()
        self._clock = 0.0
        self._lock = threading.Lock()

    def observe(self, key: int, author: str, moment: object) -> int:
        """Record `author` posting `key` at `moment`; return distinct authors within the window."""
        with self._lock:
            at = to_seconds(moment)
            at = self._clock if at is None else at
            self._clock = max(self._clock, at)
            authors = self._seen.get(key)
            if authors is None:
                authors = self._seen[key] = {}
                if len(self._seen) > self._max_keys:
                    self._seen.popitem(last=False)
            else:
                self._seen.move_to_end(key)
            if author not in authors and len(authors) >= self._max_authors:
                del authors[min(authors.items(), key=itemgetter(1, 0))[0]]
            authors[author] = at
            if len(authors) < 3:
                return len(authors)  # an upper bound; exact counts matter only from three on
            low, high = at - self.window_seconds, at + self.window_seconds
            return len([t for t in authors.values() if low <= t <= high])

    def __len__(self) -> int:
        return len(self._seen)
