"""Interactive docs at /v1/docs from Swagger UI files shipped in the swagger-ui-bundle package (no CDN)."""

from __future__ import annotations

from flask import Blueprint, Flask
from swagger_ui_bundle import swagger_ui_path

ASSETS_URL = "/v1/docs/assets"
"""flask-smorest's Swagger UI page loads swagger-ui-bundle.js and friends from here (OPENAPI_SWAGGER_UI_URL)."""


def register_docs(app: Flask) -> None:
    """Serve the Swagger UI assets from the installed package."""
    app.register_blueprint(Blueprint("swagger_assets", __name__, static_folder=swagger_ui_path, static_url_path=ASSETS_URL))
