"""The monthly report in the terminal (`--format table`): the parts of SPEC 5.3 in order, each
a plain aligned table, widths measured in terminal cells (Vietnamese marks take none).

Written out directly rather than through Rich's tables: a report of 10,000 tasks has
thousands of lines in parts 3 and 4, which Rich would take seconds to lay out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import attrgetter

from ..files.text import shorten
from ..queries.report_data import COUNT_FIELDS, Counts, MonthlyReport, PairGroup
from .cells import cell_len
from .escape import printable
from .report_labels import (
    change_text,
    count_headers,
    day_text,
    kind_word,
    meta_text,
    notice_headers,
    rate_text,
    report_word,
    status_word,
)

TITLE_WIDTH = 48  # a task's title is shortened to this many cells in parts 3 and 4


def render_text(
    report: MonthlyReport, lang: str, bold: Callable[[str], str] = lambda text: text
) -> str:
    """The report as lines for a terminal; `bold` marks headings (escape codes, or none)."""

    def w(key: str) -> str:
        return report_word(key, lang)

    def day(value: dt.date | None) -> str:
        return day_text(value, lang)

    meta = meta_text(report.as_of, report.compare, lang)
    out = [bold(printable(report.title)), meta, ""]

    out.append(bold(w("notices")))
    if report.notices:
        headers = notice_headers(lang)
        body = [[n.ref, day(n.date), shorten(n.title, 60), str(n.tasks)] for n in report.notices]
        out += _table(headers, body, {3}, bold)
    else:
        out.append(w("no_notices"))
    out.append("")

    out.append(bold(w("counts")))
    headers = count_headers(report.by, lang)
    body = [[shorten(r.name, 40), *_counts(r.counts)] for r in report.counts]
    body.append([w("totals"), *_counts(report.totals.counts)])
    out += _table(headers, body, set(range(1, len(headers))), bold, total_row=True, wrap=True)
    if report.compare is not None:
        out.append("")
        out.append(bold(w("change")))
        names = [("total", False), ("done", False), ("overdue", False), ("on_time_rate", True)]
        heads = [report_word(report.by, lang), *(w(name) for name, _ in names)]
        rows = [*report.counts, report.totals]
        changes = [
            [
                shorten(r.name, 40) if r.name else w("totals"),
                *(change_text(r.change(name), lang, rate=rate) for name, rate in names),
            ]
            for r in rows
        ]
        out += _table(heads, changes, set(range(1, len(heads))), bold, total_row=True)
    out.append("")

    made: dict[tuple[object, ...], tuple[str, ...]] = {}  # a pair's cells, for both lists
    out.append(bold(w("overdue_list")))
    if report.overdue:
        heads = [w(k) for k in ("agency", "task", "content", "as_written", "due", "days_late")]
        out += _table(heads, _lines(report.overdue, lang, made, late=True), {5}, bold)
    else:
        out.append(w("nothing_overdue"))
    out.append("")

    out.append(bold(w("chase_list")))
    end = report.as_of + dt.timedelta(days=report.next_days)
    out.append(w("chase_range").format(start=day(report.as_of), end=day(end)))
    if report.chase:
        heads = [w(k) for k in ("agency", "task", "content", "due", "days_left", "status")]
        out += _table(heads, _lines(report.chase, lang, made, late=False), {4}, bold)
    else:
        out.append(w("nothing_to_chase"))
    return "\n".join(out) + "\n"


def _counts(counts: Counts) -> list[str]:
    cells = []
    for name in COUNT_FIELDS:
        value = counts.value(name)
        cells.append(rate_text(value) if name == "on_time_rate" else str(value))
    return cells


def _lines(
    groups: Sequence[PairGroup],
    lang: str,
    made: dict[tuple[object, ...], tuple[str, ...]],
    *,
    late: bool,
) -> list[tuple[str, ...]]:
    """One row per line; the cells of a pair are made once (kept in `made` for the other
    part), however many agencies owe it (a task for the 34 provinces is 34 lines of one
    text) and whether overdue or to chase."""
    statuses: dict[str, str] = {}
    numbers: dict[int, str] = {}
    body: list[tuple[str, ...]] = []
    pair_of = attrgetter("task", "obligation", "occurrence", "due", "original_due")
    for group in groups:
        agency = printable(shorten(group.agency, 32))
        for i, line in enumerate(group.rows):
            key = pair_of(line)
            cells = made.get(key)
            if cells is None:
                due = day_text(line.due, lang)
                if line.original_due != line.due:
                    was = day_text(line.original_due, lang)
                    due += f" ({report_word('extended_from', lang)} {was})"
                content = shorten(f"{line.title} · {kind_word(line.kind, lang)}", TITLE_WIDTH)
                texts = (line.task, content, shorten(line.as_written or "", 32), due)
                cells = made[key] = tuple(map(printable, texts))
            first = agency if i == 0 else ""
            days = -line.days_left if late else line.days_left
            number = numbers.get(days)
            if number is None:
                number = numbers[days] = str(days)
            if late:
                body.append((first, *cells, number))
            else:
                status = statuses.get(line.status)
                if status is None:
                    status = statuses[line.status] = status_word(line.status, lang)
                body.append((first, cells[0], cells[1], cells[3], number, status))
    return body


def _table(
    headers: Sequence[str],
    body: Sequence[Sequence[str]],
    right: set[int],
    bold: Callable[[str], str],
    *,
    total_row: bool = False,
    wrap: bool = False,
) -> list[str]:
    """Aligned columns, two spaces apart. Each distinct line is measured and laid out once:
    parts 3 and 4 repeat the same line for every agency that owes a pair after the first
    (at 10,000 tasks, 72,000 lines of which 10,000 differ). With `wrap`, a header wider than
    its column's cells is set on several lines, never breaking a word: part 2's nine counts
    then fit a terminal."""

    def size(text: str) -> int:
        # most cells (IDs, dates, numbers) are ASCII: one cell per character
        return len(text) if text.isascii() else cell_len(text)

    rows = list(map(tuple, body))
    distinct = list(dict.fromkeys(rows))
    columns = list(zip(*distinct, strict=True)) if distinct else [() for _ in headers]
    sizes = [{cell: size(cell) for cell in set(column)} for column in columns]

    def head_width(header: str) -> int:
        return max(map(size, header.split()), default=0) if wrap else size(header)

    widths = [
        max(head_width(header), *column.values()) if column else size(header)
        for header, column in zip(headers, sizes, strict=True)
    ]
    last = len(widths) - 1

    def pad(i: int, cell: str, length: int) -> str:
        if i == last and i not in right:
            return cell
        fill = " " * (widths[i] - length)
        return fill + cell if i in right else cell + fill

    padded = [{c: pad(i, c, n) for c, n in column.items()} for i, column in enumerate(sizes)]
    stacked = [_wrap_words(h, widths[i]) if wrap else [h] for i, h in enumerate(headers)]
    depth = max(map(len, stacked))
    lines = []
    for k in range(depth):
        # a wrapped header sits on the bottom lines, next to its column's cells
        parts = [
            words[k - depth + len(words)] if k >= depth - len(words) else "" for words in stacked
        ]
        head = "  ".join(pad(i, h, size(h)) for i, h in enumerate(parts)).rstrip()
        lines.append(bold(head))
    # a column at a time, then the lines: each cell looked up in its column's padded texts
    cells = [list(map(p.__getitem__, column)) for p, column in zip(padded, columns, strict=True)]
    laid_out = dict(
        zip(distinct, map(str.rstrip, map("  ".join, zip(*cells, strict=True))), strict=True)
    )
    lines += map(laid_out.__getitem__, rows)
    if total_row and body:
        lines[-1] = bold(lines[-1])
    return lines


def _wrap_words(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
