"""Validation of agencies.yaml and task files (SPEC 6): every problem, located.

`analyse_registry` and `analyse_task` turn a file's bytes into its model and the list of its
problems, each pointing at a line and column. They depend only on the file and the registry,
so their results can be cached; what looks across files or at today's date runs afresh every
time (`across`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..files.diagnostics import Diagnostic
from ..files.marks import Locations, Path
from ..files.records import Event, Obligation, RegistryFile, Task
from ..files.registry import Registry
from ..files.schedule import ScheduleError, occurrences
from ..files.vocab import DUE_FORMS
from ..files.yamlread import decode, load, places_under
from .findings import Report, parse, validate

# --- agencies.yaml --------------------------------------------------------------------------


def analyse_registry(rel: str, data: bytes) -> tuple[Registry | None, list[Diagnostic]]:
    report = Report(rel)
    value = parse(report, data)
    parsed = validate(report, RegistryFile, value) if value is not None else None
    if parsed is None:
        return None, report.items
    registry = Registry.build(parsed)
    for clash in registry.clashes:
        section, index, key = clash.where
        report.add(
            (section, index, key),
            f"'{clash.spelling}' of '{clash.second}' is already a name, code or alias of "
            f"'{clash.first}'",
            "duplicate-name",
        )
    for index, agency in enumerate(parsed.agencies):
        if agency.successor and registry.resolve(agency.successor) is None:
            _unknown(report, registry, ("agencies", index, "successor"), agency.successor)
    _check_succession(report, registry, parsed)
    for index, group in enumerate(parsed.groups):
        for position, member in enumerate(group.members):
            if registry.resolve(member) is None:
                _unknown(report, registry, ("groups", index, "members", position), member)
    for path in sorted(report.locations.flow_lists, key=str):
        if path[-1] not in ("aliases", "members"):
            continue
        items = _at(value, path)
        if isinstance(items, list) and any(
            isinstance(item, str) and item[:1].islower() for item in items[1:]
        ):
            report.add(
                path,
                "a flow list may have split a name at its comma",
                "split-name",
                hint="write names with commas in a block list, one '- name' per line, or quote them",
                severity="warning",
            )
    _nfc_warnings(report, value)
    return (None if report.has_errors else registry), report.items


def _check_succession(report: Report, registry: Registry, parsed: RegistryFile) -> None:
    """SPEC 3.1: until not before since; a successor needs an until, is one agency that exists
    the day after it, and no chain of successors comes back to where it started."""
    from ..files.registry import Agency
    from ..files.text import nfc

    for index, agency in enumerate(parsed.agencies):
        path: Path = ("agencies", index)
        if agency.since and agency.until and agency.until < agency.since:
            report.add(
                (*path, "until"),
                f"'{agency.name}' ends (until {agency.until}) before it begins (since "
                f"{agency.since})",
                "until-before-since",
            )
        if not agency.successor:
            continue
        if agency.until is None:
            report.add(
                (*path, "successor"),
                f"'{agency.name}' has a successor but no until: the successor takes over from "
                "the day after until",
                "successor-without-until",
                hint="add until: with its last day (YYYY-MM-DD)",
                at_key=True,
            )
            continue
        successor = registry.resolve(agency.successor)
        if successor is None or agency.until >= dt.date.max:
            continue  # unknown: reported above
        if not isinstance(successor, Agency):
            report.add(
                (*path, "successor"),
                f"successor '{successor.name}' is a group; a successor is one agency",
                "successor-not-agency",
            )
            continue
        day = agency.until + dt.timedelta(days=1)
        if successor.name != nfc(agency.name) and not successor.exists_on(day):
            lived = (
                f"it was established on {successor.since}"
                if successor.since and day < successor.since
                else f"it ceased on {successor.until}"
            )
            report.add(
                (*path, "successor"),
                f"successor '{successor.name}' does not exist on {day}, the day after "
                f"'{agency.name}' ceased ({lived})",
                "successor-not-existing",
            )
    # a cycle: following successors from an agency comes back to it; reported once, at the
    # cycle's agency that comes first in the file
    index_of = {nfc(a.name): i for i, a in reversed(list(enumerate(parsed.agencies)))}
    reported: set[str] = set()
    for index, agency in enumerate(parsed.agencies):
        name = nfc(agency.name)
        chain = [name]
        entity = registry.entities.get(name)
        while isinstance(entity, Agency) and entity.successor:
            entity = registry.resolve(entity.successor)
            if not isinstance(entity, Agency) or entity.name in chain[1:]:
                break  # no successor, or a loop that does not pass through `name`
            if entity.name == name:
                if not reported & set(chain):
                    reported.update(chain)
                    first = min(chain, key=lambda n: index_of.get(n, index))
                    at = chain.index(first)
                    loop = [*chain[at:], *chain[:at], first]
                    report.add(
                        ("agencies", index_of.get(first, index), "successor"),
                        "successor cycle: " + " -> ".join(f"'{n}'" for n in loop),
                        "successor-cycle",
                        hint="a successor chain must end at an agency that still exists",
                    )
                break
            chain.append(entity.name)


def _at(value: Any, path: Path) -> Any:
    for part in path:
        value = value[part]
    return value


# --- task files -----------------------------------------------------------------------------


def analyse_task(rel: str, data: bytes, registry: Registry) -> tuple[Task | None, list[Diagnostic]]:
    # most files are good: learn that without recording positions, and only when something is
    # to be reported parse again with them, so every diagnostic is located as before. A valid
    # task's findings do not depend on positions, only their places do: the file is parsed
    # again for them alone (a warning is common: an agency named before it existed)
    task, report = _analyse_task(rel, data, registry, positions=False)
    if not report.items:
        return task, report.items
    if task is not None:
        return task, report.located(_places(report, data))
    task, report = _analyse_task(rel, data, registry, positions=True)
    return task, report.items


def _places(report: Report, data: bytes) -> Locations:
    """Where the findings of a valid task's file stand: only their top-level keys' lines are
    read again, when each finding is about something under a key."""
    text = decode(data)
    if not all(path for path, _ in report.places):  # the document itself: read it whole
        return load(text, positions=True)[1]
    return places_under(text, {str(path[0]) for path, _ in report.places})


def _analyse_task(
    rel: str, data: bytes, registry: Registry, *, positions: bool
) -> tuple[Task | None, Report]:
    report = Report(rel)
    value = parse(report, data, positions)
    task = validate(report, Task, value) if value is not None else None
    if value is not None and not report.all_nfc:
        _nfc_warnings(report, value)
    if task is None:
        if value is not None and positions:
            # the rules that need no valid task still run: every problem of the file at once
            _check_names(report, _raw_names(value), value, registry, _raw_date(value))
            _raw_due_forms(report, value)
        return None, report
    _check_names(report, _names_of(task), value, registry, task.source.date)
    _check_obligations(report, task, registry)
    settled = {id(task.obligation_for(e)) for e in task.progress}
    for index, obligation in enumerate(task.obligations):
        # fulfilled, cancelled or given a date by an extension: nothing left to warn of
        if obligation.undated and id(obligation) not in settled:
            report.add(
                ("obligations", index, "undated"),
                f"obligation '{obligation.id}' has no date",
                "undated",
                hint="add an extends event with to: once a date is set",
                severity="warning",
            )
    return (None if report.has_errors else task), report


def _names_of(task: Task) -> Iterable[tuple[Path, str]]:
    for key in ("lead", "support"):
        for index, name in enumerate(getattr(task, key)):
            yield (key, index), name
    if task.report_to:
        yield ("report_to",), task.report_to
    for index, obligation in enumerate(task.obligations):
        if obligation.to:
            yield ("obligations", index, "to"), obligation.to
        for position, name in enumerate(obligation.who or ()):
            yield ("obligations", index, "who", position), name
    for index, event in enumerate(task.progress):
        if event.by:
            yield ("progress", index, "by"), event.by


def _raw_names(value: dict[str, Any]) -> Iterable[tuple[Path, str]]:
    """The names a file that did not validate gives where a task's names stand."""

    def items(holder: Any, key: str) -> list[Any]:
        found = holder.get(key) if isinstance(holder, dict) else None
        return found if isinstance(found, list) else []

    for key in ("lead", "support"):
        for index, name in enumerate(items(value, key)):
            if isinstance(name, str):
                yield (key, index), name
    if isinstance(value.get("report_to"), str):
        yield ("report_to",), value["report_to"]
    for index, obligation in enumerate(items(value, "obligations")):
        if isinstance(obligation, dict) and isinstance(obligation.get("to"), str):
            yield ("obligations", index, "to"), obligation["to"]
        for position, name in enumerate(items(obligation, "who")):
            if isinstance(name, str):
                yield ("obligations", index, "who", position), name
    for index, event in enumerate(items(value, "progress")):
        if isinstance(event, dict) and isinstance(event.get("by"), str):
            yield ("progress", index, "by"), event["by"]


