"""The queries behind the listing commands: due, overdue, agency, summary, show, recurring.

Each takes a Dataset and Settings and returns plain data for `output` to render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..engine.status import (
    EVERY_ROW,
    MemberStatus,
    Row,
    Settings,
    Wanted,
    combine,
    member_row,
    task_rows,
)
from ..errors import UsageError
from ..files.registry import Entity, Group, UnknownName
from ..files.text import fold
from ..files.vocab import FINISHED, OPEN, Status
from ..loading.dataset import Dataset, LoadedTask

COUNTED: tuple[Status, ...] = (
    "done",
    "done-late",
    "due-soon",
    "upcoming",
    "overdue",
    "ongoing",
    "undated",
)


@dataclass(frozen=True)
class Filters:
    agency: str | None = None
    notice: str | None = None
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def resolve_agency(dataset: Dataset, name: str) -> Entity:
    try:
        return dataset.registry.lookup(name)
    except UnknownName as exc:
        raise UsageError(str(exc)) from None


def _task_matches(loaded: LoadedTask, filters: Filters) -> bool:
    if filters.notice:
        wanted = fold(filters.notice)
        source = loaded.task.source
        haystack = " ".join(
            [source.notice, source.number or "", source.date.isoformat(), loaded.id]
        )
        if wanted not in fold(haystack):
            return False
    return not filters.tags or bool(set(filters.tags) & set(loaded.task.tags))


def _rows(
    dataset: Dataset, settings: Settings, filters: Filters, wanted: Wanted = EVERY_ROW
) -> list[Row]:
    """The wanted rows of every task that matches, in the order of the tasks."""
    tasks = [t for t in dataset.tasks if wanted.task(t.facts, settings.as_of)]
    return _task_rows(dataset, settings, filters, tasks, wanted)


def _task_rows(
    dataset: Dataset,
    settings: Settings,
    filters: Filters,
    tasks: Sequence[LoadedTask],
    wanted: Wanted = EVERY_ROW,
    *,
    keep: bool = True,
) -> list[Row]:
    """The rows of these tasks that the filters and `wanted` keep, in order; without `keep`,
    tasks read from the cache for this are not kept decoded."""
    rows: list[Row] = []
    for loaded in tasks:
        if _task_matches(loaded, filters):
            task = loaded.task if keep else loaded.passing()
            rows.extend(task_rows(loaded.id, task, dataset.registry, settings, wanted))
    if filters.kinds:
        rows = [r for r in rows if r.obligation.kind in filters.kinds]
    if filters.agency:
        rows = _for_agency(dataset, rows, resolve_agency(dataset, filters.agency), settings)
    if wanted is not EVERY_ROW:
        rows = [r for r in rows if wanted.row(r)]
    if filters.statuses:
        rows = [r for r in rows if r.status in filters.statuses]
    return rows


def _for_agency(
    dataset: Dataset, rows: Iterable[Row], entity: Entity, settings: Settings
) -> list[Row]:
    """Rows owed by `entity`: a group as named; an agency through groups and predecessors."""
    if isinstance(entity, Group):
        return [r for r in rows if r.assignee == entity.name]
    names = {entity.name, *dataset.registry.predecessors(entity.name)}
    out: list[Row] = []
    for row in rows:
        for member in row.members:
            if member.agency in names:
                out.append(member_row(row, member.agency, settings))
    return out


def _sort(rows: Iterable[Row]) -> list[Row]:
    far = dt.date.max
    return sorted(
        rows,
        key=lambda r: (
            r.effective_due or r.due or far,
            r.task_id,
            r.obligation.id,
            r.occurrence or far,
            r.assignee,
        ),
    )


def due(
    dataset: Dataset,
    settings: Settings,
    filters: Filters,
    before: dt.date | None = None,
    after: dt.date | None = None,
    include_done: bool = False,
) -> list[Row]:
    """Open rows by last day: overdue and due soon, or all with L < before (and L > after)."""
    horizon = before - dt.timedelta(days=1) if before else None
    settings = replace(settings, horizon=horizon)
    statuses = OPEN if before else frozenset({"overdue", "due-soon"})
    wanted = Wanted(
        statuses | FINISHED if include_done else statuses,
        before=before,
        after=after,
        dated=True,
        # without --before, done rows only as far as due soon reaches
        finished_through=None if before else settings.through,
    )
    return _sort(_rows(dataset, settings, filters, wanted))


def overdue(dataset: Dataset, settings: Settings, filters: Filters) -> list[Row]:
    return _sort(_rows(dataset, settings, filters, Wanted(frozenset({"overdue"}))))


def counts(rows: Iterable[Row]) -> dict[str, int]:
    """The four-way count and the rest, one per status; cancelled left out."""
    tally: dict[str, int] = dict.fromkeys(COUNTED, 0)
    for row in rows:
        if row.status in tally:
            tally[row.status] += 1
    return tally


def on_time_rate(tally: dict[str, int]) -> float | None:
    due_so_far = tally["done"] + tally["done-late"] + tally["overdue"]
    return None if due_so_far == 0 else tally["done"] / due_so_far


@dataclass
class AgencyView:
    entity: Entity
    counts: dict[str, int]
    rows: list[Row]
    predecessors: list[str] = field(default_factory=list)


def agency(dataset: Dataset, settings: Settings, name: str, filters: Filters) -> AgencyView:
    """One agency's (or group's) rows as lead and support, with its four-way count."""
    entity = resolve_agency(dataset, name)
    lead = _rows(dataset, settings, replace(filters, agency=entity.name, statuses=()))
    support = _support_rows(dataset, settings, entity, filters)
    rows = [r for r in lead + support if not filters.statuses or r.status in filters.statuses]
    return AgencyView(
        entity,
        counts(r for r in rows if r.role == "lead"),
        _sort(rows),
        dataset.registry.predecessors(entity.name),
    )


def _support_rows(
    dataset: Dataset, settings: Settings, entity: Entity, filters: Filters
) -> list[Row]:
    registry = dataset.registry
    names = {entity.name, *registry.predecessors(entity.name)}
    out: list[Row] = []
    for loaded in dataset.tasks:
        if not _task_matches(loaded, filters):
            continue
        supports = [registry.resolve(s) for s in loaded.task.support]
        if not any(s is not None and s.name in names for s in supports):
            continue
        slots: dict[tuple[str, dt.date | None], list[Row]] = {}
        for row in task_rows(loaded.id, loaded.task, registry, settings):
            if not filters.kinds or row.obligation.kind in filters.kinds:
                slots.setdefault((row.obligation.id, row.occurrence), []).append(row)
        for group in slots.values():
            members: tuple[MemberStatus, ...] = tuple(m for r in group for m in r.members)
            first = group[0]
            status, done_on = (
                ("cancelled", None)
                if first.status == "cancelled"
                else combine(members, first.status)
            )
            out.append(
                first._replace(
                    assignee=", ".join(r.assignee for r in group),
                    role="support",
                    status=status,
                    done_on=done_on,
                    members=members,
                    days_left=first.days_left if status in OPEN else None,
                )
            )
    return out


@dataclass
class SummaryRow:
    name: str
    counts: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self.counts)


def summary(dataset: Dataset, settings: Settings, by: str, filters: Filters) -> list[SummaryRow]:
    """One row per agency (abolished ones under their successor) or per notice."""
    tasks = dataset.tasks

    def tally(part: Sequence[LoadedTask]) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for loaded in part:  # task by task: neither the tasks nor their rows are kept
            rows = _task_rows(dataset, settings, filters, [loaded], keep=False)
            _tally(table, dataset, rows, by)
        return table

    table = tally(tasks)
    return [SummaryRow(name, table[name]) for name in sorted(table, key=fold)]


def _tally(
    table: dict[str, dict[str, int]], dataset: Dataset, rows: Iterable[Row], by: str
) -> None:
    registry = dataset.registry
    for row in rows:
        if by == "notice":
            source = row.task.source
            label = f"{source.number or source.notice} ({source.date.isoformat()})"
            keys = [(label, m.status) for m in row.members] or [(label, row.status)]
        else:
            keys = [(registry.current(m.agency), m.status) for m in row.members]
        for key, status in keys:
            tally = table.get(key)
            if tally is None:  # not setdefault: its default would be built for every row
                tally = table[key] = dict.fromkeys(COUNTED, 0)
            if status in tally:
                tally[status] += 1


@dataclass
class TaskView:
    loaded: LoadedTask
    rows: list[Row]
    settings: Settings


def show(dataset: Dataset, settings: Settings, identifier: str) -> TaskView:
    loaded = dataset.find(identifier)
    return TaskView(loaded, task_rows(loaded.id, loaded.task, dataset.registry, settings), settings)


@dataclass
class GridRow:
    task_id: str
    obligation: str
    assignee: str
    title: str
    cells: dict[dt.date, Row]


@dataclass
class Grid:
    start: dt.date
    end: dt.date
    dates: list[dt.date]
    rows: list[GridRow]


def recurring(
    dataset: Dataset,
    settings: Settings,
    start: dt.date | None,
    end: dt.date | None,
    filters: Filters,
) -> Grid:
    """Each recurring obligation's occurrences between start (default: 90 days before the
    as-of day) and end (default: the end of the due-soon window), by status."""
    start = settings.as_of - dt.timedelta(days=90) if start is None else start
    end = settings.through if end is None else end
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")
    settings = replace(settings, horizon=end)
    grid: dict[tuple[str, str, str], GridRow] = {}
    dates: set[dt.date] = set()
    for row in _rows(dataset, settings, filters):
        if row.occurrence is None or not start <= row.occurrence <= end:
            continue
        key = (row.task_id, row.obligation.id, row.assignee)
        entry = grid.setdefault(
            key, GridRow(row.task_id, row.obligation.id, row.assignee, row.task.title, {})
        )
        entry.cells[row.occurrence] = row
        dates.add(row.occurrence)
    return Grid(start, end, sorted(dates), [grid[k] for k in sorted(grid)])
