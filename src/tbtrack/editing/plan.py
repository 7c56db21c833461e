"""Planning an edit: `done`, `extend`, `cancel` and `new` as a validated `Change` (SPEC 4.2, 7).

Each plan reads what it needs, builds the new text (rendered by `render`, spliced by
`yamltext`), and returns it validated by `change`; nothing here writes (see `writer`).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, WriteRefused
from ..files.store import task_path as path_of_id
from ..files.text import nfc
from ..files.vocab import OBLIGATION_ID, EventShape
from .change import Change, Checker, parsed, valid_task, validated, verify
from .render import (
    NewObligation,
    NewTask,
    event_mapping,
    obligation_mapping,
    render_new_task,
    render_value,
)
from .taskfile import TaskFile, open_task, refuse_linked_folders, wanted_id
from .yamltext import append_obligation, insert_event, set_state

if TYPE_CHECKING:
    from ..files.records import Obligation, Task
    from ..files.registry import Registry


def _cleaned(text: str | None) -> str | None:
    """Text from the command line, trimmed and in NFC: terminals hand over NFD too (SPEC 2)."""
    return None if text is None else nfc(text.strip())


# --- done, extend, cancel ------------------------------------------------------------------


@dataclass(frozen=True)
class EventRequest:
    shape: EventShape
    obligation: str | None
    on: dt.date
    by: tuple[str, ...] = ()  # one event per agency; none: one event for every assignee
    for_: dt.date | None = None
    to: dt.date | None = None
    evidence: str | None = None
    note: str | None = None
    all_members: bool = False  # `done --all-members`: a group's every member, said on purpose


def plan_event(
    root: Path, identifier: str, request: EventRequest, today: dt.date, use_cache: bool = True
) -> Change:
    """Add one event per `--by` agency (or one for every assignee) to a task at its date's
    place, after the events of the same day (SPEC 4.2): the new file, validated and verified,
    not yet written, so a batch of reports is one write."""
    checker = Checker(root, use_cache)
    registry = checker.registry
    file = open_task(root, identifier)
    task = valid_task(file, checker)
    obligation = _pick_obligation(task, request.obligation, request.shape)
    names = list(dict.fromkeys(_canonical(registry, n, "--by") for n in request.by))
    if not names and request.shape == "fulfils" and not request.all_members:
        _refuse_closing_a_group(task, obligation, registry)
    events: list[dict[str, Any]] = []
    targets: list[str | None] = [*names] or [None]
    for by in targets:
        for_ = request.for_
        if for_ is None and obligation.recurring and request.shape != "cancels":
            # record the occurrence the engine would pick, so the file says what was meant
            for_ = earliest_open(task, obligation, registry, by, max(request.on, _last_on(task)))
        if request.shape == "cancels":
            _refuse_second_cancel(task, obligation, for_, by)
        events.append(
            event_mapping(
                request.shape,
                obligation.id,
                request.on,
                by=by,
                for_=for_,
                to=request.to,
                evidence=_cleaned(request.evidence) or None,
                note=_cleaned(request.note) or None,
            )
        )
    # `check` keeps progress in date order, so the events before these ones are a prefix
    index = bisect.bisect_right([e.on for e in task.progress], request.on)
    text = file.text
    new_text = text
    for offset, event in enumerate(events):
        new_text = insert_event(new_text, event, index + offset)
    expected = parsed(text)
    progress = list(expected.get("progress") or [])
    progress[index:index] = events
    expected["progress"] = progress
    verify(new_text, expected)
    summary = "; ".join(_describe(file.id, request.shape, obligation.id, e) for e in events)
    return _rewritten(file, new_text, checker, today, summary)


def _rewritten(
    file: TaskFile, new_text: str, checker: Checker, today: dt.date, summary: str
) -> Change:
    """The change that writes `new_text` over a task file, once `check` passes it, with what
    was checked for it kept (`Checker.kept`): the end of every edit of an existing task."""
    return checker.kept(
        validated(
            file.rel,
            file.path,
            file.data,
            file.encode(new_text),
            checker,
            today,
            summary,
            file.mode,
        )
    )


def _refuse_closing_a_group(task: Task, obligation: Obligation, registry: Registry) -> None:
    """`done` without `--by` closes every member of a group: asked for, never by accident."""
    from ..files.registry import Group

    for name in obligation.assignees(task):
        entity = registry.resolve(name)
        if isinstance(entity, Group) and len(entity.members) > 1:
            raise UsageError(
                f"'{obligation.id}' is owed by the group '{entity.name}' "
                f"({len(entity.members)} agencies); say who reported with --by NAME "
                "(repeatable), or give --all-members to record it for every one of them"
            )


def plan_cancel_task(
    root: Path,
    identifier: str,
    reason: str,
    today: dt.date,
    on: dt.date | None = None,
    use_cache: bool = True,
) -> Change:
    """Set a task's `state: cancelled`, its `state_reason` and `state_on` (default: today)."""
    checker = Checker(root, use_cache)
    file = open_task(root, identifier)
    task = valid_task(file, checker)
    if task.state != "active":
        raise WriteRefused(f"{file.id} is already {task.state}: {task.state_reason}")
    text = file.text
    reason = _cleaned(reason) or ""
    day = on or today
    values = {
        "state": "cancelled",
        "state_reason": render_value("state_reason", reason),
        "state_on": day.isoformat(),
    }
    new_text = set_state(text, values)
    expected = parsed(text)
    expected.update(state="cancelled", state_reason=reason, state_on=day)
    verify(new_text, expected)
    return _rewritten(file, new_text, checker, today, f"{file.id}: cancelled the task on {day}")


