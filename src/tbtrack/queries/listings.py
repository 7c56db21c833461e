"""The queries behind the listing commands: due, overdue, agency, summary, show, recurring.

Each takes a Dataset and Settings and returns plain data for `output` to render.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from ..engine.settled import Settled, pair_status
from ..engine.status import (
    EVERY_ROW,
    MemberStatus,
    Row,
    RowTask,
    Settings,
    Wanted,
    combine,
    covered_by,
    member_row,
    task_pairs,
    task_rows,
)
from ..errors import UsageError
from ..files.records import Event, Source
from ..files.registry import Entity, Group, Registry, UnknownName
from ..files.store import notice_folder, notice_name
from ..files.text import collation_key, dates_as_iso, loose_key
from ..files.vocab import FINISHED, OPEN, Status
from ..loading import split
from ..loading.dataset import Dataset, LoadedTask, Naming
from . import sent_rows

if TYPE_CHECKING:
    from ..engine.facts import TaskFacts

COUNTED: tuple[Status, ...] = (
    "done",
    "done-late",
    "due-soon",
    "upcoming",
    "overdue",
    "ongoing",
    "undated",
)


# the results are named tuples: a dataclass costs a run about a millisecond to make
class Filters(NamedTuple):
    agency: str | None = None
    notice: str | None = None
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def resolve_agency(dataset: Dataset, name: str, as_of: dt.date) -> Entity:
    """The agency or group a user named, as of A: an unknown name is an error that suggests
    the names of A's agencies first; one that did not exist on A is noted on the dataset."""
    registry = dataset.registry
    entity = registry.resolve(name)
    if entity is None:
        raise UsageError(UnknownName(name, registry.suggest(name, as_of)).message)
    absence = registry.status_note(entity.name, as_of)
    if absence is not None and absence not in dataset.absences:
        dataset.absences.append(absence)
    return entity


def _task_matches(loaded: LoadedTask, filters: Filters) -> bool:
    if filters.notice:
        # as agency names match: case and diacritics aside, a date in any form (`06/6/2025`)
        wanted = loose_key(dates_as_iso(filters.notice))
        source = loaded.task.source
        haystack = " ".join(
            [source.notice, source.number or "", source.date.isoformat(), loaded.id]
        )
        if wanted not in loose_key(dates_as_iso(haystack)):
            return False
    return not filters.tags or bool(set(filters.tags) & set(loaded.task.tags))


def wanted_rows(
    dataset: Dataset,
    settings: Settings,
    filters: Filters,
    wanted: Wanted = EVERY_ROW,
    *,
    texts: bool = False,
) -> list[Row]:
    """The wanted rows of every task that matches, in the order of the tasks; `texts`: their
    tasks' texts will be read (`_task_rows`)."""
    as_of = settings.as_of
    tasks = [t for t in dataset.tasks if wanted.task(t.facts, as_of)]
    if filters.agency:  # only tasks that name the agency, as their facts say
        owing = _naming(dataset, filters.agency, as_of)
        tasks = [t for t in tasks if t.facts is None or not owing.isdisjoint(t.facts.names)]
    return _task_rows(dataset, settings, filters, tasks, wanted, texts=texts)


def _naming(dataset: Dataset, name: str, as_of: dt.date) -> frozenset[str]:
    """The names a task may give for a row of it to be owed by `name` as of A."""
    return _owing(dataset.registry, resolve_agency(dataset, name, as_of).name, as_of)


def _owing(registry: Registry, name: str, as_of: dt.date) -> frozenset[str]:
    return registry.naming_any(registry.answering_for(name, as_of))


def naming(name: str, as_of: dt.date) -> Naming:
    """What `--agency NAME` and `agency NAME` read of the tasks, for `load_dataset`: only
    those that name an agency or group NAME answers for as of A, as lead or in support (a
    superset of both `_naming` and `_support_rows`' names). A name the registry does not
    know narrows nothing: the query says what is wrong with it."""

    def names(registry: Registry) -> frozenset[str] | None:
        entity = registry.resolve(name)
        return None if entity is None else _owing(registry, entity.name, as_of)

    return names


