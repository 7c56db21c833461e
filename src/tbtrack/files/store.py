"""Where the data lives: the data root, the task files and their IDs (SPEC 2)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import RootNotFound, UsageError

AGENCIES_FILE = "agencies.yaml"
TASKS_DIR = "tasks"
CONFIG_FILE = "tbtrack.toml"
CACHE_DIR = ".tbtrack"
TASK_SUFFIX = ".yaml"
SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def find_root(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """`--root`, else `$TBTRACK_ROOT`, else the nearest folder at or above cwd with agencies.yaml."""
    given = explicit or environ.get("TBTRACK_ROOT")
    if given:
        root = Path(given).expanduser()
        if not (root / AGENCIES_FILE).is_file():
            raise RootNotFound(
                f"{root} is not a tbtrack data root: it has no {AGENCIES_FILE} "
                f"(create one with `tbtrack init {given}`)"
            )
        return root.resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / AGENCIES_FILE).is_file():
            return folder
    raise RootNotFound(
        f"no {AGENCIES_FILE} here or in any folder above; run `tbtrack init` "
        "to start a data repository, or pass --root DIR"
    )


def task_id(rel_path: str) -> str:
    """`tasks/tgv-2025-06-06/2c.yaml` -> `tgv-2025-06-06/2c`."""
    inner = rel_path[len(TASKS_DIR) + 1 :]
    return inner[: -len(TASK_SUFFIX)]


def task_path(identifier: str) -> str:
    return f"{TASKS_DIR}/{identifier}{TASK_SUFFIX}"


def bare_id(text: str) -> str:
    """An ID as typed, less white space, a trailing `/`, a `tasks/` prefix and `.yaml`."""
    wanted = text.strip().rstrip("/")
    return wanted.removeprefix(f"{TASKS_DIR}/").removesuffix(TASK_SUFFIX)


def id_problem(identifier: str) -> str | None:
    """Why `identifier` is not a valid task ID, or None."""
    if not identifier:
        return "an ID is empty"
    for segment in identifier.split("/"):
        if not SEGMENT.match(segment):
            return (
                f"'{segment}' is not a valid ID segment: use lowercase ASCII letters, digits, "
                "'.', '_' and '-', starting with a letter or digit"
            )
    return None


class FileStat(NamedTuple):
    """What the cache compares: a tuple, as 100,000 of them are made on each run."""

    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int = 0  # changes with any write, and cannot be set back like mtime


@dataclass(frozen=True)
class Listing:
    """The files under tasks/: task files by relative path, and what is not a task file."""

    tasks: dict[str, FileStat]
    strays: list[str]  # files in tasks/ that are not read (wrong suffix), reported by check


def list_tasks(root: Path) -> Listing:
    """Walk tasks/ with os.scandir: one stat per file, which the cache reuses.

    Files come in the order of their sorted paths. Each folder is sorted on its own, which is
    the same order when a folder counts as its name and a "/" (`tb/` sorts after `tb-2/`, as
    `tasks/tb/a.yaml` after `tasks/tb-2/a.yaml`) and costs less than sorting 100,000 paths.
    """
    found: dict[str, FileStat] = {}
    strays: list[str] = []
    base = root / TASKS_DIR
    if base.is_dir():
        _walk(str(base), TASKS_DIR + "/", found, strays)
    return Listing(found, strays)


def _walk(folder: str, prefix: str, found: dict[str, FileStat], strays: list[str]) -> None:
    # this runs once per file of a national repository: kept lean
    with os.scandir(folder) as listing:
        entries = [
            (entry.name + "/" if entry.is_dir(follow_symlinks=False) else entry.name, entry)
            for entry in listing
            if entry.name[0] != "."
        ]
    entries.sort(key=_first)
    make = tuple.__new__  # a FileStat without the call of its Python-level constructor
    for key, entry in entries:
        if key[-1] == "/":
            _walk(entry.path, prefix + key, found, strays)
        elif key.endswith(TASK_SUFFIX) and entry.is_file(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            found[prefix + key] = make(
                FileStat, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
            )
        else:
            strays.append(prefix + key)


def _first(item: tuple[str, object]) -> str:
    return item[0]


def match_id(text: str, known: Iterable[str]) -> str:
    """The one ID that is `text` or ends in `/text`; a usage error otherwise."""
    wanted = bare_id(text.strip().lstrip("/"))
    ids = list(known)
    if wanted in ids:
        return wanted
    candidates = sorted(i for i in ids if i.endswith(f"/{wanted}"))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise UsageError(f"'{text}' is ambiguous; it could be: {', '.join(candidates)}")
    raise UsageError(f"no task with ID '{text}'")
