"""What `check` finds across files or in time (SPEC 6), afresh on every run: a notice number
given different dates or titles, events dated after today.

Every listing runs `notice_conflicts` on its tasks, so this module imports the YAML reader only
when it has a finding to locate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..files.diagnostics import Diagnostic, Severity
from ..files.marks import Mark, Path
from ..files.records import Task

if TYPE_CHECKING:
    from ..files.marks import Locations


def notice_key(number: str | None) -> str | None:
    """What two files' notice numbers must share to be the same notice's; None: no number."""
    return number.strip() if number else None


def notice_conflicts(
    notices: Iterable[tuple[str, tuple[str, dt.date, str]]], read: Callable[[str], bytes]
) -> list[Diagnostic]:
    """The same notice number with different dates or titles in different files.

    `notices` holds (path, (number, date, notice)) of each valid task that gives a number.
    The tasks of one notice mostly share one such tuple (the cache keeps each notice once):
    a task whose tuple is the first one seen for its number is not compared field by field.
    """
    first: dict[str, tuple[str, tuple[str, dt.date, str]]] = {}
    out: list[Diagnostic] = []
    for rel, found in notices:
        number, date, notice = found
        key = notice_key(number)
        if key is None:
            continue
        seen = first.get(key)
        if seen is None:
            first[key] = (rel, found)
            continue
        other_rel, other = seen
        if other is found:
            continue
        for attribute, mine, theirs in (("date", date, other[1]), ("notice", notice, other[2])):
            if mine != theirs:
                out.append(
                    _locate(
                        read,
                        rel,
                        ("source", attribute),
                        f"notice {key} has {attribute} '{mine}' here but '{theirs}' in {other_rel}",
                        "notice-conflict",
                    )
                )
    return out


def future_events(
    rel: str, task: Task, today: dt.date, read: Callable[[str], bytes]
) -> list[Diagnostic]:
    late = [index for index, event in enumerate(task.progress) if event.on > today]
    if not late:
        return []
    once = functools.cache(read)  # one parse locates every event of the file
    return [
        _locate(
            once,
            rel,
            ("progress", index, "on"),
            f"event dated {task.progress[index].on}, after today ({today})",
            "future-event",
            severity="warning",
        )
        for index in late
    ]


def _locate(
    read: Callable[[str], bytes],
    rel: str,
    path: Path,
    message: str,
    rule: str,
    severity: Severity = "error",
) -> Diagnostic:
    """A diagnostic for a file already known to parse, located by reading it again."""
    from ..files.yamlread import YamlProblem

    mark = Mark(1, 1)
    with contextlib.suppress(OSError, YamlProblem):
        mark = _locations(read(rel)).of_value(path)
    return Diagnostic(rel, mark.line, mark.col, severity, message, rule)


@functools.lru_cache(maxsize=64)
def _locations(data: bytes) -> Locations:
    from ..files.yamlread import decode, load

    return load(decode(data))[1]
