"""How the parser asks for agency names, without depending on the Registry class."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from ..files.registry import Registry


class Resolver(Protocol):
    """Resolves names as SPEC 3 says, as of a day (agencies come and go, SPEC 3.1)."""

    def resolve(self, name: str, on: dt.date | None) -> str | None:
        """The canonical name of the agency or group `name` means on `on`, or None."""
        ...

    def spellings(self) -> Iterable[str]:
        """Every name, code and alias the resolver knows: what to look for in a text."""
        ...


class RegistryResolver:
    """A Resolver over the project's registry (`agencies.yaml`)."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def resolve(self, name: str, on: dt.date | None) -> str | None:
        # the registry does not carry agencies' dates yet: `on` is kept so that names
        # resolve as of the notice's date once it does
        entity = self._registry.resolve(name)
        return None if entity is None else entity.name

    def spellings(self) -> Iterable[str]:
        # the folded spellings are the registry's own lookup keys: every name, code and alias
        return list(self._registry._exact)
