"""gunicorn settings for `gunicorn wsgi:app`: threaded workers, so concurrent requests share transactions."""

import os

from api.control_socket import control_socket_settings

bind = os.environ.get("ADVOCACY_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("ADVOCACY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("ADVOCACY_THREADS", "8"))
# Each worker builds its own application after the fork (never --preload): projection threads and
# connection pools must not be shared across processes.
preload_app = False
timeout = 60
# No `gunicornc` control socket unless ADVOCACY_CONTROL_SOCKET names one (gunicorn's default path is shared by
# every server of the user); older gunicorns ignore these names.
globals().update(control_socket_settings())


def on_starting(server):
    """A listening socket per worker (SO_REUSEPORT) when every address is a fixed TCP port.

    With one shared socket, whichever worker wakes first accepts: clients that open their keep-alive
    connections together (a CRM's connection pool, a load balancer, wrk) often all land on one worker,
    which then serves them on one core while the other idles (seen in most of the benchmark's runs).
    With a socket each, the kernel spreads new connections over the workers. Not for port 0 (each worker
    would get a port of its own), Unix sockets, or sockets handed over by systemd; ADVOCACY_REUSE_PORT=0
    turns it off.
    """
    if os.environ.get("ADVOCACY_REUSE_PORT", "1") == "0" or os.environ.get("LISTEN_FDS"):
        return
    if all(isinstance(a, tuple) and a[1] != 0 for a in server.cfg.address):
        server.cfg.set("reuse_port", True)


def when_ready(server):
    """Say where the workers listen: with a socket each, gunicorn's own line names no address."""
    if server.cfg.reuse_port:
        addresses = ", ".join(f"http://{host}:{port}" for host, port in server.cfg.address)
        server.log.info("Each worker listens at %s (SO_REUSEPORT)", addresses)
