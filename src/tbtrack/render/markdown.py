"""The Markdown formatter: tables and notes to paste into a merge request or a report.

Every value from the data goes through the one escaper (`escape.markdown`); IDs and paths
stand in code spans, which Markdown shows as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..render.columns import grid_cell, grid_headers, row_headers, rows_cells, summary_total
from ..render.escape import markdown
from ..render.export import SUMMARY_FIELDS, summary_key
from ..render.formatter import Formatter
from ..render.history import describe, side, task_cell
from ..render.labels import status_label, word
from ..render.md_table import bold, markdown_table

if TYPE_CHECKING:
    from ..engine.status import Row
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView
    from ..queries.report_data import MonthlyReport
    from ..review.compare import Change
    from ..review.history import Diff, TaskLog


def _code(text: str) -> str:
    return f"`{text.replace('`', '')}`"


def _join(lines: Sequence[str]) -> str:
    """Markdown text with at most one blank line in a row, ending in one newline."""
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).rstrip("\n") + "\n"


class MarkdownFormatter(Formatter):
    name = "markdown"

    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        columns = rows_cells(rows, self.lang, with_role=with_role)
        columns[0] = [_code(cell) for cell in columns[0]]
        body = [list(line) for line in zip(*columns, strict=True)]
        headers = row_headers(self.lang, with_role=with_role, rows=rows)
        self.out.write(markdown_table(headers, body))

    def agency(self, view: AgencyView) -> None:
        self.rows(view.rows, with_role=True)

    def report(self, report: MonthlyReport) -> None:
        from ..render.report_markdown import render_markdown

        self.out.write(render_markdown(report, self.lang))

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        headers = [
            word(summary_key(by), self.lang),
            *(status_label(s, self.lang) for s in SUMMARY_FIELDS),
            word("rate", self.lang),
        ]
        # the total row last, its name in bold
        lines = [*rows, summary_total(rows, self.lang)] if rows else []
        body = [
            [
                bold(r.name) if i == len(rows) else r.name,
                *(r.counts[s] for s in SUMMARY_FIELDS),
                "—" if r.on_time_rate is None else f"{r.on_time_rate * 100:.0f}%",
            ]
            for i, r in enumerate(lines)
        ]
        self.out.write(markdown_table(headers, body))

    def task(self, view: TaskView) -> None:
        self.rows(view.rows)

    def grid(self, grid: Grid) -> None:
        headers = [
            word("task", self.lang),
            word("assignee", self.lang),
            *grid_headers(grid, with_year=True),  # a pasted table has no context
        ]
        body = [
            [
                f"{r.task_id}:{r.obligation}",
                r.assignee,
                *(grid_cell(r.cells.get(d))[0] for d in grid.dates),
            ]
            for r in grid.rows
        ]
        self.out.write(markdown_table(headers, body))

    # --- diff and log -----------------------------------------------------------------------

    def _change(self, change: Change, *, level: str) -> list[str]:
        lang = self.lang
        head = f"{level} {_code(task_cell(change))} — {word(change.change, lang)}"
        if change.from_path:
            head += f" ({word('from', lang)} {_code(change.from_path)})"
        lines = [head, ""]
        if change.title:
            lines += [f"*{markdown(change.title)}*", ""]
        lines += [f"- :warning: **{f.rule}**: {markdown(f.message)}" for f in change.flags]
        lines += [f"- {markdown(describe(lang, d))}" for d in change.details]
        lines.append("")
        return lines

    def diff(self, diff: Diff) -> None:
        lang = self.lang
        lines = [f"### {word('diff-title', lang)}: `{side(diff.old)}` → `{side(diff.new)}`", ""]
        flags = len(diff.flags)
        if not diff.changes:
            lines.append(word("no-change", lang))
            self.out.write(_join(lines))
            return
        lines.append(
            f":warning: {word('flags-head', lang).format(flags=flags)}"
            if flags
            else f":white_check_mark: {word('no-flag', lang)}"
        )
        lines.append("")
        for change in diff.changes:
            lines += self._change(change, level="####")
        self.out.write(_join(lines))

    def log(self, log: TaskLog) -> None:
        lang = self.lang
        lines = [f"### tbtrack log: {_code(log.task)}", ""]
        if not log.entries:
            lines.append(word("log-empty", lang))
        for entry in log.entries:
            commit = entry.commit
            lines += [
                f"#### `{commit.sha[:10]}` {markdown(commit.subject)}",
                "",
                f"{markdown(commit.author)} · {commit.date}",
                "",
            ]
            if entry.change is None:
                lines += [f"- {word('no-meaning', lang)}", ""]
            else:
                change = entry.change
                label = f"**{word(change.change, lang)}**"
                if change.from_path:
                    label += f" ({word('from', lang)} {_code(change.from_path)})"
                lines += [label, ""]
                lines += self._change(change, level="#####")[2:]
        self.out.write(_join(lines))