def _task_rows(
    dataset: Dataset,
    settings: Settings,
    filters: Filters,
    tasks: Sequence[LoadedTask],
    wanted: Wanted = EVERY_ROW,
    *,
    keep: bool = True,
    texts: bool = False,
) -> list[Row]:
    """The rows of these tasks that the filters and `wanted` keep, in order; without `keep`,
    tasks read from the cache for this are not kept decoded; with `texts`, the rows' tasks'
    texts will be read, and a child sends them with its rows (else they are read from the
    tasks when asked for: decoding them here is what the child saves).

    When the tasks are many, a forked child makes the rows of the second half of them
    (`split.in_two_parts`) and sends them (`sent_rows`): those rows hold what a row tells of
    its task and obligation, not the records, and their tasks are not decoded here."""
    make = functools.partial(_rows_of_tasks, dataset.registry, settings, filters, wanted, keep)
    if _decoded_share(tasks) > DECODED_AT_MOST:
        rows = make(tasks)
    else:
        as_of = settings.as_of
        parts = split.in_two_parts(
            tasks,
            make,
            functools.partial(sent_rows.packed, texts=texts),
            sent_rows.unpacked,
            lambda loaded: _task_cost(loaded.facts, as_of, settled=25),
            least=SPLIT_ROWS_AT,
            share=ROWS_KEPT_SHARE,
        )
        rows = [row for part in parts for row in part]
    if filters.kinds:
        rows = [r for r in rows if r.obligation.kind in filters.kinds]
    if filters.agency:
        entity = resolve_agency(dataset, filters.agency, settings.as_of)
        rows = _for_agency(dataset, rows, entity, settings)
    if wanted is not EVERY_ROW:
        rows = [r for r in rows if wanted.row(r)]
    if filters.statuses:
        rows = [r for r in rows if r.status in filters.statuses]
    return rows


# a task's rows cost ~45 µs to make: below this many tasks forking a child costs more than
# the half it saves
SPLIT_ROWS_AT = 600
# the child also packs its rows, and this process unpacks them: it keeps a little more than
# half the work (at 10,000 and 100,000 tasks both then finish at about the same time)
ROWS_KEPT_SHARE = 0.55
# the rows are made on two cores when their tasks are still to be decoded from the cache (a
# warm listing): after a cold read, this process holds them decoded already, and every page
# of them that either process then touches is copied (at 10,000 tasks the rows took 120 ms
# on two cores against 90 on one)
DECODED_AT_MOST = 0.1


def _decoded_share(tasks: Sequence[LoadedTask]) -> float:
    return sum(loaded.decoded for loaded in tasks) / len(tasks) if tasks else 0.0


def _rows_of_tasks(
    registry: Registry,
    settings: Settings,
    filters: Filters,
    wanted: Wanted,
    keep: bool,
    tasks: Sequence[LoadedTask],
) -> list[Row]:
    """The rows `wanted` may keep of the tasks that match the filters, in order."""
    rows: list[Row] = []
    for loaded in tasks:
        if _task_matches(loaded, filters):
            task = loaded.task if keep else loaded.passing()
            rows.extend(task_rows(loaded.id, task, registry, settings, wanted))
    return rows


def _for_agency(
    dataset: Dataset, rows: Iterable[Row], entity: Entity, settings: Settings
) -> list[Row]:
    """Rows owed by `entity`: a group as named; an agency through groups and predecessors."""
    if isinstance(entity, Group):
        return [r for r in rows if r.assignee == entity.name]
    names = dataset.registry.answering_for(entity.name, settings.as_of)
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
            r.due or far,  # by L; the days --workdays moves them to keep that order
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
    *,
    texts: bool = False,
) -> list[Row]:
    """Open rows by last day: overdue and due soon, or all with L < before (and L > after);
    `texts`: the rows' tasks' texts will be read (`_task_rows`)."""
    horizon = before - dt.timedelta(days=1) if before else None
    settings = settings._replace(horizon=horizon)
    statuses = OPEN if before else frozenset({"overdue", "due-soon"})
    # rows without an L are listed when asked for by name: `due --status undated`
    undated = frozenset(filters.statuses) & {"undated", "ongoing"}
    wanted = Wanted(
        (statuses | FINISHED if include_done else statuses) | undated,
        before=before,
        after=after,
        dated=not undated,
        # without --before, done rows only as far as due soon reaches
        finished_through=None if before else settings.through,
    )
    return _sort(wanted_rows(dataset, settings, filters, wanted, texts=texts))


