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


def test_every_string_in_the_code_and_templates_is_in_the_catalog():
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(__file__).parents[2]
    with (root / "api" / "dashboard" / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    in_code = {message for _, _, message, *_ in extract_from_dir(root, method_map, options_map) if isinstance(message, str)}
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = {m.id for m in read_po(f, locale="id") if m.id}

    assert in_code - catalog == set(), "run `make translations` and translate the new strings"