def _last_on(task: Task) -> dt.date:
    return max((e.on for e in task.progress), default=dt.date.min)


def _pick_obligation(task: Task, name: str | None, shape: EventShape) -> Obligation:
    ids = ", ".join(o.id for o in task.obligations)
    if name is None:
        if len(task.obligations) == 1:
            return task.obligations[0]
        raise UsageError(f"say which obligation this event {shape}: one of {ids}")
    obligation = task.obligation(name.strip())
    if obligation is None:
        raise UsageError(f"no obligation '{name}' in this task; it has: {ids}")
    return obligation


def _canonical(registry: Registry, name: str, option: str) -> str:
    from ..files.registry import UnknownName
    from ..messages import Message

    try:
        return registry.lookup(name).name
    except UnknownName as exc:
        raise UsageError(Message("option", {"option": option, "message": exc.message})) from None


def earliest_open(
    task: Task, obligation: Obligation, registry: Registry, by: str | None, as_of: dt.date
) -> dt.date | None:
    """The earliest occurrence still open for `by` (default: any assignee), per the engine.

    None when the agency is not an assignee: the event is then written without `for:` and
    validation reports the real problem.
    """
    from ..engine.status import Settings, covered_by, task_rows
    from ..files.vocab import FINISHED

    covered: set[str] | None = None
    if by is not None:
        owed = registry.expand_on(obligation.assignees(task), task.source.date)
        owed += registry.expand_on(obligation.assignees(task), as_of)
        covered = set(covered_by(registry, by, as_of, owed))
    # look a year ahead, then ten: a report may be filed long before its occurrence
    for years in (1, 10):
        settings = Settings(as_of=as_of, window=0, horizon=as_of + dt.timedelta(days=366 * years))
        open_dates = sorted(
            row.occurrence
            for row in task_rows("", task, registry, settings)
            if row.obligation.id == obligation.id
            and row.occurrence is not None
            and any(
                m.status not in FINISHED and m.status != "cancelled"
                for m in row.members
                if covered is None or m.agency in covered
            )
        )
        if open_dates:
            return open_dates[0]
    if covered is not None and not covered:
        return None
    raise WriteRefused(
        f"no open occurrence of '{obligation.id}' to record"
        + (f" for {by}" if by else "")
        + "; give the occurrence with --for DATE"
    )


def _refuse_second_cancel(
    task: Task, obligation: Obligation, for_: dt.date | None, by: str | None
) -> None:
    for event in task.progress:
        named = task.obligation_for(event)
        if (
            event.shape == "cancels"
            and named is obligation
            and event.for_ == for_
            and event.by in (None, by)
        ):
            what = (
                f"'{obligation.id}'"
                + (f" for {for_}" if for_ else "")
                + (f" by {by}" if by else "")
            )
            raise WriteRefused(f"{what} is already cancelled (event of {event.on})")


