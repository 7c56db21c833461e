"""The monthly report (SPEC 5.3) as plain data, and its JSON.

The query that fills a `MonthlyReport` takes its counts from `summary` (the same engine) and
its lines from the member rows of the listings; the renderers (`render/report_*`) only lay it
out. Nothing here computes a status: a line carries the status, L and days the engine gave it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ..files.store import notice_name, notice_ref
from ..files.vocab import ObligationKind, Status

if TYPE_CHECKING:
    from ..engine.status import Row

ReportBy = Literal["agency", "notice"]

# part 2's counts in the order a Vietnamese report prints them, by their JSON names
COUNT_FIELDS = (
    "total",
    "done",
    "done-late",
    "open",
    "overdue",
    "extended",
    "on_time_rate",
    "ongoing",
    "undated",
)


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """A notice the report covers (part 1): its folder under `tasks/`, and how many tasks."""

    folder: str
    number: str | None
    date: dt.date
    title: str
    tasks: int

    @property
    def ref(self) -> str:
        return notice_ref(self.number, self.folder)

    @property
    def name(self) -> str:
        """The name of its row in the counts by notice."""
        return notice_name(self.number, self.folder, self.date)


@dataclass(frozen=True, slots=True)
class Counts:
    """The four-way count of one row, and the pairs counted apart (SPEC 4.4).

    `open` is chưa hoàn thành trong hạn (due-soon and upcoming); `extended` how many of the
    four-way pairs had their deadline extended (trong đó được gia hạn). `total` and the
    on-time rate follow from the four, so they can never disagree with them.
    """

    done: int = 0
    done_late: int = 0
    open: int = 0
    overdue: int = 0
    extended: int = 0
    ongoing: int = 0
    undated: int = 0

    @classmethod
    def from_tally(cls, tally: Mapping[str, int], *, extended: int = 0) -> Counts:
        """From a count per status as `summary` gives it ("done", "due-soon", ...)."""
        return cls(
            done=tally.get("done", 0),
            done_late=tally.get("done-late", 0),
            open=tally.get("due-soon", 0) + tally.get("upcoming", 0),
            overdue=tally.get("overdue", 0),
            extended=extended,
            ongoing=tally.get("ongoing", 0),
            undated=tally.get("undated", 0),
        )

    @property
    def total(self) -> int:
        return self.done + self.done_late + self.open + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """done / (done + done-late + overdue); None when nothing is due yet."""
        from .listings import on_time_rate  # the one definition, shared with `summary`

        return on_time_rate(
            {"done": self.done, "done-late": self.done_late, "overdue": self.overdue}
        )

    def value(self, name: str) -> int | float | None:
        """A count by its JSON name (`COUNT_FIELDS`)."""
        if name == "on_time_rate":
            return self.on_time_rate
        return int(getattr(self, name.replace("-", "_")))

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.done + other.done,
            self.done_late + other.done_late,
            self.open + other.open,
            self.overdue + other.overdue,
            self.extended + other.extended,
            self.ongoing + other.ongoing,
            self.undated + other.undated,
        )

    @staticmethod
    def sum(items: Iterable[Counts]) -> Counts:
        total = Counts()
        for item in items:
            total = total + item
        return total


@dataclass(frozen=True, slots=True)
class CountRow:
    """One row of part 2: an agency or a notice, its counts as of A and, with --compare, D0."""

    name: str
    counts: Counts
    previous: Counts | None = None

    def change(self, name: str) -> int | float | None:
        """The change of one count since D0; None without --compare or without a rate."""
        if self.previous is None:
            return None
        now, then = self.counts.value(name), self.previous.value(name)
        if now is None or then is None:
            return None
        return now - then


class PairLine(NamedTuple):
    """One open (occurrence, member agency) pair as the report's overdue and chase lists and
    the calendar show it. `days_left` is negative when late; `via` is the name the task gave
    when it differs from `assignee` (a group, or the agency a successor inherited from);
    `text` (the assignment as the notice words it) only where a calendar wants it.

    A named tuple, as the engine's rows: a report of 10,000 tasks makes tens of thousands."""

    task: str
    section: str
    title: str
    obligation: str
    kind: ObligationKind
    occurrence: dt.date | None
    assignee: str
    due: dt.date
    original_due: dt.date
    as_written: str | None
    days_left: int
    status: Status
    notice: str
    notice_date: dt.date
    via: str | None = None
    text: str | None = None

    @property
    def days_late(self) -> int:
        return -self.days_left


