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

if TYPE_CHECKING:
    from ..engine.status import Row
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView
    from ..review.history import Diff, TaskLog


class CsvFormatter(Formatter):
    name = "csv"

    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        workdays = self.out.workdays
        records = [row_json(r, with_role=with_role, workdays=workdays) for r in rows]
        self.out.write(to_csv(records, row_fields(with_role=with_role, workdays=workdays)))

    def agency(self, view: AgencyView) -> None:
        self.rows(view.rows, with_role=True)

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        fields = [summary_key(by), *SUMMARY_FIELDS, "on_time_rate"]
        self.out.write(to_csv(summary_records(rows, by), fields))

    def task(self, view: TaskView) -> None:
        self.rows(view.rows)

    def grid(self, grid: Grid) -> None:
        self.out.write(to_csv(*grid_flat_records(grid)))

    def diff(self, diff: Diff) -> None:
        self.out.write(to_csv([change_record(self.lang, c) for c in diff.changes], CSV_FIELDS))

    def log(self, log: TaskLog) -> None:
        self.out.write(to_csv(log_records(self.lang, log), LOG_CSV_FIELDS))
