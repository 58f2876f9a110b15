"""Dashboard languages: Bahasa Indonesia and English, chosen by the officer or by the browser."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel, get_locale

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """The officer's chosen language, else the browser's best match, else Indonesian."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel with our catalogs and expose the language to templates."""
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.context_processor(lambda: {"current_locale": str(get_locale() or DEFAULT_LANGUAGE), "languages": LANGUAGES})
