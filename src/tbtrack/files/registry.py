"""Resolving the names that tasks use to agencies and groups (SPEC 3)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..files.records import AgencyEntry, GroupEntry, RegistryFile
from ..files.text import fold, loose_key, nfc


@dataclass(frozen=True)
class Agency:
    name: str
    kind: str
    code: str | None = None
    successor: str | None = None

    @property
    def is_group(self) -> bool:
        return False


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...] = ()

    @property
    def is_group(self) -> bool:
        return True


Entity = Agency | Group


class UnknownName(LookupError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown agency or group '{name}'{hint}")
        self.name = name
        self.suggestions = suggestions


@dataclass
class Clash:
    """Two entries of agencies.yaml that claim the same name, code or alias."""

    spelling: str
    first: str
    second: str
    where: tuple[str, int, str]  # ("agencies"|"groups", index, "name"|"code"|"aliases")


@dataclass
class Registry:
    entities: dict[str, Entity] = field(default_factory=dict)  # by canonical name
    _exact: dict[str, str] = field(default_factory=dict)  # folded spelling -> canonical
    _loose: dict[str, set[str]] = field(default_factory=dict)  # diacritics-free -> canonicals
    clashes: list[Clash] = field(default_factory=list)
    # the engine resolves the same few hundred names once per row: remember the answers
    _resolved: dict[str, Entity | None] = field(default_factory=dict, repr=False, compare=False)
    _expanded: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def build(cls, data: RegistryFile) -> Registry:
        registry = cls()
        for index, agency in enumerate(data.agencies):
            entity = Agency(nfc(agency.name), agency.kind, agency.code, _opt_nfc(agency.successor))
            registry._add(entity, agency, ("agencies", index))
        kind_members: dict[str, list[str]] = {}
        for agency in data.agencies:
            if agency.successor is None:  # an abolished agency leaves its kind's groups
                kind_members.setdefault(agency.kind, []).append(nfc(agency.name))
        for index, group in enumerate(data.groups):
            members = [m for kind in group.kinds for m in kind_members.get(kind, [])]
            registry._add(Group(nfc(group.name), tuple(members)), group, ("groups", index))
        # explicit members resolve once every name is known; a group may name another group
        resolved: dict[str, Entity] = {}
        for group in data.groups:
            built = registry.entities[nfc(group.name)]
            assert isinstance(built, Group)
            extra = [registry.resolve(m) for m in group.members]
            names = list(built.members)
            for member in extra:
                if member is None:
                    continue
                for name in registry.members(member):
                    if name not in names:
                        names.append(name)
            resolved[built.name] = Group(built.name, tuple(names))
        registry.entities.update(resolved)
        registry._resolved.clear()  # answers given while the registry was being built
        registry._expanded.clear()
        return registry

    def _add(self, entity: Entity, entry: AgencyEntry | GroupEntry, where: tuple[str, int]) -> None:
        spellings: list[tuple[str, str]] = [(entry.name, "name")]
        if isinstance(entry, AgencyEntry) and entry.code:
            spellings.append((entry.code, "code"))
        spellings += [(alias, "aliases") for alias in entry.aliases]
        if entity.name in self.entities:
            self.clashes.append(
                Clash(entity.name, entity.name, entity.name, (where[0], where[1], "name"))
            )
            return
        self.entities[entity.name] = entity
        for spelling, key in spellings:
            folded = fold(spelling)
            owner = self._exact.get(folded)
            if owner is not None and owner != entity.name:
                self.clashes.append(Clash(spelling, owner, entity.name, (where[0], where[1], key)))
                continue
            self._exact[folded] = entity.name
            self._loose.setdefault(loose_key(spelling), set()).add(entity.name)

    # --- lookups ----------------------------------------------------------------------------

    def resolve(self, name: str) -> Entity | None:
        """The one agency or group a name means, or None."""
        try:
            return self._resolved[name]
        except KeyError:
            pass
        canonical = self._exact.get(fold(name))
        if canonical is None:
            candidates = self._loose.get(loose_key(name), set())
            if len(candidates) != 1:
                self._resolved[name] = None
                return None
            canonical = next(iter(candidates))
        entity = self.entities[canonical]
        self._resolved[name] = entity
        return entity

    def lookup(self, name: str) -> Entity:
        entity = self.resolve(name)
        if entity is None:
            raise UnknownName(name, self.suggest(name))
        return entity

    def suggest(self, name: str, count: int = 3) -> list[str]:
        """The closest canonical names, compared without diacritics; near-ties only."""
        wanted = loose_key(name)
        scored: dict[str, float] = {}
        for spelling, canonical in self._exact.items():
            matcher = difflib.SequenceMatcher(None, wanted, loose_key(spelling))
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            score = matcher.ratio()
            if score >= 0.6 and score > scored.get(canonical, 0.0):
                scored[canonical] = score
        ranked = sorted(scored.items(), key=lambda item: -item[1])
        if not ranked:
            return []
        best = ranked[0][1]
        return [canonical for canonical, score in ranked[:count] if score >= best - 0.05]

    def members(self, entity: Entity) -> tuple[str, ...]:
        """The agencies that owe what is assigned to `entity`."""
        return entity.members if isinstance(entity, Group) else (entity.name,)

    def expand(self, names: Iterable[str]) -> tuple[str, ...]:
        """The agencies that `names` (agencies or groups) stand for, in order, once each."""
        key = tuple(names)
        try:
            return self._expanded[key]  # the engine asks once per obligation of every task
        except KeyError:
            pass
        out: dict[str, None] = {}
        for name in key:
            entity = self.resolve(name)
            if entity is not None:
                out.update(dict.fromkeys(self.members(entity)))
        self._expanded[key] = expanded = tuple(out)
        return expanded

    def current(self, name: str) -> str:
        """The agency that carries `name`'s obligations today: its last successor, or itself."""
        seen = {name}
        entity = self.entities.get(name)
        while isinstance(entity, Agency) and entity.successor:
            successor = self.resolve(entity.successor)
            if successor is None or successor.name in seen:
                break
            seen.add(successor.name)
            entity = successor
        return entity.name if entity is not None else name

    def predecessors(self, name: str) -> list[str]:
        """Abolished agencies whose obligations now fall to `name`."""
        return [
            e.name
            for e in self.entities.values()
            if isinstance(e, Agency)
            and e.successor
            and e.name != name
            and self.current(e.name) == name
        ]

    def groups_of(self, agency: str) -> list[str]:
        return [
            e.name for e in self.entities.values() if isinstance(e, Group) and agency in e.members
        ]


def _opt_nfc(text: str | None) -> str | None:
    return None if text is None else nfc(text)
