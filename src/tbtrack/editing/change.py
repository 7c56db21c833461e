"""Validating a change: what is about to be written must read back as meant and pass `check`.

Every spliced text is parsed again and compared with what was meant, so a splicing mistake
refuses the write instead of writing a wrong file, and validated as `tbtrack check` would, so
an edit can never make the data invalid. A `Change` is the result: new bytes, ready to write.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import WriteRefused

if TYPE_CHECKING:
    from ..files.diagnostics import Diagnostic
    from ..files.records import Task
    from ..files.registry import Registry
    from ..loading.dataset import TaskResult
    from .taskfile import TaskFile

_BOM = "\ufeff"


@dataclass(frozen=True)
class Change:
    """A file's new bytes, validated, and what it takes to write them safely."""

    rel: str
    path: Path
    old: bytes | None  # None: a new file
    new: bytes
    summary: str
    mode: int | None = None
    warnings: tuple[Diagnostic, ...] = field(default=())

    def diff(self) -> str:
        """The change as a unified diff, for the terminal and for review."""
        old = _lines(self.old)
        new = _lines(self.new)
        before = f"a/{self.rel}" if self.old is not None else "/dev/null"
        return "".join(difflib.unified_diff(old, new, before, f"b/{self.rel}", n=2))


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    # every line ends in a break, so a diff never runs two lines together
    return [line + "\n" for line in text.removesuffix("\n").split("\n")] if text else []


class Checker:
    """What an edit is checked against: the registry (from the cache, with `use_cache`, when it
    holds this agencies.yaml), and what edits checked before, by the exact bytes (the file
    before a dry run and the edit are the same bytes twice; `loading.versions.CheckedFiles`)."""

    def __init__(self, root: Path, use_cache: bool = True) -> None:
        from ..files.store import AGENCIES_FILE
        from ..loading.dataset import agencies_bytes, read_registry
        from ..loading.versions import CheckedFiles

        data = agencies_bytes(root)
        registry, _ = read_registry(root, use_cache=use_cache, data=data)
        if registry is None:
            raise WriteRefused(f"{AGENCIES_FILE} has errors; fix them first (`tbtrack check`)")
        self.registry: Registry = registry
        self._checked = CheckedFiles(root, data, enabled=use_cache)

    def analysis(self, rel: str, data: bytes) -> TaskResult:
        """What `check` makes of these bytes at `rel` (`loading.dataset.analyse_bytes`)."""
        from ..loading.dataset import analyse_bytes

        return analyse_bytes(rel, data, self.registry, self._checked)

    def save(self) -> None:
        """Keep what this edit checked, for the edit after its dry run and the next listing:
        once, when it is planned (an import checks dozens of files)."""
        self._checked.save()

    def kept(self, change: Change) -> Change:
        """`change`, once what was checked for it is saved (`save`)."""
        self.save()
        return change


def valid_task(file: TaskFile, checker: Checker) -> Task:
    """The task a file holds, which must pass `check` before anything is added to it."""
    result = checker.analysis(file.rel, file.data)
    if result.task is None:
        errors = [d for d in result.diagnostics if d.severity == "error"]
        raise WriteRefused(
            f"{file.rel} has errors; fix them first (`tbtrack check {file.rel}`):"
            + "".join(f"\n  {d.render()}" for d in errors)
        )
    return result.task


def parsed(text: str) -> dict[str, Any]:
    """The plain value of a document, to state what an edit should make of it."""
    from ..files.yamlread import load

    value, _ = load(text)
    assert isinstance(value, dict)
    return copy.deepcopy(value)


def verify(new_text: str, expected: Any) -> None:
    """Parse what is about to be written; it must mean exactly what was intended."""
    from ..files.yamlread import YamlProblem, load

    try:
        value, _ = load(new_text)
    except YamlProblem:
        value = None
    if value != expected:
        raise WriteRefused(
            "internal error: the edited file would not read back as intended; nothing written "
            "(please report this with the file)"
        )


def validated(
    rel: str,
    path: Path,
    old: bytes | None,
    new: bytes,
    checker: Checker,
    today: dt.date,
    summary: str,
    mode: int | None,
) -> Change:
    """A Change once `check` finds no error in the new bytes; its new warnings kept."""
    from ..checking.across import future_events

    result = checker.analysis(rel, new)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors or result.task is None:
        raise WriteRefused(
            f"refused: {rel} would not pass `tbtrack check` (lines as they would be written); "
            "nothing written:",
            tuple(d.render() for d in errors),
        )
    found = list(result.diagnostics) + future_events(rel, result.task, today, lambda _: new)
    before: set[tuple[str, str]] = set()
    if old is not None:  # warnings the file had already are not news
        was = checker.analysis(rel, old)
        old_found = list(was.diagnostics)
        if was.task is not None:
            old_found += future_events(rel, was.task, today, lambda _: old)
        before = {(d.rule, d.message) for d in old_found}
    fresh = tuple(d for d in found if (d.rule, d.message) not in before)
    return Change(rel, path, old, new, summary, mode, fresh)
