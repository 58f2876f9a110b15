"""`advocacy serve`: the API, the embedded projections and (once wired) the dashboard, in one process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from advocacy import config as advocacy_config
from api.auth import ensure_api_keys
from api.control_socket import control_socket_settings


def serve(host: str = "127.0.0.1", port: int = 5000, data_dir: str | None = None, demo: bool = False) -> None:
    """Prepare the data directory (keys, demo data) and serve until interrupted."""
    config: dict[str, Any] = {}
    if data_dir:
        config["DATA_DIR"] = data_dir
    directory = Path(data_dir) if data_dir else advocacy_config.data_dir()
    if not os.environ.get("ADVOCACY_API_KEYS"):
        _, path = ensure_api_keys(directory)
        click.echo(f"API keys (one per role) are in {path}; set ADVOCACY_API_KEYS to use your own.")
    if demo:
        load_demo_if_empty(directory)
    click.echo(f"Dashboard: http://{host}:{port}/dashboard/   API: http://{host}:{port}/v1 (docs at /v1/docs)")
    options = {"bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread", "threads": 8}
    Server(config, {**options, **control_socket_settings()}).run()


def load_demo_if_empty(directory: Path) -> int | None:
    """Load the demo data set when the store has no events; None when it had some (or no demo exists)."""
    try:
        from advocacy.demo import load_demo
    except ImportError:
        click.echo("no demo data set in this version")
        return None
    from advocacy.application import AdvocacyApplication

    with AdvocacyApplication(env={"ADVOCACY_DATA_DIR": str(directory)}) as application:
        if application.head():
            return None
        position = load_demo(application)
    click.echo(f"demo data loaded up to log position {position}")
    return position


class Server(BaseApplication):
    """gunicorn in-process: the app is built in the worker, so projection threads start after the fork."""

    def __init__(self, app_config: dict[str, Any], options: dict[str, Any]):
        self.app_config = app_config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # the control socket's settings are new in gunicorn 25.1
                self.cfg.set(key, value)

    def load(self) -> Any:
        from advocacy.sentiment import batch
        from api import create_app
        from api.heap import freeze_startup_heap

        app = create_app(self.app_config)
        batch.start()  # as wsgi.py: the scoring workers load now, not during the first large batch
        freeze_startup_heap()
        return app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--data-dir", type=click.Path(file_okay=False), help="SQLite files and keys (default: $ADVOCACY_DATA_DIR or ./var).")
@click.option("--demo", is_flag=True, help="Load the demo data set first if the store is empty.")
def serve_command(host: str, port: int, data_dir: str | None, demo: bool) -> None:
    """Serve the HTTP API with the embedded projections."""
    serve(host=host, port=port, data_dir=data_dir, demo=demo)
