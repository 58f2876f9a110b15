"""Assess many texts on several cores, with exactly the results of calling `assess` on each in order.

`assess_many(assessor, [(text, author, occurred_at), ...])` splits the work as `assess` does:

- the stateless part (preprocess, language, spam signals, sentiment: `assess_stateless`) runs in
  worker processes (VADER is pure Python, so threads would not help): one per CPU, each a
  `python -m advocacy.sentiment._worker` that builds its own analyzers once and is reused;
- the stateful part (the duplicate-author window and the spam threshold: `finish`) runs in the
  calling process, in item order, so the window sees the posts in the order given.

The workers are plain subprocesses talking over pipes, not multiprocessing: nothing is forked
from a threaded web server, and the caller's main module is never re-imported. They are started
on the first large batch (which runs inline while they load) and stopped at interpreter exit.

Inline (the same code path as `assess`): batches under INLINE_BELOW texts, assessors other than a
plain LanguageAwareAssessor, ADVOCACY_ASSESS_WORKERS=0 or 1 or a single CPU, workers still
loading, and a batch arriving while another thread's batch holds the workers. Never raises: if a
worker fails or times out, the rest of the batch is assessed inline and the workers are started
afresh later. After os.fork() (gunicorn workers) a child starts its own workers.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable

from advocacy.sentiment.assessment import MAX_TEXT_LENGTH, TextAssessment
from advocacy.sentiment.preprocess import coerce_text
from advocacy.sentiment.scorer import LanguageAwareAssessor, Partial
from advocacy.sentiment.spam import SpamClassifier

INLINE_BELOW = 64
"""Batches smaller than this run inline: below it a round trip to the workers costs more than it saves."""
CHUNK = 50
"""Most texts per message to a worker (fewer for small batches, so that every process gets some)."""
HELP = False
"""Whether this process also assesses chunks while all workers are busy. Off: with one worker per
CPU the workers already use every core, and a helping caller slows its own finish() (the part only
it can do) by competing with them."""
SLICE = 4
"""Texts this process assesses itself between looks at the workers' answers."""
TIMEOUT_SECONDS = 60.0
"""A worker that does not answer within this time is stopped; its texts are assessed inline."""
RETRY_SECONDS = 30.0
"""After workers failed to start or broke, wait this long before starting new ones."""

stats = {"worker_texts": 0}
"""Texts whose stateless part came back from a worker process (for tests and monitoring)."""
_log = logging.getLogger(__name__)
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_HEADER = struct.Struct(">I")


def workers_wanted() -> int:
    """Worker count: ADVOCACY_ASSESS_WORKERS if set (0 or 1: no workers), else os.cpu_count()."""
    configured = os.environ.get("ADVOCACY_ASSESS_WORKERS", "").strip()
    if configured:
        try:
            return max(0, int(configured))
        except ValueError:
            pass
    return os.cpu_count() or 1


def assess_many(
    assessor: LanguageAwareAssessor, items: Iterable[tuple[object, object, object]]
) -> list[TextAssessment]:
    """[assessor.assess(text, author=author, occurred_at=occurred_at) for text, author, occurred_at in items],
    the stateless part on worker processes for large batches. Thread-safe; never raises."""
    items = list(items)
    results: list[TextAssessment] = []
    if len(items) >= INLINE_BELOW and _poolable(assessor) and workers_wanted() >= 2:
        workers = _POOL.acquire()
        if workers:
            try:
                _assess_on(workers, assessor, items, results)
            except Exception:  # a bug here must not fail the import: the rest inline, in order
                _log.exception("batch assessment failed after %d of %d texts; rest inline", len(results), len(items))
                _POOL.broken()
            finally:
                _POOL.release()
    for text, author, occurred_at in items[len(results) :]:
        results.append(assessor.assess(text, author=author, occurred_at=occurred_at))
    return results


def start(wait: float = 0.0) -> int:
    """Start the workers now (they load in the background); wait up to `wait` seconds for them to be
    ready. Returns how many are ready. For warming up a process, benchmarks and tests."""
    return _POOL.start(wait)


def shutdown() -> None:
    """Stop this process's workers (also done at exit); the next large batch starts new ones."""
    _POOL.shutdown()


def _poolable(assessor: object) -> bool:
    """True when a fresh LanguageAwareAssessor in a worker computes the same stateless part."""
    if type(assessor) is not LanguageAwareAssessor or type(getattr(assessor, "_spam", None)) is not SpamClassifier:
        return False
    return not ({"assess", "_stateless", "scores", "score"} & vars(assessor).keys())


