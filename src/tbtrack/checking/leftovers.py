"""Files an interrupted write leaves behind: `.x.yaml.*.tmp` beside a task file.

A write puts the new bytes in a temporary file and renames it over the task file; a crash
between the two (a `kill -9`, a power cut) leaves the temporary file. It is never read as a
task (its name starts with a dot), so `check` names it, with the fix.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..files.diagnostics import Diagnostic
from ..files.store import TASK_SUFFIX, TASKS_DIR

# a write holds its temporary file for milliseconds: one older than this was abandoned
STALE_AFTER = 60.0
# the names `editing.writer` gives its temporary files: `.x.yaml.` + random + `.tmp`
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".", ".tmp"


def stale_temporaries(root: Path, now: float | None = None) -> list[Diagnostic]:
    """A warning for each temporary file under tasks/ that no write is still using."""
    now = time.time() if now is None else now
    found: list[Diagnostic] = []
    base = root / TASKS_DIR
    if base.is_dir():
        _walk(str(base), f"{TASKS_DIR}/", now, found)
    return found


def _walk(folder: str, prefix: str, now: float, found: list[Diagnostic]) -> None:
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return  # an unreadable folder is reported where tasks are read
    for entry in sorted(listing, key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False):
            if entry.name[0] != ".":
                _walk(entry.path, prefix + entry.name + "/", now, found)
        elif _is_temporary(entry.name):
            try:
                age = now - entry.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue  # renamed or removed meanwhile: a write that finished
            if age >= STALE_AFTER:
                rel = prefix + entry.name
                found.append(
                    Diagnostic(
                        rel,
                        1,
                        1,
                        "warning",
                        "a temporary file left by an interrupted write; the task file "
                        "beside it holds the old or the new version, never a torn one",
                        "stale-temporary",
                        hint=f"delete it: rm '{rel}'",
                    )
                )


def _is_temporary(name: str) -> bool:
    return (
        name.startswith(TEMPORARY_PREFIX)
        and name.endswith(TEMPORARY_SUFFIX)
        and f"{TASK_SUFFIX}." in name
    )
