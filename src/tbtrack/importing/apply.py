"""`tbtrack import`: a notice file to task files under tasks/FOLDER/, ready to write (SPEC 10).

`plan_import` reads the notice, drafts one task per assignment with names resolved as of the
notice's date, renders each through the writer `tbtrack new` uses (its `# review:` comments
at their places, the editor's schema line first) and validates each as `check` would. Nothing
here writes: `editing.writer.write_all` puts the files in place, all of them or none.

What `check` would reject is never written, with one exception that is the point of a
review: a name the registry does not know is written as the notice gives it, where it stands
(`lead`, `support`), with a `# review:` comment and the name in `notes`, so that `check`
reports it at its place until agencies.yaml or the name is fixed; the command then exits 1.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, WriteRefused
from ..files.store import TASK_SUFFIX, TASKS_DIR, id_problem
from .draft import KeyPath, NoticeDraft, TaskDraft
from .extract import extract_text
from .notice import parse_notice
from .resolver import RegistryResolver

if TYPE_CHECKING:
    from ..editing.change import Change, Checker
    from ..editing.render import NewObligation, NewTask
    from ..files.diagnostics import Diagnostic

# the one check error an imported file may carry: a name to add to agencies.yaml or fix
_UNKNOWN_RULE = "unknown-agency"
# a task file of tasks/FOLDER/ is two folders below the data root
_DEPTH = 2


@dataclass(frozen=True)
class ImportPlan:
    """The files an import writes, validated, and what the summary says about them."""

    folder: str  # "tgv-2025-06-06": the folder under tasks/
    changes: list[Change]
    draft: NoticeDraft
    reviews: int  # places to review: the `# review:` comments, a notice-wide one counted once
    unknown: list[str]  # names the registry does not know, as written
    kept: list[str] = field(default_factory=list)  # files of the folder the import leaves

    @property
    def rel_folder(self) -> str:
        return f"{TASKS_DIR}/{self.folder}/"

    @property
    def needs_review(self) -> bool:
        return bool(self.reviews or self.unknown)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for change in self.changes for d in change.warnings]

    def summary(self, written: bool) -> str:
        tasks = _count(self.draft.task_count, "task")
        obligations = _count(self.draft.obligation_count, "obligation")
        verb = "imported" if written else "dry run, nothing written: would import"
        line = f"{verb} {tasks}, {obligations} into {self.rel_folder}"
        places = _count(self.reviews, "place")
        return line + (
            f"; {places} to review (# review:)" if self.reviews else "; nothing to review"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def plan_import(
    root: Path,
    notice: Path,
    *,
    folder: str | None = None,
    force: bool = False,
    date: dt.date | None = None,
    today: dt.date,
    use_cache: bool = True,
) -> ImportPlan:
    """The task files the notice at `notice` gives, under tasks/FOLDER/ (default: from its
    number and date); refused for an existing folder unless `force`."""
    from ..editing.change import Checker
    from ..editing.taskfile import refuse_linked_folders

    text = extract_text(notice)
    checker = Checker(root, use_cache)
    resolver = RegistryResolver(checker.registry)
    draft = parse_notice(text, resolver, date)
    day = draft.source.date
    if day is None:
        raise UsageError(
            f"{notice.name} gives no date (neither of issue nor of the meeting); "
            "give the notice's date with --date DATE"
        )
    if not draft.tasks:
        raise WriteRefused(
            f"{notice.name}: no assignment found (nothing in its body names who is to do "
            "what); nothing written"
        )
    name = _folder(folder, draft.folder)
    base = root.resolve() / TASKS_DIR / name
    refuse_linked_folders(root, f"{TASKS_DIR}/{name}/x{TASK_SUFFIX}")
    existing: set[str] = set()
    if os.path.lexists(base):
        if not base.is_dir() or base.is_symlink():
            raise WriteRefused(f"{TASKS_DIR}/{name} exists and is not a folder; refused")
        if not force:
            raise UsageError(
                f"{TASKS_DIR}/{name}/ already exists; import into another folder with "
                "--folder NAME, or write over its files with --force"
            )
        existing = {p.name for p in base.iterdir()}
    changes: list[Change] = []
    # a doubt about the notice as a whole stands in every file, and is one place to review
    reviews = len(draft.review)
    for task in draft.tasks:
        spec = new_task(task, draft, resolver, day)
        reviews += len(spec.review) - len(draft.review)
        changes.append(_validated(root, name, task.id, spec, checker, today))
    checker.save()  # what the files were checked to be, once for them all
    written = {Path(c.rel).name for c in changes}
    kept = sorted(n for n in existing - written if n.endswith(TASK_SUFFIX))
    return ImportPlan(name, changes, draft, reviews, draft.unknown_names, kept)


def _folder(given: str | None, default: str) -> str:
    if given is None:
        return default
    wanted = given.strip().rstrip("/").removeprefix(f"{TASKS_DIR}/")
    problem = id_problem(wanted)
    if problem is None and "/" in wanted:
        problem = "a folder is one ID segment, without '/'"
    if problem:
        raise UsageError(f"--folder: bad folder name '{given}': {problem}")
    return wanted


def new_task(
    task: TaskDraft, draft: NoticeDraft, resolver: RegistryResolver, day: dt.date
) -> NewTask:
    """The draft as `tbtrack new` takes a task: its review notes placed in the file."""
    from ..editing.render import NewTask
    from ..files.editor_schema import schema_ref

    data = task.data
    source = data["source"]
    lead = [*data["lead"], *task.unknown_in.get("lead", [])]
    support = [*data.get("support", []), *task.unknown_in.get("support", [])]
    first, *more = [_obligation(o) for o in data["obligations"]]
    # the file's keys, to find each note's place in: the unknown names stand in it too
    spec_data: dict[str, Any] = {**data, "lead": lead, "support": support}
    review: list[tuple[KeyPath, str]] = []
    for path, messages in task.review.items():
        place = _existing(path, spec_data)
        review.extend((place, message) for message in messages)
    for key, names in (("lead", lead), ("support", support)):
        for index, name in enumerate(names):
            if name in task.unknown_in.get(key, ()):
                continue  # noted above; `check` names the close ones
            absent = resolver.absent_on(name, day)
            if absent is not None:
                review.append(
                    ((key, index), f"not an agency on the notice's date: {absent}; check")
                )
    for note in draft.review:  # doubts about the notice as a whole: on its source
        review.append((("source", "date") if "date" in note else ("source",), note))
    return NewTask(
        notice=source["notice"],
        date=day,
        section=source["section"],
        title=data["title"],
        lead=lead,
        due_form=first.due_form,
        due_value=first.due_value,
        number=source["number"],
        text=data.get("text"),
        support=support,
        report_to=data.get("report_to"),
        obligation_id=first.id,
        kind=first.kind,
        as_written=first.as_written,
        start=first.start,
        until=first.until,
        to=first.to,
        more_obligations=more,
        notes=data.get("notes"),
        review=review,
        schema=schema_ref("task", _DEPTH),
    )


def _obligation(item: dict[str, Any]) -> NewObligation:
    from ..editing.render import NewObligation
    from ..files.vocab import DUE_FORMS

    form = next(f for f in DUE_FORMS if f in item)
    return NewObligation(
        id=item["id"],
        kind=item["kind"],
        due_form=form,
        due_value=item[form],
        as_written=item.get("as_written"),
        start=item.get("start"),
        until=item.get("until"),
        to=item.get("to"),
    )


def _existing(path: KeyPath, data: Any) -> KeyPath:
    """The longest part of `path` the file has: a note on a key the draft leaves out goes
    on the key above it; one with no place at all, on `obligations`."""
    place: list[str | int] = []
    node = data
    for part in path:
        in_map = (
            isinstance(node, dict) and isinstance(part, str) and node.get(part) not in (None, [])
        )
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            break
        node = node[part]
        place.append(part)
    return tuple(place) if place else ("obligations",)


def _validated(
    root: Path, folder: str, task_id: str, spec: NewTask, checker: Checker, today: dt.date
) -> Change:
    """The file's bytes once `check` finds nothing wrong in them but names to add."""
    from ..editing.change import Change, validated
    from ..editing.render import render_new_task
    from ..editing.taskfile import read_task

    rel = f"{TASKS_DIR}/{folder}/{task_id}{TASK_SUFFIX}"
    problem = id_problem(f"{folder}/{task_id}")
    if problem:  # the notice's numbering gave an ID no file may have
        raise WriteRefused(f"internal error: bad task ID for section {spec.section}: {problem}")
    path = root.resolve() / rel
    old, mode = read_task(path, rel) if os.path.lexists(path) else (None, None)
    new = render_new_task(spec).encode("utf-8")
    summary = f"{folder}/{task_id}: imported"
    result = checker.analysis(rel, new)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if not errors:
        return validated(rel, path, old, new, checker, today, summary, mode)
    if any(d.rule != _UNKNOWN_RULE for d in errors):
        raise WriteRefused(
            f"internal error: {rel} would not pass `tbtrack check`; nothing written "
            "(please report this with the notice):" + "".join(f"\n  {d.render()}" for d in errors)
        )
    # unknown names only: written, and shown where check will report them
    return Change(rel, path, old, new, summary, mode, tuple(result.diagnostics))
