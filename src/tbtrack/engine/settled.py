"""A task's pairs once nothing more can happen to it (SPEC 4.4): counted without the engine.

A task without a recurring obligation whose every event is dated on or before A, and whose
notice (and withdrawal) is too, has the same rows as of any such A: only the status of a
member still open changes with the day, by its days left. `settle` records each row's
(occurrence, member) pairs as of the day that settles the task, grouped where members are in
the same state; `pair_status` gives a group's status as of A with the engine's own rules.
`summary` and the monthly report count such a task from these pairs (the cache keeps them
beside the task) instead of decoding the task and running the engine on it again; each row's
head (`RowHead`) keeps what the report's lines say of it, so its open pairs are listed so too.
tests/engine/test_settled.py proves the counts equal on generated repositories, and
tests/queries/test_shortcuts.py the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal, NamedTuple

from ..files.records import Source, Task
from ..files.registry import Registry
from ..files.vocab import FINISHED, OPEN, ObligationKind, Status
from .facts import TaskFacts, settled_from, task_facts
from .status import (
    Row,
    Settings,
    days_left,
    finished_status,
    open_status,
    slot_due,
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
    row: int = 0  # the index of its row's head in `Settled.heads.rows`


class RowHead(NamedTuple):
    """What a settled row says beside its pairs, whatever the (later) day: an open pair's
    line in the monthly report (`pair_line`) is made of it."""

    obligation: str  # its id
    kind: ObligationKind
    as_written: str | None
    assignee: str  # the agency or group the task names
    # the row's L (SPEC 4.3: the earliest of its open members' own), as `Row.due`; the same
    # on any later day, since no member opens or closes any more
    due: dt.date | None
    original_due: dt.date | None


class Heads(NamedTuple):
    """What a settled task's rows say beside their pairs: the report's lines are made of it."""

    title: str  # the task's
    rows: tuple[RowHead, ...]  # one per row, in the rows' order


class Settled:
    """What a settled task contributes to the counts, whatever the (later) day.

    Its rows' heads are only for the monthly report's lines: read from the cache, they are
    decoded when first asked for (`summary` never asks)."""

    __slots__ = ("_heads", "groups", "rows", "source")
    _heads: Heads | Callable[[], Heads | None] | None

    def __init__(
        self,
        source: Source,
        rows: int,
        groups: tuple[PairGroup, ...],
        heads: Heads | Callable[[], Heads | None],
    ) -> None:
        self.source = source  # the task's notice, for the counts per notice
        self.rows = rows  # how many rows it has (a row of an empty group has no pairs)
        self.groups = groups  # in the rows' order, each row's in its members' order
        self._heads = heads

    @property
    def heads(self) -> Heads | None:
        """None when the cache's record of them is damaged: make the lines from the task."""
        heads = self._heads
        if callable(heads):
            heads = self._heads = heads()
        return heads

    @property
    def has_open(self) -> bool:
        return any(group.state == "open" for group in self.groups)


def settle(task: Task, registry: Registry, day: dt.date) -> Settled:
    """The pairs of the task's rows as of `day`, a day from `settled_from` (in `facts`) on."""
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
    heads = tuple(
        RowHead(
            row.obligation.id,
            row.obligation.kind,
            row.obligation.as_written,
            row.assignee,
            row.due,
            row.original_due,
        )
        for row in rows
    )
    groups = tuple(group for i, row in enumerate(rows) for group in _groups(row, i))
    return Settled(task.source, len(rows), groups, Heads(task.title, heads))


def _groups(row: Row, index: int) -> list[PairGroup]:
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
            groups.append(PairGroup(tuple(agencies), *shape, extended, index))
            agencies = []
        shape = this
        agencies.append(member.agency)
    if agencies:
        assert shape is not None
        groups.append(PairGroup(tuple(agencies), *shape, extended, index))
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
