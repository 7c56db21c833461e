"""The deadline engine: each obligation's last allowed day and status as of a day (SPEC 4).

`task_rows` turns one task into rows, one per (obligation, occurrence, assignee as the task
names it), each carrying the status of every member agency. It is pure: the registry, the day
and the settings come in as arguments.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol, TypeVar

from ..files.records import Event, Obligation, Source, Task
from ..files.registry import Group, Registry
from ..files.schedule import before_last_day, occurrences, within_bounds
from ..files.vocab import FINISHED, GROUP_PRECEDENCE, OPEN, STATUSES, ObligationKind, Status

if TYPE_CHECKING:
    from ..engine.workdays import WorkCalendar
    from .facts import TaskFacts

R = TypeVar("R")  # what a caller of `_rows_of` makes of a row


class Settings(NamedTuple):
    """What a query is computed with (a named tuple: a dataclass costs a run a millisecond to
    make); `_replace` makes one for another day or horizon."""

    as_of: dt.date
    window: int = 7
    calendar: WorkCalendar | None = None  # set with --workdays
    horizon: dt.date | None = None  # recurring occurrences are generated through this day

    @property
    def through(self) -> dt.date:
        """The last day occurrences are made for: due soon's reach, or the horizon."""
        return _through(self.as_of, self.window, self.calendar, self.horizon)


@functools.lru_cache(maxsize=64)
def _through(
    as_of: dt.date, window: int, calendar: WorkCalendar | None, horizon: dt.date | None
) -> dt.date:
    soon = as_of + dt.timedelta(days=window)
    if calendar is not None:
        soon = calendar.add_workdays(as_of, window)
    return max(soon, horizon) if horizon else soon


class MemberStatus(NamedTuple):
    agency: str
    status: Status
    done_on: dt.date | None = None
    evidence: str | None = None
    due: dt.date | None = None  # set when an extension granted `by:` this agency moved its L


class RowTask(Protocol):
    """What a row tells of its task: the engine's rows hold the `Task` itself, rows a forked
    child made hold only this much of it (`queries.sent_rows`), so nothing that reads rows
    may ask a row's task for more."""

    @property
    def title(self) -> str: ...

    @property
    def source(self) -> Source: ...

    @property
    def text(self) -> str | None: ...


class RowObligation(Protocol):
    """What a row tells of its obligation (`RowTask`'s counterpart)."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> ObligationKind: ...

    @property
    def as_written(self) -> str | None: ...


class Row(NamedTuple):
    """One row of a listing. A named tuple: a listing of 100,000 tasks makes 50,000 of them."""

    task_id: str
    task: RowTask
    obligation: RowObligation
    occurrence: dt.date | None
    assignee: str
    is_group: bool
    due: dt.date | None  # L after extensions
    original_due: dt.date | None  # L from the due form
    effective_due: dt.date | None  # L moved off a day off, with --workdays
    days_left: int | None
    status: Status
    done_on: dt.date | None
    members: tuple[MemberStatus, ...]
    evidence: str | None
    role: Literal["lead", "support"] = "lead"
    extensions: tuple[Event, ...] = ()

    @property
    def members_total(self) -> int:
        return len(self.members)

    @property
    def members_done(self) -> int:
        return sum(1 for m in self.members if m.status in FINISHED)


def base_last_day(obligation: Obligation, occurrence: dt.date | None) -> dt.date | None:
    """L from the due form alone (SPEC 4.1); for a recurring one, the occurrence's date."""
    if obligation.by is not None:
        return obligation.by
    if obligation.before is not None:
        return before_last_day(obligation.before)
    if obligation.within is not None:
        return within_bounds(obligation.within)[1]
    if obligation.every is not None:
        return occurrence
    return None


_NO_DAYS: Mapping[str, dt.date] = MappingProxyType({})
_NOBODY: frozenset[str] = frozenset()


