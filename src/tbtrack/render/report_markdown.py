"""The monthly report as Markdown (SPEC 5.3): the parts in order, each a table.

Cells go through `md_table.markdown_table`, the one Markdown escaper of the formatters; an
agency's lines follow one another with its name on the first, so a group reads as a group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..queries.report_data import COUNT_FIELDS, CountRow, Counts, MonthlyReport, PairGroup
from .md_table import bold, markdown_table
from .report_labels import (
    COMPARED,
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


def render_markdown(report: MonthlyReport, lang: str) -> str:
    def w(key: str) -> str:
        return report_word(key, lang)

    def day(value: dt.date | None) -> str:
        return day_text(value, lang)

    meta = meta_text(report.as_of, report.compare, lang)
    parts = [f"# {report.title}\n\n{meta}\n"]

    parts.append(f"## {w('notices')}\n")
    if report.notices:
        headers = notice_headers(lang)
        body = [[n.ref, day(n.date), n.title, n.tasks] for n in report.notices]
        parts.append(markdown_table(headers, body))
    else:
        parts.append(f"{w('no_notices')}\n")

    parts.append(f"## {w('counts')}\n")
    body = [[row.name, *_counts(row.counts)] for row in report.counts]
    body.append([bold(w("totals")), *(bold(c) for c in _counts(report.totals.counts))])
    parts.append(markdown_table(count_headers(report.by, lang), body))

    parts.append(f"## {w('overdue_list')}\n")
    parts.append(_pairs(report.overdue, lang, chase=False) or f"{w('nothing_overdue')}\n")

    parts.append(f"## {w('chase_list')}\n")
    end = report.as_of + dt.timedelta(days=report.next_days)
    parts.append(w("chase_range").format(start=day(report.as_of), end=day(end)) + "\n")
    parts.append(_pairs(report.chase, lang, chase=True) or f"{w('nothing_to_chase')}\n")

    if report.compare is not None:
        parts.append(f"## {w('comparison')}\n")
        headers = [w(report.by), *(w(k) for k in COMPARED)]
        body = [[row.name, *_compared(row, lang)] for row in report.counts]
        body.append([bold(w("totals")), *_compared(report.totals, lang)])
        parts.append(markdown_table(headers, body))
    return "\n".join(parts)


def _first(agency: str, index: int) -> str:
    return bold(agency) if index == 0 else ""


def _counts(counts: Counts) -> list[Any]:
    return [
        rate_text(counts.on_time_rate) if name == "on_time_rate" else counts.value(name)
        for name in COUNT_FIELDS
    ]


def _due(due: dt.date, original: dt.date, lang: str) -> str:
    text = day_text(due, lang)
    if original != due:
        text += f" ({report_word('extended_from', lang)} {day_text(original, lang)})"
    return text


def _compared(row: CountRow, lang: str) -> Sequence[str]:
    """Each count as of A, then its value as of D0 and the change: `12 (9, +3)`."""
    cells = []
    for name in COMPARED:
        rate = name == "on_time_rate"

        def shown(value: int | float | None, rate: bool = rate) -> str:
            return rate_text(value) if rate else str(value)

        now = shown(row.counts.value(name))
        if row.previous is None:
            cells.append(now)
            continue
        then = shown(row.previous.value(name))
        cells.append(f"{now} ({then}, {change_text(row.change(name), lang, rate=rate)})")
    return cells


def _pairs(groups: Sequence[PairGroup], lang: str, *, chase: bool) -> str:
    """The overdue list (days late) or the chase list (days left and status), one table of
    pairs grouped by agency; "" when there is none."""
    if not groups:
        return ""
    headers = [report_word(k, lang) for k in ("agency", "task", "section", "content", "kind")]
    headers += [report_word(k, lang) for k in ("as_written", "due")]
    headers += [
        report_word(k, lang) for k in (("days_left", "status") if chase else ("days_late",))
    ]
    body = []
    for group in groups:
        for i, line in enumerate(group.rows):
            cells: list[Any] = [
                _first(group.agency, i),
                f"`{line.task}`",
                line.section,
                line.title,
                kind_word(line.kind, lang),
                line.as_written,
                _due(line.due, line.original_due, lang),
            ]
            cells += [line.days_left, status_word(line.status, lang)] if chase else [line.days_late]
            body.append(cells)
    return markdown_table(headers, body)
