"""Fixtures of the loading tests."""

from __future__ import annotations

import pytest

from helpers import REGISTRY
from tbtrack.checking import check
from tbtrack.files.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The test registry (`helpers.REGISTRY`), analysed as `check` does."""
    found, problems = check.analyse_registry("agencies.yaml", REGISTRY.encode())
    assert found is not None, problems
    return found
