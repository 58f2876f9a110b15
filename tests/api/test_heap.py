"""A serving process freezes its start-up heap, so the collector's full passes skip it (they took 120-160 ms)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.api.test_gunicorn import ROOT

PROBE = "import gc, wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"


def test_the_wsgi_entry_point_leaves_the_collector_only_what_requests_will_make(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    env.update(ADVOCACY_DATA_DIR=str(tmp_path), ADVOCACY_API_KEYS="integration:k", ADVOCACY_EMBEDDED_PROJECTIONS="false")
    output = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    frozen, tracked = map(int, output.stdout.split())
    assert frozen > 20_000  # libraries, lexicons, the language model, the Flask app
    assert tracked < frozen / 10
