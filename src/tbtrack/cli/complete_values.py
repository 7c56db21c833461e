"""What a shell completes for a value: task IDs from the file names under tasks/, agency and
group names from agencies.yaml, read as plain data (never a cache, never code).

Nothing here may fail a completion: with no data root, an unreadable agencies.yaml or no
tasks/ folder there is simply nothing to offer. Imported only when a shell asks
(`cli.completion`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..files.store import AGENCIES_FILE, TASK_SUFFIX, TASKS_DIR, find_root
from ..files.text import collation_key, loose_key


class Value(NamedTuple):
    """One completion: `partial` for a folder of tasks, which the shell leaves open (no space
    after it) so that the next Tab completes inside it."""

    text: str
    help: str | None = None
    partial: bool = False


def data_root(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path | None:
    """The data root as the commands find it (`--root`, `$TBTRACK_ROOT`, the nearest folder
    with agencies.yaml), or None where they would refuse to run."""
    from ..errors import RootNotFound

    try:
        return find_root(explicit, environ, cwd)
    except (RootNotFound, OSError, ValueError):
        return None


def task_ids(root: Path, incomplete: str) -> list[Value]:
    """The IDs under tasks/ that start with `incomplete`, one folder level at a time: at
    `tgv-` the folders (`tgv-2025-06-06/`), at `tgv-2025-06-06/` the tasks in it. When no ID
    starts so, those whose last part does (`2c` -> `tgv-2025-06-06/2c`), as the commands take
    a unique suffix."""
    folder, _, stem = incomplete.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    found: list[Value] = []
    for name, is_folder in _entries(root / TASKS_DIR / folder if folder else root / TASKS_DIR):
        if is_folder and name.startswith(stem):
            found.append(Value(f"{prefix}{name}/", partial=True))
        elif name.endswith(TASK_SUFFIX) and name.startswith(stem):
            found.append(Value(prefix + name[: -len(TASK_SUFFIX)]))
    if found or not incomplete or "/" in incomplete:
        return sorted(found)
    return sorted(
        Value(task) for task in _all_ids(root) if task.rpartition("/")[2].startswith(stem)
    )


def _entries(folder: Path) -> Iterator[tuple[str, bool]]:
    """The visible entries of one folder: (name, is a folder); links are not followed."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        yield entry.name, True
                    elif entry.is_file(follow_symlinks=False):
                        yield entry.name, False
                except OSError:
                    continue
    except OSError:
        return


def _all_ids(root: Path) -> Iterator[str]:
    stack = [""]
    while stack:
        folder = stack.pop()
        for name, is_folder in _entries(root / TASKS_DIR / folder):
            path = f"{folder}/{name}" if folder else name
            if is_folder:
                stack.append(path)
            elif name.endswith(TASK_SUFFIX):
                yield path[: -len(TASK_SUFFIX)]


def task_folders(root: Path, incomplete: str) -> list[Value]:
    """`import --folder`: the folders under tasks/ that start with `incomplete`."""
    return sorted(
        Value(name)
        for name, is_folder in _entries(root / TASKS_DIR)
        if is_folder and name.startswith(incomplete)
    )


def agency_names(root: Path, incomplete: str) -> list[Value]:
    """The names of agencies and groups any of whose spellings (name, code, alias) starts
    with `incomplete`, compared as names are (case and diacritics aside: `bo tai`, `BTC` ->
    Bộ Tài chính); always the canonical name, in Vietnamese alphabetical order."""
    wanted = loose_key(incomplete) + (" " if incomplete[-1:].isspace() else "")
    names: dict[str, str | None] = {}
    for entry in _registry_entries(root):
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        spellings = [name, entry.get("code"), *_texts(entry.get("aliases"))]
        keys = [loose_key(s) for s in spellings if isinstance(s, str)]
        if any(key.startswith(wanted) for key in keys):
            code = entry.get("code")
            names.setdefault(name, code if isinstance(code, str) else None)
    return [Value(name, names[name]) for name in sorted(names, key=collation_key)]


def _texts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _registry_entries(root: Path) -> list[dict[str, Any]]:
    """The agencies and groups of the data root's agencies.yaml as plain mappings, read with
    the program's own safe reader (no tags, no anchors); [] when it cannot be read."""
    from ..files.yamlread import YamlProblem, decode, load

    try:
        text = decode((root / AGENCIES_FILE).read_bytes())
        data, _ = load(text, positions=False)
    except (OSError, YamlProblem, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    entries: list[dict[str, Any]] = []
    for section in ("agencies", "groups"):
        items = data.get(section)
        if isinstance(items, list):
            entries.extend(item for item in items if isinstance(item, dict))
    return entries
