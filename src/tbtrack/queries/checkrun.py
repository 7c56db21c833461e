"""`tbtrack check`: the dataset's diagnostics, plus today's, limited to the paths asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..checking.across import future_events
from ..checking.leftovers import stale_temporaries
from ..errors import UsageError
from ..files.diagnostics import Diagnostic
from ..loading.dataset import Dataset


def run_check(
    dataset: Dataset, today: dt.date, paths: Sequence[str], cwd: Path
) -> list[Diagnostic]:
    diagnostics = list(dataset.diagnostics) + stale_temporaries(dataset.root, dataset.hidden)
    for loaded in dataset.tasks:
        facts = loaded.facts
        if facts is not None and (facts.last_event is None or facts.last_event <= today):
            continue  # no event after today: the task need not even be read from the cache
        diagnostics += future_events(loaded.path, loaded.task, today, dataset.read)
    if paths:
        wanted = [_relative(dataset.root, cwd, p) for p in paths]
        diagnostics = [
            d
            for d in diagnostics
            if any(d.path == w or d.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    return sorted(diagnostics)


def _relative(root: Path, cwd: Path, given: str) -> str:
    path = (cwd / given).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{given} is not inside the data root {root}") from None
