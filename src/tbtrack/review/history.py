"""What changed between two revisions, and one task's history, fetched through `gitio` and
compared with `compare` (SPEC 7): what `diff` and `log` call.

JSON shape of a log entry (stable): {"commit", "parents", "author", "email", "date", "message",
**change}
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GitError, UsageError
from ..files.records import Task
from ..files.store import (
    AGENCIES_FILE,
    TASK_SUFFIX,
    TASKS_DIR,
    files_matching,
    id_problem,
    match_id,
    sought_id,
    task_id,
    task_path,
)
from ..files.text import nfc
from ..review.compare import (
    MAX_SIMILARITY_PAIRS,
    SIMILAR,
    Change,
    Flag,
    Version,
    compare,
    key_text,
    parse,
)
from ..review.gitio import Commit, Repo, Tree


@dataclass(frozen=True)
class Diff:
    old: str  # what the user named: a revision, or "working tree"
    new: str
    changes: tuple[Change, ...]

    @property
    def flags(self) -> list[Flag]:
        return [flag for change in self.changes for flag in change.flags]

    def as_json(self) -> list[dict[str, Any]]:
        return [c.as_json() for c in self.changes]


@dataclass(frozen=True)
class LogEntry:
    commit: Commit
    change: Change | None  # None: the commit did not change the file (a merge)

    def as_json(self) -> dict[str, Any]:
        c = self.commit
        head = {
            "commit": c.sha,
            "parents": list(c.parents),
            "author": c.author,
            "email": c.email,
            "date": c.date,
            "message": c.message,
        }
        if self.change is None:
            return {
                **head,
                "task": None,
                "path": c.path,
                "change": None,
                "from_path": None,
                "title": None,
                "details": [],
                "flags": [],
            }
        return {**head, **self.change.as_json()}


@dataclass(frozen=True)
class TaskLog:
    task: str
    path: str
    entries: tuple[LogEntry, ...]

    @property
    def flags(self) -> list[Flag]:
        return [f for e in self.entries if e.change for f in e.change.flags]


# --- two snapshots ------------------------------------------------------------------------


def diff_trees(old: Tree, new: Tree) -> Diff:
    """Every change from one side to the other, renames paired up, agencies.yaml first."""
    removed = sorted(set(old.tasks) - set(new.tasks))
    added = sorted(set(new.tasks) - set(old.tasks))
    versions_old = {p: parse(p, old.files[p]) for p in removed}
    versions_new = {p: parse(p, new.files[p]) for p in added}
    pairs = _renames(versions_old, versions_new)
    changes: list[Change | None] = [
        compare(
            parse(AGENCIES_FILE, old.registry) if old.registry is not None else None,
            parse(AGENCIES_FILE, new.registry) if new.registry is not None else None,
        )
        if old.registry != new.registry
        else None
    ]
    for path in sorted(set(old.tasks) & set(new.tasks)):
        if old.files[path] != new.files[path]:
            changes.append(compare(parse(path, old.files[path]), parse(path, new.files[path])))
    paired_old = set(pairs.values())
    for path in added:
        if path in pairs:
            changes.append(compare(versions_old[pairs[path]], versions_new[path], renamed=True))
        else:
            changes.append(compare(None, versions_new[path]))
    changes += [compare(versions_old[p], None) for p in removed if p not in paired_old]
    found = [c for c in changes if c is not None]
    found.sort(key=lambda c: (c.task is not None, c.path))
    return Diff(old.label, new.label, tuple(found))


def _renames(old: Mapping[str, Version], new: Mapping[str, Version]) -> dict[str, str]:
    """new path -> old path for files that moved: same bytes, else the same notice reference
    and title, else the same notice date and section with lines at least half alike (git's
    threshold). Tasks of one notice share most of their lines, so similarity alone would pass
    a deleted task and a new sibling off as a rename and hide the deletion from the reviewer."""
    pairs: dict[str, str] = {}
    free_old = dict(old)

    def take(new_path: str, old_path: str) -> None:
        pairs[new_path] = old_path
        del free_old[old_path]

    by_bytes: dict[bytes, list[str]] = {}
    for path, version in free_old.items():
        by_bytes.setdefault(version.data, []).append(path)
    for path, version in new.items():
        same = [p for p in by_bytes.get(version.data, []) if p in free_old]
        if same:
            take(path, same[0])
    by_ref: dict[str, list[str]] = {}
    for path, version in free_old.items():
        if version.task:
            by_ref.setdefault(_reference(version.task), []).append(path)
    for path, version in new.items():
        if path in pairs or version.task is None:
            continue
        same = [p for p in by_ref.get(_reference(version.task), []) if p in free_old]
        if len(same) == 1:
            take(path, same[0])
    left_new = [p for p in new if p not in pairs]
    if not free_old or not left_new or len(free_old) * len(left_new) > MAX_SIMILARITY_PAIRS:
        return pairs
    scored: list[tuple[float, str, str]] = []
    for new_path in left_new:
        lines = new[new_path].data.splitlines()
        place = _place(new[new_path])
        for old_path, version in free_old.items():
            if place is None or _place(version) != place:
                continue
            matcher = difflib.SequenceMatcher(a=version.data.splitlines(), b=lines, autojunk=False)
            if matcher.quick_ratio() >= SIMILAR and (ratio := matcher.ratio()) >= SIMILAR:
                scored.append((ratio, new_path, old_path))
    for _, new_path, old_path in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if new_path not in pairs and old_path in free_old:
            take(new_path, old_path)
    return pairs


def _place(version: Version) -> tuple[dt.date, str] | None:
    task = version.task
    return (task.source.date, nfc(task.source.section)) if task else None


def _reference(task: Task) -> str:
    return key_text([task.source.notice, task.source.date, task.source.section, task.title])


def diff_revisions(root: Path, revs: Sequence[str]) -> Diff:
    """`tbtrack diff [REV [REV]]`: HEAD, or REV, against the working tree; or REV against REV."""
    if len(revs) > 2:
        raise UsageError("diff takes at most two revisions: tbtrack diff [REV [REV]]")
    repo = Repo.at(root)
    if not revs:
        # a repository without a commit yet: everything on disk is new
        old = repo.tree("HEAD") if repo.has_commits() else Tree("HEAD", None)
    else:
        old = repo.tree(revs[0])
    new = repo.tree(revs[1]) if len(revs) == 2 else repo.worktree()
    return diff_trees(old, new)


# --- one task's history -------------------------------------------------------------------


def task_log(
    root: Path, identifier: str, start: str = "HEAD", *, use_cache: bool = True
) -> TaskLog:
    """`tbtrack log ID`: the commits that touched one task, newest first, each with its
    meaning-level change against its first parent. Renames are followed; with `use_cache`,
    the versions parsed before are taken from the user's cache (`loading.versions`)."""
    from ..loading.versions import ParsedVersions

    repo = Repo.at(root)
    # the working tree's files the ID could name, and the revision's tasks unless the ID is
    # one of the working tree's exactly (an exact ID wins whatever else there is)
    known = {task_id(p) for p in files_matching(root, identifier)}
    if sought_id(identifier) not in known:
        known |= set(_task_ids(repo, start))
    try:
        ident = match_id(identifier, known)
        commits = repo.log(task_path(ident), start)
    except UsageError as exc:
        if isinstance(exc, GitError):
            raise
        # a task deleted long ago is no longer anywhere to match against, but has a history
        ident = identifier.strip().strip("/").removesuffix(TASK_SUFFIX)
        ident = ident.removeprefix(f"{TASKS_DIR}/")
        if id_problem(ident) or not (commits := repo.log(task_path(ident), start)):
            raise
    path = task_path(ident)
    wanted: list[str] = []
    for c in commits:
        if c.path:
            wanted.append(f"{c.sha}:{repo.prefix}{c.path}")
        if c.from_path and c.parents:
            wanted.append(f"{c.parents[0]}:{repo.prefix}{c.from_path}")
    blobs = repo.cat(wanted)  # every version of the file from one process
    versions = ParsedVersions(root, enabled=use_cache)
    entries: list[LogEntry] = []
    for c in commits:
        new_data = blobs.get(f"{c.sha}:{repo.prefix}{c.path}") if c.path else None
        old_data = (
            blobs.get(f"{c.parents[0]}:{repo.prefix}{c.from_path}")
            if c.from_path and c.parents
            else None
        )
        old = (
            parse(c.from_path, old_data, versions) if c.from_path and old_data is not None else None
        )
        new = parse(c.path, new_data, versions) if c.path and new_data is not None else None
        renamed = old is not None and new is not None and old.path != new.path
        entries.append(LogEntry(c, compare(old, new, renamed=renamed)))
    versions.save()
    return TaskLog(ident, path, tuple(entries))


def _task_ids(repo: Repo, start: str) -> Iterable[str]:
    if not repo.has_commits():
        return []
    return [task_id(p) for p in repo.task_paths(start)]
