"""gunicorn settings for `gunicorn wsgi:app`: threaded workers, so concurrent requests share transactions."""

import os

bind = os.environ.get("ADVOCACY_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("ADVOCACY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("ADVOCACY_THREADS", "8"))
# Each worker builds its own application after the fork (never --preload): projection threads and
# connection pools must not be shared across processes.
preload_app = False
timeout = 60