def overdue(dataset: Dataset, settings: Settings, filters: Filters) -> list[Row]:
    return _sort(wanted_rows(dataset, settings, filters, Wanted(frozenset({"overdue"}))))


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


class AgencyView(NamedTuple):
    entity: Entity
    counts: dict[str, int]
    rows: list[Row]
    predecessors: list[str]


def agency(dataset: Dataset, settings: Settings, name: str, filters: Filters) -> AgencyView:
    """One agency's (or group's) rows as lead and support, with its four-way count."""
    entity = resolve_agency(dataset, name, settings.as_of)
    lead = wanted_rows(dataset, settings, filters._replace(agency=entity.name, statuses=()))
    support = _support_rows(dataset, settings, entity, filters)
    rows = [r for r in lead + support if not filters.statuses or r.status in filters.statuses]
    return AgencyView(
        entity,
        counts(r for r in rows if r.role == "lead"),
        _sort(rows),
        list(dataset.registry.predecessors_on(entity.name, settings.as_of)),
    )


def _support_rows(
    dataset: Dataset, settings: Settings, entity: Entity, filters: Filters
) -> list[Row]:
    registry = dataset.registry
    names = registry.answering_for(entity.name, settings.as_of)
    out: list[Row] = []
    for loaded in dataset.tasks:
        facts = loaded.facts
        if facts is not None and names.isdisjoint(facts.supports):
            continue  # the task names none of them in support: not read
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


class SummaryRow(NamedTuple):
    name: str
    counts: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self.counts)


# the statuses of the four-way count: pairs counted there may have been extended
FOUR_WAY: frozenset[str] = frozenset(("done", "done-late", "due-soon", "upcoming", "overdue"))


class NoticeSeen(NamedTuple):
    """A notice as a pass over the tasks met it: what its tasks say of it, and how many."""

    number: str | None
    date: dt.date
    title: str
    tasks: int


class Tally(NamedTuple):
    """What one pass over every task counts, per row name (agency or notice): a count per
    status, and how many of the four-way pairs had their deadline extended; and per notice
    folder, the notice and how many tasks it has that the filters keep. The pass fills its
    tables (`Tally.empty()` to start)."""

    table: dict[str, dict[str, int]]
    extended: dict[str, int]
    notices: dict[str, NoticeSeen]
    also: list[Any]  # what `tally(also=...)` made, task by task

    @staticmethod
    def empty() -> Tally:
        return Tally({}, {}, {}, [])

    def packed(self) -> tuple[Any, ...]:
        """The counts as plain values, for `marshal` (what a forked child sends)."""
        notices = {
            folder: (seen.number, seen.date.toordinal(), seen.title, seen.tasks)
            for folder, seen in self.notices.items()
        }
        return self.table, self.extended, notices

    @staticmethod
    def unpacked(value: Any) -> Tally:
        """`packed` undone; ValueError (or TypeError) for anything else."""
        table, extended, notices = value
        if not (type(table) is dict and type(extended) is dict and type(notices) is dict):
            raise ValueError("not a tally")
        seen = {
            folder: NoticeSeen(number, dt.date.fromordinal(day), title, tasks)
            for folder, (number, day, title, tasks) in notices.items()
        }
        return Tally(table, extended, seen, [])

    def add(self, later: Tally) -> None:
        """Add the counts of a pass over the tasks after this one's: the tables come out as
        one pass over all of them makes them, in the same order."""
        table = self.table
        for key, counts in later.table.items():
            into = table.get(key)
            if into is None:
                table[key] = counts
            else:
                for status, n in counts.items():
                    into[status] += n
        extended = self.extended
        for key, n in later.extended.items():
            extended[key] = extended.get(key, 0) + n
        notices = self.notices
        for folder, seen in later.notices.items():
            mine = notices.get(folder)
            notices[folder] = seen if mine is None else mine._replace(tasks=mine.tasks + seen.tasks)
        self.also.extend(later.also)