class _Slot:
    """One occurrence of an obligation and what the events say of it (a plain class: a
    listing makes one per occurrence of every obligation it looks at)."""

    __slots__ = (
        "cancelled",
        "cancelled_for",
        "day",
        "done",
        "due_for",
        "extensions",
        "occurrence",
        "owed",
    )

    def __init__(self, occurrence: dt.date | None, day: dt.date, owed: tuple[str, ...]) -> None:
        self.occurrence = occurrence
        # the day that says who owes it (SPEC 3.1): the notice's, or the occurrence's
        self.day = day
        self.owed = owed  # the member agencies that owe it, as of `day`
        self.extensions: tuple[Event, ...] = ()
        self.cancelled = False
        self.done: dict[str, tuple[dt.date, str | None]] = {}  # agency -> (on, evidence)
        # events with `by:` (SPEC 4.2): an extension or a withdrawal for some agencies only.
        # Few occurrences have any: these start as shared empty values that cannot be
        # changed in place, and an event replaces them (`_extend_for`, `_apply`)
        self.due_for: Mapping[str, dt.date] = _NO_DAYS
        self.cancelled_for: frozenset[str] = _NOBODY

    def due(self, original: dt.date | None) -> dt.date | None:
        return slot_due(original, self.extensions)

    @property
    def uniform(self) -> bool:
        """Whether its members all have one status (`_member_statuses`): it is cancelled, or
        nobody has done it and no event sets some agencies apart."""
        return self.cancelled or not (self.done or self.due_for or self.cancelled_for)


def slot_due(original: dt.date | None, extensions: Sequence[Event]) -> dt.date | None:
    """L after the extensions granted to every assignee (the last of them decides)."""
    for event in reversed(extensions):
        if event.by is None:
            return event.to
    return original


def _events_by_obligation(task: Task, as_of: dt.date) -> dict[int, list[Event]]:
    """The task's events dated on or before A, in order, by the `id` of the obligation each
    names (`Task.obligation_for`); one pass over them for all the obligations."""
    found: dict[int, list[Event]] = {}
    for event in task.progress:
        if event.on <= as_of:
            named = task.obligation_for(event)
            if named is not None:
                found.setdefault(id(named), []).append(event)
    return found


def _slots(
    task: Task,
    obligation: Obligation,
    registry: Registry,
    settings: Settings,
    events: Sequence[Event],
    open_only: bool = False,
) -> list[_Slot]:
    """The occurrences to show, with `events` (the obligation's, dated on or before A)
    applied to them; with `open_only`, occurrences fulfilled by everyone who owes them may be
    left out (for a caller that skips them)."""
    names = obligation.assignees(task)
    if not obligation.recurring:
        day = task.source.date
        slot = _Slot(None, day, registry.expand_on(names, day))
        for event in events:
            _apply(slot, event, registry)
        return [slot]
    assert obligation.every is not None
    start = obligation.first_day(task)
    dates = occurrences(obligation.every, start, obligation.until, settings.through)
    owers = registry.expand_each(names, dates)
    if open_only and owers and owers[0] and _reports_by_all(events):
        owed = owers[0]
        if all(each == owed for each in owers):
            return _open_occurrences(dates, owed, events)
    slots = {d: _Slot(d, d, owed) for d, owed in zip(dates, owers, strict=True)}
    earliest_open = _EarliestOpen(list(slots.values()))  # the dates come in order
    # the occurrences mostly share one tuple of owers (`expand_on` keeps each): once each
    owed_any = tuple(
        dict.fromkeys(a for owed in dict.fromkeys(s.owed for s in slots.values()) for a in owed)
    )
    for event in events:
        if event.for_ is not None:
            if event.for_ in slots:
                _apply(slots[event.for_], event, registry)
            continue
        if event.shape == "cancels":
            # withdrawing a recurring obligation ends the occurrences from that day on
            for slot in slots.values():
                if slot.occurrence is not None and slot.occurrence >= event.on:
                    _apply(slot, event, registry)
            continue
        if event.shape == "extends":
            if event.by is None:
                target = earliest_open(None)
                if target is not None:
                    _apply(target, event, registry)
                continue
            # each agency's extension moves its own earliest open occurrence
            for agency in _covered(event, registry, owed_any):
                target = earliest_open(agency)
                if target is not None:
                    _extend_for(target, event, (agency,))
            continue
        # each agency's report goes to its own earliest open occurrence, among those it owes
        for agency in _covered(event, registry, owed_any):
            target = earliest_open(agency)
            if target is not None:
                target.done.setdefault(agency, (event.on, event.evidence))
    return list(slots.values())


def _reports_by_all(events: Sequence[Event]) -> bool:
    """Whether each event fulfils, without `by:` (most recurring reports)."""
    return all(event.shape == "fulfils" and event.by is None for event in events)


