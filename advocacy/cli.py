"""The `advocacy` command: serve the API, run projections, load demo data, evaluate the scorer."""

from __future__ import annotations

import click

from advocacy.application import AdvocacyApplication
from advocacy.sentiment.evaluation import eval_group
from api.commands import serve_command
from projections.commands import projections_group


data_dir_option = click.option(
    "--data-dir",
    "directory",
    type=click.Path(file_okay=False),
    help="Directory of the SQLite files (default: $ADVOCACY_DATA_DIR or ./var).",
)


def store_env(directory: str | None) -> dict[str, str] | None:
    """Application environment for a --data-dir option."""
    return {"ADVOCACY_DATA_DIR": directory} if directory else None


@click.group()
def main() -> None:
    """Word-of-mouth advocacy tracker."""


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
@data_dir_option
@click.option("--force", is_flag=True, help="Load even if the store already has events.")
def demo_load(directory: str | None, force: bool) -> None:
    """Load the demo data set into the store."""
    from advocacy.demo import load_demo

    with AdvocacyApplication(env=store_env(directory)) as app:
        if app.head() and not force:
            msg = f"the store already has {app.head()} events; use --force to add the demo anyway"
            raise click.ClickException(msg)
        position = load_demo(app)
    click.echo(f"demo data loaded up to log position {position}")



main.add_command(serve_command)
main.add_command(projections_group)
main.add_command(eval_group)
