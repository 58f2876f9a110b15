"""The Blueprint every resource uses: flask-smorest's, whose body parser also refuses JSON nested too deeply to decode.

The standard library's decoder, which webargs calls, raises RecursionError (not a decoding error) on a body nested
about a thousand levels deep, such as `[[[[...]]]]`; without this it was a 500.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from webargs.flaskparser import FlaskParser, abort


class BodyParser(FlaskParser):
    """webargs' Flask parser; a body nested too deeply is a 400 like any other malformed JSON."""

    def load_json(self, req: Any, schema: Any) -> Any:
        """The decoded JSON body (webargs' `missing` when there is none)."""
        try:
            return super().load_json(req, schema)
        except RecursionError:
            abort(400, messages={"json": ["JSON nested too deeply."]})


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with BodyParser."""

    ARGUMENTS_PARSER = BodyParser()