class Also(NamedTuple):
    """What `tally` makes beside the counts, task by task, in the same pass: from each task's
    rows that `wanted` keeps, with recurring occurrences through `through` (the monthly
    report's lines of the next N days). A task is decoded once for both."""

    make: Callable[[list[Row]], list[Any]]
    wanted: Wanted
    # what `make` would make of a settled task's rows that `wanted` keeps, from the task's id
    # and stored pairs: a settled task is neither decoded nor run through the engine (None:
    # the pairs cannot say, its rows are made)
    of_settled: Callable[[str, Settled], list[Any] | None]
    through: dt.date | None = None


def tally(
    dataset: Dataset, settings: Settings, by: str, filters: Filters, also: Also | None = None
) -> Tally:
    """The counts of `summary` (and of the monthly report): abolished agencies' pairs under
    who owes them, or one row per notice; with `also`, what it makes, in `Tally.also`.

    A task whose notice is after A has no rows; a settled task (`engine.settled`) is counted
    from its stored pairs, without decoding it, when no filter needs what only its rows say.
    A recurring task's rows for `also` are made once, through `also.through`, and those
    through `settings.through` counted: occurrences after it change none before it (each
    event goes to the earliest occurrence open to it).

    The counts alone are counted on two cores when the tasks are many (`split.in_two_parts`:
    a child counts the second half and sends its tables, which are added to this process's
    own). Not with --agency, whose resolving notes on the dataset what the registry says of
    the agency, nor with `also`, whose lines would cost more to send than to make.
    """
    count = functools.partial(_tally_part, dataset, settings, by, filters, also=also)
    if also is not None or filters.agency:
        found = count(dataset.tasks)
    else:
        as_of = settings.as_of
        parts = split.in_two_parts(
            dataset.tasks,
            count,
            Tally.packed,
            _unpacked_part,
            lambda loaded: _task_cost(loaded.facts, as_of, settled=15),
            least=SPLIT_TALLY_AT,
        )
        found = parts[0]
        for part in parts[1:]:
            found.add(part)
    return _owners(found, dataset, settings.as_of) if by == "agency" else found


# a warm count costs ~25 µs a task, a tenth of a cold read's analysis: below this many tasks
# forking a child costs more than the half it saves
SPLIT_TALLY_AT = 4000


def _task_cost(facts: TaskFacts | None, as_of: dt.date, settled: int) -> int:
    """About what counting a task, or making its rows, costs in microseconds (as measured at
    100,000 tasks), so that the two halves of the work take as long: a task whose notice is
    after A is skipped, a settled one costs `settled` (counted from its pairs, or its few rows
    made), any other is decoded and its occurrences made, more of them the older its notice
    (sorted paths put the oldest notices first)."""
    if facts is None:
        return 60
    if not EVERY_ROW.task(facts, as_of):
        return 1
    if facts.settled is not None and as_of >= facts.settled:
        return settled
    return 40 + (as_of - facts.begins).days // 6


def _unpacked_part(value: Any, tasks: Sequence[LoadedTask]) -> Tally:
    return Tally.unpacked(value)


def _tally_part(
    dataset: Dataset,
    settings: Settings,
    by: str,
    filters: Filters,
    tasks: Sequence[LoadedTask],
    also: Also | None = None,
) -> Tally:
    """`tally` of these tasks, before its pairs go under who owes them (`_owners`)."""
    as_of = settings.as_of
    quick = by == "agency" and filters == Filters()
    found = Tally.empty()  # by agency, counted under each member agency first: see `_owners`
    for loaded in tasks:  # task by task: neither the tasks nor their rows are kept
        if not EVERY_ROW.task(loaded.facts, as_of):
            continue  # a notice after A: no rows (`Wanted.task`)
        if quick:
            settled = loaded.settled(as_of)
            if settled is not None:
                _tally_settled(found, settled, settings)
                if settled.rows:
                    _seen(found, loaded.id, settled.source)
                if also is not None:
                    made = also.of_settled(loaded.id, settled)
                    if made is None:  # from the rows `also` wants
                        rows = _task_rows(
                            dataset, settings, filters, [loaded], also.wanted, keep=False
                        )
                        made = also.make(rows)
                    found.also.extend(made)
                continue
            if also is None:  # counted from its pairs, its rows not made
                task = loaded.passing()
                if _tally_pairs(found, task_pairs(task, dataset.registry, settings)):
                    _seen(found, loaded.id, task.source)
                continue
        if also is not None:  # decoded once, for both
            loaded = LoadedTask(loaded.id, loaded.path, loaded.passing(), facts=loaded.facts)
        if also is not None and any(o.recurring for o in loaded.task.obligations):
            horizon = settings._replace(horizon=also.through)
            made = _task_rows(dataset, horizon, filters, [loaded], keep=False)
            through = settings.through
            rows = [r for r in made if r.occurrence is None or r.occurrence <= through]
        else:
            made = rows = _task_rows(dataset, settings, filters, [loaded], keep=False)
        if also is not None:
            found.also.extend(also.make([r for r in made if also.wanted.row(r)]))
        _tally(found, rows, by)
        if rows:
            _seen(found, loaded.id, rows[0].task.source)
    return found


