"""The monthly report's query (SPEC 5.3): fills a `MonthlyReport` from the data as of A.

Part 2 is `summary`'s tally (`listings.tally`: the same engine, the same counting, so the two
can never disagree); parts 3 and 4 are one more pass over the open rows through A + N, each
row resolved to its member agencies; `--compare D0` is the same tally as of D0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import repeat
from operator import attrgetter

from ..engine.settled import Settled, pair_status
from ..engine.status import Row, Settings, Wanted, member_row
from ..engine.status import days_left as days_left_of
from ..errors import UsageError
from ..files.text import fold
from ..files.vocab import OPEN, Status
from ..loading.dataset import Dataset
from .listings import Also, Filters, Tally, owner, tally
from .report_data import (
    CountRow,
    Counts,
    MonthlyReport,
    NoticeLine,
    PairGroup,
    PairLine,
    ReportBy,
    pair_line,
)

DEFAULT_NEXT_DAYS = 30
DEFAULT_TITLES = {
    "vi": "Báo cáo tình hình thực hiện các nhiệm vụ được giao",
    "en": "Report on the tasks assigned",
}


def default_title(lang: str) -> str:
    return DEFAULT_TITLES.get(lang, DEFAULT_TITLES["en"])


def monthly_report(
    dataset: Dataset,
    settings: Settings,
    by: ReportBy,
    filters: Filters,
    next_days: int = DEFAULT_NEXT_DAYS,
    compare: dt.date | None = None,
    title: str = DEFAULT_TITLES["vi"],
) -> MonthlyReport:
    """The report as of `settings.as_of`; a usage error when `compare` is not before it."""
    as_of = settings.as_of
    if compare is not None and compare >= as_of:
        raise UsageError(
            f"--compare ({compare.isoformat()}) must be before the report's day "
            f"({as_of.isoformat()})"
        )
    end = as_of + dt.timedelta(days=next_days)
    wide = settings._replace(horizon=end)  # recurring occurrences through A + N
    wanted = Wanted(OPEN, before=end + dt.timedelta(days=1), dated=True)

    owners = _Owners(dataset, as_of)

    def lines_of(rows: list[Row]) -> list[tuple[str, PairLine]]:
        return [pair for row in rows for pair in _member_lines(owners, row, wide)]

    def settled_lines(task_id: str, settled: Settled) -> list[tuple[str, PairLine]] | None:
        return _settled_lines(owners, task_id, settled, settings, wanted)

    now = tally(dataset, settings, by, filters, Also(lines_of, wanted, settled_lines, end))
    then = tally(dataset, settings._replace(as_of=compare), by, filters) if compare else None
    names = _row_order(dataset, by, now, then)
    rows = [
        CountRow(name, _counts(now, name), None if then is None else _counts(then, name))
        for name in names
    ]
    totals = CountRow(
        "",
        Counts.sum(r.counts for r in rows),
        None if then is None else Counts.sum(r.previous for r in rows if r.previous),
    )
    overdue, chase = _lines(dataset, now.also)
    return MonthlyReport(
        title=title,
        as_of=as_of,
        by=by,
        next_days=next_days,
        notices=_notices(now),
        counts=rows,
        totals=totals,
        overdue=overdue,
        chase=chase,
        compare=compare,
    )


def _counts(found: Tally, name: str) -> Counts:
    counts = found.table.get(name)
    if counts is None:
        return Counts()
    return Counts.from_tally(counts, extended=found.extended.get(name, 0))


def _row_order(dataset: Dataset, by: ReportBy, now: Tally, then: Tally | None) -> list[str]:
    """Agencies in the registry's order (a name it does not know last); notices by date."""
    seen = dict.fromkeys([*now.table, *(then.table if then else ())])
    if by == "notice":
        return sorted(seen, key=lambda label: (label.rpartition("(")[2], fold(label)))
    known = [name for name in dataset.registry.entities if name in seen]
    rest = sorted((name for name in seen if name not in dataset.registry.entities), key=fold)
    return known + rest


def _notices(found: Tally) -> list[NoticeLine]:
    lines = [
        NoticeLine(folder, seen.number, seen.date, seen.title, seen.tasks)
        for folder, seen in found.notices.items()
    ]
    return sorted(lines, key=lambda n: (n.date, n.folder))


