"""Machine-readable rows (SPEC 5.1): JSON objects, CSV and Markdown. Field names are stable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from .labels import status_label, word
from .status import Row

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
    return json.dumps(value, ensure_ascii=False, indent=2)


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


def rows_markdown(rows: Sequence[Row], lang: str, *, with_role: bool = False) -> str:
    headers = [
        word(k, lang)
        for k in ("task", "section", "title", "assignee", "kind", "due", "days", "status")
    ]
    if with_role:
        headers.append(word("role", lang))
    body = []
    for row in rows:
        due = _iso(row.due) or ""
        if row.due != row.original_due and row.original_due is not None:
            due += f" ({word('was', lang)} {row.original_due.isoformat()})"
        assignee = row.assignee
        if row.is_group:
            assignee += f" ({row.members_done}/{row.members_total} {word('done_of', lang)})"
        cells: list[Any] = [
            f"`{row.task_id}`",
            row.task.source.section,
            row.task.title,
            assignee,
            word(row.obligation.kind, lang),
            due,
            row.days_left,
            status_label(row.status, lang),
        ]
        if with_role:
            cells.append(word(row.role, lang))
        body.append(cells)
    return markdown_table(headers, body)
