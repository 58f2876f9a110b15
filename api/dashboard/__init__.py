"""The officer's web dashboard, served by the same Flask app as the API."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, url_for
from werkzeug.wrappers import Response

from api.dashboard.i18n import init_i18n
from api.dashboard.session import ensure_secret_key, open_page
from api.dashboard.views import bp


def register_dashboard(app: Flask, data_dir: Path) -> None:
    """Mount the dashboard at /dashboard; the site root leads there."""
    ensure_secret_key(app, data_dir)
    init_i18n(app)
    app.register_blueprint(bp)
    app.add_url_rule("/", "root", _root)


@open_page
def _root() -> Response:
    return redirect(url_for("dashboard.home"))