_OBLIGATION_KEYS = frozenset(Obligation._fields)


def _raw_due_forms(report: Report, value: dict[str, Any]) -> None:
    """Not exactly one due form, in an obligation whose other errors kept pydantic from
    looking (it checks the forms only once every field is valid)."""
    obligations = value.get("obligations")
    if not isinstance(obligations, list):
        return
    reported = {(d.line, d.col) for d in report.items if d.rule == "due-form"}
    for index, obligation in enumerate(obligations):
        if not isinstance(obligation, dict):
            continue
        forms = [f for f in DUE_FORMS if obligation.get(f) is not None]
        if not forms and set(obligation) - _OBLIGATION_KEYS:
            continue  # `dueby:` is reported as an unknown key, with the form it meant
        mark = report.locations.of_value(("obligations", index))
        if len(forms) != 1 and (mark.line, mark.col) not in reported:
            given = ", ".join(forms) if forms else "none"
            report.add(
                ("obligations", index),
                f"an obligation has exactly one due form of {', '.join(DUE_FORMS)} "
                f"(given: {given})",
                "due-form",
            )


def _check_names(
    report: Report,
    names: Iterable[tuple[Path, str]],
    value: Any,
    registry: Registry,
    issued: dt.date | None,
) -> None:
    """Every name resolves (suggestions: the agencies of the notice's date first), and names
    an agency that existed on the notice's date (SPEC 3.1; a warning)."""
    split = _split_names(report, value, registry)
    for path, name in names:
        if path in split:
            continue
        entity = registry.resolve(name)
        if entity is None:
            _unknown(report, registry, path, name, issued)
        elif path[0] != "progress" and issued is not None:
            absence = registry.status_note(entity.name, issued)
            if absence is not None:
                report.add(
                    path,
                    f"'{entity.name}' did not exist on the notice's date ({issued}): "
                    + absence.text(),
                    "agency-not-existing",
                    hint="name the agency the notice names, as it was on its date",
                    severity="warning",
                )