def _seen(found: Tally, task_id: str, source: Source) -> None:
    """One more task of its notice's folder."""
    folder = notice_folder(task_id)
    seen = found.notices.get(folder)
    found.notices[folder] = (
        seen._replace(tasks=seen.tasks + 1)
        if seen
        else NoticeSeen(source.number, source.date, source.notice, 1)
    )


def summary(dataset: Dataset, settings: Settings, by: str, filters: Filters) -> list[SummaryRow]:
    """One row per agency (abolished ones under their successor) or per notice."""
    table = tally(dataset, settings, by, filters).table
    return [SummaryRow(name, table[name]) for name in sorted(table, key=collation_key)]


def notice_label(task_id: str, task: RowTask) -> str:
    """The name of a notice's row in `--by notice` (`store.notice_name`)."""
    source = task.source
    return notice_name(source.number, notice_folder(task_id), source.date)


def owner(dataset: Dataset, agency: str, as_of: dt.date) -> str:
    """The agency whose row counts a member agency's pairs as of A: itself while it exists,
    then its successor (SPEC 3.1)."""
    return dataset.registry.owner_on(agency, as_of)


def _tally(found: Tally, rows: Iterable[Row], by: str) -> None:
    """Count each (occurrence, member) pair under its notice, or under its member agency."""
    for row in rows:
        if by == "notice":
            label = notice_label(row.task_id, row.task)
            keys = [(label, m.status) for m in row.members] or [(label, row.status)]
        else:
            keys = [(m.agency, m.status) for m in row.members]
        _count(found, keys, bool(row.extensions))


def _tally_pairs(found: Tally, rows: list[tuple[tuple[MemberStatus, ...], bool]]) -> bool:
    """`_tally` by agency of a task's rows as `task_pairs` gives them; whether it had any."""
    for members, extended in rows:
        _count(found, [(m.agency, m.status) for m in members], extended)
    return bool(rows)


def _tally_settled(found: Tally, settled: Settled, settings: Settings) -> None:
    """`_tally` by agency of a settled task's rows, from its pairs."""
    for group in settled.groups:
        status = pair_status(group, settings)
        _count(found, zip(group.agencies, repeat(status)), group.extended)


def _owners(found: Tally, dataset: Dataset, as_of: dt.date) -> Tally:
    """The counts per member agency, each under the agency that owes its pairs as of A
    (`owner`): asked once per agency, not once per pair."""
    table: dict[str, dict[str, int]] = {}
    extended: dict[str, int] = {}
    for agency, counts in found.table.items():
        key = owner(dataset, agency, as_of)
        into = table.get(key)
        if into is None:
            table[key] = dict(counts)
        else:
            for status, n in counts.items():
                into[status] += n
        if agency in found.extended:
            extended[key] = extended.get(key, 0) + found.extended[agency]
    return found._replace(table=table, extended=extended)


def _count(found: Tally, pairs: Iterable[tuple[str, str]], extended: bool) -> None:
    """Count each (key, status) pair of one row (whose deadline was `extended`, or not)."""
    table = found.table
    for key, status in pairs:
        counts = table.get(key)
        if counts is None:  # not setdefault: its default would be built for every pair
            counts = table[key] = dict.fromkeys(COUNTED, 0)
        if status in counts:
            counts[status] += 1
        if extended and status in FOUR_WAY:
            found.extended[key] = found.extended.get(key, 0) + 1


