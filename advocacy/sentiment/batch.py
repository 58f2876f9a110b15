"""Assess many texts on several cores, with exactly the results of calling `assess` on each in order.

`assess_many(assessor, [(text, author, occurred_at), ...])` splits the work as `assess` does:

- the stateless part (preprocess, language, spam signals, sentiment: `assess_stateless`) runs in
  worker processes (VADER is pure Python, so threads would not help): one per CPU, each a
  `python -m advocacy.sentiment._worker` that builds its own analyzers once and is reused;
- the stateful part (the duplicate-author window and the spam threshold: `finish`) runs in the
  calling process, in item order, so the window sees the posts in the order given.

`assessing(assessor, texts)` starts the stateless part as soon as the texts are known, and its
`results(...)` gives the verdicts of the texts asked for one by one, each as soon as it is ready: bulk
import checks the mentions while the workers start, and encodes each one while they assess the next.

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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from advocacy.sentiment.assessment import MAX_TEXT_LENGTH, TextAssessment
from advocacy.sentiment.preprocess import coerce_text
from advocacy.sentiment.scorer import LanguageAwareAssessor, Partial
from advocacy.sentiment.spam import SpamClassifier

INLINE_BELOW = 64
"""Batches smaller than this run inline: below it a round trip to the workers costs more than it saves."""
CHUNK = 50
"""Most texts per message to a worker (fewer for small batches, so that every process gets some)."""
DEPTH = 2
"""Chunks given to each worker at a time: it starts on the next one as soon as it has answered, even while
this process is busy with earlier results (a worker reads its input on a thread, so a send never waits)."""
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
    with assessing(assessor, [text for text, _, _ in items]) as batch:
        return list(batch.results((i, author, occurred_at) for i, (_, author, occurred_at) in enumerate(items)))


@contextmanager
def assessing(assessor: LanguageAwareAssessor, texts: Sequence[object]) -> Iterator[Assessing]:
    """Start assessing `texts` (on the workers, for a large batch) while the caller gets ready to ask for
    results; the workers are this block's until it is left. Never raises."""
    batch = Assessing(assessor, list(texts))
    try:
        yield batch
    finally:
        batch.close()


class Assessing:
    """A batch of texts being assessed; `results` gives the verdicts for the ones asked for."""

    def __init__(self, assessor: LanguageAwareAssessor, texts: list) -> None:
        self.assessor = assessor
        self.texts = texts
        self._pooled: _Pooled | None = None
        self._holding = False  # whether this batch holds the workers
        if len(texts) >= INLINE_BELOW and _poolable(assessor) and workers_wanted() >= 2:
            workers = _POOL.acquire()
            if workers:
                self._holding = True
                try:
                    self._pooled = _Pooled(workers, assessor, texts)
                except Exception:  # a bug here must not fail the import: all inline
                    _log.exception("batch assessment failed to start; all %d texts inline", len(texts))
                    self._give_back(broken=True)

    def results(self, wanted: Iterable[tuple[int, object, object]]) -> Iterator[TextAssessment]:
        """assessor.assess(texts[i], author=author, occurred_at=occurred_at) for each (i, author, occurred_at),
        in the order given (i increasing), each as soon as it is ready. Texts not asked for may never be
        assessed. May be asked again (a retried command). Never raises."""
        wanted = list(wanted)
        given = 0
        if self._pooled is not None:
            try:
                for result in self._pooled.results(wanted):
                    yield result
                    given += 1
            except Exception:  # a bug here must not fail the import: the rest inline, in order
                _log.exception("batch assessment failed after %d of %d texts; rest inline", given, len(wanted))
                self._give_back(broken=True)
        for i, author, occurred_at in wanted[given:]:
            yield self.assessor.assess(self.texts[i], author=author, occurred_at=occurred_at)

    def pump(self) -> None:
        """Take in the answers that are ready and hand out more texts, without waiting: called now and then
        by a caller busy with other work, so that the workers do not sit idle until it asks for results."""
        if self._pooled is not None:
            try:
                self._pooled.pump()
            except Exception:  # a bug here must not fail the import: results() finds out and goes inline
                _log.exception("batch assessment failed while pumping")

    def close(self) -> None:
        """Give the workers back (results asked for after this are assessed inline); answers they still owe
        are dropped before their next batch."""
        self._give_back(broken=False)

    def _give_back(self, *, broken: bool) -> None:
        """Hand the workers back to the pool, stopped first if `broken`."""
        if not self._holding:
            return
        pooled, self._pooled, self._holding = self._pooled, None, False
        try:
            if broken:
                _POOL.broken()
            elif pooled is not None:
                pooled.leave()
        finally:
            _POOL.release()


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