def pair_line(row: Row, *, with_text: bool = False) -> PairLine | None:
    """An engine row (one member's, or one assignee's) as a pair line; None without an L
    (ongoing, undated). L is the files' (after extensions), not --workdays' moved day."""
    if row.due is None:
        return None
    source = row.task.source
    return PairLine(
        task=row.task_id,
        section=source.section,
        title=row.task.title,
        obligation=row.obligation.id,
        kind=row.obligation.kind,
        occurrence=row.occurrence,
        assignee=row.assignee,
        due=row.due,
        original_due=row.original_due or row.due,
        as_written=row.obligation.as_written,
        days_left=0 if row.days_left is None else row.days_left,  # None: finished
        status=row.status,
        notice=source.notice,
        notice_date=source.date,
        text=row.task.text if with_text else None,
    )


@dataclass(frozen=True, slots=True)
class PairGroup:
    """The lines of one agency, in part 3 (most days late first) or part 4 (by L)."""

    agency: str
    rows: list[PairLine]


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    """The whole report as of A, its parts in the order SPEC 5.3 prints them.

    `counts` is in the registry's order (or the notices' with by="notice"); `overdue` groups
    hold their lines most days late first; `chase` covers A to A + `next_days`.
    """

    title: str
    as_of: dt.date
    by: ReportBy
    next_days: int
    notices: list[NoticeLine]
    counts: list[CountRow]
    totals: CountRow
    overdue: list[PairGroup] = field(default_factory=list)
    chase: list[PairGroup] = field(default_factory=list)
    compare: dt.date | None = None

    @property
    def overdue_total(self) -> int:
        return sum(len(group.rows) for group in self.overdue)


# --- JSON (SPEC 5.3): field names are stable ------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _rate(rate: float | None) -> float | None:
    # as `summary --format json` rounds it
    return None if rate is None else round(rate, 4)


def counts_json(counts: Counts) -> dict[str, Any]:
    out: dict[str, Any] = {name: counts.value(name) for name in COUNT_FIELDS}
    out["on_time_rate"] = _rate(counts.on_time_rate)
    return out


def _count_row_json(row: CountRow, key: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {key: row.name} if key else {}
    out.update(counts_json(row.counts))
    if row.previous is not None:
        out["previous"] = counts_json(row.previous)
    return out


def _line_json(line: PairLine) -> dict[str, Any]:
    """A member's pair as a row of SPEC 5.1: one member, not done, so no date or evidence."""
    return {
        "task": line.task,
        "obligation": line.obligation,
        "kind": line.kind,
        "occurrence": _iso(line.occurrence),
        "assignee": line.assignee,
        "due": _iso(line.due),
        "original_due": _iso(line.original_due),
        "days_left": line.days_left,
        "status": line.status,
        "done_on": None,
        "members_total": 1,
        "members_done": 0,
        "title": line.title,
        "section": line.section,
        "notice": line.notice,
        "notice_date": line.notice_date.isoformat(),
        "evidence": None,
        "as_written": line.as_written,
        "via": line.via,
    }


def overdue_json(line: PairLine) -> dict[str, Any]:
    out = _line_json(line)
    out["days_late"] = line.days_late
    return out


def chase_json(line: PairLine) -> dict[str, Any]:
    return _line_json(line)


def report_json(report: MonthlyReport) -> dict[str, Any]:
    """The report as one JSON object: `as_of`, `notices`, `counts`, `totals`, `overdue`,
    `chase` (SPEC 5.3), with `title`, `by`, `next` and `compare` to say what was asked."""
    return {
        "title": report.title,
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "next": report.next_days,
        "compare": _iso(report.compare),
        "notices": [
            {
                "folder": n.folder,
                "number": n.number,
                "date": n.date.isoformat(),
                "title": n.title,
                "tasks": n.tasks,
                "name": n.name,  # the name of its row in `counts` by notice
            }
            for n in report.notices
        ],
        "counts": [_count_row_json(row, report.by) for row in report.counts],
        "totals": _count_row_json(report.totals, None),
        "overdue": [overdue_json(line) for group in report.overdue for line in group.rows],
        "chase": [
            {"agency": group.agency, "rows": [chase_json(line) for line in group.rows]}
            for group in report.chase
        ],
    }
