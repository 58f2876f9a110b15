"""assess_many returns exactly what assess returns item by item, on worker processes or inline."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advocacy.sentiment import batch
from advocacy.sentiment.evaluation import read_labelled
from advocacy.sentiment.scorer import LanguageAwareAssessor

DATA = Path(__file__).resolve().parent.parent / "data" / "sentiment"
START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
POOL = (os.cpu_count() or 1) >= 2 and batch.workers_wanted() >= 2
needs_pool = pytest.mark.skipif(not POOL, reason="one CPU (or ADVOCACY_ASSESS_WORKERS < 2): batches run inline")


@pytest.fixture(scope="module", autouse=True)
def workers():
    if POOL:
        assert batch.start(wait=60.0) >= 1
    yield
    batch.shutdown()


def sequential(items):
    assessor = LanguageAwareAssessor()
    return [assessor.assess(text, author=author, occurred_at=when) for text, author, when in items]


def batched(items):
    return batch.assess_many(LanguageAwareAssessor(), items)


def dev_items():
    texts = [row["text"] for path in sorted(DATA.glob("dev_*.tsv")) for row in read_labelled(path)]
    return [(text, f"twitter:@dev{i % 5}", START + timedelta(minutes=i)) for i, text in enumerate(texts + texts)]


def campaign_items():
    """Template texts posted by several authors, interleaved with others, inside and beyond a day."""
    templates = [
        "Promo gila hari ini cek profil kami sekarang juga kak",
        "Best service ever, check out my channel for more reviews",
        "Pelayanan sangat buruk, tidak akan order lagi di toko ini",
    ]
    items = []
    for i in range(300):
        template = templates[i % 3]
        text = template if i % 4 else template.upper() + f" {i}"
        items.append((text, f"instagram:@akun{i % 11}", START + timedelta(hours=i * 0.7)))
        items.append((f"Barangnya bagus banget, makasih kak nomor {i}", f"twitter:@c{i}", START + timedelta(hours=i)))
    return items


@needs_pool
def test_dev_sets_give_the_same_assessments_as_sequential_assess():
    items = dev_items()
    before = batch.stats["worker_texts"]
    assert batched(items) == sequential(items)
    assert batch.stats["worker_texts"] > before  # the workers did take part


@needs_pool
def test_the_duplicate_window_decides_in_item_order_as_sequential_assess():
    items = campaign_items()
    expected = sequential(items)
    assert any(any(r.startswith("duplicate-by-authors:") for r in a.spam.reasons) for a in expected)
    assert any(not a.spam.is_spam for a in expected[::2])  # first copies and copies a day apart are not
    assert batched(items) == expected


@needs_pool
def test_synthetic_texts_give_the_same_assessments_as_sequential_assess():
    from .test_pipeline_equivalence import synthetic_items

    items = synthetic_items()
    assert batched(items) == sequential(items)


@needs_pool
def test_results_for_some_texts_match_sequential_assess_of_those_and_may_be_asked_again():
    items = campaign_items()
    wanted = [i for i in range(len(items)) if i % 7 and i % 11]  # whole chunks left out, and single texts
    expected = sequential([items[i] for i in wanted] + [items[i] for i in wanted[:100]])  # one duplicate window
    with batch.assessing(LanguageAwareAssessor(), [text for text, _, _ in items]) as assessing:
        asked = [(i, items[i][1], items[i][2]) for i in wanted]
        before = batch.stats["worker_texts"]
        assert list(assessing.results(asked)) + list(assessing.results(asked[:100])) == expected
        assert batch.stats["worker_texts"] > before


@needs_pool
def test_a_caller_busy_elsewhere_keeps_the_workers_scoring_by_pumping():
    items = campaign_items()  # 600 texts: more chunks than the workers are given at once
    with batch.assessing(LanguageAwareAssessor(), [text for text, _, _ in items]) as assessing:
        before = batch.stats["worker_texts"]
        deadline = time.monotonic() + 20
        while batch.stats["worker_texts"] - before < len(items) and time.monotonic() < deadline:
            assessing.pump()  # as bulk import does between checks: no waiting, no results asked for
            time.sleep(0.005)
        assert batch.stats["worker_texts"] - before == len(items)  # every text scored before any was asked for
        assert list(assessing.results([(i, a, w) for i, (_, a, w) in enumerate(items)])) == sequential(items)


@needs_pool
def test_a_batch_left_early_leaves_the_workers_answers_to_no_one_else():
    items = dev_items()
    with batch.assessing(LanguageAwareAssessor(), [text for text, _, _ in items]) as assessing:
        first = next(assessing.results([(0, items[0][1], items[0][2])]))  # the other chunks given out stay unread
    assert first == sequential(items[:1])[0]
    processes = [w.process for w in batch._POOL._workers]
    before = batch.stats["worker_texts"]
    assert batched(items) == sequential(items)
    assert batch.stats["worker_texts"] > before
    assert [w.process for w in batch._POOL._workers] == processes  # the same workers, not restarted


@needs_pool
def test_odd_inputs_never_raise_and_match_sequential_assess():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    class Text(str):
        pass

    odd = [None, b"bagus \xff", 12, 3.5, Hostile(), Text("mantap banget kak"), "\ud800 lone", "", "\U0001f602" * 20000]
    items = [(odd[i % len(odd)], [None, 7, "a", Hostile()][i % 4], [None, "x", START][i % 3]) for i in range(120)]
    assert batched(items) == sequential(items)


def test_small_batches_run_inline():
    items = dev_items()[: batch.INLINE_BELOW - 1]
    before = batch.stats["worker_texts"]
    assert batched(items) == sequential(items)
    assert batch.stats["worker_texts"] == before


def test_an_assessor_with_a_patched_stage_runs_inline_with_its_patch():
    assessor = LanguageAwareAssessor()

    def broken(cleaned, language):
        raise RuntimeError("bug")

    assessor.scores = broken
    results = batch.assess_many(assessor, dev_items()[:100])
    assert {(r.language, r.sentiment.compound) for r in results} == {("other", 0.0)}


@needs_pool
def test_concurrent_batches_from_threads_each_match_sequential_assess():
    batches = [campaign_items()[i * 40 :] + dev_items()[: 100 + i * 30] for i in range(4)]
    expected = [sequential(items) for items in batches]
    got: dict[int, list] = {}

    def run(i):
        got[i] = batched(batches[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [got.get(i) for i in range(len(batches))] == expected


@needs_pool
def test_a_dead_worker_falls_back_inline_and_is_replaced():
    items = dev_items()
    for worker in batch._POOL._workers:
        worker.process.kill()
        worker.process.wait()
    assert batched(items) == sequential(items)  # dead workers are dropped, texts assessed inline
    assert batch.start(wait=60.0) >= 1
    before = batch.stats["worker_texts"]
    assert batched(items) == sequential(items)
    assert batch.stats["worker_texts"] > before


@needs_pool
def test_shutdown_stops_the_workers_and_the_next_batch_starts_new_ones():
    processes = [w.process for w in batch._POOL._workers]
    batch.shutdown()
    assert processes and all(p.poll() is not None for p in processes)
    assert batch.start(wait=60.0) >= 1
    items = dev_items()
    assert batched(items) == sequential(items)


@needs_pool
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_uses_its_own_workers_and_leaves_the_parents_alone():
    parents = [w.process for w in batch._POOL._workers]
    items = dev_items()
    expected = repr(sequential(items)).encode()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child, as a gunicorn worker would be
        code = 1
        try:
            os.close(read)
            ready = batch.start(wait=60.0)
            same = repr(batched(items)).encode() == expected
            mine = all(w.process.pid not in {p.pid for p in parents} for w in batch._POOL._workers)
            batch.shutdown()
            os.write(write, b"ok" if (ready and same and mine) else b"bad")
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        assert answer.read() == b"ok"
    assert os.waitpid(pid, 0)[1] == 0
    assert all(p.poll() is None for p in parents)  # the parent's workers still run
    assert batched(items) == sequential(items)


def test_the_interpreter_exits_cleanly_with_workers_running():
    script = (
        "from advocacy.sentiment import batch\n"
        "from advocacy.sentiment.scorer import LanguageAwareAssessor\n"
        "batch.start(wait=60.0)\n"
        "items = [(f'Barangnya bagus banget kak {i}', f'a{i % 3}', None) for i in range(500)]\n"
        "assert len(batch.assess_many(LanguageAwareAssessor(), items)) == 500\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr, done.stderr


@needs_pool
def test_a_bug_in_the_batch_path_finishes_the_batch_inline_in_order(monkeypatch, caplog):
    items = campaign_items()
    calls = []
    real = LanguageAwareAssessor.finish

    def finish_then_fail(self, partial, author=None, occurred_at=None):
        calls.append(1)
        if len(calls) == 150:
            raise RuntimeError("scheduling bug")
        return real(self, partial, author, occurred_at)

    monkeypatch.setattr(LanguageAwareAssessor, "finish", finish_then_fail)
    assert batched(items) == sequential(items)
    assert "batch assessment failed after 149" in caplog.text
