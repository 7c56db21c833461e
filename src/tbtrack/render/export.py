"""Results as machine records (SPEC 5.1), for JSON and CSV: field names and codes are stable,
never the words shown to people. json and csv are imported by the runs that write them: a
table imports this module for its names of fields alone."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..engine.status import Row
from ..files.records import dump

if TYPE_CHECKING:
    from ..queries.listings import Grid, SummaryRow, TaskView

ROW_FIELDS = (
    "task",
    "obligation",
    "kind",
    "occurrence",
    "assignee",
    "due",
    "original_due",
    "days_left",
    "status",
    "done_on",
    "members_total",
    "members_done",
    "title",
    "section",
    "notice",
    "notice_date",
    "evidence",
)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def row_json(row: Row, *, with_role: bool = False, workdays: bool = False) -> dict[str, Any]:
    source = row.task.source
    out: dict[str, Any] = {
        "task": row.task_id,
        "obligation": row.obligation.id,
        "kind": row.obligation.kind,
        "occurrence": _iso(row.occurrence),
        "assignee": row.assignee,
        "due": _iso(row.due),
        "original_due": _iso(row.original_due),
        "days_left": row.days_left,
        "status": row.status,
        "done_on": _iso(row.done_on),
        "members_total": row.members_total,
        "members_done": row.members_done,
        "title": row.task.title,
        "section": source.section,
        "notice": source.notice,
        "notice_date": source.date.isoformat(),
        "evidence": row.evidence,
    }
    if workdays:
        out["due_workday"] = _iso(row.effective_due)
    if with_role:
        out["role"] = row.role
    return out


def dumps(value: Any) -> str:
    if isinstance(value, list) and value:
        fast = _dumps_records(value)
        if fast is not None:
            return fast
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)


def _dumps_records(records: list[Any]) -> str | None:
    """`json.dumps(records, ensure_ascii=False, indent=2)` for a list of flat objects.

    With `indent` the json module encodes in Python, a tenth of a second for 5,000 rows. Each
    object is encoded here by its C encoder instead, with separators that lay it out as
    `indent=2` would inside a list; a value that is a list or an object would be laid out
    differently, so anything but non-empty objects of scalars gives None, for json.dumps.
    """
    encode = _record_encoder().encode
    parts = []
    for record in records:
        if type(record) is not dict or not record:
            return None
        for value in record.values():
            if type(value) not in _SCALARS:
                return None
        parts.append("  {\n    " + encode(record)[1:-1] + "\n  }")
    return "[\n" + ",\n".join(parts) + "\n]"


_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _record_encoder() -> Any:
    import json

    return json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": "))


def to_csv(records: Sequence[dict[str, Any]], fields: Iterable[str]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return buffer.getvalue()


def row_fields(*, with_role: bool = False, workdays: bool = False) -> list[str]:
    """The fields of `row_json`, in order, for a CSV header."""
    return [*ROW_FIELDS, *(["due_workday"] if workdays else []), *(["role"] if with_role else [])]


# the counts of a summary row, in the order they are listed
SUMMARY_FIELDS = ("done", "done-late", "due-soon", "upcoming", "overdue", "ongoing", "undated")


def summary_key(by: str) -> str:
    """The field that names a summary row: the agency, or the notice."""
    return "notice" if by == "notice" else "agency"


def summary_records(rows: Sequence[SummaryRow], by: str) -> list[dict[str, Any]]:
    key = summary_key(by)
    return [{key: r.name, **r.counts, "on_time_rate": _rate(r.on_time_rate)} for r in rows]


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def task_record(view: TaskView, *, workdays: bool = False) -> dict[str, Any]:
    """`show` as one object: the task as in its file, its rows, each group's members; the
    agency shown (`--agency`, else null) and the events of the timeline that concern it."""
    loaded = view.loaded
    return {
        "id": loaded.id,
        "path": loaded.path,
        "task": dump(loaded.task, json=True),
        "agency": view.agency,
        "events": dump(view.timeline, json=True),
        "rows": [row_json(r, workdays=workdays) for r in view.rows],
        "members": [
            {
                **row_json(r),
                "member_status": [
                    {"agency": m.agency, "status": m.status, "done_on": _iso(m.done_on)}
                    for m in r.members
                ],
            }
            for r in view.rows
            if r.is_group
        ],
    }


def grid_records(grid: Grid) -> list[dict[str, Any]]:
    """One object per recurring row, its occurrences by date (JSON)."""
    return [
        {
            "task": r.task_id,
            "obligation": r.obligation,
            "assignee": r.assignee,
            "occurrences": {d.isoformat(): row.status for d, row in sorted(r.cells.items())},
        }
        for r in grid.rows
    ]


def grid_flat_records(grid: Grid) -> tuple[list[dict[str, Any]], list[str]]:
    """The grid as flat records, one column per date (CSV), with its fields."""
    records = [
        {
            "task": r.task_id,
            "obligation": r.obligation,
            "assignee": r.assignee,
            **{d.isoformat(): row.status for d, row in r.cells.items()},
        }
        for r in grid.rows
    ]
    return records, ["task", "obligation", "assignee", *(d.isoformat() for d in grid.dates)]
