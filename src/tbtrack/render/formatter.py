"""The kind of a formatter: one class per output format, each rendering every kind of result.

`Output` chooses one per run from `--format` (`formatter_class`), so commands never ask which
format is wanted. A formatter writes text through `self.out.write` (stdout) and messages
through `self.out.note` (stderr); one that makes a file, as the monthly report's html and
xlsx formatters will, writes its bytes through `self.out.write_bytes` and joins `FORMATS`
like the others.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from ..render.escape import printable
from ..render.labels import word

if TYPE_CHECKING:
    from ..editing.change import Change
    from ..editing.init import InitStep
    from ..engine.status import Row
    from ..files.diagnostics import Diagnostic
    from ..importing.apply import ImportPlan
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView
    from ..queries.report_data import MonthlyReport
    from ..render.output import Output
    from ..review.history import Diff, TaskLog


class Formatter(ABC):
    name: ClassVar[str]

    def __init__(self, out: Output) -> None:
        self.out = out
        self.lang = out.lang

    # --- listings ---------------------------------------------------------------------------

    @abstractmethod
    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        """The rows of `due` and `overdue` (with their role: of `agency`)."""

    @abstractmethod
    def agency(self, view: AgencyView) -> None: ...

    @abstractmethod
    def summary(self, rows: Sequence[SummaryRow], by: str) -> None: ...

    @abstractmethod
    def task(self, view: TaskView) -> None:
        """`show`: one task."""

    @abstractmethod
    def grid(self, grid: Grid) -> None:
        """`recurring`: occurrences by date."""

    @abstractmethod
    def report(self, report: MonthlyReport) -> None:
        """`report`: the monthly report (SPEC 5.3); labels in `self.lang`."""

    # --- check, diff, log -------------------------------------------------------------------

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """`check`: one located line each on stdout, the count on stderr."""
        for diagnostic in diagnostics:
            self.out.write(printable(diagnostic.render()))
        errors = sum(1 for d in diagnostics if d.severity == "error")
        summary = word("check-summary", self.lang)
        self.out.note(summary.format(errors=errors, warnings=len(diagnostics) - errors))

    @abstractmethod
    def diff(self, diff: Diff) -> None: ...

    @abstractmethod
    def log(self, log: TaskLog) -> None: ...

    # --- edits ------------------------------------------------------------------------------

    def edit(self, change: Change, written: bool) -> None:
        """An edit as a unified diff, its warnings and what was done (stderr)."""
        self.out.write(change.diff())
        for diagnostic in change.warnings:
            self.out.note(printable(diagnostic.render()))
        self.out.note(change.summary if written else f"dry run, nothing written: {change.summary}")

    def imported(self, plan: ImportPlan, written: bool) -> None:
        """`import`: each file written, one line each, or for a dry run each file itself
        under its path; the check problems, unknown names and the summary on stderr."""
        for change in plan.changes:
            if written:
                self.out.write(
                    f"{'replaced' if change.old is not None else 'created'} {change.rel}"
                )
            else:
                self.out.write(f"==> {change.rel} <==")
                self.out.write(change.new.decode("utf-8"))
        for diagnostic in plan.warnings:
            self.out.note(printable(diagnostic.render()))
        if plan.kept:
            self.out.note(
                f"tbtrack: kept {len(plan.kept)} file(s) of {plan.rel_folder} the notice does "
                "not give: " + ", ".join(plan.kept)
            )
        if plan.unknown:
            names = f"{len(plan.unknown)} name{'s' if len(plan.unknown) > 1 else ''}"
            self.out.note(
                f"tbtrack: {names} not in agencies.yaml, written as the notice gives them "
                "(add to agencies.yaml or fix in the file): " + "; ".join(plan.unknown)
            )
        self.out.note("tbtrack: " + plan.summary(written))

    def init(self, steps: Sequence[InitStep], written: bool) -> None:
        """`init`: what was (or would be) created, one line each."""
        verbs = {"create": "created", "append": "added .tbtrack/ to", "keep": "kept"}
        for step in steps:
            self.out.write(f"{'' if written else 'would be '}{verbs[step.action]} {step.rel}")
        if any(step.action == "keep" for step in steps):
            self.out.note(
                "the existing .pre-commit-config.yaml was not changed; add a hook running "
                "`tbtrack check` to it (see tbtrack/data/pre-commit-config.yaml)"
            )
