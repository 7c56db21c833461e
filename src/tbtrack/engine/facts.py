"""What can be known of a task's rows before any query, whatever the day (SPEC 4.4, 8).

`task_facts` computes them from the engine itself; the cache keeps them beside each task so a
query can skip a task that cannot have a row for it without reading it (`Wanted.task`).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from ..files.records import Task
from ..files.registry import Registry
from ..files.vocab import OPEN
from .status import Row, Settings, Wanted, base_last_day, task_rows


class TaskFacts(NamedTuple):
    """What can be known of a task's rows before any query, whatever the day and settings.

    A query that wants only open rows (`due`, `overdue`) skips a task that is closed on its day,
    and one with `--before D` skips a task none of whose rows can fall before D; any query
    skips a task whose notice is after its day. `task_facts` computes these from the engine
    itself, so skipping gives exactly the rows it would have computed. The cache keeps them
    beside each task, so skipped tasks are not even read.
    """

    # from this day on no row of the task is open (overdue, due-soon, upcoming); None: unknown
    closed_from: dt.date | None
    # no row's L, after any extension, is before this day (dt.date.max: no row has an L)
    earliest_due: dt.date
    # the day of the task's last event (None: it has none), for `check`'s events after today
    last_event: dt.date | None = None
    # the notice's day: before it the task has no row (SPEC 4.4)
    begins: dt.date = dt.date.min
    # from this day on the rows are settled (`engine.settled`); None: they never are
    settled: dt.date | None = None
    # the agencies and groups its obligations name, and those it names in support, as the
    # registry names them: `--agency X` and `agency X` read only tasks that name X (or a
    # group X may be in, or an agency X took over from)
    names: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()


def settled_from(task: Task) -> dt.date | None:
    """The day from which the task's rows are settled, or None when they never are (a
    recurring obligation, or a withdrawal without a day, which `check` refuses)."""
    if any(obligation.recurring for obligation in task.obligations):
        return None
    if task.state != "active" and task.state_on is None:
        return None
    days = [task.source.date, *(e.on for e in task.progress)]
    if task.state_on is not None:
        days.append(task.state_on)
    return max(days)


def task_facts(
    task: Task, registry: Registry, rows_on: tuple[dt.date, list[Row]] | None = None
) -> TaskFacts:
    """The facts of a task; `rows_on`, its rows as of the day it is settled from
    (`engine.settled` has them), spares computing them again when that day closes it."""
    # L is a due form's day, a recurring occurrence (on or after its start) or an extension's
    # new day (a range is decided on it, with --workdays too)
    days = [e.to for e in task.progress if e.to is not None]
    for obligation in task.obligations:
        if obligation.recurring:
            days.append(obligation.first_day(task))
        else:
            day = base_last_day(obligation, None)
            if day is not None:
                days.append(day)
    earliest = min(days, default=dt.date.max)
    last = max((e.on for e in task.progress), default=None)
    begins = task.source.date
    settled = rows_on[0] if rows_on is not None else settled_from(task)
    named = (registry.resolve(n) for o in task.obligations for n in o.assignees(task))
    names = tuple(dict.fromkeys(e.name for e in named if e is not None))
    supported = (registry.resolve(n) for n in task.support)
    supports = tuple(dict.fromkeys(e.name for e in supported if e is not None))
    known = (begins, settled, names, supports)
    # a task withdrawn as a whole is cancelled from its state_on, and is as any other before
    withdrawn = task.state_on if task.state != "active" else None
    if withdrawn is None and task.state != "active":
        # a file check refuses: no rows to show
        return TaskFacts(dt.date.min, earliest, last, *known)
    if any(o.recurring for o in task.obligations):
        # new occurrences keep coming until then
        return TaskFacts(withdrawn, earliest, last, *known)
    # once every event has happened, nothing about a one-off obligation changes but its days
    # left: a member not done nor cancelled with an L stays open forever, anything else never is
    done_from = max(last or dt.date.min, task.source.date)
    if rows_on is not None and rows_on[0] == done_from:
        rows = rows_on[1]  # every row of that day: the open ones among them
    else:
        rows = task_rows("", task, registry, Settings(as_of=done_from), Wanted(OPEN))
    for row in rows:
        if row.status in OPEN or any(m.status in OPEN for m in row.members):
            return TaskFacts(withdrawn, earliest, last, *known)
    closed = done_from if withdrawn is None else min(done_from, withdrawn)
    return TaskFacts(closed, earliest, last, *known)