def _raw_date(value: dict[str, Any]) -> dt.date | None:
    """The notice's date of a file that did not validate, when it gives one."""
    source = value.get("source")
    day = source.get("date") if isinstance(source, dict) else None
    return day if type(day) is dt.date else None


def _split_names(report: Report, value: Any, registry: Registry) -> set[Path]:
    """Items of a flow list that are pieces of one known name split at its commas."""
    covered: set[Path] = set()
    for list_path in report.locations.flow_lists:
        try:
            items = _at(value, list_path)  # the file's own values: the task's, as validated
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(items, list):
            continue
        start = 0
        while start < len(items):
            # the longest run of items from here that joins to a known name; none unless a
            # name with a comma begins with this item (most lists: one look-up an item)
            longest = len(items) if registry.may_begin_split(str(items[start])) else start + 1
            for end in range(longest, start + 1, -1):
                joined = ", ".join(str(i) for i in items[start:end])
                entity = registry.resolve(joined)
                if entity is not None:
                    report.add(
                        (*list_path, start),
                        f"the flow list split '{entity.name}' at its commas into "
                        + ", ".join(repr(str(i)) for i in items[start:end]),
                        "split-name",
                        hint=f'quote it: ["{joined}"], or write a block list',
                    )
                    covered.update((*list_path, i) for i in range(start, end))
                    start = end - 1
                    break
            start += 1
    return covered


def _unknown(
    report: Report, registry: Registry, path: Path, name: str, day: dt.date | None = None
) -> None:
    """An unknown name, with the closest known ones: those that existed on `day` (a task's
    notice date) first."""
    suggestions = registry.suggest(name, day)
    report.add(
        path,
        f"unknown agency or group '{name}'",
        "unknown-agency",
        hint=f"did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else None,
    )


def _check_event_by(
    report: Report,
    registry: Registry,
    task: Task,
    obligation: Obligation,
    event: Event,
    path: Path,
) -> None:
    """`by:` names an agency that existed on the event's day and owed the obligation, itself or
    as the successor of one that did (SPEC 3.1)."""
    entity = registry.resolve(event.by or "")
    if entity is None:
        return  # reported as an unknown name
    absence = registry.status_note(entity.name, event.on)
    if absence is not None and absence.reason == "ceased":
        report.add(
            path,
            f"'{entity.name}' no longer existed on {event.on}: it ceased on {absence.until}",
            "agency-ceased",
            hint=f"write by: {absence.owner}, which owes its obligations from then on"
            if absence.owner
            else None,
        )
        return
    names = obligation.assignees(task)
    owed = {
        *registry.expand_on(names, task.source.date),
        *registry.expand_on(names, event.on),
        *registry.expand(names),
    }
    owners = {registry.owner_on(agency, event.on) for agency in owed}
    if not set(registry.members_on(entity.name, event.on)) <= owed | owners:
        report.add(
            path,
            f"'{entity.name}' does not owe '{obligation.id}'",
            "not-assignee",
            hint="by: names an assignee of the obligation (its who:, else the task's lead)",
        )


