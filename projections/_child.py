"""The projections' child process: `python -m projections._child` (started by projections/process.py).

Protocol on stdin: one line of JSON (the store's environment, the projections to run, the niceness), then
any bytes, each a wake-up after the parent saved events. End of input, whether the parent closed it or
died, stops the runner after its current batch; the locks go with the process.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading


def _follow_parent(stream, runner) -> None:
    """Poke the runner for every chunk the parent writes; stop it at end of input."""
    try:
        while os.read(stream.fileno(), 4096):
            runner.poke()
    except OSError:
        pass
    runner.stop_event.set()
    runner.poke()


def main() -> None:
    """Run the projections named on stdin's first line until stdin closes."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s projections[%(process)d] %(levelname)s %(message)s")
    stream = sys.stdin.buffer
    settings = json.loads(stream.readline() or b"{}")
    if settings.get("nice"):
        os.nice(int(settings["nice"]))

    from projections.commands import NoScoring
    from projections.config import from_environment
    from projections.runner import Runner
    from advocacy.application import AdvocacyApplication
    from advocacy.storage.startup import opened

    app = opened(lambda: AdvocacyApplication(env=settings.get("env") or {}, assessor=NoScoring()))
    try:
        runner = Runner(app, settings.get("names"), config=from_environment())
        threading.Thread(target=_follow_parent, args=(stream, runner), name="parent", daemon=True).start()
        runner.run()
    finally:
        app.close()


if __name__ == "__main__":
    main()
