"""A task's pairs once nothing more can happen to it (SPEC 4.4): counted without the engine.

A task without a recurring obligation whose every event is dated on or before A, and whose
notice (and withdrawal) is too, has the same rows as of any such A: only the status of a
member still open changes with the day, by its days left. `settle` records each row's
(occurrence, member) pairs as of the day that settles the task, grouped where members are in
the same state; `pair_status` gives a group's status as of A with the engine's own rules.
`summary` and the monthly report count such a task from these pairs (the cache keeps them
beside the task) instead of decoding the task and running the engine on it again.
tests/engine/test_settled.py proves the counts equal on generated repositories.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from ..files.records import Source, Task
from ..files.registry import Registry
from ..files.vocab import FINISHED, OPEN, Status
from .status import (
    Row,
    Settings,
    TaskFacts,
    days_left,
    finished_status,
    open_status,
    settled_from,
    slot_due,
    task_facts,
    task_rows,
)

# what a member's pair is once settled; "open" pairs take their status from the day
State = Literal["open", "done", "cancelled", "ongoing", "undated"]
STATES: frozenset[str] = frozenset(("open", "done", "cancelled", "ongoing", "undated"))


class PairGroup(NamedTuple):
    """Members of one row in the same state: a group of 34 provinces nobody has reported for
    is one of these, not 34."""

    agencies: tuple[str, ...]
    state: State
    due: dt.date | None  # the member's L before any move off a day off (its own, if extended)
    done_on: dt.date | None  # state "done": when it was fulfilled
    extended: bool  # the row's deadline was extended (for the report's count of extensions)


class Settled(NamedTuple):
    """What a settled task contributes to the counts, whatever the (later) day."""

    source: Source  # the task's notice, for the counts per notice
    rows: int  # how many rows it has (a row of an empty group has no pairs)
    groups: tuple[PairGroup, ...]

    @property
    def has_open(self) -> bool:
        return any(group.state == "open" for group in self.groups)


def settle(task: Task, registry: Registry, day: dt.date) -> Settled:
    """The pairs of the task's rows as of `day`, a day from `settled_from` (in `status`) on."""
    return _settled(task, task_rows("", task, registry, Settings(as_of=day)))


def facts_of(task: Task, registry: Registry) -> tuple[TaskFacts, Settled | None]:
    """What the cache keeps beside a task: its facts, and its settled pairs if it has any,
    from one computation of its rows (a cold read makes these for every file)."""
    day = settled_from(task)
    if day is None:
        return task_facts(task, registry), None
    rows = task_rows("", task, registry, Settings(as_of=day))
    return task_facts(task, registry, (day, rows)), _settled(task, rows)


def _settled(task: Task, rows: list[Row]) -> Settled:
    return Settled(task.source, len(rows), tuple(group for row in rows for group in _groups(row)))


def _groups(row: Row) -> list[PairGroup]:
    base = slot_due(row.original_due, row.extensions)  # L of a member without its own
    extended = bool(row.extensions)
    groups: list[PairGroup] = []
    agencies: list[str] = []
    shape: tuple[State, dt.date | None, dt.date | None] | None = None
    for member in row.members:
        state = _state(member.status)
        due = member.due if member.due is not None else base
        this = (state, due if state in ("open", "done") else None, member.done_on)
        if this != shape and agencies:
            assert shape is not None
            groups.append(PairGroup(tuple(agencies), *shape, extended))
            agencies = []
        shape = this
        agencies.append(member.agency)
    if agencies:
        assert shape is not None
        groups.append(PairGroup(tuple(agencies), *shape, extended))
    return groups


def _state(status: Status) -> State:
    if status in OPEN:
        return "open"
    if status in FINISHED:
        return "done"
    if status == "cancelled" or status == "ongoing" or status == "undated":
        return status
    raise ValueError(f"not a member's status: {status}")  # pragma: no cover


def pair_status(group: PairGroup, settings: Settings) -> Status:
    """The status of a group's pairs as of `settings.as_of` (on or after the settling day)."""
    state = group.state
    if state == "open" or state == "done":
        due = group.due
        if due is not None and settings.calendar is not None:
            due = settings.calendar.roll_forward(due)
        if state == "done":
            assert group.done_on is not None
            return finished_status(group.done_on, due)
        assert due is not None
        return open_status(days_left(due, settings), settings.window)
    return state
