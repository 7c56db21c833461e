"""A listing row as people read it: the columns of the table and of Markdown, by name, and
which of them give way, and how, when a terminal is narrow (`fit_row_columns`).

The table formatter decides widths and styles from the columns' names and traits, never from
their positions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..engine.status import Row
from ..render.cells import each_once
from ..render.export import SUMMARY_FIELDS
from ..render.labels import status_label, status_symbol, word

if TYPE_CHECKING:
    import datetime as dt

    from ..queries.listings import Grid, SummaryRow


class Column(NamedTuple):
    key: str  # the label key of its header
    right: bool = False  # aligned right (numbers)
    shrinks: bool = False  # shortened with an ellipsis when the terminal is narrow
    drops: int = 0  # left out of a narrow terminal's table, rank 1 first; 0: never
    least: int = 0  # a shrinking column's narrowest readable width


# a title given fewer cells than this, beside an assignee given ASSIGNEE_ROOM, makes the
# section, then the kind, give way; one given fewer than TITLE_FLOOR tells nothing, and the
# column is left out
TITLE_ROOM = 16
TITLE_FLOOR = 8
ASSIGNEE_ROOM = 16

ROW_COLUMNS = (
    Column("task"),
    Column("section", drops=1),
    Column("title", shrinks=True, least=TITLE_FLOOR),
    Column("assignee", shrinks=True, least=10),
    Column("kind", drops=2),
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
    moved = any(map(_moved, rows))
    keys = [column.key for column in row_columns(with_role=with_role)]
    return [word("due-workday" if k == "due" and moved else k, lang) for k in keys]


def due_text(row: Row, *, compact: bool = False) -> str:
    """L as a person reads it, then the working day a day off moves it to (`2025-08-30 →
    2025-09-03`, with --workdays) and the original L when extended (`← 2025-07-01`).

    `compact` leaves out the date an extension replaced, marking the day `*` instead, for a
    terminal too narrow for it (`show` has the full story); a day moved off a day off keeps
    both its dates.
    """
    if row.due is None:
        return ""
    text = row.due.isoformat()
    moved = _moved(row)
    if moved:
        # L decides what a range lists (SPEC 4.4): both days stay whole, compact or not
        text += f" → {row.effective_due}"
    if _extended(row):
        if compact:
            text += "*"
        else:
            # after a moved day, an arrow back would seem to point at the working day
            text += f" (← {row.original_due})" if moved else f" ← {row.original_due}"
    return text


def _moved(row: Row) -> bool:
    """Whether --workdays moved the row's L off a day off."""
    return row.effective_due is not None and row.effective_due != row.due


def _extended(row: Row) -> bool:
    """Whether an extension replaced the row's L: the one part of `due_text` that `compact`
    shortens."""
    return row.original_due is not None and row.original_due != row.due


def compact_due_texts(rows: Sequence[Row], texts: Sequence[str]) -> list[str]:
    """`due_text(row, compact=True)` of each row, given each one's `due_text(row)`: a row
    without an extension keeps its text (most of a long listing's)."""
    return [
        due_text(row, compact=True) if _extended(row) else text
        for row, text in zip(rows, texts, strict=True)
    ]


def assignee_text(row: Row, lang: str) -> str:
    """Who owes the row; a group says how many of its members are done."""
    if row.is_group:
        return f"{row.members_done}/{row.members_total} {word('done_of', lang)} · {row.assignee}"
    return row.assignee


def _nfc(text: str) -> str:
    # an editor may write NFD: a cell is measured, shortened and shown by its NFC form
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _nfc_each(texts: list[str]) -> list[str]:
    """`_nfc` of each text, once per distinct text (the rows of one task share its title)."""
    if "".join(texts).isascii():
        return texts
    return each_once(texts, _nfc)


def rows_cells(rows: Sequence[Row], lang: str, *, with_role: bool = False) -> list[list[str]]:
    """The listing rows as text, a list per column in the order of `row_columns`: made a
    column at a time, as a table of 50,000 rows lays them out, each word looked up once."""
    tasks = [row.task for row in rows]
    columns = [
        [row.task_id for row in rows],
        _nfc_each([task.source.section for task in tasks]),
        _nfc_each([task.title for task in tasks]),
        _nfc_each([assignee_text(row, lang) if row.is_group else row.assignee for row in rows]),
        each_once([row.obligation.kind for row in rows], lambda kind: word(kind, lang)),
        due_texts(rows),
        ["" if left is None else str(left) for left in (row.days_left for row in rows)],
        each_once([row.status for row in rows], lambda status: status_label(status, lang)),
    ]
    if with_role:
        columns.append([word(row.role, lang) for row in rows])
    return columns


