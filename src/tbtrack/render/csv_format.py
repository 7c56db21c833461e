"""The CSV formatter: flat records with a header line, the field names of SPEC 5.1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..render.export import (
    SUMMARY_FIELDS,
    grid_flat_records,
    row_fields,
    row_json,
    summary_key,
    summary_records,
    to_csv,
)
from ..render.formatter import Formatter
from ..render.history import CSV_FIELDS, LOG_CSV_FIELDS, change_record, log_records
from ..render.report_csv import BOM, report_csv

if TYPE_CHECKING:
    from ..engine.status import Row
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView
    from ..queries.report_data import MonthlyReport
    from ..render.output import Output
    from ..review.history import Diff, TaskLog


class CsvFormatter(Formatter):
    name = "csv"

    def __init__(self, out: Output) -> None:
        super().__init__(out)
        self._started = False

    def _write(self, text: str) -> None:
        # --bom: a byte-order mark first, for spreadsheet programs that otherwise read the
        # file in the local code page and garble the Vietnamese
        if self.out.bom and not self._started:
            text = BOM + text
        self._started = True
        self.out.write(text)

    def report(self, report: MonthlyReport) -> None:
        self._write(report_csv(report, self.lang))

    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        workdays = self.out.workdays
        records = [row_json(r, with_role=with_role, workdays=workdays) for r in rows]
        self._write(to_csv(records, row_fields(with_role=with_role, workdays=workdays)))

    def agency(self, view: AgencyView) -> None:
        self.rows(view.rows, with_role=True)

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        fields = [summary_key(by), *SUMMARY_FIELDS, "on_time_rate"]
        self._write(to_csv(summary_records(rows, by), fields))

    def task(self, view: TaskView) -> None:
        self.rows(view.rows)

    def grid(self, grid: Grid) -> None:
        self._write(to_csv(*grid_flat_records(grid)))

    def diff(self, diff: Diff) -> None:
        self._write(to_csv([change_record(self.lang, c) for c in diff.changes], CSV_FIELDS))

    def log(self, log: TaskLog) -> None:
        self._write(to_csv(log_records(self.lang, log), LOG_CSV_FIELDS))
