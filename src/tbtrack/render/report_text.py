"""The monthly report in the terminal (`--format table`): the parts of SPEC 5.3 in order, each
a plain aligned table, widths measured in terminal cells (Vietnamese marks take none).

Written out directly rather than through Rich's tables: a report of 10,000 tasks has
thousands of lines in parts 3 and 4, which Rich would take seconds to lay out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..files.text import shorten
from ..queries.report_data import COUNT_FIELDS, Counts, MonthlyReport, PairGroup
from .escape import printable
from .report_labels import (
    change_text,
    count_headers,
    day_text,
    kind_word,
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

    meta = f"{w('as_of')} {day(report.as_of)}"
    if report.compare is not None:
        meta += f" · {w('compared_with')} {day(report.compare)}"
    out = [bold(printable(report.title)), meta, ""]

    out.append(bold(w("notices")))
    if report.notices:
        headers = [w("notice_ref"), w("notice_date"), w("notice_title"), w("tasks")]
        body = [
            [n.number or n.folder, day(n.date), shorten(n.title, 60), str(n.tasks)]
            for n in report.notices
        ]
        out += _table(headers, body, {3}, bold)
    else:
        out.append(w("no_notices"))
    out.append("")

    out.append(bold(w("counts")))
    headers = count_headers(report.by, lang)
    body = [[shorten(r.name, 40), *_counts(r.counts)] for r in report.counts]
    body.append([w("totals"), *_counts(report.totals.counts)])
    out += _table(headers, body, set(range(1, len(headers))), bold, total_row=True)
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

    out.append(bold(w("overdue_list")))
    if report.overdue:
        heads = [w(k) for k in ("agency", "task", "content", "as_written", "due", "days_late")]
        out += _table(heads, _lines(report.overdue, lang, late=True), {5}, bold)
    else:
        out.append(w("nothing_overdue"))
    out.append("")

    out.append(bold(w("chase_list")))
    end = report.as_of + dt.timedelta(days=report.next_days)
    out.append(w("chase_range").format(start=day(report.as_of), end=day(end)))
    if report.chase:
        heads = [w(k) for k in ("agency", "task", "content", "due", "days_left", "status")]
        out += _table(heads, _lines(report.chase, lang, late=False), {4}, bold)
    else:
        out.append(w("nothing_to_chase"))
    return "\n".join(out) + "\n"


def _counts(counts: Counts) -> list[str]:
    cells = []
    for name in COUNT_FIELDS:
        value = counts.value(name)
        cells.append(rate_text(value) if name == "on_time_rate" else str(value))
    return cells


def _lines(groups: Sequence[PairGroup], lang: str, *, late: bool) -> list[list[str]]:
    body = []
    for group in groups:
        for i, line in enumerate(group.rows):
            due = day_text(line.due, lang)
            if line.original_due != line.due:
                due += (
                    f" ({report_word('extended_from', lang)} {day_text(line.original_due, lang)})"
                )
            cells = [
                shorten(group.agency, 32) if i == 0 else "",
                line.task,
                shorten(f"{line.title} · {kind_word(line.kind, lang)}", TITLE_WIDTH),
            ]
            if late:
                cells += [shorten(line.as_written or "", 32), due, str(line.days_late)]
            else:
                cells += [due, str(line.days_left), status_word(line.status, lang)]
            body.append([printable(c) for c in cells])
    return body


def _table(
    headers: Sequence[str],
    body: Sequence[Sequence[str]],
    right: set[int],
    bold: Callable[[str], str],
    *,
    total_row: bool = False,
) -> list[str]:
    from rich.cells import cell_len

    widths = [cell_len(h) for h in headers]
    for cells in body:
        widths = [max(width, cell_len(c)) for width, c in zip(widths, cells, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            fill = " " * (width - cell_len(cell))
            padded.append(fill + cell if i in right else cell + fill)
        return "  ".join(padded).rstrip()

    lines = [bold(line(headers))]
    for k, cells in enumerate(body):
        text = line(cells)
        lines.append(bold(text) if total_row and k == len(body) - 1 else text)
    return lines