def _open_occurrences(
    dates: Sequence[dt.date], owed: tuple[str, ...], events: Sequence[Event]
) -> list[_Slot]:
    """The occurrences nobody has fulfilled, when every event is a report by all who owe it
    (`_reports_by_all`) and they owe each occurrence alike.

    Each report then fulfils one occurrence for all of them: the one it is `for:`, else the
    earliest not yet fulfilled (as `_EarliestOpen` finds for each of them). So an occurrence
    is fulfilled by all or by none, and those fulfilled by all need not be made.
    """
    fulfilled: set[dt.date] = set()
    known = set(dates)
    earliest = 0
    for event in events:
        if event.for_ is not None:
            if event.for_ in known:
                fulfilled.add(event.for_)
            continue
        while earliest < len(dates) and dates[earliest] in fulfilled:
            earliest += 1
        if earliest < len(dates):
            fulfilled.add(dates[earliest])
    return [_Slot(d, d, owed) for d in dates if d not in fulfilled]


def _covered(event: Event, registry: Registry, owed: tuple[str, ...]) -> Sequence[str]:
    """The agencies among `owed` whose pairs an event covers: all of them without `by:`."""
    return owed if event.by is None else covered_by(registry, event.by, event.on, owed)


def covered_by(registry: Registry, by: str, day: dt.date, owed: Iterable[str]) -> list[str]:
    """The agencies among `owed` whose pairs an event `by:` an agency or group on `day`
    covers: those the named agency (or the group's members) owed, an inherited pair included,
    since pairs pass to the successor (SPEC 3.1)."""
    entity = registry.resolve(by)
    if entity is None:
        return []
    named = set(registry.members_on(entity.name, day))
    ceasing = registry.ceasing  # only these can have passed their pairs on
    return [a for a in owed if a in named or (a in ceasing and registry.owner_on(a, day) in named)]


class _EarliestOpen:
    """The earliest occurrence still open to an agency that owes it (None: open to anyone).

    Events only ever add to what is done or cancelled, so an occurrence closed to an agency
    stays closed: each search goes on from where the last one for that agency stopped, rather
    than from the first occurrence (a weekly report owed by fifty agencies since 2024 would
    otherwise cost thousands of steps per event).
    """

    def __init__(self, slots: list[_Slot]) -> None:
        self.slots = slots
        self.cursor: dict[str | None, int] = {}

    def __call__(self, agency: str | None) -> _Slot | None:
        slots = self.slots
        index = self.cursor.get(agency, 0)
        while index < len(slots):
            slot = slots[index]
            if not slot.cancelled and (
                any(a not in slot.done for a in slot.owed)
                if agency is None
                else agency in slot.owed and agency not in slot.done
            ):
                break
            index += 1
        self.cursor[agency] = index
        return slots[index] if index < len(slots) else None


def _apply(slot: _Slot, event: Event, registry: Registry) -> None:
    if event.shape == "extends":
        if event.by is None:
            slot.extensions += (event,)
            slot.due_for = _NO_DAYS  # a later extension for everyone moves everyone
        else:
            _extend_for(slot, event, _covered(event, registry, slot.owed))
    elif event.shape == "cancels":
        if event.by is None:
            slot.cancelled = True
        else:
            slot.cancelled_for = slot.cancelled_for.union(_covered(event, registry, slot.owed))
            if slot.owed and all(a in slot.cancelled_for for a in slot.owed):
                slot.cancelled = True
    else:
        for agency in _covered(event, registry, slot.owed):
            slot.done.setdefault(agency, (event.on, event.evidence))


def _extend_for(slot: _Slot, event: Event, agencies: Iterable[str]) -> None:
    assert event.to is not None
    if event not in slot.extensions:
        slot.extensions += (event,)
    slot.due_for = {**slot.due_for, **dict.fromkeys(agencies, event.to)}


def _member_status(
    slot: _Slot, agency: str, due: dt.date | None, obligation: Obligation, settings: Settings
) -> MemberStatus:
    return _member_statuses(slot, (agency,), due, obligation, settings)[0]


# MemberStatus is immutable, so the one for (agency, status) with nothing done is shared: a
# group of 34 provinces would otherwise build 34 new objects per occurrence on every run
_SHARED: dict[tuple[str, Status], MemberStatus] = {}


