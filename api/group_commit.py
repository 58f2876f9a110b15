"""Group commit: concurrent single-mention requests of one process share one transaction.

While one request's transaction is being written, others queue; the next one to lead takes every queued
mention and records them in one `record_mentions` call, so the per-transaction cost (and the fsync) is paid
once per group instead of once per request. A lone request is its own group and waits for nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from advocacy.inputs import NewMention
from advocacy.results import BatchRecorded, MentionRecorded

MAX_GROUP = 200


class _Slot:
    __slots__ = ("error", "event", "item", "lead", "result")

    def __init__(self, item: NewMention):
        self.item = item
        self.event = threading.Event()
        self.lead = False
        self.result: MentionRecorded | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """`record(mention)` with the meaning of `record_mention`, batched with whatever else is waiting."""

    def __init__(self, record_many: Callable[[Sequence[NewMention]], BatchRecorded], max_group: int = MAX_GROUP):
        self._record_many = record_many
        self._max_group = max_group
        self._lock = threading.Lock()
        self._pending: list[_Slot] = []
        self._busy = False

    def record(self, mention: NewMention) -> MentionRecorded:
        """Record one mention; raises its own validation error, like `record_mention`."""
        slot = _Slot(mention)
        with self._lock:
            self._pending.append(slot)
            if not self._busy:
                self._busy = slot.lead = True
        if not slot.lead:
            slot.event.wait()
        if slot.lead:
            self._lead()
        if slot.error is not None:
            raise slot.error
        assert slot.result is not None
        return slot.result

    def _lead(self) -> None:
        with self._lock:
            group, self._pending = self._pending[: self._max_group], self._pending[self._max_group :]
        try:
            _settle(group, self._record_many([s.item for s in group]))
        except BaseException as error:  # every request of the group sees the failure of their transaction
            for slot in group:
                slot.error = error
        finally:
            with self._lock:
                if self._pending:
                    successor = self._pending[0]
                    successor.lead = True
                    successor.event.set()
                else:
                    self._busy = False
            for slot in group:
                slot.lead = False
                slot.event.set()


def _settle(group: list[_Slot], batch: BatchRecorded) -> None:
    errors: dict[int, Any] = {r["index"]: r["error"] for r in batch.rejected}
    for index, slot in enumerate(group):
        if index in errors:
            slot.error = errors[index]
        else:
            slot.result = batch.mentions[index]
