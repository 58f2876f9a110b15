"""The composition root: the application, its read models and the embedded projections, built once per app."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from flask_smorest import abort

from advocacy.application import AdvocacyApplication
from advocacy.domain.errors import InvalidInput
from advocacy.storage.startup import opened
from api.auth import ApiKeys
from api.group_commit import GroupCommit

log = logging.getLogger(__name__)
REBUILD_GRACE = 30.0
"""Seconds closing waits for a running rebuild to end."""


@dataclass
class Services:
    """Everything the views use, reached through `services()`."""

    application: AdvocacyApplication
    keys: ApiKeys
    mentions: GroupCommit
    reads: Any | None = None
    projections: Any | None = None
    rebuilds: Any | None = None
    wait_timeout: float = 5.0

    def read_models(self, min_position: int | None = None) -> Any:
        """The read models, after they reached `min_position` (503 if they don't in time)."""
        if self.reads is None:
            abort(503, message="read models are not available in this deployment")
        if min_position:
            head = self.application.head()
            if min_position > head:
                abort(
                    422,
                    message=f"min_position {min_position} is beyond the newest log position {head}",
                    errors={"query": {"min_position": [f"must be at most {head}, the newest log position"]}},
                )
            try:
                self.reads.wait(min_position, self.wait_timeout)
            except TimeoutError:  # projections.ProjectionLagError
                abort(
                    503,
                    message=f"read models have not reached position {min_position} within {self.wait_timeout:g} s; retry",
                    headers={"Retry-After": "1"},
                )
        return self.reads

    def query(self, name: str, min_position: int | None = None) -> Callable[..., Any]:
        """The read-model query `name`, after the read models reached `min_position`."""
        method = getattr(self.read_models(min_position), name, None)
        if method is None:
            abort(503, message=f"the {name} read model is not available in this version")

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except ValueError as error:
                if "cursor" in str(error):  # projections' cursors.decode: a cursor we never gave out
                    raise InvalidInput("cursor", "is not a cursor this endpoint returned") from None
                raise

        return call

    def close(self) -> None:
        """Stop the projection threads and close the stores (a rebuild still running is given a while to end)."""
        if self.rebuilds is not None and not self.rebuilds.wait(REBUILD_GRACE):
            log.warning("closing while a projection rebuild runs; it fails and leaves the live views as they were")
        if self.projections is not None:
            self.projections.stop()
        close_reads = getattr(self.reads, "close", None)
        if close_reads is not None:
            close_reads()
        self.application.close()


def build_services(app: Flask, store_env: dict[str, str], keys: ApiKeys) -> Services:
    """Build the application, read models and projections once, from the app's configuration.

    Processes starting together on a new store (gunicorn workers) can get in each other's way while they create
    the tables; that is retried a few times before giving up (advocacy/storage/startup.py).
    """
    return opened(lambda: _build(app, store_env, keys))


def _build(app: Flask, store_env: dict[str, str], keys: ApiKeys) -> Services:
    clock: Callable[[], datetime] | None = app.config.get("CLOCK")
    application = AdvocacyApplication(env=store_env, assessor=app.config.get("ASSESSOR"), clock=clock)
    services = Services(
        application=application,
        keys=keys,
        mentions=GroupCommit(application.record_mentions),
        wait_timeout=float(app.config["WAIT_TIMEOUT"]),
    )
    try:
        from api.rebuilds import Rebuilds
        from projections import EmbeddedProjections, ReadModels
        from projections.config import from_environment

        services.reads = ReadModels(application)
        services.rebuilds = Rebuilds(application, services.reads.config)
        mode = embedded_mode(app.config["EMBEDDED_PROJECTIONS"])
        if mode == "process":
            from projections.process import ProjectionsProcess

            services.projections = ProjectionsProcess(application, store_env)
        elif mode == "thread":
            services.projections = EmbeddedProjections(application, from_environment())
        if services.projections is not None:
            services.projections.start()
    except BaseException:
        services.close()
        raise
    return services


def embedded_mode(setting: Any) -> str | None:
    """EMBEDDED_PROJECTIONS as "process", "thread" or None (off); True means "process"."""
    if setting is True or str(setting).lower() in ("process", "true", "1", "yes", "on"):
        return "process"
    if str(setting).lower() == "thread":
        return "thread"
    if not setting or str(setting).lower() in ("false", "0", "no", "off", "none"):
        return None
    raise ValueError(f"EMBEDDED_PROJECTIONS must be process, thread or false, not {setting!r}")


def services() -> Services:
    """The one accessor views use."""
    return current_app.extensions["advocacy"]
