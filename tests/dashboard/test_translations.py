"""The Indonesian catalog is complete and its compiled form matches the source."""

import io
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

CATALOG = Path(__file__).parents[2] / "api" / "dashboard" / "translations" / "id" / "LC_MESSAGES"


def test_every_dashboard_string_has_an_indonesian_translation():
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="id")

    untranslated = [m.id for m in catalog if m.id and not m.string]

    assert untranslated == []


def test_the_compiled_catalog_matches_its_source():
    with (CATALOG / "messages.po").open("rb") as f:
        source = {m.id: m.string for m in read_po(f, locale="id") if m.id}
    compiled = {m.id: m.string for m in read_mo(io.BytesIO((CATALOG / "messages.mo").read_bytes())) if m.id}

    assert compiled == source, "run `make translations` after editing messages.po"
