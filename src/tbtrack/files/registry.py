"""Resolving the names that tasks use to agencies and groups, over time (SPEC 3, 3.1).

A name resolves to one agency or group whatever the day: an abolished agency resolves to
itself. What changes with the day D (`since` <= D <= `until`, either open) is:

- `exists(name, D)`: whether the agency existed on D (a group always does);
- `members_on(name, D)`: a group's members on D, its `kinds`' agencies and its listed
  `members` that exist on D; an agency stands for itself on every day;
- `owner_on(agency, D)`: who owes the agency's (occurrence, agency) pairs as of D: itself while
  it exists (or before it is established), else its successor chain followed to the first
  agency that exists on D; `predecessors_on(agency, D)` is the reverse: the ceased agencies
  whose pairs it owes on D;
- `status_note(name, D)`: why an agency does not exist on D, as data (`Absence`), with
  `Absence.text(lang)` for the one-line note in English or Vietnamese;
- `suggest(name, D)`: close names for an unknown one, preferring those that existed on D.

The day-less `Group.members`, `members` and `expand` answer as of the latest day: today's registry, where an agency that has an
`until` (or a `successor`) has ceased. Answers for a day are remembered, per (name, day) for
the calls the engine makes per occurrence, and per period between two changes of the registry
otherwise.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ..files.records import AgencyEntry, GroupEntry, RegistryFile
from ..files.text import fold, loose_key, nfc
from ..messages import Message

if TYPE_CHECKING:
    from .suggest import SuggestionIndex

LATEST = dt.date.max  # "the latest day": what the day-less API answers for


# the entities are named tuples: a dataclass costs a run about a millisecond to make
class Agency(NamedTuple):
    name: str
    kind: str
    code: str | None = None
    successor: str | None = None  # canonical once the registry is built, when it resolves
    since: dt.date | None = None  # first day it existed; None: always had
    until: dt.date | None = None  # last day it existed; None: still exists

    def exists_on(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


class Group(NamedTuple):
    name: str
    members: tuple[str, ...] = ()  # the members on the latest day; `Registry.members_on` by day


Entity = Agency | Group


class Absence(NamedTuple):
    """Why an agency does not exist on `day`: not yet established, or ceased.

    Exactly one of `since` (it was established later, on that day) and `until` (it ceased
    after that day) is set. `owner` is who owes its obligations on `day`: its successor chain
    followed to an agency that exists then; None when it has none (or is not yet established).
    """

    name: str
    day: dt.date
    since: dt.date | None = None
    until: dt.date | None = None
    owner: str | None = None

    @property
    def reason(self) -> Literal["not-yet", "ceased"]:
        return "not-yet" if self.since is not None else "ceased"

    def text(self, lang: str = "en") -> str:
        """The one-line note: `lang` "vi" in Vietnamese, anything else in English.

        "Bộ Nông nghiệp và Môi trường was established on 01/03/2025"; "Bộ Kế hoạch và Đầu
        tư ceased on 28/02/2025; its obligations are owed by Bộ Tài chính"."""
        vi = lang == "vi"
        if self.since is not None:
            when = self.since.strftime("%d/%m/%Y")
            return (
                f"{self.name} bắt đầu hoạt động từ ngày {when}"
                if vi
                else f"{self.name} was established on {when}"
            )
        assert self.until is not None
        when = self.until.strftime("%d/%m/%Y")
        text = (
            f"{self.name} hoạt động đến hết ngày {when}" if vi else f"{self.name} ceased on {when}"
        )
        if self.owner is not None:
            text += (
                f"; các nhiệm vụ của cơ quan này do {self.owner} tiếp nhận"
                if vi
                else f"; its obligations are owed by {self.owner}"
            )
        return text