class TaskView(NamedTuple):
    loaded: LoadedTask
    rows: list[Row]
    settings: Settings
    agency: str | None = None  # with --agency: the agency (or group) shown, by its name
    events: list[Event] | None = None  # the timeline shown; None: the task's whole progress

    @property
    def timeline(self) -> list[Event]:
        return list(self.loaded.task.progress) if self.events is None else self.events


def show(
    dataset: Dataset, settings: Settings, identifier: str, agency: str | None = None
) -> TaskView:
    """One task's rows; with `agency`, only what that member agency (or group) owes in it,
    each row's extensions and the timeline kept to the events that concern it."""
    loaded = dataset.find(identifier)
    registry = dataset.registry
    rows = task_rows(loaded.id, loaded.task, registry, settings)
    if agency is None:
        return TaskView(loaded, rows, settings)
    entity = resolve_agency(dataset, agency, settings.as_of)
    mine = _for_agency(dataset, rows, entity, settings)
    if rows and not mine:
        raise UsageError(_not_an_assignee(dataset, loaded, entity))
    members = {m.agency for r in mine for m in r.members}
    owed = {r.obligation.id for r in mine}

    def concerns(event: Event) -> bool:
        return event.by is None or bool(covered_by(registry, event.by, event.on, members))

    task = loaded.task
    events = [
        e
        for e in task.progress
        if (o := task.obligation_for(e)) is not None and o.id in owed and concerns(e)
    ]
    mine = [r._replace(extensions=tuple(filter(concerns, r.extensions))) for r in mine]
    return TaskView(loaded, mine, settings, entity.name, events)


def _not_an_assignee(dataset: Dataset, loaded: LoadedTask, entity: Entity) -> str:
    """Why an agency has nothing to show in a task: who owes it, and whether the agency
    supports it (phối hợp owes nothing, SPEC 4.3)."""
    task, registry = loaded.task, dataset.registry
    names = dict.fromkeys(n for o in task.obligations for n in o.assignees(task))
    supports = any(
        (s := registry.resolve(name)) is not None and s.name == entity.name for name in task.support
    )
    role = ": it supports the task (phối hợp) and owes nothing in it" if supports else ""
    owed_by = "; ".join(names)
    return f"{entity.name} is not an assignee of {loaded.id}{role}; the task is owed by {owed_by}"


class ExtensionStep(NamedTuple):
    """One extension of a row as `show` tells it: from which last day to which."""

    event: Event
    old: dt.date | None  # L before it: the original, or what an earlier extension made it
    new: dt.date


def extension_steps(row: Row) -> list[ExtensionStep]:
    """Each extension of a row with the L it moved: one for everyone moves the L of all (and
    undoes the ones for some agencies, as the engine does); one `by:` an agency moves that
    agency's own, which starts from everyone's."""
    everyone = row.original_due
    own: dict[str, dt.date] = {}
    steps: list[ExtensionStep] = []
    for event in row.extensions:
        if event.to is None:
            continue
        if event.by is None:
            steps.append(ExtensionStep(event, everyone, event.to))
            everyone = event.to
            own.clear()
        else:
            steps.append(ExtensionStep(event, own.get(event.by, everyone), event.to))
            own[event.by] = event.to
    return steps


class GridRow(NamedTuple):
    task_id: str
    obligation: str
    assignee: str
    title: str
    cells: dict[dt.date, Row]


class Grid(NamedTuple):
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
    settings = settings._replace(horizon=end)
    grid: dict[tuple[str, str, str], GridRow] = {}
    dates: set[dt.date] = set()
    for row in wanted_rows(dataset, settings, filters):
        if row.occurrence is None or not start <= row.occurrence <= end:
            continue
        key = (row.task_id, row.obligation.id, row.assignee)
        entry = grid.setdefault(
            key, GridRow(row.task_id, row.obligation.id, row.assignee, row.task.title, {})
        )
        entry.cells[row.occurrence] = row
        dates.add(row.occurrence)
    return Grid(start, end, sorted(dates), [grid[k] for k in sorted(grid)])
