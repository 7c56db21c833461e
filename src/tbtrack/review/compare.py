"""One file's change in meaning between two versions (SPEC 7): pure, two versions in (bytes, or
nothing), one `Change` out, with its details and the flags a reviewer must look at.

JSON shape (stable: fields may be added, none renamed or removed):

    change: {"task", "path", "change": "added|removed|renamed|modified", "from_path", "title",
             "details": [{"what": ..., ...}], "flags": [{"rule": ..., "message": ..., ...}]}
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..files.records import Event, Obligation, RegistryFile, Task, dump
from ..files.store import (
    AGENCIES_FILE,
    TASKS_DIR,
    task_id,
)
from ..files.text import nfc
from ..files.yamlread import YamlProblem, decode, load

if TYPE_CHECKING:
    from ..loading.versions import ParsedVersions

ChangeKind = Literal["added", "removed", "renamed", "modified"]

# Rule ids of flags: stable, they are what CI and the tests match on.
DUE_EDITED = "due-edited-in-place"
EVENT_EDITED = "event-edited"
EVENT_REMOVED = "event-removed"
EXTENSION_NO_EVIDENCE = "extension-without-evidence"
CANCELLATION_NO_EVIDENCE = "cancellation-without-evidence"
TASK_REMOVED = "task-removed"
OBLIGATION_REMOVED = "obligation-removed"
UNPARSEABLE = "unparseable"
REGISTRY_REMOVED = "registry-removed"

# The keys of an obligation that make up its due form: editing any of them moves L in place.
DUE_KEYS = ("by", "before", "within", "every", "ongoing", "undated", "start", "until")
TASK_FIELDS = (
    "source.notice",
    "source.number",
    "source.date",
    "source.section",
    "title",
    "text",
    "lead",
    "support",
    "report_to",
    "tags",
    "state",
    "state_reason",
    "state_on",
    "notes",
)
OBLIGATION_FIELDS = ("kind", "as_written", "to", "who")
# Rename detection by content similarity compares every removed file with every added one;
# above this many pairs only identical content and identical notice references are matched.
MAX_SIMILARITY_PAIRS = 10_000
SIMILAR = 0.5  # git's default rename threshold


@dataclass(frozen=True)
class Detail:
    what: str
    data: dict[str, Any] = field(default_factory=dict)  # JSON-ready values

    def as_json(self) -> dict[str, Any]:
        return {"what": self.what, **self.data}


@dataclass(frozen=True)
class Flag:
    rule: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message, **self.data}


@dataclass(frozen=True)
class Change:
    task: str | None  # None for agencies.yaml
    path: str
    change: ChangeKind
    from_path: str | None
    title: str | None
    details: tuple[Detail, ...] = ()
    flags: tuple[Flag, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "path": self.path,
            "change": self.change,
            "from_path": self.from_path,
            "title": self.title,
            "details": [d.as_json() for d in self.details],
            "flags": [f.as_json() for f in self.flags],
        }


# --- parsing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One version of one file: its bytes and what they parse to, or why they do not."""

    path: str
    data: bytes
    model: Task | RegistryFile | None
    problem: str | None

    @property
    def task(self) -> Task | None:
        return self.model if isinstance(self.model, Task) else None


def parse(path: str, data: bytes, versions: ParsedVersions | None = None) -> Version:
    """Parse with the models only: a task naming an unknown agency still has a meaning to
    compare (that is `check`'s business); only a file that does not parse has none. With
    `versions`, a task parsed from the same bytes before is taken from there, and a new one
    kept there."""
    if versions is not None and path != AGENCIES_FILE:
        known = versions.task(data)
        if known is not None:
            return Version(path, data, known, None)
    from pydantic import ValidationError

    from ..files.schema import validate

    record: type[Task | RegistryFile] = RegistryFile if path == AGENCIES_FILE else Task
    try:
        value, _ = load(decode(data))
        parsed = validate(record, value)
    except (YamlProblem, ValidationError, ValueError, TypeError):
        return Version(path, data, None, _first_problem(path, data))
    assert isinstance(parsed, Task | RegistryFile)
    if versions is not None and isinstance(parsed, Task):
        versions.put(data, parsed)
    return Version(path, data, parsed, None)


