"""Same text from several different authors within a day: a bounded, thread-safe sliding window."""

from __future__ import annotations

import re
import threading
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
    normalised = duplicate_text(words)
    return None if normalised is None else hash(normalised)


def duplicate_text(words: list[str]) -> str | None:
    """The normalised text that duplicate_key hashes (None when too short to judge).

    Worker processes return this rather than the hash: string hashes differ between processes.
    """
    if len(words) < 4:
        return None
    normalised = " ".join(words)
    if _DIGITS.search(normalised):
        normalised = " ".join(_DIGITS.sub("", normalised).split())
    if len(normalised) < 20:
        return None
    return normalised


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
        self._seen: dict[int, dict[str, float] | tuple[str, float]] = {}  # least recently seen first
        self._clock = 0.0
        self._lock = threading.Lock()

    def observe(self, key: int, author: str, moment: object) -> int:
        """Record `author` posting `key` at `moment`; return distinct authors within the window."""
        at = to_seconds(moment)
        seen = self._seen
        with self._lock:
            if at is None:
                at = self._clock
            elif at > self._clock:
                self._clock = at
            authors = seen.pop(key, None)  # re-inserted below: a plain dict keeps insertion order,
            if authors is None:  # so its first key is always the least recently seen one
                if self._max_authors < 1:
                    authors = seen[key] = {}
                else:  # most texts have one author: (author, time) takes far less memory than a dict
                    seen[key] = (author, at)
                    if len(seen) > self._max_keys:
                        del seen[next(iter(seen))]
                    return 1
                if len(seen) > self._max_keys:
                    del seen[next(iter(seen))]
            elif type(authors) is tuple:
                if authors[0] == author:
                    seen[key] = (author, at)
                    return 1
                authors = seen[key] = {authors[0]: authors[1]}
            else:
                seen[key] = authors
            if author not in authors and len(authors) >= self._max_authors:
                del authors[min(authors.items(), key=itemgetter(1, 0))[0]]
            authors[author] = at
            if len(authors) < 3:
                return len(authors)  # an upper bound; exact counts matter only from three on
            low, high = at - self.window_seconds, at + self.window_seconds
            return len([t for t in authors.values() if low <= t <= high])

    def __len__(self) -> int:
        return len(self._seen)