def _lines(
    dataset: Dataset, pairs: Iterable[tuple[str, PairLine]]
) -> tuple[list[PairGroup], list[PairGroup]]:
    """Parts 3 and 4 from every open member pair with an L through A + N, by who owes it:
    the agencies in the registry's order, overdue lines most days late first, chase lines
    by L."""
    overdue: defaultdict[str, list[PairLine]] = defaultdict(list)
    chase: defaultdict[str, list[PairLine]] = defaultdict(list)
    for member, line in pairs:
        chase[member].append(line)
        if line.status == "overdue":
            overdue[member].append(line)
    order = {name: i for i, name in enumerate(dataset.registry.entities)}

    def groups(
        lines: dict[str, list[PairLine]], key: Callable[[PairLine], tuple[object, ...]]
    ) -> list[PairGroup]:
        agencies = sorted(lines, key=lambda a: (order.get(a, len(order)), fold(a)))
        return [PairGroup(a, sorted(lines[a], key=key)) for a in agencies]

    # C-level keys: each sorts tens of thousands of lines
    by_lateness = attrgetter("days_left", "due", "task", "obligation")
    by_due = attrgetter("due", "task", "obligation")

    return groups(overdue, by_lateness), groups(chase, by_due)


# where a line's own fields sit among a PairLine's
_ASSIGNEE, _STATUS, _VIA = map(PairLine._fields.index, ("assignee", "status", "via"))


class _Owners(dict[str, str]):
    """Each member agency's owner as of A (`listings.owner`), asked once: a lookup in C for
    the tens of thousands of lines after the first of each agency."""

    def __init__(self, dataset: Dataset, as_of: dt.date) -> None:
        super().__init__()
        self.dataset, self.as_of = dataset, as_of

    def __missing__(self, agency: str) -> str:
        found = self[agency] = owner(self.dataset, agency, self.as_of)
        return found


def _open_lines(
    owners: _Owners, base: PairLine, members: Iterable[tuple[str, Status]]
) -> list[tuple[str, PairLine]]:
    """A row's line `base` (its assignee the agency or group the task names) once for each
    of its open (member agency, status) pairs, under the agency that counts it in part 2 (its
    owner as of A); `via` names what the task named when it is not that agency."""
    fields = list(base)  # the row's, shared by every line of it; each line sets its own
    assignee = base.assignee
    lines = []
    for agency, status in members:
        counted = owners[agency]
        via = assignee if assignee != counted else None
        fields[_ASSIGNEE], fields[_STATUS], fields[_VIA] = counted, status, via
        # tuple.__new__, not PairLine(...): its Python-level __new__ costs twice as much
        lines.append((counted, tuple.__new__(PairLine, fields)))
    return lines


def _member_lines(owners: _Owners, row: Row, settings: Settings) -> list[tuple[str, PairLine]]:
    """A row's open pairs, one line per member agency (`_open_lines`).

    The lines are made directly, not through `member_row`: a member still open has the
    row's own days left (a group is open while any member is), and a report of 10,000
    tasks makes tens of thousands of them."""
    base = pair_line(row)
    if base is None:
        return []
    members = [(m.agency, m.status) for m in row.members if m.status in OPEN]
    if row.days_left is not None:
        return _open_lines(owners, base, members)
    lines = []  # not reached (see above), but never a wrong number: each member's own
    for agency, status in members:
        narrowed = member_row(row, agency, settings)
        left = 0 if narrowed.days_left is None else narrowed.days_left
        lines += _open_lines(owners, base._replace(days_left=left), [(agency, status)])
    return lines


def _settled_lines(
    owners: _Owners, task_id: str, settled: Settled, settings: Settings, wanted: Wanted
) -> list[tuple[str, PairLine]] | None:
    """`_member_lines` of each row `wanted` keeps, made from a settled task's stored pairs
    (`engine.settled`) instead of its rows: a row is open while any of its pairs is (an open
    status comes first in a group's, SPEC 4.3), wanted by its L, and each open pair's line
    has the row's days left. tests/queries/test_shortcuts.py proves the report the same.
    None when the heads cannot be read: make the lines from the task's rows."""
    if not settled.has_open:
        return []
    about = settled.heads
    if about is None:
        return None
    source = settled.source
    calendar = settings.calendar
    lines = []
    bases: dict[int, PairLine] = {}  # each wanted row's line, as `pair_line` makes it
    for group in settled.groups:
        if group.state != "open":
            continue
        head = about.rows[group.row]
        due = head.due
        if due is None or not wanted.day(due):
            continue
        status = pair_status(group, settings)
        base = bases.get(group.row)
        if base is None:
            effective = calendar.roll_forward(due) if calendar is not None else due
            base = bases[group.row] = PairLine(
                task=task_id,
                section=source.section,
                title=about.title,
                obligation=head.obligation,
                kind=head.kind,
                occurrence=None,  # a settled task has no recurring obligation
                assignee=head.assignee,
                due=due,
                original_due=head.original_due or due,
                as_written=head.as_written,
                days_left=days_left_of(effective, settings),
                status=status,
                notice=source.notice,
                notice_date=source.date,
            )
        lines += _open_lines(owners, base, zip(group.agencies, repeat(status)))
    return lines
