"""JSON transcodings for value types our events carry beyond the library's defaults."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    """Calendar dates as YYYY-MM-DD."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """YYYY-MM-DD."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """The date back."""
        return date.fromisoformat(data)