def _shared(agency: str, status: Status) -> MemberStatus:
    member = _SHARED.get((agency, status))
    if member is None:
        member = _SHARED[(agency, status)] = MemberStatus(agency, status)
    return member


_SHARED_ALL: dict[tuple[tuple[str, ...], Status], tuple[MemberStatus, ...]] = {}


def _all_shared(agencies: tuple[str, ...], status: Status) -> tuple[MemberStatus, ...]:
    members = _SHARED_ALL.get((agencies, status))
    if members is None:
        members = _SHARED_ALL[(agencies, status)] = tuple(_shared(a, status) for a in agencies)
    return members


def _member_statuses(
    slot: _Slot,
    agencies: Iterable[str],
    due: dt.date | None,
    obligation: Obligation,
    settings: Settings,
) -> tuple[MemberStatus, ...]:
    """Each agency's status for one occurrence; what is not done is the same for all of them."""
    if slot.cancelled:
        return _all_shared(tuple(agencies), "cancelled")
    pending: Status
    if due is None:
        pending = "ongoing" if obligation.ongoing else "undated"
    else:
        pending = open_status(days_left(due, settings), settings.window)
    done_by = slot.done
    if slot.due_for or slot.cancelled_for:
        return tuple(_own_status(slot, a, due, pending, settings) for a in agencies)
    if not done_by:
        return _all_shared(tuple(agencies), pending)
    out: list[MemberStatus] = []
    for agency in agencies:
        done = done_by.get(agency)
        if done is None:
            out.append(_shared(agency, pending))
        else:
            on, evidence = done
            out.append(MemberStatus(agency, finished_status(on, due), on, evidence))
    return tuple(out)


def _own_status(
    slot: _Slot, agency: str, due: dt.date | None, pending: Status, settings: Settings
) -> MemberStatus:
    """One agency's status where events with `by:` set some agencies apart (SPEC 4.2)."""
    if agency in slot.cancelled_for:
        return _shared(agency, "cancelled")
    own = slot.due_for.get(agency)
    if own is not None:
        due = settings.calendar.roll_forward(own) if settings.calendar is not None else own
    done = slot.done.get(agency)
    if done is not None:
        return MemberStatus(agency, finished_status(done[0], due), done[0], done[1], own)
    if own is None or due is None:
        return _shared(agency, pending)
    return MemberStatus(agency, open_status(days_left(due, settings), settings.window), due=own)


def finished_status(on: dt.date, due: dt.date | None) -> Status:
    """A fulfilment's status: late when made after L (moved off a day off, if it was)."""
    return "done-late" if due is not None and on > due else "done"


def open_status(left: int, window: int) -> Status:
    """An open pair's status from its days left."""
    if left < 0:
        return "overdue"
    return "due-soon" if left <= window else "upcoming"


def days_left(due: dt.date, settings: Settings) -> int:
    if settings.calendar is not None:
        return settings.calendar.days_between(settings.as_of, due)
    return (due - settings.as_of).days


def combine(members: Iterable[MemberStatus], fallback: Status) -> tuple[Status, dt.date | None]:
    """A group's status from its members' (SPEC 4.3), and its done_on once all are done."""
    live = [m for m in members if m.status != "cancelled"]
    if not live:
        return "cancelled", None
    statuses = {m.status for m in live}
    if statuses <= FINISHED:
        last = max((m.done_on for m in live if m.done_on), default=None)
        return ("done-late" if "done-late" in statuses else "done"), last
    for status in GROUP_PRECEDENCE:
        if status in statuses:
            return status, None
    return fallback, None


