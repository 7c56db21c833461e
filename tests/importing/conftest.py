"""Fixtures for the importer: the shipped registry and a resolver over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tbtrack.files.registry import Registry
from tbtrack.importing import RegistryResolver
from tbtrack.loading.dataset import read_registry

REPO = Path(__file__).parents[2]
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def registry() -> Registry:
    registry, problems = read_registry(REPO)
    assert registry is not None, problems
    return registry


@pytest.fixture(scope="session")
def resolver(registry: Registry) -> RegistryResolver:
    return RegistryResolver(registry)
