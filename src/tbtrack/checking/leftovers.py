"""Files an interrupted write leaves behind: `.x.yaml.*.tmp` beside a task file.

A write puts the new bytes in a temporary file and renames it over the task file; a crash
between the two (a `kill -9`, a power cut) leaves the temporary file. It is never read as a
task (its name starts with a dot), so `check` names it, with the fix.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from ..files.diagnostics import Diagnostic
from ..files.store import TASK_SUFFIX

# a write holds its temporary file for milliseconds: one older than this was abandoned
STALE_AFTER = 60.0
# the names `editing.writer` gives its temporary files: `.x.yaml.` + random + `.tmp`
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".", ".tmp"


def stale_temporaries(
    root: Path, hidden: Iterable[str], now: float | None = None
) -> list[Diagnostic]:
    """A warning for each temporary file no write is still using, of the dot-named files the
    listing of tasks/ met (`Listing.hidden`)."""
    now = time.time() if now is None else now
    found: list[Diagnostic] = []
    for rel in hidden:
        if not _is_temporary(rel.rpartition("/")[2]):
            continue
        try:
            status = os.lstat(root / rel)
        except OSError:
            continue  # renamed or removed meanwhile: a write that finished
        if stat.S_ISREG(status.st_mode) and now - status.st_mtime >= STALE_AFTER:
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
    return found


def _is_temporary(name: str) -> bool:
    return (
        name.startswith(TEMPORARY_PREFIX)
        and name.endswith(TEMPORARY_SUFFIX)
        and f"{TASK_SUFFIX}." in name
    )
