"""The JSON formatter: every result as the stable records of SPEC 5.1, indented by two."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..render.export import dumps, grid_records, row_json, summary_records, task_record
from ..render.formatter import Formatter

if TYPE_CHECKING:
    from ..editing.change import Change
    from ..editing.init import InitStep
    from ..engine.status import Row
    from ..files.diagnostics import Diagnostic
    from ..importing.apply import ImportPlan
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView
    from ..queries.report_data import MonthlyReport
    from ..review.history import Diff, TaskLog


class JsonFormatter(Formatter):
    name = "json"

    def _json(self, value: Any) -> None:
        self.out.write(dumps(value))

    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        workdays = self.out.workdays
        self._json([row_json(r, with_role=with_role, workdays=workdays) for r in rows])

    def agency(self, view: AgencyView) -> None:
        self.rows(view.rows, with_role=True)

    def report(self, report: MonthlyReport) -> None:
        from ..queries.report_data import report_json

        self._json(report_json(report))

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        self._json(summary_records(rows, by))

    def task(self, view: TaskView) -> None:
        self._json(task_record(view, workdays=self.out.workdays))

    def grid(self, grid: Grid) -> None:
        self._json(grid_records(grid))

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        self._json([d.as_json() for d in diagnostics])

    def diff(self, diff: Diff) -> None:
        self._json(diff.as_json())

    def log(self, log: TaskLog) -> None:
        self._json([e.as_json() for e in log.entries])

    def edit(self, change: Change, written: bool) -> None:
        self._json(
            {
                "path": change.rel,
                "written": written,
                "summary": change.summary,
                "diff": change.diff(),
                "warnings": [d.as_json() for d in change.warnings],
            }
        )

    def imported(self, plan: ImportPlan, written: bool) -> None:
        self._json(
            {
                "folder": plan.rel_folder,
                "written": written,
                "tasks": plan.draft.task_count,
                "obligations": plan.draft.obligation_count,
                "review": plan.reviews,
                "unknown": plan.unknown,
                "files": [
                    {"path": c.rel, "replaces": c.old is not None, "text": c.new.decode("utf-8")}
                    for c in plan.changes
                ],
                "warnings": [d.as_json() for d in plan.warnings],
            }
        )
        self.out.note("tbtrack: " + plan.summary(written))

    def init(self, steps: Sequence[InitStep], written: bool) -> None:
        self._json([{"path": s.rel, "action": s.action, "written": written} for s in steps])
