"""Errors the read side raises."""

from __future__ import annotations


class ProjectionLagError(TimeoutError):
    """A projection did not reach the wanted log position in time."""
