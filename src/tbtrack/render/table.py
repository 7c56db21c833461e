"""The table formatter: what a person reads on a terminal, drawn with Rich.

Rich is imported only when something is drawn with it, so that the other formats and errors
start fast; the rows table, the listing of thousands of rows, is usually written out directly
(`plain_table`), exactly as Rich would draw it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..files.text import shorten
from ..render.columns import due_text, position, row_cells, row_columns, row_headers
from ..render.escape import printable
from ..render.export import SUMMARY_FIELDS, summary_key
from ..render.formatter import Formatter
from ..render.history import describe, flag_text, side, task_cell
from ..render.labels import STATUS_SYMBOL, status_label, status_symbol, word

if TYPE_CHECKING:
    from ..engine.status import Row
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView
    from ..queries.report_data import MonthlyReport
    from ..review.history import Diff, TaskLog

STYLE = {
    "overdue": "red",
    "due-soon": "yellow",
    "done": "green",
    "done-late": "green",
    "cancelled": "dim",
}

TITLE, ASSIGNEE, DUE, STATUS = (position(k) for k in ("title", "assignee", "due", "status"))

# cells the direct table leaves to Rich: control characters, and backslashes, which Rich's
# markup escaping doubles at the end of a cell
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def _cell_sizes(column: list[str], cell_len: Callable[[str], int]) -> list[int]:
    """How many terminal cells each text takes; measured once per distinct text."""
    if "".join(column).isascii():
        return list(map(len, column))
    size = {text: cell_len(text) for text in set(column)}
    return list(map(size.__getitem__, column))


def _wrap(codes: tuple[str, str] | None, text: str) -> str:
    return f"{codes[0]}{text}{codes[1]}" if codes and text else text


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


class TableFormatter(Formatter):
    name = "table"

    def _label(self, status: str) -> str:
        return status_label(status, self.lang)

    def _styled(self, status: str, text: str) -> str:
        from rich.markup import escape

        style = STYLE.get(status)
        return f"[{style}]{escape(text)}[/{style}]" if style else escape(text)

    # --- rows -------------------------------------------------------------------------------

    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        console = self.out.console
        if not rows:
            console.print(word("nothing", self.lang))
            return
        # the columns a user acts on keep their width; title and assignee share what is left
        # of the terminal, shortened with an ellipsis rather than wrapped
        headers = row_headers(self.lang, with_role=with_role, rows=rows)
        columns = row_columns(with_role=with_role)
        shrinking = {i for i, column in enumerate(columns) if column.shrinks}
        body = [row_cells(row, self.lang, with_role=with_role) for row in rows]
        widths = [
            max(len(h), *map(len, c)) for h, c in zip(headers, zip(*body, strict=True), strict=True)
        ]

        def fixed() -> int:
            return sum(w for i, w in enumerate(widths) if i not in shrinking) + len(widths) - 1

        if console.width - fixed() < len(headers[TITLE]) + len(headers[ASSIGNEE]) + 8:
            # too narrow for extended days with their original: keep the day in force only
            for row, cells in zip(rows, body, strict=True):
                cells[DUE] = due_text(row, compact=True)
            headers[DUE] = word("due", self.lang)  # no arrow left to explain
            widths[DUE] = max(len(headers[DUE]), *(len(c[DUE]) for c in body))
        room = max(console.width - fixed(), 12)
        assignee_width = min(widths[ASSIGNEE], max(len(headers[ASSIGNEE]), room * 2 // 5))
        title_width = min(widths[TITLE], max(len(headers[TITLE]), room - assignee_width))
        for cells in body:
            cells[TITLE] = shorten(cells[TITLE], title_width)
            cells[ASSIGNEE] = shorten(cells[ASSIGNEE], assignee_width)
        styles = [STYLE.get(row.status) for row in rows]
        if self.out.fast_tables:
            text = self.plain_table(headers, body, styles)
            if text is not None:
                self.out.write(text)
                return
        from rich.markup import escape
        from rich.table import Table

        table = Table(
            box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold", expand=False
        )
        for header, column in zip(headers, columns, strict=True):
            table.add_column(header, no_wrap=True, justify="right" if column.right else "left")
        for row, cells in zip(rows, body, strict=True):
            styled = [escape(c) for c in cells]
            styled[STATUS] = self._styled(row.status, cells[STATUS])
            table.add_row(*styled)
        console.print(table)

    def plain_table(
        self, headers: Sequence[str], body: Sequence[Sequence[str]], styles: Sequence[str | None]
    ) -> str | None:
        """The rows table exactly as Rich draws it, written out directly.

        Rich lays out and styles every cell through several layers of objects: 3 s for 5,000
        rows, where this takes a few ms. It covers the common case, where the table fits the
        console and no cell holds a control character; otherwise (None) Rich draws it.
        The days column is right-aligned, the status column styled by the row's status.
        The work is done a column at a time with str methods (a listing of 100,000 tasks has
        half a million cells).
        """
        from rich.cells import cell_len

        columns = [list(column) for column in zip(*body, strict=True)]
        # Rich trims or doubles some characters: leave tables with such cells to it
        if _CONTROL.search("".join(map("".join, columns))):
            return None
        if any(list(map(str.strip, column)) != column for column in columns):
            return None
        sizes = [_cell_sizes(column, cell_len) for column in columns]
        widths = [max(cell_len(header), *size) for header, size in zip(headers, sizes, strict=True)]
        if sum(widths) + len(widths) - 1 > self.out.console.width:
            return None
        right = [c.right for c in row_columns(with_role=len(headers) > len(row_columns()))]
        padded = []
        for i, (column, size) in enumerate(zip(columns, sizes, strict=True)):
            # a cell is as wide as it is long unless it holds wide or combining characters
            fills = [widths[i] - n for n in size]
            if right[i]:
                padded.append([" " * f + c for c, f in zip(column, fills, strict=True)])
            elif i == STATUS:
                marks = {style: self._sgr(style) for style in set(styles) if style}
                padded.append(
                    [
                        (_wrap(marks[style], c) if style else c) + " " * f
                        for c, f, style in zip(column, fills, styles, strict=True)
                    ]
                )
            elif list(map(len, column)) == size:
                padded.append(list(map(str.ljust, column, [widths[i]] * len(column))))
            else:
                padded.append([c + " " * f for c, f in zip(column, fills, strict=True)])
        bold = self._sgr("bold")
        line = []
        for i, header in enumerate(headers):
            fill = " " * (widths[i] - cell_len(header))
            if i:
                line.append(_wrap(bold, " "))
            line.append(_wrap(bold, fill + header if right[i] else header + fill))
        lines = ["".join(line), *map(" ".join, zip(*padded, strict=True))]
        return "\n".join(lines) + "\n"

    def _sgr(self, name: str) -> tuple[str, str] | None:
        """The escape codes Rich's console writes around text in this style, or None."""
        from rich.console import COLOR_SYSTEMS
        from rich.style import Style

        console = self.out.console
        if console.color_system is None:
            return None
        color_system = COLOR_SYSTEMS[console.color_system]
        style = Style.parse(name)
        if console.no_color:
            style = style.without_color
        if not style:
            return None
        rendered = style.render(
            "\0", color_system=color_system, legacy_windows=console.legacy_windows
        )
        before, _, after = rendered.partition("\0")
        return before, after

    # --- views ------------------------------------------------------------------------------

    def agency(self, view: AgencyView) -> None:
        from rich.markup import escape

        console = self.out.console
        counts = view.counts
        line = " · ".join(
            f"{self._label(s)}: {counts[s]}" for s in ("done", "done-late", "overdue")
        )
        pending = counts["due-soon"] + counts["upcoming"]
        line += f" · {self._label('upcoming')}/{self._label('due-soon')}: {pending}"
        line += f" · {self._label('ongoing')}: {counts['ongoing']}"
        line += f" · {self._label('undated')}: {counts['undated']}"
        console.print(f"[bold]{escape(view.entity.name)}[/bold]")
        if view.predecessors:
            console.print("  + " + escape(", ".join(view.predecessors)))
        console.print(line)
        self.rows(view.rows, with_role=True)

    def report(self, report: MonthlyReport) -> None:
        from ..render.report_text import render_text

        marks = self._sgr("bold")
        self.out.write(
            render_text(report, self.lang, (lambda t: _wrap(marks, t)) if marks else str)
        )

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        from rich.markup import escape
        from rich.table import Table

        headers = [
            word(summary_key(by), self.lang),
            *(self._label(s) for s in SUMMARY_FIELDS),
            word("rate", self.lang),
        ]
        table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")

        # a count's header may wrap onto two lines, but never a word of it
        def longest_word(text: str) -> int:
            return max(4, *(len(part) for part in text.split()))

        counts_width = sum(max(longest_word(h), 4) + 1 for h in headers[1:])
        name_width = max(12, min(40, self.out.console.width - counts_width))
        names = [shorten(r.name, name_width) for r in rows]
        table.add_column(
            headers[0], no_wrap=True, width=max((len(n) for n in names), default=len(headers[0]))
        )
        for header, status in zip(headers[1:-1], SUMMARY_FIELDS, strict=True):
            table.add_column(
                self._styled(status, header), justify="right", width=longest_word(header)
            )
        table.add_column(headers[-1], justify="right", width=longest_word(headers[-1]))
        for name, r in zip(names, rows, strict=True):
            counts = (str(r.counts[s]) for s in SUMMARY_FIELDS)
            table.add_row(escape(name), *counts, _percent(r.on_time_rate))
        self.out.console.print(table)

    def task(self, view: TaskView) -> None:
        from rich.markup import escape

        loaded, task = view.loaded, view.loaded.task
        # the lines are printed at once: a task with thousands of obligations would otherwise
        # cost a console call per line
        lines: list[str] = []
        source = task.source
        lines.append(f"[bold]{escape(loaded.id)}[/bold]  {escape(loaded.path)}")
        lines.append(f"{escape(task.title)}")
        lines.append(
            f"{word('notice', self.lang)}: {escape(source.notice)} "
            f"({escape(source.number or '-')}, {source.date.isoformat()}), "
            f"{word('section', self.lang)} {escape(source.section)}"
        )
        lines.append(f"{word('lead', self.lang)}: {escape(', '.join(task.lead))}")
        if view.agency:
            lines.append(f"[bold]{word('shown-for', self.lang)}: {escape(view.agency)}[/bold]")
        if task.support:
            lines.append(f"{word('support', self.lang)}: {escape(', '.join(task.support))}")
        if task.report_to:
            lines.append(f"→ {escape(task.report_to)}")
        if task.text:
            lines.append(f"{word('text', self.lang)}: {escape(' '.join(task.text.split()))}")
        if task.tags:
            lines.append(f"{word('tags', self.lang)}: {escape(', '.join(task.tags))}")
        if task.notes:
            lines.append(f"{word('notes', self.lang)}: {escape(' '.join(task.notes.split()))}")
        if task.state != "active":
            since = f" ({word('since', self.lang)} {task.state_on})" if task.state_on else ""
            reason = f"{task.state}{since}: {task.state_reason or ''}"
            lines.append(self._styled("cancelled", reason))
        rows_of: dict[str, list[Row]] = {}
        for row in view.rows:
            rows_of.setdefault(row.obligation.id, []).append(row)
        for obligation in task.obligations:
            lines.append("")
            phrase = f" — “{escape(obligation.as_written)}”" if obligation.as_written else ""
            kind = word(obligation.kind, self.lang)
            lines.append(
                f"[bold]{escape(obligation.id)}[/bold] ({kind}, {obligation.due_form}){phrase}"
            )
            if obligation.who:
                lines.append(f"  {word('who', self.lang)} {escape(', '.join(obligation.who))}")
            if obligation.to:
                lines.append(f"  → {escape(obligation.to)}")
            for row in rows_of.get(obligation.id, ()):
                lines += self._task_row(row)
        timeline = view.timeline
        if timeline:
            lines.append("")
            lines.append(f"[bold]{word('progress', self.lang)}[/bold]")
            for event in timeline:
                what = f"{event.shape} {event.obligation or ''}".strip()
                extra = " ".join(
                    part
                    for part in (
                        f"by {event.by}" if event.by else "",
                        f"for {event.for_}" if event.for_ else "",
                        f"to {event.to}" if event.to else "",
                    )
                    if part
                )
                lines.append(
                    f"  {event.on.isoformat()}  {escape(what)} {escape(extra)}"
                    + (f" — {escape(event.evidence)}" if event.evidence else "")
                    + (f" ({escape(event.note)})" if event.note else "")
                )

        self.out.console.print("\n".join(lines))

    def _task_row(self, row: Row) -> list[str]:
        """One assignee's line under its obligation in `show`, its members and extensions."""
        from rich.markup import escape

        from ..queries.listings import extension_steps

        lines: list[str] = []
        occurrence = f"{row.occurrence.isoformat()} " if row.occurrence else ""
        days = "" if row.days_left is None else f" ({row.days_left:+d})"
        lines.append(
            f"  {occurrence}{escape(row.assignee)}: {due_text(row)}{days} "
            + self._styled(row.status, self._label(row.status))
            + (f" {row.done_on.isoformat()}" if row.done_on else "")
        )
        if row.is_group:
            for member in row.members:
                lines.append(
                    f"      {escape(member.agency)}: "
                    + self._styled(member.status, self._label(member.status))
                    + (f" {member.done_on.isoformat()}" if member.done_on else "")
                )
        for step in extension_steps(row):
            event = step.event
            line = word("extension", self.lang).format(
                old=step.old or "—", new=step.new, on=event.on
            )
            if event.by:
                line += " " + word("extension-for", self.lang).format(by=event.by)
            lines.append(f"    {escape(line)} ({escape(event.evidence or '—')})")
        return lines

    def grid(self, grid: Grid) -> None:
        from rich.markup import escape
        from rich.table import Table

        console = self.out.console
        if not grid.rows:
            console.print(word("nothing", self.lang))
            return
        # one narrow column per occurrence; the task and assignee share what is left
        if len({d.year for d in grid.dates}) == 1:
            pattern = "%d/%m"
        elif len({(d.year, d.month) for d in grid.dates}) == len(grid.dates):
            pattern = "%m/%y"  # one occurrence a month: the month says which
        else:
            pattern = "%d/%m/%y"
        dates = [d.strftime(pattern) for d in grid.dates]
        room = console.width - sum(len(h) + 1 for h in dates) - 1
        label_width = max(12, room * 3 // 5)
        who_width = max(10, room - label_width)
        table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")
        table.add_column(word("task", self.lang), no_wrap=True)
        table.add_column(word("assignee", self.lang), no_wrap=True)
        for header in dates:
            table.add_column(header, justify="center", no_wrap=True, width=len(header))
        for r in grid.rows:
            cells = []
            for d in grid.dates:
                row = r.cells.get(d)
                cells.append(
                    "" if row is None else self._styled(row.status, status_symbol(row.status))
                )
            table.add_row(
                escape(shorten(f"{r.task_id}:{r.obligation}", label_width)),
                escape(shorten(r.assignee, who_width)),
                *cells,
            )
        console.print(table)
        legend = "  ".join(f"{STATUS_SYMBOL[s]} {self._label(s)}" for s in STATUS_SYMBOL)
        console.print(legend, style="dim")

    # --- diff and log -----------------------------------------------------------------------

    def diff(self, diff: Diff) -> None:
        from rich.markup import escape
        from rich.table import Table

        c = self.out.console
        lang = self.lang
        c.print(f"[bold]{escape(side(diff.old))} → {escape(side(diff.new))}[/bold]")
        if not diff.changes:
            c.print(word("no-change", lang))
            return
        table = Table(box=None, pad_edge=False, header_style="bold", show_lines=False)
        table.add_column(word("task", lang), no_wrap=True)
        table.add_column(word("change", lang), no_wrap=True)
        table.add_column(word("details", lang), overflow="fold")
        for change in diff.changes:
            task = escape(printable(task_cell(change)))
            if change.from_path:
                task += f"\n[dim]← {escape(printable(change.from_path))}[/dim]"
            lines = [f"[red]{escape(printable(flag_text(f)))}[/red]" for f in change.flags]
            lines += [escape(printable(describe(lang, d))) for d in change.details]
            if change.title:
                lines.insert(0, f"[dim]{escape(printable(change.title))}[/dim]")
            style = "red" if change.flags else "green" if change.change == "added" else ""
            label = word(change.change, lang)
            table.add_row(task, f"[{style}]{label}[/{style}]" if style else label, "\n".join(lines))
        c.print(table)
        flags = len(diff.flags)
        summary = word("summary", lang).format(changes=len(diff.changes), flags=flags)
        c.print(f"[red]{summary}[/red]" if flags else summary)

    def log(self, log: TaskLog) -> None:
        from rich.markup import escape
        from rich.padding import Padding

        c = self.out.console
        lang = self.lang

        def indented(markup: str, by: int = 6) -> None:
            # a long message wraps under itself, not under the commit id
            c.print(Padding(markup, (0, 0, 0, by), expand=False))

        c.print(f"[bold]{escape(log.task)}[/bold]  {escape(log.path)}")
        if not log.entries:
            c.print(word("log-empty", lang))
            return
        for entry in log.entries:
            commit = entry.commit
            c.print()
            c.print(
                f"[yellow]{commit.sha[:10]}[/yellow]  {escape(commit.date)}  "
                f"[bold]{escape(commit.author)}[/bold] <{escape(commit.email)}>"
            )
            indented(escape(printable(commit.subject)), 4)
            change = entry.change
            if change is None:
                indented(f"[dim]{word('no-meaning', lang)}[/dim]")
                continue
            label = word(change.change, lang)
            if change.from_path:
                label += f" ({word('from', lang)} {change.from_path})"
            indented(f"[bold]{escape(printable(label))}[/bold]")
            for flag in change.flags:
                indented(f"[red]{escape(printable(flag_text(flag)))}[/red]")
            for detail in change.details:
                indented(escape(printable(describe(lang, detail))))
