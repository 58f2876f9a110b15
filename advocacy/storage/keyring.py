"""Per-subject encryption keys, so that forgetting a customer destroys their personal data.

The event log is append-only; we never rewrite it. Instead each subject's personal data is
sealed with its own key (AES-256-GCM), and forgetting the subject deletes the key, leaving a
tombstone so that nothing personal is ever sealed for that subject again.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import OperationalError

from advocacy.storage.sql import Database

SEAL_PREFIX = "sealed:v1:"
BIND_ATTEMPTS = 20
FORGOTTEN = b""
"""Cached marker for a subject whose key was destroyed."""
CIPHERS_CACHED = 10_000
"""Most AES-GCM ciphers kept for reuse (about 2.6 KB each once used); building one costs about as much as sealing."""


class Keyring:
    """Creates, caches and destroys the keys that seal each subject's personal data.

    A key never changes once made; it can only be destroyed, and every destruction also counts one
    more erasure in the same transaction. So the cached keys stay right for as long as that count
    stays the same: the cache is trusted for `cache_seconds` after the count was last read, then the
    count is read again (one small query) and the cache kept, or dropped if any process forgot anyone.
    Another process's erasure therefore takes effect here within `cache_seconds`, and reading the log
    costs one key query per subject and one count query per `cache_seconds`, not a query per subject
    every `cache_seconds` (on PostgreSQL that had made reading a million events twice as slow).
    """

    def __init__(self, cache_seconds: float = 10.0, cache_size: int = 200_000):
        self.db: Database | None = None
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self._cache: dict[str, bytes] = {}
        self._ciphers: dict[bytes, AESGCM] = {}  # by key; dropped with the cached keys
        self._lock = threading.Lock()
        self._erasures = 0
        self._trusted_until = 0.0  # time.monotonic() until which the cache needs no check

    def bind(self, db: Database) -> None:
        """Attach the database that stores the keys, creating its tables if needed."""
        self.db = db
        # Several processes opening a fresh SQLite file at once can find it locked while one of them
        # switches it to WAL mode; creating the tables is idempotent, so try again briefly.
        for attempt in range(1, BIND_ATTEMPTS + 1):
            try:
                self._create_tables(db)
                return
            except OperationalError:
                if attempt == BIND_ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt)

    @staticmethod
    def _create_tables(db: Database) -> None:
        with db.transaction() as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS {t}personal_data_keys ("
                " subject TEXT PRIMARY KEY, key BLOB, forgotten_at TEXT)"
            )
            c.execute("CREATE TABLE IF NOT EXISTS {t}personal_data_erasures (id INTEGER PRIMARY KEY, erasures INTEGER NOT NULL)")
            c.execute("INSERT INTO {t}personal_data_erasures (id, erasures) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")

    def refresh(self) -> None:
        """Drop cached keys if any process forgot a subject since we last looked (one small query)."""
        assert self.db is not None, "keyring used before bind()"
        checked = time.monotonic()
        with self.db.reading() as c:
            c.execute("SELECT erasures FROM {t}personal_data_erasures WHERE id = 1")
            row = c.fetchone()
        erasures = row["erasures"] if row else 0
        with self._lock:
            if erasures != self._erasures:
                self._cache.clear()
                self._ciphers.clear()
                self._erasures = erasures
            self._trusted_until = checked + self.cache_seconds

    def seal(self, subject: UUID, plaintext: bytes) -> str | None:
        """Encrypt `plaintext` for `subject`; None if the subject was forgotten."""
        return self._seal(self.ensure([subject])[str(subject)], subject, plaintext)

    def seal_all(self, items: Sequence[tuple[UUID, bytes]]) -> list[str | None]:
        """seal() for each (subject, plaintext), with every missing key created in one transaction."""
        keys = self.ensure(subject for subject, _ in items)
        return [self._seal(keys[str(subject)], subject, plaintext) for subject, plaintext in items]

    def _seal(self, key: bytes, subject: UUID, plaintext: bytes) -> str | None:
        if key == FORGOTTEN:
            return None
        nonce = os.urandom(12)
        sealed = nonce + self._cipher(key).encrypt(nonce, plaintext, subject.bytes)
        return SEAL_PREFIX + base64.b64encode(sealed).decode("ascii")

    def open(self, subject: UUID, sealed: str) -> bytes | None:
        """Decrypt what `seal` produced; None once the subject's key is destroyed."""
        key = self._lookup(str(subject))
        if key == FORGOTTEN:
            return None
        raw = base64.b64decode(sealed[len(SEAL_PREFIX) :])
        return self._cipher(key).decrypt(raw[:12], raw[12:], subject.bytes)

    def _cipher(self, key: bytes) -> AESGCM:
        """The AES-GCM cipher of a key, built once per key while the key is cached."""
        cipher = self._ciphers.get(key)
        if cipher is None:
            cipher = AESGCM(key)
            with self._lock:
                if len(self._ciphers) >= CIPHERS_CACHED:
                    self._ciphers.clear()
                self._ciphers[key] = cipher
        return cipher

    def ensure(self, subjects: Iterable[UUID]) -> dict[str, bytes]:
        """Keys for all `subjects`, created in one transaction where missing."""
        wanted = {str(s) for s in subjects}
        found = {s: k for s in wanted if (k := self._cached(s)) is not None}
        missing = sorted(wanted - found.keys())
        if missing:  # made by another process already? A read, where a write would wait for the writers' turn
            found.update(self._load(missing))
            missing = [s for s in missing if s not in found]
        if missing:
            assert self.db is not None, "keyring used before bind()"
            with self.db.lazy_commit() as c:
                c.executemany(
                    "INSERT INTO {t}personal_data_keys (subject, key) VALUES (?, ?)"
                    " ON CONFLICT (subject) DO NOTHING",
                    [(s, os.urandom(32)) for s in missing],
                )
            found.update(self._load(missing))
        return found

    def forget(self, subjects: Iterable[UUID]) -> None:
        """Destroy the keys of `subjects` for good."""
        assert self.db is not None, "keyring used before bind()"
        now = datetime.now(UTC).isoformat()
        names = sorted({str(s) for s in subjects})
        with self.db.transaction() as c:
            c.executemany(
                "INSERT INTO {t}personal_data_keys (subject, key, forgotten_at) VALUES (?, NULL, ?)"
                " ON CONFLICT (subject) DO UPDATE SET key = NULL, forgotten_at = excluded.forgotten_at",
                [(s, now) for s in names],
            )
            c.execute("UPDATE {t}personal_data_erasures SET erasures = erasures + 1 WHERE id = 1")
        with self._lock:
            for s in names:
                hit = self._cache.get(s)
                if hit is not None:
                    self._ciphers.pop(hit, None)
                self._cache[s] = FORGOTTEN

    def preload(self, subjects: Iterable[UUID]) -> None:
        """Fetch the keys of `subjects` not cached yet, 500 per query, before opening their data one by one."""
        missing = sorted(s for s in {str(s) for s in subjects} if self._cached(s) is None)
        if missing:
            self._load(missing)

    def _lookup(self, subject: str) -> bytes:
        key = self._cached(subject)
        if key is None:
            key = self._load([subject]).get(subject, FORGOTTEN)
        return key

    def _cached(self, subject: str) -> bytes | None:
        if time.monotonic() > self._trusted_until:
            self.refresh()
        return self._cache.get(subject)

    def _load(self, subjects: list[str]) -> dict[str, bytes]:
        assert self.db is not None, "keyring used before bind()"
        loaded: dict[str, bytes] = {}
        with self.db.reading() as c:
            for start in range(0, len(subjects), 500):
                chunk = subjects[start : start + 500]
                marks = ",".join("?" * len(chunk))
                c.execute(
                    f"SELECT subject, key FROM {{t}}personal_data_keys WHERE subject IN ({marks})",
                    chunk,
                )
                for row in c.fetchall():
                    loaded[row["subject"]] = bytes(row["key"]) if row["key"] is not None else FORGOTTEN
        with self._lock:
            if len(self._cache) + len(loaded) > self.cache_size:
                self._cache.clear()
                self._ciphers.clear()
            self._cache.update(loaded)
        return loaded
