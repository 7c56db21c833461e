"""The monthly report as CSV: part 2 only (SPEC 5.3), headers in the report's language.

Numbers stay numbers (the on-time rate as a fraction from 0 to 1, as `summary` writes it), so
a spreadsheet program can sum and chart them.
"""

from __future__ import annotations

import csv
import io

from ..queries.report_data import COUNT_FIELDS, CountRow, Counts, MonthlyReport, counts_json
from .report_labels import count_headers, report_word

BOM = "\ufeff"


def report_csv(report: MonthlyReport, lang: str, bom: bool = False) -> str:
    """Part 2 with its total row; with --compare, each count's value as of D0 after it.

    `bom` puts a UTF-8 byte-order mark first, for spreadsheet programs that read a file
    without one in the local code page and garble the Vietnamese.
    """
    headers = count_headers(report.by, lang)
    if report.compare is not None:
        before = report_word("previous", lang)
        headers += [f"{report_word(name, lang)} ({before})" for name in COUNT_FIELDS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    totals = CountRow(report_word("totals", lang), report.totals.counts, report.totals.previous)
    for row in [*report.counts, totals]:
        cells: list[object] = [row.name, *_values(row.counts)]
        if report.compare is not None:
            cells += _values(row.previous) if row.previous else [""] * len(COUNT_FIELDS)
        writer.writerow(cells)
    return (BOM if bom else "") + buffer.getvalue()


def _values(counts: Counts) -> list[object]:
    record = counts_json(counts)
    return ["" if record[name] is None else record[name] for name in COUNT_FIELDS]