class _Pooled:
    """One batch on the workers: chunks out to whichever worker has fewer than DEPTH, answers in, finish()
    in the caller's order as soon as the chunk it needs is in. This process assesses chunks itself only
    when no worker is busy (all failed) or, with HELP, while they are busy (from the far end)."""

    def __init__(self, workers: list[_Worker], assessor: LanguageAwareAssessor, texts: list) -> None:
        self.assessor = assessor
        self.texts = [coerce_text(text)[: MAX_TEXT_LENGTH * 2] for text in texts]  # as assess() starts
        self.odd = {i for i, text in enumerate(self.texts) if type(text) is not str}  # str subclasses: done here
        self.size = max(SLICE, min(CHUNK, -(-len(texts) // (3 * (len(workers) + 1)))))  # small batches: smaller
        self.pending = deque(range(-(-len(texts) // self.size)))  # chunk numbers not yet given out
        self.done: dict[int, list[Partial | None]] = {}
        self.busy: dict[_Worker, deque[int]] = {}  # the chunks each worker owes an answer for, oldest first
        self.broken = False
        self.own: list[Partial | None] = []  # the chunk this process is assessing itself, a few texts at a time
        self.own_k: int | None = None
        for worker in workers:
            self._give(worker)

    def results(self, wanted: list[tuple[int, object, object]]) -> Iterator[TextAssessment]:
        """finish() of each wanted text's stateless part, in the order given."""
        needed = {i // self.size for i, _, _ in wanted}
        owed = {k for chunks in self.busy.values() for k in chunks}
        # Chunks nobody asked for are never given out; a chunk asked for again after it was dropped is given again.
        self.pending = deque(sorted(needed - self.done.keys() - owed - {self.own_k}))
        last_k = None
        for i, author, occurred_at in wanted:
            k = i // self.size
            if k != last_k:
                self._collect(0.0)  # answers that came in while the caller used earlier results: more work
                self._wait_for(k)
                last_k = k
            partial = self.assessor.assess_stateless(self.texts[i]) if i in self.odd else self.done[k][i % self.size]
            yield self.assessor.finish(partial, author, occurred_at)

    def pump(self) -> None:
        """Collect the answers in and give the workers more, if there is more."""
        if not self.broken:
            self._collect(0.0)

    def leave(self) -> None:
        """The batch is over: answers still owed are for no one, and are dropped before the next batch."""
        for worker, chunks in self.busy.items():
            worker.stale += len(chunks)
        self.busy.clear()

    def _chunk(self, k: int) -> list[str]:
        return self.texts[k * self.size : (k + 1) * self.size]

    def _give(self, worker: _Worker) -> None:
        owed = self.busy.setdefault(worker, deque())
        while self.pending and not self.broken and len(owed) < DEPTH:
            k = self.pending.popleft()
            part = self._chunk(k)
            if self.odd:
                part = [text if k * self.size + i not in self.odd else "" for i, text in enumerate(part)]
            if not worker.send(part):
                self.pending.appendleft(k)
                self.broken = True
            else:
                owed.append(k)
        if not owed:
            del self.busy[worker]

    def _collect(self, wait: float) -> None:
        for worker in _readable(list(self.busy), wait):
            k = self.busy[worker].popleft()
            partials = worker.receive()
            if partials is None or len(partials) != len(self._chunk(k)):
                self.pending.appendleft(k)
                self.broken = True
            else:
                self.done[k] = partials
                stats["worker_texts"] += len(partials)
            self._give(worker)

    def _wait_for(self, k: int) -> None:
        """Until chunk k's stateless results are in."""
        while k not in self.done:
            if self.broken and self.busy:  # stop using the workers; take their chunks back
                self.pending.extendleft(sorted((c for owed in self.busy.values() for c in owed), reverse=True))
                self.busy.clear()
                _POOL.broken()
            self._collect(0.0)
            if k in self.done:
                break
            if self.own_k is None and self.pending and (HELP or self.broken or not self.busy):
                mine = self.pending.popleft() if self.broken or not self.busy else self.pending.pop()
                self.own_k, self.own = mine, []
            if self.own_k is not None:  # a slice at a time, so that a worker that finishes gets more soon
                part = self._chunk(self.own_k)[len(self.own) : len(self.own) + SLICE]
                self.own += [self.assessor.assess_stateless(text) for text in part]
                if len(self.own) == len(self._chunk(self.own_k)):
                    self.done[self.own_k], self.own_k = self.own, None
            elif self.busy:
                if not _readable(list(self.busy), TIMEOUT_SECONDS):
                    _log.warning("assessment workers gave no answer within %s s; assessing inline", TIMEOUT_SECONDS)
                    self.broken = True
            else:  # cannot happen (every chunk asked for is pending, out or done); never wait for nothing
                self.done[k] = [self.assessor.assess_stateless(text) for text in self._chunk(k)]


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


def _read_exactly(stream, size: int) -> bytes:
    """`size` bytes from an unbuffered stream, however many reads it takes."""
    parts = []
    while size:
        part = stream.read(size)
        if not part:
            raise EOFError("assessment worker closed its output")
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


class _Worker:
    """One `python -m advocacy.sentiment._worker` subprocess and its pipes."""

    def __init__(self) -> None:
        env = dict(os.environ)  # the worker imports this very package, wherever it was imported from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "advocacy.sentiment._worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,  # unbuffered: an answer read ahead into a buffer would be invisible to poll()
            close_fds=True,
            env=env,
        )
        self.ready = False
        self.stale = 0  # answers owed to a batch that ended without them: dropped before the next batch

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
            message = memoryview(_HEADER.pack(len(body)) + body)
            while message:
                message = message[self.process.stdin.write(message) :]
            return True
        except Exception:
            _log.warning("assessment worker %s failed to take texts", self.process.pid, exc_info=True)
            return False

    def receive(self, *, report: bool = True) -> list[Partial | None] | None:
        """The worker's answer to the oldest send() not yet answered, or None if it failed or timed out."""
        try:
            if not _wait_readable([self.process.stdout], TIMEOUT_SECONDS):
                raise TimeoutError(f"no answer within {TIMEOUT_SECONDS} s")
            header = _read_exactly(self.process.stdout, _HEADER.size)
            body = _read_exactly(self.process.stdout, _HEADER.unpack(header)[0])
            partials, errors = pickle.loads(body)
            for error in errors if report else ():
                _log.error("assessment failed; recorded as neutral, language 'other'\n%s", error)
            return partials
        except Exception:
            _log.warning("assessment worker %s failed; assessing inline", self.process.pid, exc_info=True)
            return None

    def drop_stale(self) -> bool:
        """Read and drop the answers owed to an earlier batch; False if that failed."""
        while self.stale:
            if self.receive(report=False) is None:
                return False
            self.stale -= 1
        return True

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
            if not all([w.drop_stale() for w in workers]):
                self.broken()
                workers = []
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