def _assess_on(workers: list[_Worker], assessor: LanguageAwareAssessor, items: list, results: list) -> None:
    """Chunks to whichever worker is free (one outstanding each); finish() in item order as soon as
    the next chunk's stateless results are in. This process assesses chunks itself only when no
    worker is busy (all failed) or, with HELP, while they are busy (from the far end)."""
    texts = [coerce_text(text)[: MAX_TEXT_LENGTH * 2] for text, _, _ in items]  # as assess() starts
    odd = {i for i, text in enumerate(texts) if type(text) is not str}  # str subclasses: done here
    size = max(SLICE, min(CHUNK, -(-len(texts) // (3 * (len(workers) + 1)))))  # small batches: smaller chunks
    starts = list(range(0, len(texts), size))
    pending = deque(range(len(starts)))  # chunk numbers not yet given out
    done: dict[int, list[Partial | None]] = {}
    busy: dict[_Worker, int] = {}
    broken = False

    def chunk(k: int) -> list[str]:
        return texts[starts[k] : starts[k] + size]

    def give(worker: _Worker) -> None:
        nonlocal broken
        if pending and not broken:
            k = pending.popleft()
            part = chunk(k)
            if odd:
                part = [text if starts[k] + i not in odd else "" for i, text in enumerate(part)]
            if worker.send(part):
                busy[worker] = k
            else:
                pending.appendleft(k)
                broken = True

    def collect(wait: float) -> None:
        nonlocal broken
        for worker in _readable(list(busy), wait):
            k = busy.pop(worker)
            partials = worker.receive()
            if partials is None or len(partials) != len(chunk(k)):
                pending.appendleft(k)
                broken = True
            else:
                done[k] = partials
                stats["worker_texts"] += len(partials)
                give(worker)

    for worker in workers:
        give(worker)
    own: list[Partial | None] = []  # the chunk this process is assessing itself, a few texts at a time
    own_k: int | None = None
    for k in range(len(starts)):
        while k not in done:
            if broken and busy:  # stop using the workers; take their chunks back
                pending.extendleft(sorted(busy.values(), reverse=True))
                busy.clear()
                _POOL.broken()
            collect(0.0)
            if k in done:
                break
            if own_k is None and pending and (HELP or broken or not busy):
                own_k, own = (pending.popleft() if broken or not busy else pending.pop()), []
            if own_k is not None:  # a slice at a time, so that a worker that finishes gets more soon
                part = chunk(own_k)
                own += [assessor.assess_stateless(text) for text in part[len(own) : len(own) + SLICE]]
                if len(own) == len(part):
                    done[own_k], own_k = own, None
            elif busy:
                if not _readable(list(busy), TIMEOUT_SECONDS):
                    _log.warning("assessment workers gave no answer within %s s; assessing inline", TIMEOUT_SECONDS)
                    broken = True
            else:  # cannot happen (every chunk is pending, out or done); never wait for nothing
                done[k] = [assessor.assess_stateless(text) for text in chunk(k)]
        partials = done.pop(k)
        for i in odd.intersection(range(starts[k], starts[k] + len(partials))):
            partials[i - starts[k]] = assessor.assess_stateless(texts[i])
        for partial, (_, author, occurred_at) in zip(partials, items[starts[k] : starts[k] + len(partials)]):
            results.append(assessor.finish(partial, author, occurred_at))
    if busy:  # cannot happen (every chunk was finished), but never leave an answer unread
        _POOL.broken()


def _readable(workers: list[_Worker], wait: float) -> list[_Worker]:
    """The workers whose answer can be read now (or within `wait` seconds)."""
    if not workers:
        return []
    try:
        ready = _wait_readable([w.process.stdout for w in workers], wait)
    except (OSError, ValueError):
        return workers  # let receive() find out what is wrong
    return [w for w in workers if w.process.stdout in ready]


def _wait_readable(files: list, wait: float) -> list:
    """The files among `files` with data (or end of file) to read within `wait` seconds.
    poll(), not select(): a busy server may have file descriptors above select's 1024."""
    if not hasattr(select, "poll"):
        return select.select(files, [], [], wait)[0]
    poller = select.poll()
    by_fd = {f.fileno(): f for f in files}
    for fd in by_fd:
        poller.register(fd, select.POLLIN | select.POLLPRI)
    return [by_fd[fd] for fd, _ in poller.poll(max(0, int(wait * 1000)))]


class _Worker:
    """One `python -m advocacy.sentiment._worker` subprocess and its pipes."""

    def __init__(self) -> None:
        env = dict(os.environ)  # the worker imports this very package, wherever it was imported from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "advocacy.sentiment._worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            env=env,
        )
        self.ready = False

    def poll_ready(self, wait: float) -> bool:
        """True once the worker said it is ready (reads its b"R" if it is there within `wait` s)."""
        if not self.ready and self.process.poll() is None:
            try:
                if _wait_readable([self.process.stdout], wait):
                    self.ready = self.process.stdout.read(1) == b"R"
            except (OSError, ValueError):
                return False
        return self.ready

    def send(self, texts: list[str]) -> bool:
        try:
            body = pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.write(_HEADER.pack(len(body)) + body)
            self.process.stdin.flush()
            return True
        except Exception:
            _log.warning("assessment worker %s failed to take texts", self.process.pid, exc_info=True)
            return False

    def receive(self) -> list[Partial | None] | None:
        """The worker's answer to the last send(), or None if it failed or timed out."""
        try:
            if not _wait_readable([self.process.stdout], TIMEOUT_SECONDS):
                raise TimeoutError(f"no answer within {TIMEOUT_SECONDS} s")
            header = self.process.stdout.read(_HEADER.size)
            body = self.process.stdout.read(_HEADER.unpack(header)[0])
            partials, errors = pickle.loads(body)
            for error in errors:
                _log.error("assessment failed; recorded as neutral, language 'other'\n%s", error)
            return partials
        except Exception:
            _log.warning("assessment worker %s failed; assessing inline", self.process.pid, exc_info=True)
            return None

    def stop(self, timeout: float = 5.0) -> None:
        """Close its input (it exits at end of input), wait, kill if it does not go."""
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except Exception:
                pass
        try:
            self.process.wait(timeout)
        except Exception:
            self.process.kill()
            try:
                self.process.wait(timeout)
            except Exception:
                _log.warning("assessment worker %s did not stop", self.process.pid)

    def forget(self) -> None:
        """In a forked child: drop the parent's pipes without touching the parent's worker."""
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except Exception:
                pass
        self.process.returncode = 0  # not our child: never wait for it, no "still running" warning


class _Pool:
    """This process's workers: started on demand, used by one batch at a time, stopped at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards the fields below
        self._busy = threading.Lock()  # held by the batch using the workers
        self._workers: list[_Worker] = []
        self._pid = os.getpid()
        self._retry_at = 0.0

    def acquire(self) -> list[_Worker]:
        """The ready workers, reserved for this batch; [] when none (start them, run inline)."""
        if not self._busy.acquire(blocking=False):
            return []  # another thread's batch has them: this one runs inline, in parallel
        try:
            workers = [w for w in self._ensure() if w.poll_ready(0.0)]
        except Exception:
            _log.warning("assessment workers unavailable; assessing inline", exc_info=True)
            workers = []
        if not workers:
            self._busy.release()
        return workers

    def release(self) -> None:
        self._busy.release()

    def start(self, wait: float) -> int:
        with self._busy:
            workers = self._ensure()
            deadline = time.monotonic() + wait
            for worker in workers:
                worker.poll_ready(max(0.0, deadline - time.monotonic()))
            return sum(w.ready for w in workers)

    def _ensure(self) -> list[_Worker]:
        with self._lock:
            if self._pid != os.getpid():
                self._after_fork()
            alive = [w for w in self._workers if w.process.poll() is None]
            if len(alive) < len(self._workers):
                for worker in self._workers:
                    if worker not in alive:
                        worker.stop(0.1)
                self._workers = alive
            wanted = workers_wanted()
            if len(self._workers) < wanted and time.monotonic() >= self._retry_at:
                try:
                    while len(self._workers) < wanted:
                        self._workers.append(_Worker())
                except Exception:
                    _log.warning("could not start assessment workers; assessing inline", exc_info=True)
                    self._retry_at = time.monotonic() + RETRY_SECONDS
            return list(self._workers)

    def broken(self) -> None:
        """A worker failed mid-batch: stop all (called with _busy held); start afresh later."""
        with self._lock:
            workers, self._workers = self._workers, []
            self._retry_at = time.monotonic() + RETRY_SECONDS
        for worker in workers:
            worker.process.kill()
            worker.stop(1.0)

    def shutdown(self) -> None:
        with self._lock:
            if self._pid != os.getpid():
                self._after_fork()
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()

    def _after_fork(self) -> None:
        for worker in self._workers:
            worker.forget()
        self._workers = []
        self._pid = os.getpid()
        self._retry_at = 0.0

    def after_fork_in_child(self) -> None:
        self._lock = threading.Lock()  # another thread of the parent may have held them at the fork
        self._busy = threading.Lock()
        self._after_fork()


_POOL = _Pool()
atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOL.after_fork_in_child)
