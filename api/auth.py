"""Bearer API keys per role, compared in constant time and never logged."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_smorest import Blueprint, abort

INTEGRATION = "integration"
OFFICER = "officer"
ADMIN = "admin"
ROLES = (INTEGRATION, OFFICER, ADMIN)

READ = frozenset(ROLES)
"""Everyone with a key reads everything."""
INGEST = frozenset({INTEGRATION, ADMIN})
"""Customers, mentions, referrals and conversions come from integrations."""
CURATE = frozenset({OFFICER, ADMIN})
"""Outreach, overrides and campaigns are the officer's."""
ADMINISTER = frozenset({ADMIN})
"""Brands, erasure and rebuilds."""

API_PREFIX = "/v1"
PUBLIC_ENDPOINTS = frozenset({"api-docs.openapi_json", "api-docs.openapi_swagger_ui", "swagger_assets.static"})
"""The spec and the docs are open; so is /v1/health (marked with `public`)."""
KEYS_FILE = "api-keys"
F = TypeVar("F", bound=Callable[..., Any])


class ApiKeys:
    """The configured keys, kept only as SHA-256 digests."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self._digests = [(hashlib.sha256(key.encode()).digest(), role) for role, key in pairs]
        if not self._digests:
            raise ValueError("no API keys configured")

    @classmethod
    def parse(cls, spec: str | Mapping[str, str]) -> ApiKeys:
        """Keys from "role:key,role:key" (commas or newlines), or a {role: key} mapping."""
        return cls(parse_keys(spec))

    def role_of(self, key: str) -> str | None:
        """The role of `key`, comparing against every known key so timing reveals nothing."""
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
        found = None
        for known, role in self._digests:
            if hmac.compare_digest(known, digest):
                found = role
        return found


def parse_keys(spec: str | Mapping[str, str]) -> list[tuple[str, str]]:
    """[(role, key)] from the configuration; refuses unknown roles and empty keys (without echoing keys)."""
    if isinstance(spec, Mapping):
        items = [f"{role}:{key}" for role, key in spec.items()]
    else:
        items = str(spec).replace("\n", ",").split(",")
    pairs = []
    for number, item in enumerate((i.strip() for i in items if i.strip()), start=1):
        role, sep, key = item.partition(":")
        if not sep or role.strip() not in ROLES or not key.strip():
            raise ValueError(f"API key entry {number} must be role:key with role one of {', '.join(ROLES)}")
        pairs.append((role.strip(), key.strip()))
    return pairs


def ensure_api_keys(data_dir: str | os.PathLike[str]) -> tuple[dict[str, str], Path]:
    """The keys stored in `data_dir`, generating one per role (file mode 0600) on first start."""
    directory = Path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / KEYS_FILE
    if not path.exists():
        keys = {role: secrets.token_urlsafe(32) for role in ROLES}
        write_private_once(path, "".join(f"{role}:{key}\n" for role, key in keys.items()))
    return dict(parse_keys(path.read_text())), path


def write_private_once(path: Path, text: str) -> None:
    """Create `path` (mode 0600) holding `text`, unless another process created it first: then keep theirs.

    Written beside it and linked into place, so no process ever reads it half written, and processes starting
    together (gunicorn workers) all end up with the same content.
    """
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    try:
        os.link(temporary, path)  # atomic, and never replaces a file another process wrote first
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def allow(blp: Blueprint, roles: frozenset[str]) -> Callable[[F], F]:
    """Open a view to `roles` (documented in OpenAPI); `check_access` enforces it before the body is parsed."""
    who = ", ".join(r for r in ROLES if r in roles)

    def decorate(view: F) -> F:
        view = blp.doc(responses={401: "UNAUTHORIZED", 403: "FORBIDDEN"}, description=f"Roles: {who}.")(view)
        view.allowed_roles = roles  # type: ignore[attr-defined]
        return view

    return decorate


def public(blp: Blueprint) -> Callable[[F], F]:
    """Open a view without a key."""

    def decorate(view: F) -> F:
        view = blp.doc(security=[])(view)
        view.allowed_roles = None  # type: ignore[attr-defined]
        return view

    return decorate


def check_access() -> None:
    """Before every request: 401 without a known key, 403 when the key's role may not use the view."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not is_api_request():
        return  # routing failed (404 or 405 follows), or not an API route (the dashboard has its own sign-in)
    roles = getattr(view, "allowed_roles", ADMINISTER)
    if roles is None or request.endpoint in PUBLIC_ENDPOINTS or _automatic_options():
        return
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    role = current_app.extensions["advocacy"].keys.role_of(key.strip()) if scheme.lower() == "bearer" else None
    if role is None:
        abort(401, message="missing or unknown API key", headers={"WWW-Authenticate": 'Bearer realm="advocacy"'})
    if role not in roles:
        abort(403, message=f"the {role} role may not {request.method} {request.path}")
    g.role = role


def _automatic_options() -> bool:
    """An OPTIONS request Flask answers itself (the allowed methods, no view runs): a preflight needs no key."""
    return request.method == "OPTIONS" and bool(getattr(request.url_rule, "provide_automatic_options", False))


def is_api_request() -> bool:
    """True for the /v1 API, whose rules (keys, JSON, error shape) this package sets."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")
