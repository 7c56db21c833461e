"""One task and the registry: what an answer about one task reads (`show`, and the ID of
`done` and `log`), instead of the whole repository.

`load_one` gives a `Dataset` of that one task, whose `find(text)` gives what the full
dataset's `find(text)` gives, from the same bytes (of no task when no file could be meant:
its `find` says there is none, as the full dataset's would); or None when only the full load
can answer as it would: several files could be meant, agencies.yaml has errors, or the file
named has errors (the full load then says so, or `find` picks another task by suffix). What it
leaves out is what concerns the other files: their errors, and the notice conflicts that only
a look across files can find (`check` and every listing report those).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.facts import task_facts
from ..errors import UsageError
from ..files.diagnostics import Diagnostic
from ..files.store import AGENCIES_FILE, files_matching, read_file, sought_id, task_id, task_path
from .cache import TaskCache
from .dataset import Dataset, LoadedTask, Snapshot, analyse_agencies, analyse_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..files.records import Task
    from ..files.store import FileStat


def load_one(root: Path, text: str, *, use_cache: bool = True) -> Dataset | None:
    """The working tree's registry and the one task `text` names, through the cache when it
    holds that file as it is now and is cheap to read; None: ask `load_dataset`."""
    found = files_matching(root, text)
    if len(found) > 1:
        return None
    rel, stat = next(iter(found.items()), ("", None))
    try:
        registry_data = (root / AGENCIES_FILE).read_bytes()
    except OSError:
        return None  # the full load says why, as it always has
    # the header, the registry and this file's bucket of the index alone; read only: what
    # this run learns of one file is not written back, as a cache written now would hold
    # that file alone and lose every other
    cache = TaskCache(root, registry_data, enabled=use_cache, only=rel)
    registry, diagnostics = cache.registry(lambda: analyse_agencies(registry_data))
    if registry is None:
        return None
    read = functools.partial(read_file, root)
    if stat is None:  # no file is the task: a mistyped ID costs no more than a right one
        return Dataset(root, registry, [], sorted(diagnostics), read)
    known = registry

    def reread(path: str) -> Task | None:
        return analyse_bytes(path, read(path), known).task

    cached = _cached(cache, rel, stat, reread)
    if cached is not None:
        problems, loaded = cached
    else:
        try:
            data = read(rel)
        except OSError:
            return None
        result = analyse_bytes(rel, data, registry)
        if result.task is None:
            return None
        problems = result.diagnostics
        facts = task_facts(result.task, registry) if use_cache else None  # as the full load
        loaded = LoadedTask(task_id(rel), rel, result.task, facts=facts)
    if any(d.severity == "error" for d in problems):
        return None
    return Dataset(root, registry, [loaded], sorted([*diagnostics, *problems]), read)


def load_one_at(root: Path, snapshot: Snapshot, names: list[str], text: str) -> Dataset | None:
    """`load_one` for another snapshot (a git revision), whose task files are `names`."""
    rel = _pick(names, text)
    if rel is None:
        return None
    try:
        registry_data = snapshot.registry_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {AGENCIES_FILE}: {exc.strerror}") from None
    registry, diagnostics = analyse_agencies(registry_data)
    if registry is None:
        return None
    result = analyse_bytes(rel, snapshot.read(rel), registry)
    if result.task is None or any(d.severity == "error" for d in result.diagnostics):
        return None
    loaded = LoadedTask(task_id(rel), rel, result.task)
    return Dataset(
        root, registry, [loaded], sorted([*diagnostics, *result.diagnostics]), snapshot.read
    )


def _pick(names: list[str], text: str) -> str | None:
    """The one file of `names` that `text` names: as `files_matching` picks from a listing."""
    wanted = sought_id(text)
    exact = task_path(wanted)
    if exact in names:
        return exact
    suffix = f"/{wanted}"
    candidates = [rel for rel in names if task_id(rel).endswith(suffix)]
    return candidates[0] if len(candidates) == 1 else None


def _cached(
    cache: TaskCache, rel: str, stat: FileStat, reread: Callable[[str], Task | None]
) -> tuple[tuple[Diagnostic, ...], LoadedTask] | None:
    """The file's problems and task as the cache holds them, when it holds this version."""
    entry = cache.get(rel, stat, reread)
    if entry is None or entry.source is None:
        return None
    return entry.diagnostics, LoadedTask(task_id(rel), rel, source=entry.source, facts=entry.facts)


__all__ = ["load_one", "load_one_at"]