def _describe(task: str, shape: EventShape, obligation: str, event: Mapping[str, Any]) -> str:
    verb = {"fulfils": "fulfilled", "extends": "extended", "cancels": "cancelled"}[shape]
    parts = [f"{task}: {obligation} {verb}"]
    if "for" in event:
        parts.append(f"for {event['for']}")
    if "by" in event:
        parts.append(f"by {event['by']}")
    if "to" in event:
        parts.append(f"to {event['to']}")
    parts.append(f"on {event['on']}")
    return " ".join(parts)


# --- add-obligation ------------------------------------------------------------------------


def plan_add_obligation(
    root: Path, identifier: str, wanted: NewObligation, today: dt.date, use_cache: bool = True
) -> Change:
    """A task with one more obligation at the end of its list: a second deadline, or a later
    instruction (SPEC 5); validated as `check` would, every other byte unchanged."""
    checker = Checker(root, use_cache)
    registry = checker.registry
    file = open_task(root, identifier)
    task = valid_task(file, checker)
    wanted = _canonical_obligation(wanted, registry)
    if not re.fullmatch(OBLIGATION_ID, wanted.id):
        raise UsageError(
            f"'{wanted.id}' is not an obligation id: lower-case letters, digits and '-', "
            "starting with a letter or digit (report-2)"
        )
    if task.obligation(wanted.id) is not None:
        ids = ", ".join(o.id for o in task.obligations)
        raise UsageError(
            f"{file.id} has an obligation '{wanted.id}' already ({ids}); choose another id"
        )
    mapping = obligation_mapping(wanted)
    text = file.text
    new_text = append_obligation(text, mapping)
    expected = parsed(text)
    expected["obligations"] = [*expected["obligations"], _plain(mapping)]
    verify(new_text, expected)
    summary = (
        f"{file.id}: new obligation {wanted.id} ({wanted.due_form}: {mapping[wanted.due_form]})"
    )
    return _rewritten(file, new_text, checker, today, summary)


def _plain(value: Any) -> Any:
    """A rendered mapping as the parser reads it back: plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- new -----------------------------------------------------------------------------------


def plan_new(
    root: Path, identifier: str, spec: NewTask, today: dt.date, use_cache: bool = True
) -> Change:
    """A new task file: refused for an existing ID, validated as `check` would, so nothing
    `check` rejects is ever written."""
    wanted = wanted_id(identifier)
    rel = path_of_id(wanted)
    checker = Checker(root, use_cache)
    registry = checker.registry
    path = root.resolve() / rel
    if os.path.lexists(path):
        raise WriteRefused(f"task {wanted} already exists ({rel}); edit it, or choose another ID")
    refuse_linked_folders(root, rel)
    text = render_new_task(_canonical_task(spec, registry))
    data = text.encode("utf-8")
    return checker.kept(
        validated(rel, path, None, data, checker, today, f"{wanted}: new task", None)
    )


def _canonical_task(spec: NewTask, registry: Registry) -> NewTask:
    """`spec` with its text trimmed and in NFC and its names as the registry writes them."""

    def names(values: Sequence[str], option: str) -> list[str]:
        return [_canonical(registry, n, option) for n in values]

    first, *more = [_canonical_obligation(o, registry) for o in spec.obligations]
    return dataclasses.replace(
        spec,
        notice=_cleaned(spec.notice) or "",
        section=_cleaned(spec.section) or "",
        title=_cleaned(spec.title) or "",
        lead=names(spec.lead, "--lead"),
        due_value=first.due_value,
        number=_cleaned(spec.number) or None,
        text=_cleaned(spec.text) or None,
        support=names(spec.support, "--support"),
        report_to=_canonical(registry, spec.report_to, "--report-to") if spec.report_to else None,
        tags=[_cleaned(t) or "" for t in spec.tags],
        obligation_id=first.id,
        as_written=first.as_written,
        to=first.to,
        who=first.who,
        more_obligations=more,
        notes=_cleaned(spec.notes) or None,
        review=[(place, nfc(comment)) for place, comment in spec.review],
    )


def _canonical_obligation(wanted: NewObligation, registry: Registry) -> NewObligation:
    value = wanted.due_value
    return dataclasses.replace(
        wanted,
        id=wanted.id.strip(),
        due_value=(_cleaned(value) or "") if isinstance(value, str) else value,
        as_written=_cleaned(wanted.as_written) or None,
        to=_canonical(registry, wanted.to, "--to") if wanted.to else None,
        who=[_canonical(registry, n, "--who") for n in wanted.who],
    )
