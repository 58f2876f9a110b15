"""Personal data inside events: kept in a `personal` dict sealed with the key of its `subject`.

Every event class that carries personal data has two fields: `subject`, the id whose key
encrypts it (a customer, a handle, a referee), and `personal`, a dict of plain values. The
storage layer encrypts `personal` per subject; once a subject's key is destroyed, `personal`
comes back as None. Domain code must therefore read personal values through `read`.
"""

from __future__ import annotations

from typing import Any


def read(personal: dict[str, Any] | None, key: str) -> Any:
    """A personal value, or None when it was never given or its subject was forgotten."""
    if personal is None:
        return None
    return personal.get(key)