class Wanted(NamedTuple):
    """Which rows a query keeps: the one place that decides it (SPEC 4.4, 5).

    A listing asks for rows by status and by last day; `task_rows` leaves out what can never
    be wanted before it builds a row, the facts kept in the cache let a whole task be skipped
    unread (`task`), and `row` decides each row that is built. Each early exit is the final
    rule applied sooner: a row's status is always one of its members' (`combine`), and a row
    narrowed to one member agency (`member_row`) keeps its last day.
    """

    statuses: frozenset[str] = frozenset(STATUSES)
    # only rows whose L is before it (and after `after`): L as the due form and extensions
    # make it; --workdays moves a day off's L for its status and days left, never out of a
    # range (SPEC 4.4: the output shows both days)
    before: dt.date | None = None
    after: dt.date | None = None
    dated: bool = False  # only rows with an L
    finished_through: dt.date | None = None  # done rows only with an L on or before it

    @property
    def open_only(self) -> bool:
        return self.statuses <= OPEN

    def task(self, facts: TaskFacts | None, as_of: dt.date) -> bool:
        """Whether a task with these facts (None: unknown) may have a wanted row."""
        if facts is None:
            return True
        if as_of < facts.begins:
            return False  # the notice did not exist yet (as `task_rows` finds)
        if self.open_only and facts.closed_from is not None and as_of >= facts.closed_from:
            return False
        # a row without an L (undated, ongoing) is before no day, and wanted unless `dated`
        return self.before is None or not self.dated or facts.earliest_due < self.before

    def day(self, day: dt.date | None) -> bool:
        """Whether a row with this L (not moved off a day off) may be wanted."""
        if day is None:
            return not self.dated
        return (self.before is None or day < self.before) and (
            self.after is None or day > self.after
        )

    def row(self, row: Row) -> bool:
        """Whether a row is wanted, once narrowed to the agency a listing is about."""
        status = row.status
        if status not in self.statuses:
            return False
        day = row.due
        if not self.day(day):
            return False
        through = self.finished_through
        return through is None or day is None or status not in FINISHED or day <= through


EVERY_ROW = Wanted()


def task_rows(
    task_id: str,
    task: Task,
    registry: Registry,
    settings: Settings,
    wanted: Wanted = EVERY_ROW,
) -> list[Row]:
    """The rows of one task as of `settings.as_of`, leads first, then support.

    Rows that `wanted` can tell it will not keep from their day or their members are not built
    (so a caller need not pay for them); those built are for `wanted.row` to decide.
    """
    return _rows_of(task_id, task, registry, settings, wanted, _row)


def task_pairs(
    task: Task, registry: Registry, settings: Settings
) -> list[tuple[tuple[MemberStatus, ...], bool]]:
    """Each row of `task_rows` (every row) as a count needs it: its members' statuses, and
    whether its deadline was extended; the rows themselves are not made."""
    return _rows_of("", task, registry, settings, EVERY_ROW, _pairs_of_row)


def _rows_of(
    task_id: str,
    task: Task,
    registry: Registry,
    settings: Settings,
    wanted: Wanted,
    make: Callable[..., R],
) -> list[R]:
    """What `make` makes of each row of `task_rows`, from what `_row` makes a row of."""
    rows: list[R] = []
    as_of = settings.as_of
    if task.source.date > as_of:
        return rows  # the notice did not exist yet: nothing of it is owed (SPEC 4.4)
    inactive = task.state != "active" and (task.state_on is None or task.state_on <= as_of)
    through = settings.through
    statuses = wanted.statuses
    keep_cancelled = "cancelled" in statuses
    keep_finished = not statuses.isdisjoint(FINISHED)
    events = _events_by_obligation(task, as_of) if task.progress else {}
    for obligation in task.obligations:
        recurring = obligation.recurring
        fixed = None if recurring else base_last_day(obligation, None)
        # who the obligation names, resolved once for all its occurrences
        names = obligation.assignees(task)
        owners = [
            (entity.name, isinstance(entity, Group))
            for entity in map(registry.resolve, names)
            if entity is not None
        ]
        # named alone, an owner's members on a slot's day are the slot's own owers
        # (`expand_on` of that one name): not looked up again per occurrence
        alone = len(names) == 1 and len(owners) == 1
        # occurrences fulfilled by all their owers are skipped below: need they be made
        open_only = alone and not keep_finished and not inactive
        obligation_events = events.get(id(obligation), ())
        for slot in _slots(task, obligation, registry, settings, obligation_events, open_only):
            original = slot.occurrence if recurring else fixed  # base_last_day, hoisted
            due = slot.due(original) if slot.extensions else original
            effective = due
            if due is not None and settings.calendar is not None:
                effective = settings.calendar.roll_forward(due)
            if slot.occurrence is not None and original is not None and original > through:
                continue
            # an extension for some agencies only: each row's own L decides, below
            if not slot.due_for and not wanted.day(due):
                continue
            if inactive:
                slot.cancelled = True
            if slot.cancelled and not keep_cancelled:
                continue  # every member of it is cancelled
            for owner, is_group in owners:
                agencies = slot.owed if alone else registry.members_on(owner, slot.day)
                done = slot.done
                if (
                    not keep_finished
                    and not slot.cancelled
                    and agencies
                    and len(done) >= len(agencies)
                    and all(map(done.__contains__, agencies))
                ):
                    continue  # done by every member, whatever its dates
                members = _member_statuses(slot, agencies, effective, obligation, settings)
                if members and (
                    members[0].status not in statuses
                    if slot.uniform
                    else statuses.isdisjoint({m.status for m in members})
                ):
                    continue  # no member's status is wanted, so neither is the row's
                row_due, row_effective = due, effective
                if slot.due_for:
                    # members with extensions of their own: the row is due when the
                    # earliest of those still open is (SPEC 4.3, 4.2)
                    row_due = _row_due(members, due)
                    row_effective = row_due
                    if settings.calendar is not None and row_due is not None:
                        row_effective = settings.calendar.roll_forward(row_due)
                    if not wanted.day(row_due):
                        continue
                rows.append(
                    make(
                        task_id,
                        task,
                        obligation,
                        slot,
                        owner,
                        is_group,
                        row_due,
                        original,
                        row_effective,
                        members,
                        settings,
                    )
                )
    return rows


