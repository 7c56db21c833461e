"""How much of a hand transcription a draft gets right (SPEC 10's measure).

For each assignment: its section, lead, support, and each obligation's due form and last
allowed day. A recurring obligation's "last day" is its rule and start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tbtrack.checking.check import analyse_task
from tbtrack.engine.status import base_last_day
from tbtrack.files.records import Obligation, Task
from tbtrack.files.registry import Registry
from tbtrack.files.schedule import normalize_rule
from tbtrack.importing import NoticeDraft
from tbtrack.importing.preview import render_draft


def load_task(rel: str, data: bytes, registry: Registry) -> Task:
    task, diagnostics = analyse_task(rel, data, registry)
    errors = [d.render() for d in diagnostics if d.severity == "error"]
    assert task is not None and not errors, errors
    return task


def due_key(task: Task, obligation: Obligation) -> tuple[str, str]:
    form = obligation.due_form
    if obligation.every is not None:
        start = obligation.first_day(task)
        return form, f"{normalize_rule(obligation.every, start)} from {start}"
    last = base_last_day(obligation, None)
    return form, "" if last is None else last.isoformat()


def _names(registry: Registry, names: list[str]) -> set[str]:
    out = set()
    for name in names:
        entity = registry.resolve(name)
        out.add(entity.name if entity else name)
    return out


@dataclass
class Agreement:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 1.0

    def count(self, ok: bool, what: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(what)

    def summary(self, name: str) -> str:
        return f"{name}: {self.right}/{self.total} = {self.ratio:.1%}" + "".join(
            f"\n  miss: {m}" for m in self.misses
        )


def drafted_tasks(draft: NoticeDraft, registry: Registry) -> dict[str, Task]:
    """Every draft rendered and read back as `check` reads a task file: no errors allowed."""
    return {
        t.id: load_task(f"tasks/{draft.folder}/{t.id}.yaml", render_draft(t).encode(), registry)
        for t in draft.tasks
    }


def compare(draft: NoticeDraft, folder: Path, registry: Registry) -> Agreement:
    expected = {
        path.stem: load_task(str(path), path.read_bytes(), registry)
        for path in sorted(folder.glob("*.yaml"))
    }
    got = drafted_tasks(draft, registry)
    result = Agreement()
    for task_id, want in expected.items():
        have = got.get(task_id)
        fields = 3 + len(want.obligations)
        if have is None:
            result.total += fields
            result.misses.append(f"{task_id}: not drafted")
            continue
        result.count(
            have.source.section == want.source.section, f"{task_id}: section {have.source.section}"
        )
        result.count(
            _names(registry, have.lead) == _names(registry, want.lead),
            f"{task_id}: lead {have.lead}",
        )
        result.count(
            _names(registry, have.support) == _names(registry, want.support),
            f"{task_id}: support {have.support}",
        )
        wanted = [due_key(want, o) for o in want.obligations]
        found = [due_key(have, o) for o in have.obligations]
        for key in wanted:
            ok = key in found
            if ok:
                found.remove(key)
            result.count(ok, f"{task_id}: obligation {key}")
        for key in found:  # an obligation the transcription does not have is a mistake too
            result.count(False, f"{task_id}: extra obligation {key}")
    for task_id in got.keys() - expected.keys():
        result.count(False, f"{task_id}: drafted, not in the transcription")
    return result
