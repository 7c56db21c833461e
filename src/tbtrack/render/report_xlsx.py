"""The monthly report as an xlsx workbook, with XlsxWriter (SPEC 5.3).

A sheet per part; in each, the report's title and day above a bold header row that stays in
view (frozen with the first column) and carries an autofilter. Cells hold real values: counts
and days as numbers, days as dates in a date format, the on-time rate as a number shown as a
percent, so a reader can sort, filter, sum and chart them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..queries.report_data import COUNT_FIELDS, CountRow, MonthlyReport
from .report_labels import COMPARED, count_headers, day_text, kind_word, report_word, status_word

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

HEADER_ROW = 3  # rows 0-2: the title, the day, a blank line
WIDEST = 60  # characters; longer text wraps
# a column is as wide as its longest text times this: Vietnamese letters carry marks above and
# below that the default font draws a little wider than plain ASCII
WIDTH_FACTOR = 1.12
EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as XlsxWriter counts


def write_xlsx(report: MonthlyReport, lang: str, target: str | Path | IO[bytes]) -> None:
    """Write the workbook to `target`: a path (the caller writes to a temporary one and
    renames it) or a binary file object."""
    import xlsxwriter  # a listing never pays for the spreadsheet writer

    name = str(target) if isinstance(target, Path) else target
    workbook = xlsxwriter.Workbook(name, {"in_memory": True, "strings_to_numbers": False})
    try:
        sheets = _Sheets(workbook, report, lang)
        sheets.counts()
        if report.compare is not None:
            sheets.comparison()
        sheets.overdue()
        sheets.chase()
        sheets.notices()
    finally:
        workbook.close()


class _Sheets:
    def __init__(self, workbook: Workbook, report: MonthlyReport, lang: str) -> None:
        self.book, self.report, self.lang = workbook, report, lang
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8ECF0", "border": 1}
        )
        self.text = workbook.add_format({"valign": "top"})
        self.wrap = workbook.add_format({"valign": "top", "text_wrap": True})
        self.date = workbook.add_format({"valign": "top", "num_format": "dd/mm/yyyy"})
        self.number = workbook.add_format({"valign": "top"})
        self.percent = workbook.add_format({"valign": "top", "num_format": "0%"})
        self.bold_text = workbook.add_format({"bold": True, "top": 1})
        self.bold_number = workbook.add_format({"bold": True, "top": 1})
        self.bold_percent = workbook.add_format({"bold": True, "top": 1, "num_format": "0%"})

    def w(self, key: str) -> str:
        return report_word(key, self.lang)

    def _sheet(self, key: str, headers: Sequence[str]) -> Worksheet:
        sheet = self.book.add_worksheet(self.w(key))
        sheet.write_string(0, 0, self.report.title, self.title)
        day = f"{self.w('as_of')} {day_text(self.report.as_of, self.lang)}"
        if self.report.compare is not None:
            day += f" · {self.w('compared_with')} {day_text(self.report.compare, self.lang)}"
        sheet.write_string(1, 0, day)
        for col, text in enumerate(headers):
            sheet.write_string(HEADER_ROW, col, text, self.header)
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        return sheet

    def _finish(
        self, sheet: Worksheet, headers: Sequence[str], widths: list[int], rows: int
    ) -> None:
        """Autofilter over the header and data, and each column as wide as its text."""
        last = HEADER_ROW + max(rows, 1)
        sheet.autofilter(HEADER_ROW, 0, last, len(headers) - 1)
        lines = 1
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            # a header wraps, but never inside a word; the filter button takes about two more
            head = max(len(part) for part in header.split()) + 3
            size = min(WIDEST, max(head, width, 6))
            sheet.set_column(col, col, round(size * WIDTH_FACTOR, 1))
            lines = max(lines, _wrapped_lines(header, size - 2))
        # a spreadsheet program does not grow a row for wrapped text that XlsxWriter wrote
        sheet.set_row(HEADER_ROW, 15 * lines)

    # --- part 2 ------------------------------------------------------------------------------

    def counts(self) -> None:
        headers = count_headers(self.report.by, self.lang)
        sheet = self._sheet("sheet_counts", headers)
        widths = [len(h) for h in headers[:1]] + [6] * len(COUNT_FIELDS)
        row = HEADER_ROW + 1
        for line in self.report.counts:
            self._count_row(sheet, row, line.name, line, bold=False)
            widths[0] = max(widths[0], len(line.name))
            row += 1
        self._count_row(sheet, row, self.w("totals"), self.report.totals, bold=True)
        self._finish(sheet, headers, widths, row - HEADER_ROW)

    def _count_row(
        self, sheet: Worksheet, row: int, name: str, line: CountRow, *, bold: bool
    ) -> None:
        sheet.write_string(row, 0, name, self.bold_text if bold else self.text)
        number = self.bold_number if bold else self.number
        percent = self.bold_percent if bold else self.percent
        for col, field in enumerate(COUNT_FIELDS, start=1):
            value = line.counts.value(field)
            fmt = percent if field == "on_time_rate" else number
            if value is None:
                sheet.write_blank(row, col, None, fmt)
            else:
                sheet.write_number(row, col, value, fmt)

    # --- part 5 ------------------------------------------------------------------------------

    def comparison(self) -> None:
        before, change = self.w("previous"), self.w("change")
        headers = [self.w(self.report.by)]
        for field in COMPARED:
            label = self.w(field)
            headers += [label, f"{label} ({before})", f"{label} ({change})"]
        sheet = self._sheet("sheet_compare", headers)
        widths = [len(headers[0])] + [8] * (len(headers) - 1)
        totals = CountRow(self.w("totals"), self.report.totals.counts, self.report.totals.previous)
        row = HEADER_ROW
        for row, line in enumerate([*self.report.counts, totals], start=HEADER_ROW + 1):
            bold = line is totals
            sheet.write_string(row, 0, line.name, self.bold_text if bold else self.text)
            widths[0] = max(widths[0], len(line.name))
            for i, field in enumerate(COMPARED):
                rate = field == "on_time_rate"
                fmt = (
                    (self.bold_percent if rate else self.bold_number)
                    if bold
                    else (self.percent if rate else self.number)
                )
                then = line.previous.value(field) if line.previous else None
                for offset, value in enumerate(
                    (line.counts.value(field), then, line.change(field))
                ):
                    col = 1 + 3 * i + offset
                    if value is None:
                        sheet.write_blank(row, col, None, fmt)
                    else:
                        sheet.write_number(row, col, value, fmt)
        self._finish(sheet, headers, widths, row - HEADER_ROW)

    # --- parts 3 and 4 -----------------------------------------------------------------------

    def overdue(self) -> None:
        keys = ["agency", "task", "section", "content", "kind", "occurrence", "as_written"]
        keys += ["due", "original_due", "days_late", "via"]
        lines = ((g.agency, line) for g in self.report.overdue for line in g.rows)
        self._lines("sheet_overdue", keys, lines, lambda line: [line.days_late])

    def chase(self) -> None:
        keys = ["agency", "task", "section", "content", "kind", "occurrence", "as_written"]
        keys += ["due", "original_due", "days_left", "status", "via"]
        lines = ((g.agency, line) for g in self.report.chase for line in g.rows)
        self._lines(
            "sheet_chase",
            keys,
            lines,
            lambda line: [line.days_left, status_word(line.status, self.lang)],
        )

    def _lines(
        self,
        key: str,
        keys: list[str],
        lines: Iterable[tuple[str, Any]],
        extra: Callable[[Any], list[Any]],
    ) -> None:
        """One row per line: the agency, the task, then `extra` (days and status) and the name
        the task gave. The original deadline only when it was extended, so a blank says it was
        not; the notice is the task ID's folder (the notices' sheet names it), which keeps the
        sheet to the cells a reader filters on: XlsxWriter costs about 10 µs a cell."""
        headers = [self.w(k) for k in keys]
        sheet = self._sheet(key, headers)
        widths = [len(h.split()[0]) for h in headers]
        row = HEADER_ROW
        for row, (agency, line) in enumerate(lines, start=HEADER_ROW + 1):
            cells: list[Any] = [
                agency,
                line.task,
                line.section,
                line.title,
                kind_word(line.kind, self.lang),
                line.occurrence,
                line.as_written,
                line.due,
                line.original_due if line.original_due != line.due else None,
                *extra(line),
                line.via,
            ]
            self._write_cells(sheet, row, cells, widths)
        self._finish(sheet, headers, widths, row - HEADER_ROW)

    def _write_cells(self, sheet: Worksheet, row: int, cells: list[Any], widths: list[int]) -> None:
        for col, value in enumerate(cells):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                size = len(value)
                sheet.write_string(row, col, value, self.wrap if size > WIDEST else self.text)
                if size > widths[col]:
                    widths[col] = size
            elif kind is int:
                sheet.write_number(row, col, value, self.number)
            elif kind is dt.date:
                # the serial number write_datetime would write, without its conversions
                sheet.write_number(row, col, (value - EPOCH).days, self.date)
                widths[col] = max(widths[col], 10)

    # --- part 1 ------------------------------------------------------------------------------

    def notices(self) -> None:
        keys = ["notice_ref", "notice_date", "notice_title", "tasks"]
        headers = [self.w(k) for k in keys]
        sheet = self._sheet("sheet_notices", headers)
        widths = [6] * len(headers)
        row = HEADER_ROW
        for row, notice in enumerate(self.report.notices, start=HEADER_ROW + 1):
            cells = [notice.ref, notice.date, notice.title, notice.tasks]
            self._write_cells(sheet, row, cells, widths)
        self._finish(sheet, headers, widths, row - HEADER_ROW)


def _wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped at word boundaries in `width` characters."""
    lines, used = 1, 0
    for part in text.split():
        if used and used + 1 + len(part) > width:
            lines, used = lines + 1, len(part)
        else:
            used += len(part) + (1 if used else 0)
    return lines
