"""Concurrent single-mention requests share transactions, each still getting its own answer."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from advocacy.domain.errors import InvalidInput
from advocacy.inputs import Handle, NewMention
from advocacy.results import BatchRecorded, MentionRecorded
from api.group_commit import GroupCommit


def new_mention(i: int, text: str = "Kopiku is great") -> NewMention:
    return NewMention(
        source="s", external_id=f"m-{i}", brand="Kopiku", channel="x", text=text,
        occurred_at=datetime(2026, 11, 1, tzinfo=UTC), author=Handle("x", f"@u{i}"),
    )


class SlowStore:
    """Records groups, slowly, so that requests pile up behind a transaction."""

    def __init__(self):
        self.groups: list[int] = []
        self.lock = threading.Lock()

    def record_many(self, items):
        threading.Event().wait(0.01)
        with self.lock:
            self.groups.append(len(items))
        mentions, rejected = [], []
        for index, item in enumerate(items):
            if item.text == "bad":
                rejected.append({"index": index, "error": InvalidInput("text", "is bad")})
                mentions.append(None)
            else:
                mentions.append(MentionRecorded(item.external_id, False, "en", {}, {}, "t", "1", len(self.groups)))
        return BatchRecorded(len(items) - len(rejected), 0, rejected, len(self.groups), mentions)


def test_concurrent_requests_share_transactions_and_each_gets_its_own_result():
    store = SlowStore()
    commit = GroupCommit(store.record_many)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda i: commit.record(new_mention(i)), range(64)))
    assert [r.id for r in results] == [f"m-{i}" for i in range(64)]
    assert sum(store.groups) == 64
    assert len(store.groups) < 64


def test_an_invalid_mention_fails_alone():
    commit = GroupCommit(SlowStore().record_many)
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(commit.record, new_mention(i, "bad" if i == 3 else "good")) for i in range(8)]
    for i, future in enumerate(futures):
        if i == 3:
            with pytest.raises(InvalidInput):
                future.result()
        else:
            assert future.result().id == f"m-{i}"


def test_a_failed_transaction_fails_every_request_in_it_and_the_next_ones_go_on():
    calls = []

    def flaky(items):
        calls.append(len(items))
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return SlowStore().record_many(items)

    commit = GroupCommit(flaky)
    with pytest.raises(RuntimeError):
        commit.record(new_mention(1))
    assert commit.record(new_mention(2)).id == "m-2"


def test_the_api_answers_each_concurrent_post(api):
    api.customer("C-1", "Budi")
    from tests.api.conftest import mention

    def send(i):
        return api.app.test_client().post(
            "/v1/mentions", json=mention(f"m-{i % 10}"), headers={"Authorization": "Bearer integration-key-1"}
        )

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(send, range(30)))
    assert sorted(r.status_code for r in responses) == [200] * 20 + [201] * 10
    ids = {r.get_json()["id"] for r in responses}
    assert len(ids) == 10
    types = [e["type"] for e in api.get("/v1/events?limit=100").get_json()["items"]]
    assert types.count("Mention.Recorded") == 10
