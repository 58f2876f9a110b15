"""Fixtures for the projection tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from advocacy.application import AdvocacyApplication
from tests.projections.projection_helpers import CodedAssessor


@pytest.fixture
def papp(store_env: dict[str, str], clock: Any) -> Iterator[AdvocacyApplication]:
    """The application on each store, with the coded assessor."""
    application = AdvocacyApplication(env=store_env, assessor=CodedAssessor(), clock=clock)
    yield application
    application.close()
