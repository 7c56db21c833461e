"""A listing row as people read it: the columns of the table and of Markdown, by name.

The table formatter decides widths and styles from the columns' names and traits, never from
their positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..engine.status import Row
from ..render.labels import status_label, word


class Column(NamedTuple):
    key: str  # the label key of its header
    right: bool = False  # aligned right (numbers)
    shrinks: bool = False  # shortened with an ellipsis when the terminal is narrow


ROW_COLUMNS = (
    Column("task"),
    Column("section"),
    Column("title", shrinks=True),
    Column("assignee", shrinks=True),
    Column("kind"),
    Column("due"),
    Column("days", right=True),
    Column("status"),
)
ROLE_COLUMN = Column("role")


def row_columns(*, with_role: bool = False) -> tuple[Column, ...]:
    return (*ROW_COLUMNS, ROLE_COLUMN) if with_role else ROW_COLUMNS


def position(key: str) -> int:
    """Where the column named `key` stands in a listing (the role column comes last)."""
    return next(i for i, column in enumerate(ROW_COLUMNS) if column.key == key)


def row_headers(lang: str, *, with_role: bool = False, rows: Sequence[Row] = ()) -> list[str]:
    """The column headers of a listing, for tables and Markdown alike. When one of `rows` has
    a last day on a day off (--workdays), the due column says that the day after the arrow is
    the working day it moves to; otherwise the header is no wider than the dates."""
    moved = any(r.effective_due is not None and r.effective_due != r.due for r in rows)
    keys = [column.key for column in row_columns(with_role=with_role)]
    return [word("due-workday" if k == "due" and moved else k, lang) for k in keys]


def due_text(row: Row, *, compact: bool = False) -> str:
    """L as a person reads it, then the working day a day off moves it to (`2025-08-30 →
    2025-09-03`, with --workdays) and the original L when extended (`← 2025-07-01`).

    `compact` keeps only the day in force, marked `*` when it was extended or moved, for a
    terminal too narrow for both (`show` has the full story).
    """
    if row.due is None:
        return ""
    if compact:
        moved = row.original_due != row.due or (row.effective_due not in (None, row.due))
        return (row.effective_due or row.due).isoformat() + ("*" if moved else "")
    text = row.due.isoformat()
    moved = row.effective_due is not None and row.effective_due != row.due
    if moved:
        text += f" → {row.effective_due}"
    if row.original_due and row.original_due != row.due:
        # after a moved day, an arrow back would seem to point at the working day
        text += f" (← {row.original_due})" if moved else f" ← {row.original_due}"
    return text


def assignee_text(row: Row, lang: str) -> str:
    """Who owes the row; a group says how many of its members are done."""
    if row.is_group:
        return f"{row.members_done}/{row.members_total} {word('done_of', lang)} · {row.assignee}"
    return row.assignee


def row_cells(row: Row, lang: str, *, with_role: bool = False) -> list[str]:
    """One listing row as text, in the order of `row_columns`."""
    cells = [
        row.task_id,
        row.task.source.section,
        row.task.title,
        assignee_text(row, lang),
        word(row.obligation.kind, lang),
        due_text(row),
        "" if row.days_left is None else str(row.days_left),
        status_label(row.status, lang),
    ]
    if with_role:
        cells.append(word(row.role, lang))
    return cells
