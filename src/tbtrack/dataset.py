"""Everything a command reads: the registry and every task, validated (SPEC 2, 5.2).

A `Dataset` is what listings compute from. Files with errors are kept out of `tasks` and their
diagnostics kept, so a command can print what it could and say which files it could not read.
The working tree is read through the cache; a git revision (`--rev`) through `gitio`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .check import analyse_registry, analyse_task, notice_conflicts
from .diagnostics import Diagnostic
from .errors import UsageError
from .model import Task
from .registry import Registry
from .store import AGENCIES_FILE, id_problem, list_tasks, match_id, task_id


@dataclass(frozen=True)
class LoadedTask:
    id: str
    path: str  # relative to the data root: tasks/.../x.yaml
    task: Task


@dataclass
class Dataset:
    root: Path
    registry: Registry
    tasks: list[LoadedTask]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    read: Callable[[str], bytes] = field(default=lambda rel: b"", repr=False)

    @property
    def unreadable(self) -> list[str]:
        """Files with errors, which listings leave out."""
        return sorted({d.path for d in self.diagnostics if d.severity == "error"})

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def find(self, text: str) -> LoadedTask:
        """A task by ID or unique suffix of one."""
        by_id = {t.id: t for t in self.tasks}
        try:
            return by_id[match_id(text, by_id)]
        except UsageError as not_found:
            # a task whose file has errors is not "unknown": say what is wrong with it
            broken = {task_id(p): p for p in self.unreadable if p.startswith("tasks/")}
            try:
                path = broken[match_id(text, broken)]
            except UsageError:
                raise not_found from None
            raise UsageError(f"{path} has errors; run `tbtrack check {path}`") from None


class Snapshot(Protocol):
    """A source of files: the working tree, or a git revision."""

    def registry_bytes(self) -> bytes: ...

    def task_files(self) -> list[str]: ...

    def strays(self) -> list[str]: ...

    def read_tasks(self, registry_key: bytes, registry: Registry) -> list[TaskResult]: ...

    def read(self, rel: str) -> bytes: ...


@dataclass(frozen=True)
class TaskResult:
    path: str
    task: Task | None
    diagnostics: tuple[Diagnostic, ...]


def analyse_bytes(rel: str, data: bytes, registry: Registry) -> TaskResult:
    task, diagnostics = analyse_task(rel, data, registry)
    problem = id_problem(task_id(rel))
    if problem:
        diagnostics = [
            Diagnostic(rel, 1, 1, "error", f"bad task ID: {problem}", "bad-id"),
            *diagnostics,
        ]
        task = None
    return TaskResult(rel, task, tuple(diagnostics))


class WorkingTree:
    def __init__(self, root: Path, use_cache: bool = True) -> None:
        self.root = root
        self.use_cache = use_cache
        self._listing = list_tasks(root)

    def registry_bytes(self) -> bytes:
        return (self.root / AGENCIES_FILE).read_bytes()

    def task_files(self) -> list[str]:
        return list(self._listing.tasks)

    def strays(self) -> list[str]:
        return self._listing.strays

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def read_tasks(self, registry_key: bytes, registry: Registry) -> list[TaskResult]:
        from .cache import TaskCache

        cache = TaskCache(self.root, registry_key, enabled=self.use_cache)
        results = cache.load(
            self._listing.tasks, lambda rel: analyse_bytes(rel, self.read(rel), registry)
        )
        cache.save()
        return results


def load_dataset(root: Path, snapshot: Snapshot) -> Dataset:
    """Read the registry and every task; raise nothing for bad data, collect it instead."""
    diagnostics: list[Diagnostic] = []
    try:
        registry_data = snapshot.registry_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {AGENCIES_FILE}: {exc.strerror}") from None
    registry, found = analyse_registry(AGENCIES_FILE, registry_data)
    diagnostics += found
    if registry is None:
        # without a registry no name can be checked; report its problems and stop here
        return Dataset(root, Registry(), [], diagnostics, snapshot.read)
    results = snapshot.read_tasks(registry_data, registry)
    tasks: list[LoadedTask] = []
    for result in results:
        diagnostics += result.diagnostics
        if result.task is not None:
            tasks.append(LoadedTask(task_id(result.path), result.path, result.task))
    for stray in snapshot.strays():
        diagnostics.append(
            Diagnostic(
                stray, 1, 1, "warning", "not read: task files end in .yaml", "not-a-task-file"
            )
        )
    diagnostics += notice_conflicts(((t.path, t.task) for t in tasks), snapshot.read)
    return Dataset(root, registry, tasks, sorted(diagnostics), snapshot.read)
