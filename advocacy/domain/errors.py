"""Errors the domain and application raise; the API maps each kind to one HTTP status."""

from __future__ import annotations


class AdvocacyError(Exception):
    """Base of every error this package raises on purpose."""


class InvalidInput(AdvocacyError):
    """A command's input cannot be stored; nothing was saved."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(AdvocacyError):
    """The command or query names something that does not exist."""

    def __init__(self, kind: str, key: str, field: str | None = None):
        super().__init__(f"unknown {kind}: {key}")
        self.kind = kind
        self.key = key
        self.field = field


class Conflict(AdvocacyError):
    """The command contradicts what is already recorded."""


class CustomerForgotten(Conflict):
    """The customer asked to be forgotten; nothing personal is recorded for them again."""

    def __init__(self, crm_id: str):
        super().__init__(f"customer {crm_id} was forgotten at their request")
        self.crm_id = crm_id
