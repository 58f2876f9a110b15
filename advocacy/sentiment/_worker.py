"""A batch-assessment worker process: `python -m advocacy.sentiment._worker` (started by batch.py).

Protocol on stdin/stdout, each message a 4-byte big-endian length and a pickle: the worker writes
b"R" once its analyzers are built, then answers every list of texts, in order, with
(assess_stateless results, tracebacks of failures). It exits at end of input. Anything printed
goes to stderr, so that stdout carries only the protocol. Requests are read on a thread as they
arrive: the parent may send the next list before reading an answer, and its send must never wait
for a worker that is itself waiting for the parent to read.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import sys
import threading
import traceback

_HEADER = struct.Struct(">I")


def work(assessor, texts: list[str]) -> tuple[list, list[str]]:
    """The stateless part of assess for each text; a failure gives None and its traceback."""
    partials: list = []
    errors: list[str] = []
    for text in texts:
        try:
            partials.append(assessor._stateless(text))
        except Exception:
            partials.append(None)
            errors.append(traceback.format_exc())
    return partials, errors


def _read(stream, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def _read_requests(stream, requests: queue.SimpleQueue) -> None:
    """Put each request's body on `requests` as it arrives; None at end of input."""
    try:
        while True:
            header = _read(stream, _HEADER.size)
            body = None if header is None else _read(stream, _HEADER.unpack(header)[0])
            if body is None:
                return
            requests.put(body)
    finally:
        requests.put(None)


def main() -> None:
    protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    sys.stdout = sys.stderr
    requests: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read_requests, args=(sys.stdin.buffer, requests), daemon=True).start()
    from advocacy.sentiment.scorer import LanguageAwareAssessor

    assessor = LanguageAwareAssessor()
    assessor.assess_stateless("Zorblat Quenmiv")  # loads the py3langid model now, not on a first batch
    protocol.write(b"R")
    protocol.flush()
    while (body := requests.get()) is not None:
        answer = pickle.dumps(work(assessor, pickle.loads(body)), protocol=pickle.HIGHEST_PROTOCOL)
        protocol.write(_HEADER.pack(len(answer)) + answer)
        protocol.flush()


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError):
        pass
