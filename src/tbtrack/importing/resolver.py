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
        """The agency or group `name` means in a notice of `on`.

        A spelling means one agency whatever the day (SPEC 3.1; two entries sharing a
        spelling, even without diacritics, are an error of agencies.yaml): an agency that
        later ceased is itself in a notice of its time, so a 2024 notice's "Bộ Tài nguyên và
        Môi trường" stays that ministry. A name the registry knows but that did not exist on
        `on` still resolves; `absent_on` says why it is doubtful."""
        entity = self._registry.resolve(name)
        return None if entity is None else entity.name

    def absent_on(self, name: str, on: dt.date) -> str | None:
        """Why the agency `name` did not exist on `on` (the notice's date), or None."""
        absence = self._registry.status_note(name, on)
        return None if absence is None else absence.text()

    def spellings(self) -> Iterable[str]:
        # the folded spellings are the registry's own lookup keys: every name, code and alias
        return list(self._registry._exact)
