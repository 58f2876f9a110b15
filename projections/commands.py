"""`advocacy projections run | status | rebuild [NAME]`."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from projections.config import from_environment
from projections.views import VIEWS


def _application() -> Any:
    from advocacy.application import AdvocacyApplication
    from advocacy.storage.startup import opened

    return opened(lambda: AdvocacyApplication(assessor=NoScoring()))


class NoScoring:
    """Projection processes read the log; they never score text."""

    name = "none"
    version = "0"

    def assess(self, text: str, **_: Any) -> Any:
        """Refuse: this process does not record mentions."""
        raise RuntimeError("the projections process does not score text")


@click.group("projections")
def projections_group() -> None:
    """Run, inspect and rebuild the read models."""


@projections_group.command("run")
@click.option("--name", "names", multiple=True, type=click.Choice(list(VIEWS)), help="Only these projections (repeatable).")
def run_command(names: tuple[str, ...]) -> None:
    """Follow the log and keep the read models up to date until SIGTERM or Ctrl-C."""
    from projections.runner import Runner

    app = _application()
    stop = threading.Event()
    runner = Runner(app, list(names) or None, config=from_environment(), stop_event=stop)

    def request_stop(*_: Any) -> None:
        stop.set()
        runner.poke()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    click.echo(f"following the log for: {', '.join(runner.names)}", err=True)
    try:
        runner.run()
    finally:
        app.close()


@projections_group.command("status")
def status_command() -> None:
    """Print each projection's position, the log's head and the lag, and what keeps failing."""
    from projections.readmodels import ReadModels

    app = _application()
    try:
        rows = ReadModels(app).status()
    finally:
        app.close()
    click.echo(f"{'projection':<12} {'position':>10} {'head':>10} {'lag':>10}  generation  scoring")
    for r in rows:
        click.echo(
            f"{r['name']:<12} {r['position']:>10} {r['head']:>10} {r['lag']:>10}  {r['generation'] or '-':>10}"
            f"  {r['scoring_version'] or '-'}"
        )
    for r in rows:
        if r["failing"]:
            failing = r["failing"]
            click.echo(f"{r['name']} FAILING since {failing['since']} ({failing['attempts']} attempts): {failing['error']}")


@projections_group.command("rebuild")
@click.argument("name", required=False, type=click.Choice(list(VIEWS)))
def rebuild_command(name: str | None) -> None:
    """Rebuild one projection (or all) from the first event beside the live one, then switch."""
    from projections.rebuild import rebuild

    app = _application()
    try:
        head = app.head()
        with click.progressbar(length=max(head, 1), label=f"rebuilding {name or 'all projections'}") as bar:
            def progress(position: int, latest: int) -> None:
                bar.length = max(latest, 1)
                bar.update(max(position - bar.pos, 0))

            built = rebuild(app, name, progress=progress, config=from_environment())
    finally:
        app.close()
    for g in built:
        click.echo(f"{g.name}: generation {g.generation} is live")