def _row_due(members: tuple[MemberStatus, ...], due: dt.date | None) -> dt.date | None:
    pending = [m for m in members if m.status not in FINISHED and m.status != "cancelled"]
    days = [m.due or due for m in pending or members]
    known = [d for d in days if d is not None]
    return min(known) if known else due


def _pairs_of_row(
    task_id: str,
    task: Task,
    obligation: Obligation,
    slot: _Slot,
    assignee: str,
    is_group: bool,
    due: dt.date | None,
    original: dt.date | None,
    effective: dt.date | None,
    members: tuple[MemberStatus, ...],
    settings: Settings,
) -> tuple[tuple[MemberStatus, ...], bool]:
    """What a count takes of a row (`task_pairs`), from what `_row` makes the row of."""
    return members, bool(slot.extensions)


def _row(
    task_id: str,
    task: Task,
    obligation: Obligation,
    slot: _Slot,
    assignee: str,
    is_group: bool,
    due: dt.date | None,
    original: dt.date | None,
    effective: dt.date | None,
    members: tuple[MemberStatus, ...],
    settings: Settings,
) -> Row:
    if slot.cancelled:
        status: Status = "cancelled"
        done_on = None
    elif members and slot.uniform:
        # nobody has done it: every member has the same open, ongoing or undated status,
        # which is then the group's, as `combine` would find
        status, done_on = members[0].status, None
    elif members:
        status, done_on = combine(members, "cancelled")
    else:  # an empty group owes nothing anyone could fulfil; show it by its date
        status = _member_status(slot, "", effective, obligation, settings).status
        done_on = None
    left = days_left(effective, settings) if effective is not None and status in OPEN else None
    # evidence comes with a fulfilment: none while nobody has done it (a group of 63 agencies
    # need not be searched)
    evidence = next((m.evidence for m in members if m.evidence), None) if slot.done else None
    return Row(
        task_id,
        task,
        obligation,
        slot.occurrence,
        assignee,
        is_group,
        due,
        original,
        effective if settings.calendar is not None else None,  # effective_due
        left,
        status,
        done_on,
        members,
        evidence,
        "lead",
        slot.extensions,
    )


def member_row(row: Row, agency: str, settings: Settings) -> Row:
    """The row narrowed to one member agency (for `--agency X` and `agency X`)."""
    members = tuple(m for m in row.members if m.agency == agency)
    if not members:
        return row
    member = members[0]
    day = row.effective_due or row.due
    if member.due is not None:
        day = settings.calendar.roll_forward(member.due) if settings.calendar else member.due
    left = days_left(day, settings) if day is not None and member.status in OPEN else None
    return row._replace(
        assignee=agency,
        is_group=False,
        due=member.due or row.due,
        effective_due=day if row.effective_due is not None else None,
        days_left=left,
        status=member.status,
        done_on=member.done_on,
        members=members,
        evidence=member.evidence,
    )