def _first_problem(path: str, data: bytes) -> str:
    """The first located error, as `check` words it."""
    from ..checking.check import analyse_registry, analyse_task
    from ..files.registry import Registry

    if path == AGENCIES_FILE:
        diagnostics = analyse_registry(path, data)[1]
    else:
        diagnostics = analyse_task(path, data, Registry())[1]
    errors = [d for d in diagnostics if d.severity == "error"]
    if not errors:
        return "does not parse"
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"line {first.line}, col {first.col}: {first.message} [{first.rule}]{more}"


# --- comparing values ---------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready value, in NFC: NFD and NFC text must never count as a change."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a record of `model`
        value = dump(value, json=True)
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def key_text(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _field(task: Task, name: str) -> Any:
    value: Any = task
    for part in name.split("."):
        value = getattr(value, part)
    return _plain(value)


def due_text(obligation: Obligation) -> str:
    """The due form as written: `by 2025-07-01`, `within 2025-Q3`, `every monthly from ...`."""
    if obligation.ongoing:
        return "ongoing"
    if obligation.undated:
        return "undated"
    if obligation.every is not None:
        text = f"every {obligation.every}"
        if obligation.start:
            text += f" from {obligation.start.isoformat()}"
        if obligation.until:
            text += f" until {obligation.until.isoformat()}"
        return text
    form = obligation.due_form
    value = getattr(obligation, form)
    return f"{form} {value.isoformat() if isinstance(value, dt.date) else value}"


def last_day(task: Task, obligation: Obligation) -> str | None:
    """L from the due form of an obligation that does not recur, as ISO text."""
    from ..engine.status import base_last_day

    if obligation.every is not None:
        return None
    day = base_last_day(obligation, None)
    return day.isoformat() if day else None


def _event_json(index: int, event: Event) -> dict[str, Any]:
    return {
        "index": index,
        "shape": event.shape,
        "obligation": event.obligation,
        "event": _plain(event),
    }


def _missing_evidence(event: Event, index: int, where: str) -> Flag | None:
    if event.shape == "fulfils" or (event.evidence and event.evidence.strip()):
        return None
    what = "extension" if event.shape == "extends" else "cancellation"
    rule = EXTENSION_NO_EVIDENCE if event.shape == "extends" else CANCELLATION_NO_EVIDENCE
    target = f"'{event.obligation}'" if event.obligation else "the task"
    to = f" to {event.to.isoformat()}" if event.to else ""
    return Flag(
        rule,
        f"{where} {what} of {target}{to} on {event.on.isoformat()} has no evidence: name the "
        "document that decided it (evidence:)",
        {"index": index, "obligation": event.obligation},
    )


# --- one task -----------------------------------------------------------------------------


def compare_tasks(old: Task, new: Task) -> tuple[list[Detail], list[Flag]]:
    """The meaning-level changes from one version of a task to the next, and their flags."""
    details: list[Detail] = []
    flags: list[Flag] = []
    for name in TASK_FIELDS:
        before, after = _field(old, name), _field(new, name)
        if before != after:
            details.append(Detail("field-changed", {"field": name, "old": before, "new": after}))
    _compare_obligations(old, new, details, flags)
    _compare_progress(old.progress, new.progress, details, flags)
    return details, flags


def _compare_obligations(old: Task, new: Task, details: list[Detail], flags: list[Flag]) -> None:
    before = {o.id: o for o in old.obligations}
    after = {o.id: o for o in new.obligations}
    for oid, obligation in after.items():
        if oid not in before:
            details.append(_obligation_detail("obligation-added", new, obligation))
    for oid, obligation in before.items():
        if oid not in after:
            details.append(_obligation_detail("obligation-removed", old, obligation))
            flags.append(
                Flag(
                    OBLIGATION_REMOVED,
                    f"obligation '{oid}' ({due_text(obligation)}) removed instead of cancelled: "
                    "keep it and append a cancels event with its evidence",
                    {"obligation": oid},
                )
            )
    for oid in (o for o in after if o in before):
        was, now = before[oid], after[oid]
        if any(_plain(getattr(was, k)) != _plain(getattr(now, k)) for k in DUE_KEYS):
            old_text, new_text = due_text(was), due_text(now)
            old_l, new_l = last_day(old, was), last_day(new, now)
            data = {
                "obligation": oid,
                "old": old_text,
                "new": new_text,
                "old_last_day": old_l,
                "new_last_day": new_l,
            }
            details.append(Detail("due-edited", data))
            dates = f" (last day {old_l or '—'} → {new_l or '—'})" if old_l or new_l else ""
            flags.append(
                Flag(
                    DUE_EDITED,
                    f"obligation '{oid}': due form edited in place, {old_text} → {new_text}"
                    f"{dates}; keep the original and append an extends event with its evidence",
                    data,
                )
            )
        for name in OBLIGATION_FIELDS:
            a, b = _plain(getattr(was, name)), _plain(getattr(now, name))
            if a != b:
                details.append(
                    Detail(
                        "obligation-changed", {"obligation": oid, "field": name, "old": a, "new": b}
                    )
                )


def _obligation_detail(what: str, task: Task, obligation: Obligation) -> Detail:
    return Detail(
        what,
        {
            "obligation": obligation.id,
            "kind": obligation.kind,
            "due": due_text(obligation),
            "last_day": last_day(task, obligation),
        },
    )


def _compare_progress(
    old: Sequence[Event], new: Sequence[Event], details: list[Detail], flags: list[Flag]
) -> None:
    """Events are only ever added, at the end or at their date's place (SPEC 4.2): an
    addition anywhere is no flag; an edit or a removal rewrites history."""
    matcher = difflib.SequenceMatcher(
        a=[key_text(e) for e in old], b=[key_text(e) for e in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = _pair_edits(old[i1:i2], new[j1:j2])
        paired_new = {j1 + b for _, b in pairs}
        edited = {i1 + a: j1 + b for a, b in pairs}
        for i in range(i1, i2):
            j = edited.get(i)
            if j is None:
                details.append(Detail("event-removed", _event_json(i, old[i])))
                flags.append(
                    Flag(
                        EVENT_REMOVED,
                        f"event {i + 1} ({_event_summary(old[i])}) removed: history rewritten; "
                        "events are only ever added",
                        {"index": i},
                    )
                )
                continue
            data = {
                "index": j,
                "old_index": i,
                "shape": new[j].shape,
                "obligation": new[j].obligation,
                "old": _plain(old[i]),
                "new": _plain(new[j]),
            }
            details.append(Detail("event-edited", data))
            flags.append(
                Flag(
                    EVENT_EDITED,
                    f"event {i + 1} ({_event_summary(old[i])}) edited: history rewritten; "
                    "events are only ever added",
                    {"index": j, "old_index": i},
                )
            )
            flag = _missing_evidence(new[j], j, "edited")
            if flag:
                flags.append(flag)
        last_paired = max(paired_new, default=-1)
        for j in range(j1, j2):
            if j in paired_new:
                continue
            at_end = i2 == len(old) and j > last_paired
            details.append(
                Detail("event-appended" if at_end else "event-inserted", _event_json(j, new[j]))
            )
            flag = _missing_evidence(new[j], j, "new")
            if flag:
                flags.append(flag)


def _pair_edits(old: Sequence[Event], new: Sequence[Event]) -> list[tuple[int, int]]:
    """In a run of events that differ, which old one became which new one: the same kind of
    event about the same obligation, in order. The rest were removed or added."""
    pairs: list[tuple[int, int]] = []
    start = 0
    for i, was in enumerate(old):
        for j in range(start, len(new)):
            if (new[j].shape, new[j].obligation) == (was.shape, was.obligation):
                pairs.append((i, j))
                start = j + 1
                break
    return pairs


def _event_summary(event: Event) -> str:
    text = f"{event.on.isoformat()} {event.shape}"
    if event.obligation:
        text += f" {event.obligation}"
    if event.to:
        text += f" to {event.to.isoformat()}"
    return text


def compare(old: Version | None, new: Version | None, renamed: bool = False) -> Change | None:
    """One file's change between two versions (None: absent on that side)."""
    current = new if new is not None else old
    if current is None:
        return None
    if old is not None and new is not None and old.data == new.data and not renamed:
        return None
    path = current.path
    if path == AGENCIES_FILE:
        return _compare_registry(old, new)
    kind: ChangeKind = (
        "added"
        if old is None
        else "removed"
        if new is None
        else "renamed"
        if renamed
        else "modified"
    )
    title = _title(new) or _title(old)
    details: list[Detail] = []
    flags: list[Flag] = []
    if new is not None and new.model is None:
        details.append(Detail("unparseable", {"side": "new", "message": new.problem}))
        flags.append(
            Flag(UNPARSEABLE, f"{new.path} does not parse: {new.problem}", {"side": "new"})
        )
    if old is not None and old.model is None and new is not None:
        # a fix of a broken file: nothing to compare with, so no flag, but say so
        details.append(Detail("unparseable", {"side": "old", "message": old.problem}))
    if old is None and new is not None and new.task is not None:
        details += [
            _obligation_detail("obligation-added", new.task, o) for o in new.task.obligations
        ]
        _compare_progress([], new.task.progress, details, flags)
    elif new is None and old is not None:
        state = old.task.state if old.task else None
        was = f" (it was {state})" if state and state != "active" else ""
        flags.append(
            Flag(
                TASK_REMOVED,
                f"task removed instead of cancelled{was}"
                ": keep the file and cancel it (`tbtrack cancel`, state: cancelled with a "
                "state_reason), so its history stays",
            )
        )
    elif old is not None and new is not None and old.task and new.task:
        found, raised = compare_tasks(old.task, new.task)
        details += found
        flags += raised
        if not found and not raised and not renamed:
            details.append(Detail("format-only", {}))
    ident = task_id(path) if path.startswith(f"{TASKS_DIR}/") else path
    return Change(
        ident,
        path,
        kind,
        old.path if renamed and old else None,
        title,
        tuple(details),
        tuple(flags),
    )


def _title(version: Version | None) -> str | None:
    task = version.task if version else None
    return nfc(task.title) if task else None


def _compare_registry(old: Version | None, new: Version | None) -> Change:
    details: list[Detail] = []
    flags: list[Flag] = []
    if new is None:
        flags.append(Flag(REGISTRY_REMOVED, f"{AGENCIES_FILE} removed: no task can be checked"))
        return Change(None, AGENCIES_FILE, "removed", None, None, (), tuple(flags))
    kind: ChangeKind = "added" if old is None else "modified"
    if new.model is None:
        details.append(Detail("unparseable", {"side": "new", "message": new.problem}))
        flags.append(
            Flag(UNPARSEABLE, f"{AGENCIES_FILE} does not parse: {new.problem}", {"side": "new"})
        )
    elif old is not None and old.model is None:
        details.append(Detail("unparseable", {"side": "old", "message": old.problem}))
    assert new.model is None or isinstance(new.model, RegistryFile)
    before = old.model if old is not None and isinstance(old.model, RegistryFile) else None
    if new.model is not None and before is not None:
        for section in ("agencies", "groups"):
            noun = "agency" if section == "agencies" else "group"
            was = {nfc(e.name): _plain(e) for e in getattr(before, section)}
            now = {nfc(e.name): _plain(e) for e in getattr(new.model, section)}
            details += [Detail(f"{noun}-added", {"name": n}) for n in now if n not in was]
            details += [Detail(f"{noun}-removed", {"name": n}) for n in was if n not in now]
            for name in (n for n in now if n in was and was[n] != now[n]):
                keys = sorted(
                    k for k in {*was[name], *now[name]} if was[name].get(k) != now[name].get(k)
                )
                details.append(Detail(f"{noun}-changed", {"name": name, "fields": keys}))
    elif new.model is not None:
        details.append(
            Detail(
                "registry-added",
                {"agencies": len(new.model.agencies), "groups": len(new.model.groups)},
            )
        )
    if not details and not flags:
        details.append(Detail("format-only", {}))
    return Change(None, AGENCIES_FILE, kind, None, None, tuple(details), tuple(flags))