class UnknownName(LookupError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        self.message = (
            Message("unknown-agency-hint", {"name": name, "suggestions": tuple(suggestions)})
            if suggestions
            else Message("unknown-agency", {"name": name})
        )
        super().__init__(self.message.text())


class Clash(NamedTuple):
    """Two entries of agencies.yaml that claim the same name, code or alias."""

    spelling: str
    first: str
    second: str
    where: tuple[str, int, str]  # ("agencies"|"groups", index, "name"|"code"|"aliases")


class Registry:
    """agencies.yaml as tbtrack asks it: names resolved, groups' members and owners on a day.

    A plain class (a dataclass costs every run a millisecond to make); two registries are
    equal when they were built alike, whatever each has been asked since."""

    __slots__ = (
        "_begins_split",
        "_by_period",
        "_candidates",
        "_ceased",
        "_changes",
        "_comma_firsts",
        "_exact",
        "_expanded",
        "_expanded_on",
        "_loose",
        "_resolved",
        "_suggestions",
        "ceasing",
        "clashes",
        "entities",
        "source",
    )

    def __init__(self, source: RegistryFile | None = None) -> None:
        # what agencies.yaml says, from which `build` made everything else (the cache keeps it)
        self.source = RegistryFile([], []) if source is None else source
        self.entities: dict[str, Entity] = {}  # by canonical name
        self._exact: dict[str, str] = {}  # folded spelling -> canonical
        self._loose: dict[str, set[str]] = {}  # diacritics-free -> canonicals
        self.clashes: list[Clash] = []
        # every agency that is a member of a group on some day, in order (members_on filters)
        self._candidates: dict[str, tuple[str, ...]] = {}
        # the days the registry changes: each `since`, and the day after each `until`
        self._changes: tuple[dt.date, ...] = ()
        self._ceased: tuple[str, ...] = ()  # agencies with an `until`
        # the same, to ask of one name: any other agency owes its own pairs on every day
        self.ceasing: frozenset[str] = frozenset()
        # the engine resolves the same few hundred names once per row: remember the answers
        self._resolved: dict[str, Entity | None] = {}
        self._expanded: dict[tuple[str, ...], tuple[str, ...]] = {}
        # answers over time, per (question, name as asked, period between two changes of the
        # registry): every answer is the same on each day of a period, and a listing asks
        # about thousands of days (each occurrence's, each event's) in the few periods there are
        self._by_period: dict[tuple[str, str, int], Any] = {}
        self._expanded_on: dict[tuple[tuple[str, ...], int], tuple[str, ...]] = {}
        # built on the first unknown name: most runs never need it
        self._suggestions: SuggestionIndex | None = None
        # what comes before the first comma of each key that holds one (`may_begin_split`)
        self._comma_firsts: frozenset[str] | None = None
        self._begins_split: dict[str, bool] = {}

    def _built(self) -> tuple[Any, ...]:
        return (
            self.source,
            self.entities,
            self._exact,
            self._loose,
            self.clashes,
            self._candidates,
            self._changes,
            self._ceased,
            self.ceasing,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Registry) and self._built() == other._built()

    __hash__ = None  # type: ignore[assignment]  # built in place

    def __repr__(self) -> str:
        return f"Registry({len(self.entities)} agencies and groups, {len(self.clashes)} clashes)"

    @classmethod
    def build(cls, data: RegistryFile) -> Registry:
        registry = cls(data)
        for index, agency in enumerate(data.agencies):
            entity = Agency(
                nfc(agency.name),
                agency.kind,
                agency.code,
                _opt_nfc(agency.successor),
                agency.since,
                agency.until,
            )
            registry._add(entity, agency, ("agencies", index))
        # an agency's successor by its canonical name, once every name is known
        for name, known in list(registry.entities.items()):
            if isinstance(known, Agency) and known.successor is not None:
                successor = registry.resolve(known.successor)
                if isinstance(successor, Agency) and successor.name != known.successor:
                    registry.entities[name] = _replace_successor(known, successor.name)
        agencies = [e for e in registry.entities.values() if isinstance(e, Agency)]
        kind_members: dict[str, list[str]] = {}
        for agency_entity in agencies:
            kind_members.setdefault(agency_entity.kind, []).append(agency_entity.name)
        for index, group in enumerate(data.groups):
            of_kinds = tuple(
                dict.fromkeys(m for kind in group.kinds for m in kind_members.get(kind, []))
            )
            registry._add(Group(nfc(group.name), of_kinds), group, ("groups", index))
            registry._candidates.setdefault(nfc(group.name), of_kinds)
        # explicit members resolve once every name is known; a group may name another group
        candidates: dict[str, tuple[str, ...]] = {}
        for group in data.groups:
            name = nfc(group.name)
            names = dict.fromkeys(registry._candidates[name])
            for member in group.members:
                listed = registry.resolve(member)
                if isinstance(listed, Agency):
                    names[listed.name] = None
                elif listed is not None:
                    names.update(dict.fromkeys(registry._candidates.get(listed.name, ())))
            candidates[name] = tuple(names)
        registry._candidates = candidates
        # the latest day's members, for the day-less API: an agency with an until or a
        # successor has ceased by then
        for name, possible in candidates.items():
            if isinstance(registry.entities[name], Group):
                latest = tuple(m for m in possible if _lasts(registry.entities[m]))
                registry.entities[name] = Group(name, latest)
        changes = {a.since for a in agencies if a.since is not None}
        changes |= {a.until + _DAY for a in agencies if a.until is not None and a.until < LATEST}
        registry._changes = tuple(sorted(changes))
        registry._ceased = tuple(a.name for a in agencies if a.until is not None)
        registry.ceasing = frozenset(registry._ceased)
        registry._resolved.clear()  # answers given while the registry was being built
        registry._comma_firsts = None
        registry._begins_split.clear()
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

    def may_begin_split(self, piece: str) -> bool:
        """Whether `piece`, a comma and more may `resolve` to a known name: only a name that
        holds a comma can, and only when the text before its first comma is `piece`, folded
        (or without diacritics). A flow list `[Bộ Văn hóa, Thể thao và Du lịch]` split such a
        name at its commas; a cold read asks this of the items of every list, and resolves
        the items joined only after an item that may begin one."""
        try:
            return self._begins_split[piece]
        except KeyError:
            pass
        if self._comma_firsts is None:
            # fold and loose_key work character by character, and a comma is left as it is:
            # the key of "A, B" begins with the key of A, a comma, and perhaps spaces before it
            keys = itertools.chain(self._exact, self._loose)
            self._comma_firsts = frozenset(
                key.partition(",")[0].rstrip() for key in keys if "," in key
            )
        firsts = self._comma_firsts
        begins = bool(firsts) and (fold(piece) in firsts or loose_key(piece) in firsts)
        self._begins_split[piece] = begins
        return begins

    def lookup(self, name: str) -> Entity:
        entity = self.resolve(name)
        if entity is None:
            raise UnknownName(name, self.suggest(name))
        return entity

    def suggest(self, name: str, day: dt.date | None = None, *, count: int = 3) -> list[str]:
        """The closest canonical names, compared without diacritics; near-ties only.

        With `day` (a notice's date), names that exist on that day come first: each scores a
        little more, so "Bộ Nông nghiệp và PTNT" in a 2024 notice suggests Bộ Nông nghiệp và
        Phát triển nông thôn, and in a 2026 one Bộ Nông nghiệp và Môi trường."""
        if self._suggestions is None:
            from .suggest import suggestion_index

            self._suggestions = suggestion_index(self._exact.items())
        prefer = None if day is None else (lambda canonical: self.exists(canonical, day))
        return self._suggestions.suggest(name, count, prefer)

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

    # --- over time (SPEC 3.1) -------------------------------------------------------------

    def _period(self, day: dt.date) -> int:
        """Which stretch between two changes of the registry `day` falls in: every answer over
        time is the same on each day of one."""
        return _bisect_right(self._changes, day)

    def exists(self, name: str, day: dt.date) -> bool:
        """Whether `name` exists on `day`: an agency between its since and until, any group.

        An unknown name does not exist."""
        entity = self.resolve(name)
        if isinstance(entity, Agency):
            return entity.exists_on(day)
        return entity is not None

    def members_on(self, name: str, day: dt.date) -> tuple[str, ...]:
        """The agencies that owe what is assigned to `name` on `day`, in order, once each.

        A group: the agencies of its kinds that exist on `day` (each kind in the file's
        order, kinds as the group lists them), then its listed members that exist on `day`.
        An agency: itself, on any day. An unknown name: nobody."""
        key = ("members", name, self._period(day))
        try:
            found: tuple[str, ...] = self._by_period[key]
            return found
        except KeyError:
            pass
        entity = self.resolve(name)
        if entity is None:
            found = ()
        elif isinstance(entity, Agency):
            found = (entity.name,)
        else:
            candidates = self._candidates.get(entity.name, ())
            found = tuple(m for m in candidates if self._agency(m).exists_on(day))
        self._by_period[key] = found
        return found

    def expand_on(self, names: Iterable[str], day: dt.date) -> tuple[str, ...]:
        """`expand` as of `day`: the agencies `names` stand for on that day, once each."""
        key = (tuple(names), self._period(day))
        try:
            return self._expanded_on[key]
        except KeyError:
            pass
        out: dict[str, None] = {}
        for name in key[0]:
            out.update(dict.fromkeys(self.members_on(name, day)))
        self._expanded_on[key] = expanded = tuple(out)
        return expanded

    def expand_each(self, names: Iterable[str], days: Iterable[dt.date]) -> list[tuple[str, ...]]:
        """`expand_on` of each of `days` (in order): asked once per period they fall in, as the
        occurrences of a weekly report since 2024 mostly fall in one or two."""
        names = tuple(names)
        out: list[tuple[str, ...]] = []
        period = -1
        expanded: tuple[str, ...] = ()
        for day in days:
            this = self._period(day)
            if this != period:
                period = this
                expanded = self.expand_on(names, day)
            out.append(expanded)
        return out

    def owner_on(self, name: str, day: dt.date) -> str:
        """Who owes the (occurrence, agency) pairs of agency `name` as of `day`.

        The agency itself while it exists, and before it is established; from the day after
        its until, its successor, the successor's successor (X -> Y -> Z)... the first that
        exists on `day`. A chain that ends (no successor) or loops stops at its last agency.
        A group or an unknown name gives its own name back."""
        key = ("owner", name, self._period(day))
        try:
            found: str = self._by_period[key]
            return found
        except KeyError:
            pass
        entity = self.resolve(name)
        if not isinstance(entity, Agency):
            found = name if entity is None else entity.name
        else:
            found = self._owner(entity, day)
        self._by_period[key] = found
        return found

    def _owner(self, agency: Agency, day: dt.date) -> str:
        seen = {agency.name}
        while agency.until is not None and agency.until < day:
            successor = self.entities.get(agency.successor) if agency.successor else None
            if not isinstance(successor, Agency) or successor.name in seen:
                break
            seen.add(successor.name)
            agency = successor
        return agency.name

    def answering_for(self, name: str, day: dt.date) -> frozenset[str]:
        """The names whose pairs `name` answers for as of `day` (`--agency`, `agency`): an
        agency and the ceased agencies it took over from; a group, itself."""
        entity = self.resolve(name)
        if entity is None:
            return frozenset()
        return frozenset((entity.name, *self.predecessors_on(entity.name, day)))

    def naming_any(self, agencies: frozenset[str]) -> frozenset[str]:
        """The names a task may give for one of `agencies` to owe it: those agencies, and
        every group that counts one of them among its members on some day."""
        groups = (g for g, members in self._candidates.items() if not agencies.isdisjoint(members))
        return agencies.union(groups)

    def predecessors_on(self, name: str, day: dt.date) -> tuple[str, ...]:
        """The ceased agencies whose pairs `name` owes as of `day`, chains included, in the
        file's order: those for which `owner_on(p, day)` is `name`. Empty for a group."""
        entity = self.resolve(name)
        if not isinstance(entity, Agency):
            return ()
        key = ("predecessors", entity.name, self._period(day))
        try:
            found: tuple[str, ...] = self._by_period[key]
            return found
        except KeyError:
            pass
        found = tuple(
            p for p in self._ceased if p != entity.name and self.owner_on(p, day) == entity.name
        )
        self._by_period[key] = found
        return found

    def status_note(self, name: str, day: dt.date) -> Absence | None:
        """Why agency `name` does not exist on `day`; None when it does (or is a group, or
        unknown). Render it with `Absence.text(lang)`."""
        entity = self.resolve(name)
        if not isinstance(entity, Agency) or entity.exists_on(day):
            return None
        if entity.since is not None and day < entity.since:
            return Absence(entity.name, day, since=entity.since)
        owner = self.owner_on(entity.name, day)
        return Absence(
            entity.name, day, until=entity.until, owner=None if owner == entity.name else owner
        )

    def _agency(self, name: str) -> Agency:
        entity = self.entities[name]
        assert isinstance(entity, Agency)
        return entity


_DAY = dt.timedelta(days=1)
_bisect_right = bisect.bisect_right  # looked up once: every answer over time asks it


def _lasts(entity: Entity) -> bool:
    """Whether an agency still exists on the latest day (the day-less API's view)."""
    return isinstance(entity, Agency) and entity.until is None and entity.successor is None


def _replace_successor(agency: Agency, successor: str) -> Agency:
    return Agency(agency.name, agency.kind, agency.code, successor, agency.since, agency.until)


def _opt_nfc(text: str | None) -> str | None:
    return None if text is None else nfc(text)
