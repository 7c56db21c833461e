"""Machine-readable rows (SPEC 5.1): JSON objects, CSV and Markdown. Field names are stable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..engine.status import Row
from ..render.labels import status_label, word

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
    return json.dumps(value, ensure_ascii=False, indent=2)


def _dumps_records(records: list[Any]) -> str | None:
    """`json.dumps(records, ensure_ascii=False, indent=2)` for a list of flat objects.

    With `indent` the json module encodes in Python, a tenth of a second for 5,000 rows. Each
    object is encoded here by its C encoder instead, with separators that lay it out as
    `indent=2` would inside a list; a value that is a list or an object would be laid out
    differently, so anything but non-empty objects of scalars gives None, for json.dumps.
    """
    encode = _RECORD_ENCODER.encode
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
_RECORD_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": "))


def to_csv(records: Sequence[dict[str, Any]], fields: Iterable[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return buffer.getvalue()


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], body: Iterable[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


ROW_COLUMNS = ("task", "section", "title", "assignee", "kind", "due", "days", "status")


def row_headers(lang: str, *, with_role: bool = False) -> list[str]:
    """The column headers of a listing, for tables and Markdown alike."""
    keys = (*ROW_COLUMNS, "role") if with_role else ROW_COLUMNS
    return [word(k, lang) for k in keys]


def due_text(row: Row, *, compact: bool = False) -> str:
    """L as a person reads it: the working day it moved to, and the original when extended.

    `compact` keeps only the day in force, marked `*` when it was extended or moved, for a
    terminal too narrow for both (`show` has the full story).
    """
    if row.due is None:
        return ""
    if compact:
        moved = row.original_due != row.due or (row.effective_due not in (None, row.due))
        return (row.effective_due or row.due).isoformat() + ("*" if moved else "")
    text = row.due.isoformat()
    if row.effective_due and row.effective_due != row.due:
        text = f"{row.effective_due.isoformat()} ({row.due.strftime('%d/%m')})"
    if row.original_due and row.original_due != row.due:
        text += f" ← {row.original_due.isoformat()}"
    return text


def row_cells(row: Row, lang: str, *, with_role: bool = False) -> list[str]:
    """One listing row as text, in the order of `row_headers`."""
    assignee = row.assignee
    if row.is_group:
        assignee = f"{row.members_done}/{row.members_total} {word('done_of', lang)} · {assignee}"
    cells = [
        row.task_id,
        row.task.source.section,
        row.task.title,
        assignee,
        word(row.obligation.kind, lang),
        due_text(row),
        "" if row.days_left is None else str(row.days_left),
        status_label(row.status, lang),
    ]
    if with_role:
        cells.append(word(row.role, lang))
    return cells


def rows_markdown(rows: Sequence[Row], lang: str, *, with_role: bool = False) -> str:
    body = []
    for row in rows:
        cells = row_cells(row, lang, with_role=with_role)
        cells[0] = f"`{cells[0]}`"
        body.append(cells)
    return markdown_table(row_headers(lang, with_role=with_role), body)
