"""The embedded projections in a child process of the API process, at a lower CPU priority.

In a thread, a projection batch holds the API process's GIL while requests wait, and it competes for the CPU
on equal terms with the writes it follows. In a child process it holds neither: under load the requests go
first and the read models lag (reported by `/v1/health`, waited for by `min_position`), and when load eases
they catch up. The child is restarted if it dies, and stops when its parent closes its input or dies.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_NICE = 10
"""How much lower the child's CPU priority is than the API's (`ADVOCACY_PROJECTIONS_NICE`; 0 for equal)."""
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESTART_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""Seconds before each restart of a child that keeps dying (the last repeats)."""
HEALTHY_SECONDS = 60.0
"""A child that ran this long before it died is restarted after the shortest delay again."""


class ProjectionsProcess:
    """`start()` a child process running the projections on this process's store; `poke()` it on saves; `stop()`."""

    def __init__(self, app: Any, store_env: Mapping[str, str], names: Sequence[str] | None = None, nice: int | None = None):
        self.app = app
        self.settings = {
            "env": dict(store_env),
            "names": list(names) if names else None,
            "nice": nice if nice is not None else int(os.environ.get("ADVOCACY_PROJECTIONS_NICE") or DEFAULT_NICE),
        }
        self.restarts = 0
        self._process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # guards _process and writes to its input
        self._supervisor: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        """The running child's process id (None when there is none)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start the child, and a thread that starts it again whenever it dies."""
        if self._supervisor is not None:
            return
        self._stopping.clear()
        self._spawn()
        self.app.listeners.append(self.poke)
        self._supervisor = threading.Thread(target=self._supervise, name="projections-process", daemon=True)
        self._supervisor.start()

    def poke(self, _position: int = 0) -> None:
        """Tell the child the log grew (never blocks: a full pipe already holds a wake-up)."""
        with self._lock:
            process = self._process
            if process is None or process.stdin is None:
                return
            try:
                os.write(process.stdin.fileno(), b".")
            except (BlockingIOError, BrokenPipeError, OSError, ValueError):
                pass

    def stop(self, timeout: float = 10.0) -> None:
        """Close the child's input (it stops after its batch), wait, kill it if it does not go."""
        if self._supervisor is None:
            return
        self._stopping.set()
        try:
            self.app.listeners.remove(self.poke)
        except ValueError:
            pass
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            _end(process, timeout)
        self._supervisor.join(timeout)
        self._supervisor = None

    def _spawn(self) -> None:
        env = dict(os.environ)  # the child imports this very package, wherever it was imported from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        process = subprocess.Popen(
            [sys.executable, "-m", "projections._child"], stdin=subprocess.PIPE, close_fds=True, env=env, bufsize=0
        )
        assert process.stdin is not None
        # The settings go on its input, not its command line, where `ps` would show a database password.
        process.stdin.write(json.dumps(self.settings).encode() + b"\n")
        os.set_blocking(process.stdin.fileno(), False)
        with self._lock:
            if not self._stopping.is_set():
                self._process = process
                return
        _end(process, 10.0)  # stop() came while this one started: it would have outlived its parent's wish

    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return
            started = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= HEALTHY_SECONDS:
                failures = 0
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            log.warning("projections process %s exited with %s; starting another in %g s", process.pid, code, delay)
            failures += 1
            if self._stopping.wait(delay):
                return
            try:
                self._spawn()
                self.restarts += 1
            except OSError:
                log.exception("could not start the projections process")
            if process.stdin is not None:
                process.stdin.close()


def _end(process: subprocess.Popen, timeout: float) -> None:
    """Close its input, wait up to `timeout` s, then kill it."""
    try:
        if process.stdin is not None:
            process.stdin.close()
    except OSError:
        pass
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("projections process %s did not stop within %g s; killing it", process.pid, timeout)
        process.kill()
        process.wait()
