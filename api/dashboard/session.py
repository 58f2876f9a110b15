"""Officer sign-in for the dashboard: an officer or admin key, kept in a signed session cookie."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, session, url_for

from api.auth import ADMIN, OFFICER, write_private_once
from api.services import services

F = TypeVar("F", bound=Callable[..., Any])
SECRET_FILE = "dashboard-secret"


def ensure_secret_key(app: Flask, data_dir: Path) -> None:
    """Give the app a session secret: configured, else kept in the data directory (mode 0600)."""
    if app.secret_key:
        return
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        write_private_once(path, secrets.token_urlsafe(48))  # gunicorn workers starting together share one
    app.secret_key = path.read_text().strip()


def sign_in(key: str) -> str | None:
    """Start a session for an officer or admin key; returns the role, or None if the key may not sign in."""
    role = services().keys.role_of(key.strip())
    if role not in (OFFICER, ADMIN):
        return None
    session.clear()
    session["role"] = role
    session["csrf"] = secrets.token_urlsafe(24)
    return role


def officer_page(view: F) -> F:
    """A dashboard page: signed-in officers only; forms must carry the session's CSRF token."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if session.get("role") not in (OFFICER, ADMIN):
            return redirect(url_for("dashboard.login", next=request.full_path))
        if request.method == "POST" and not hmac.compare_digest(
            request.form.get("csrf", ""), session.get("csrf", "")
        ):
            abort(400, "the form expired; reload the page and try again")
        return view(*args, **kwargs)

    wrapper.allowed_roles = None  # type: ignore[attr-defined]  # the bearer-key check does not apply
    return wrapper  # type: ignore[return-value]


def open_page(view: F) -> F:
    """A dashboard page anyone may open (sign-in)."""
    view.allowed_roles = None  # type: ignore[attr-defined]
    return view