def _check_obligations(report: Report, task: Task, registry: Registry) -> None:
    from ..engine.status import base_last_day

    seen: dict[str, int] = {}
    for index, declared in enumerate(task.obligations):
        if declared.id in seen:
            report.add(
                ("obligations", index, "id"),
                f"obligation id '{declared.id}' is used twice (first in item {seen[declared.id] + 1})",
                "duplicate-obligation",
            )
        seen.setdefault(declared.id, index)
    last_day: dict[tuple[str, dt.date | None, str | None], dt.date | None] = {}
    fulfilled: set[tuple[str, dt.date | None, str | None]] = set()
    previous: dt.date | None = None
    for index, event in enumerate(task.progress):
        path: Path = ("progress", index)
        if previous and event.on < previous:
            report.add(
                (*path, "on"),
                f"event of {event.on} comes after one of {previous}",
                "event-order",
                hint="progress is kept oldest first; move the event to its date's place (tbtrack done, extend and cancel put it there)",
            )
        previous = max(previous, event.on) if previous else event.on
        obligation = _event_obligation(report, task, event, path)
        if obligation is None:
            continue
        occurrence = event.for_
        if occurrence is not None:
            if not obligation.recurring:
                report.add(
                    (*path, "for"),
                    f"'for' names an occurrence, but '{obligation.id}' does not recur",
                    "unknown-occurrence",
                )
                continue
            if not _is_occurrence(task, obligation, occurrence):
                report.add(
                    (*path, "for"),
                    f"{occurrence} is not an occurrence of '{obligation.id}' ({obligation.every})",
                    "unknown-occurrence",
                )
                continue
        if event.by is not None:
            _check_event_by(report, registry, task, obligation, event, (*path, "by"))
        key = (obligation.id, occurrence, event.by)
        if event.shape == "extends" and event.to is not None:
            # an extension for one agency moves on from its own last one, else everyone's
            everyone = last_day.get((obligation.id, occurrence, None))
            current = last_day.get(key, everyone or base_last_day(obligation, occurrence))
            if current is not None and event.to < current:
                report.add(
                    (*path, "to"),
                    f"an extension must move the deadline later: {event.to} is before {current}",
                    "extend-earlier",
                )
            last_day[key] = event.to
        # a recurring occurrence named with for: counts like a one-off obligation; without
        # for: the engine gives the report to the earliest open occurrence, never a second time
        if event.shape == "fulfils" and (not obligation.recurring or occurrence is not None):
            entity = registry.resolve(event.by) if event.by else None
            who = entity.name if entity is not None else None
            if {(obligation.id, occurrence, who), (obligation.id, occurrence, None)} & fulfilled:
                report.add(
                    path,
                    f"'{obligation.id}' is already fulfilled"
                    + (f" for {occurrence}" if occurrence else "")
                    + (f" by '{who}'" if who else ""),
                    "already-fulfilled",
                )
            fulfilled.add((obligation.id, occurrence, who))


def _event_obligation(report: Report, task: Task, event: Event, path: Path) -> Obligation | None:
    """The obligation the event is about (`Task.obligation_for`); when there is none, why."""
    obligation = task.obligation_for(event)
    if obligation is not None:
        return obligation
    shape, name = event.shape, event.obligation
    if name is None:
        report.add(
            path,
            f"this event does not say which obligation it {shape}; the task has "
            f"{len(task.obligations)}",
            "unknown-obligation",
            hint=f"add {shape}: one of {', '.join(o.id for o in task.obligations)}",
        )
    else:
        report.add(
            (*path, shape),
            f"no obligation '{name}' in this task",
            "unknown-obligation",
            hint=f"obligations: {', '.join(o.id for o in task.obligations)}",
        )
    return None


def _is_occurrence(task: Task, obligation: Obligation, day: dt.date) -> bool:
    assert obligation.every is not None
    start = obligation.first_day(task)
    # through the end of its year, not the day itself: the events of a year share one computed
    # list of occurrences (they are cached by their arguments), and a later end adds only later days
    try:
        through = dt.date(day.year, 12, 31)
        return day in occurrences(obligation.every, start, obligation.until, through)
    except ScheduleError:
        return False


def _nfc_warnings(report: Report, value: Any) -> None:
    """One warning per file, at its first value not in NFC: the fix is for the whole file."""
    found = list(_not_nfc(value, ()))
    if found:
        more = f" (and {len(found) - 1} more value(s) in this file)" if len(found) > 1 else ""
        report.add(
            found[0],
            f"text is not in Unicode NFC: it may look identical but compare differently{more}",
            "not-nfc",
            hint="`tbtrack check --fix` rewrites the file in NFC, changing nothing else",
            severity="warning",
        )


def _not_nfc(value: Any, path: Path) -> Iterable[Path]:
    if isinstance(value, str):
        if not unicodedata.is_normalized("NFC", value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _not_nfc(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _not_nfc(item, (*path, index))


__all__ = [
    "DUE_FORMS",
    "analyse_registry",
    "analyse_task",
]
