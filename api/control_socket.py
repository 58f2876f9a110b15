"""gunicorn's control socket (for `gunicornc`, gunicorn 25.1 and newer): off unless asked for.

By default gunicorn opens it at one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl):
every server that user starts takes the path over from the one before and unlinks it when it stops, so
`gunicornc` reaches whichever started last, and a server writes into the home directory unasked. Ours opens one
only at the path ADVOCACY_CONTROL_SOCKET names, for that server alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

VARIABLE = "ADVOCACY_CONTROL_SOCKET"


def control_socket_settings(environ: Mapping[str, str] = os.environ) -> dict[str, object]:
    """gunicorn settings: the socket at $ADVOCACY_CONTROL_SOCKET, or none at all."""
    path = environ.get(VARIABLE, "").strip()
    if path:
        return {"control_socket": os.path.abspath(path), "control_socket_disable": False}
    return {"control_socket_disable": True}