def due_texts(rows: Sequence[Row]) -> list[str]:
    """`due_text` of each row: a row whose L was neither moved nor extended (most of a long
    listing's) shows its day alone, each day's text made once."""
    iso: dict[dt.date, str] = {}
    texts = []
    for row in rows:
        due = row.due
        if due is None:
            texts.append("")
        elif not _moved(row) and not _extended(row):
            text = iso.get(due)
            texts.append(text if text is not None else iso.setdefault(due, due.isoformat()))
        else:
            texts.append(due_text(row))
    return texts


class Fit(NamedTuple):
    """How a rows table fits a terminal: the columns kept and each one's width."""

    columns: tuple[Column, ...]
    widths: dict[str, int]
    compact_due: bool  # the due column shows the day in force only (`due_text(compact=True)`)

    @property
    def total(self) -> int:
        """The table's width: its columns and one space between two."""
        return sum(self.widths.values()) + len(self.widths) - 1


def fit_row_columns(
    columns: Sequence[Column],
    natural: Mapping[str, int],
    width: int,
    *,
    compact_due: int | None = None,
) -> Fit:
    """The columns of a rows table on a terminal `width` cells wide, and their widths.

    `natural` is each column's width with nothing cut (its header included); `compact_due`
    the due column's with `due_text(compact=True)`, when that is narrower. The task ID, the
    dates, the days and the status are never cut. What gives way, in this order: the title
    (shortened down to TITLE_ROOM cells, the assignee keeping ASSIGNEE_ROOM), the section
    and then the kind column (left out), the date an extension replaced, the assignee (down
    to its least width), the title again and, below TITLE_FLOOR, the title column. Only when
    the columns that are never cut are wider than the terminal is the table too.
    """
    kept = list(columns)
    due_width = natural["due"]
    compact = False
    title_room = min(natural["title"], TITLE_ROOM)

    def share(assignee_yields: bool = False) -> tuple[int, int]:
        """The title's and the assignee's widths: what the other columns leave them."""
        fixed = sum(due_width if c.key == "due" else natural[c.key] for c in kept if not c.shrinks)
        room = width - fixed - (len(kept) - 1)
        most = natural["assignee"]
        least = min(most, _least(kept, "assignee"))
        if not any(c.key == "title" for c in kept):
            return 0, min(most, max(least, room))
        assignee = min(most, max(ASSIGNEE_ROOM, room * 2 // 5))
        if assignee_yields and room - assignee < title_room:
            assignee = min(assignee, max(least, room - title_room))
        return min(natural["title"], room - assignee), assignee

    title, assignee = share()
    for rank in sorted({c.drops for c in kept if c.drops}):
        if title >= title_room:
            break
        kept = [c for c in kept if c.drops != rank]
        title, assignee = share()
    if title < title_room and compact_due is not None and compact_due < due_width:
        due_width, compact = compact_due, True
        title, assignee = share()
    title, assignee = share(assignee_yields=True)
    if title < min(natural["title"], _least(kept, "title")):
        kept = [c for c in kept if c.key != "title"]
        title, assignee = share()
    widths = {
        c.key: {"title": title, "assignee": assignee, "due": due_width}.get(c.key, natural[c.key])
        for c in kept
    }
    return Fit(tuple(kept), widths, compact)


def _least(columns: Sequence[Column], key: str) -> int:
    return next((c.least for c in columns if c.key == key), 0)


def summary_total(rows: Sequence[SummaryRow], lang: str) -> SummaryRow:
    """The total row of a summary: every count summed; its on-time rate is the sums' own."""
    from ..queries.listings import SummaryRow

    counts = dict.fromkeys(SUMMARY_FIELDS, 0)
    for row in rows:
        for status, n in row.counts.items():
            counts[status] = counts.get(status, 0) + n
    return SummaryRow(word("total", lang), counts)


def grid_headers(grid: Grid, *, with_year: bool = False) -> list[str]:
    """The recurring grid's column headers: the occurrences' days, with the year when the
    range spans more than one or `with_year` (`12/2025`, `01/2026` for one occurrence a
    month)."""
    years = {d.year for d in grid.dates} | {grid.start.year, grid.end.year}
    if len(years) == 1 and not with_year:
        pattern = "%d/%m"
    elif len({(d.year, d.month) for d in grid.dates}) == len(grid.dates):
        pattern = "%m/%Y"  # one occurrence a month: the month says which
    else:
        pattern = "%d/%m/%Y"
    return [d.strftime(pattern) for d in grid.dates]


def grid_cell(row: Row | None) -> tuple[str, str]:
    """A recurring grid cell's text and the status that styles it."""
    if row is None:
        return "", ""
    if row.is_group:
        owed = sum(1 for m in row.members if m.status != "cancelled")
        return f"{row.members_done}/{owed}", row.status
    return status_symbol(row.status), row.status
