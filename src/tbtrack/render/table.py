"""The table formatter: what a person reads on a terminal, drawn with Rich.

Rich is imported only when something is drawn with it, so that the other formats and errors
start fast; the rows table, the listing of thousands of rows, is usually written out directly
(`_direct`), exactly as Rich would draw it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..files.text import nfc
from ..render.cells import Drawn, cell_len, cell_sizes, one_line, shortened, wrap_items
from ..render.columns import (
    compact_due_texts,
    due_text,
    fit_row_columns,
    grid_cell,
    grid_headers,
    position,
    row_columns,
    row_headers,
    rows_cells,
    summary_total,
)
from ..render.escape import printable
from ..render.export import SUMMARY_FIELDS, summary_key
from ..render.formatter import Formatter
from ..render.history import describe, flag_text, side, task_cell
from ..render.labels import STATUS_SYMBOL, status_label, word

if TYPE_CHECKING:
    from rich.table import Table

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

# cells the direct table leaves to Rich: control characters, and backslashes, which Rich's
# markup escaping doubles at the end of a cell
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")
# rows of a directly drawn table made into text and written at a time
BLOCK = 2048


def _wrap(codes: tuple[str, str] | None, text: str) -> str:
    return f"{codes[0]}{text}{codes[1]}" if codes and text else text


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def _lines(
    table: Drawn,
    widths: Sequence[int],
    styles: Sequence[str | None],
    marks: dict[str, tuple[str, str] | None],
    start: int,
    end: int,
) -> str:
    """The lines of rows `start` to `end` of a directly drawn table (`_direct`), each cell
    padded to its column's width: a cell is as wide as it is long unless it holds wide or
    combining characters, whose width was measured (`table.sizes`)."""
    padded = []
    for i, (whole, sizes) in enumerate(zip(table.cells, table.sizes, strict=True)):
        column, size = whole[start:end], sizes[start:end]
        fills = [widths[i] - n for n in size]
        if table.right[i]:
            padded.append([" " * f + c for c, f in zip(column, fills, strict=True)])
        elif i == table.status:
            padded.append(
                [
                    (_wrap(marks[style], c) if style else c) + " " * f
                    for c, f, style in zip(column, fills, styles[start:end], strict=True)
                ]
            )
        elif list(map(len, column)) == size:
            padded.append(list(map(str.ljust, column, [widths[i]] * len(column))))
        else:
            padded.append([c + " " * f for c, f in zip(column, fills, strict=True)])
    return "".join(map("{}\n".format, map(" ".join, zip(*padded, strict=True))))


class TableFormatter(Formatter):
    name = "table"

    def _label(self, status: str) -> str:
        return status_label(status, self.lang)

    def _styled(self, status: str, text: str) -> str:
        from rich.markup import escape

        style = STYLE.get(status)
        return f"[{style}]{escape(text)}[/{style}]" if style else escape(text)

    # --- rows -------------------------------------------------------------------------------

    def _width(self) -> int:
        """The terminal's width, as Rich's console has it (without Rich when output is plain)."""
        width = self.out.plain_width()
        return self.out.console.width if width is None else width

    def _nothing(self) -> None:
        self.out.write(word("nothing", self.lang))

    def rows(self, rows: Sequence[Row], *, with_role: bool = False) -> None:
        if not rows:
            self._nothing()
            return
        width = self._width()
        # the columns a user acts on keep their width; the others give way, in the order
        # `fit_row_columns` decides, shortened with an ellipsis rather than wrapped
        columns = row_columns(with_role=with_role)
        header_texts = row_headers(self.lang, with_role=with_role, rows=rows)
        headers = {c.key: h for c, h in zip(columns, header_texts, strict=True)}
        body = rows_cells(rows, self.lang, with_role=with_role)
        cells = {c.key: column for c, column in zip(columns, body, strict=True)}
        for key in ("title", "assignee"):
            cells[key] = one_line(cells[key])
        sizes = {key: cell_sizes(column) for key, column in cells.items()}
        natural = {key: max(cell_len(headers[key]), *sizes[key]) for key in cells}
        compact: tuple[list[str], list[int]] | None = None
        if sum(natural.values()) + len(natural) - 1 > width:
            short = compact_due_texts(rows, cells["due"])
            compact = short, cell_sizes(short)
        fit = fit_row_columns(
            columns,
            natural,
            width,
            compact_due=None if compact is None else max(cell_len(headers["due"]), *compact[1]),
        )
        if fit.compact_due and compact is not None:
            cells["due"], sizes["due"] = compact
            headers["due"] = word("due", self.lang)  # no arrow left to explain
        for column in fit.columns:
            if column.shrinks and natural[column.key] > fit.widths[column.key]:
                cells[column.key], sizes[column.key] = shortened(
                    cells[column.key], sizes[column.key], fit.widths[column.key]
                )
        kept = [c.key for c in fit.columns]
        table = Drawn(
            [headers[k] for k in kept],
            [cells[k] for k in kept],
            [sizes[k] for k in kept],
            [c.right for c in fit.columns],
            kept.index("status"),
        )
        styles = [STYLE.get(row.status) for row in rows]
        if self.out.fast_tables and self._written_directly(table, styles):
            return
        from rich.markup import escape
        from rich.table import Table

        drawn = Table(
            box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold", expand=False
        )
        widths = table.widths()
        for header, right, width in zip(table.headers, table.right, widths, strict=True):
            drawn.add_column(
                header, no_wrap=True, width=width, justify="right" if right else "left"
            )
        status = table.status
        for row, line in zip(rows, zip(*table.cells, strict=True), strict=True):
            styled = [escape(c) for c in line]
            styled[status] = self._styled(row.status, line[status])
            drawn.add_row(*styled)
        self._print_whole(drawn, sum(widths) + len(widths) - 1)

    def _print_whole(self, table: Table, needed: int) -> None:
        """A table whose uncut columns are wider than the terminal is drawn whole, for the
        terminal to wrap, rather than cut by Rich."""
        console = self.out.console
        if needed > console.width:
            width = console.width
            console.width = needed
            try:
                console.print(table)
            finally:
                console.width = width
        else:
            console.print(table)

    def plain_table(
        self, headers: Sequence[str], body: Sequence[Sequence[str]], styles: Sequence[str | None]
    ) -> str | None:
        """A table of listing rows (all the columns, in order) as Rich draws it, or None when
        it is wider than the console or holds cells that Rich trims or doubles."""
        columns = [list(column) for column in zip(*body, strict=True)]
        keys = row_columns(with_role=len(headers) > len(row_columns()))
        table = Drawn(
            list(headers),
            columns,
            [cell_sizes(column) for column in columns],
            [c.right for c in keys],
            position("status"),
        )
        widths = table.widths()
        if sum(widths) + len(widths) - 1 > self._width():
            return None
        pieces = self._direct(table, styles)
        return None if pieces is None else "".join(pieces)

    def _written_directly(self, table: Drawn, styles: Sequence[str | None]) -> bool:
        """Whether the table was written out directly (`_direct`), piece by piece as made;
        False: it is Rich's to draw."""
        pieces = self._direct(table, styles)
        if pieces is None:
            return False
        for piece in pieces:
            self.out.write(piece)
        return True

    def _direct(self, table: Drawn, styles: Sequence[str | None]) -> Iterator[str] | None:
        """The rows table exactly as Rich draws it, written out directly: its text in pieces,
        the header line and then the lines of `BLOCK` rows at a time.

        Rich lays out and styles every cell through several layers of objects: 3 s for 5,000
        rows, where this takes a few ms. It covers the common case, where no cell holds a
        control character; otherwise (None) Rich draws it. The right-aligned columns are
        padded on the left, the status column styled by the row's status. The work is done a
        column at a time with str methods (a listing of 100,000 tasks has half a million
        cells); every cell was measured once, before. The widths are the whole table's, so
        each piece is the lines Rich draws for its rows; written as made, the padded copy of
        the cells and the text never exist for the whole table at once (60 MiB of a listing
        of 100,000 tasks).
        """
        columns = table.cells
        # Rich trims or doubles some characters: leave tables with such cells to it
        if _CONTROL.search("".join(map("".join, columns))):
            return None
        if any(list(map(str.strip, column)) != column for column in columns):
            return None
        widths = table.widths()
        marks = {style: self._sgr(style) for style in set(styles) if style}
        bold = self._sgr("bold")
        line = []
        for i, header in enumerate(table.headers):
            fill = " " * (widths[i] - cell_len(header))
            if i:
                line.append(_wrap(bold, " "))
            line.append(_wrap(bold, fill + header if table.right[i] else header + fill))
        count = len(columns[0]) if columns else 0
        blocks = (
            _lines(table, widths, styles, marks, start, start + BLOCK)
            for start in range(0, count, BLOCK)
        )
        return itertools.chain(["".join(line) + "\n"], blocks)

    def _sgr(self, name: str) -> tuple[str, str] | None:
        """The escape codes Rich's console writes around text in this style, or None."""
        if self.out.plain_width() is not None:
            return None  # no terminal: Rich writes no escape codes
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
        items = [f"{self._label(s)}: {counts[s]}" for s in ("done", "done-late", "overdue")]
        pending = counts["due-soon"] + counts["upcoming"]
        items.append(f"{self._label('upcoming')}/{self._label('due-soon')}: {pending}")
        items.append(f"{self._label('ongoing')}: {counts['ongoing']}")
        items.append(f"{self._label('undated')}: {counts['undated']}")
        console.print(f"[bold]{escape(view.entity.name)}[/bold]")
        if view.predecessors:
            console.print("  + " + escape(", ".join(view.predecessors)))
        for line in wrap_items(items, " · ", console.width):
            # wrapped here, between "label: n" items; one too long for any line the terminal
            # wraps, never Rich inside a label
            console.print(escape(line), soft_wrap=True)
        self.rows(view.rows, with_role=True)

    def report(self, report: MonthlyReport) -> None:
        from ..render.report_text import render_text

        marks = self._sgr("bold")
        self.out.write(
            render_text(report, self.lang, (lambda t: _wrap(marks, t)) if marks else str)
        )

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        if not rows:
            self._nothing()
            return
        width = self._width()
        lines = [*rows, summary_total(rows, self.lang)]
        names = one_line([nfc(r.name) for r in lines])
        name_sizes = cell_sizes(names)
        values = [
            [*(str(r.counts[s]) for s in SUMMARY_FIELDS), _percent(r.on_time_rate)] for r in lines
        ]
        # the counts' headers in words when the table fits the terminal so, names uncut;
        # else each status by its symbol, as in the recurring grid, and a legend under it
        name_header = word(summary_key(by), self.lang)
        words = [*(self._label(s) for s in SUMMARY_FIELDS), word("rate", self.lang)]
        symbols = [*(STATUS_SYMBOL[s] for s in SUMMARY_FIELDS), "%"]

        def widths(headers: list[str], least: int = 0) -> list[int]:
            return [
                max(least, cell_len(header), *(len(v[i]) for v in values))
                for i, header in enumerate(headers)
            ]

        name_width = max(cell_len(name_header), *name_sizes)
        headers, counts_widths = words, widths(words)
        legend = False
        if name_width + sum(counts_widths) + len(counts_widths) > width:
            # three cells at least, or the counts run together
            headers, counts_widths, legend = symbols, widths(symbols, 3), True
        room = width - sum(counts_widths) - len(counts_widths)
        if name_width > room:
            name_width = max(12, cell_len(name_header), room)
            names, name_sizes = shortened(names, name_sizes, name_width)
            name_width = max(cell_len(name_header), *name_sizes)
        if self.out.fast_tables and self._sgr("bold") is None:
            # without colours (a pipe, a file) the table is written directly, as Rich would
            # draw it (tests/render/test_table.py compares the two)
            counts = [list(column) for column in zip(*values, strict=True)]
            # each count column as wide as decided (three cells at least for a symbol)
            padded = [
                " " * (w - cell_len(h)) + h for h, w in zip(headers, counts_widths, strict=True)
            ]
            drawn = Drawn(
                [name_header, *padded],
                [names, *counts],
                [name_sizes, *(list(map(len, column)) for column in counts)],
                [False, *(True for _ in headers)],
                0,
            )
            if self._written_directly(drawn, [None] * len(lines)):
                if legend:
                    items = [f"{s} {label}" for s, label in zip(symbols, words, strict=True)]
                    self.out.write("".join(f"{x}\n" for x in wrap_items(items, "  ", width)))
                return
        from rich.markup import escape
        from rich.table import Table

        console = self.out.console
        table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")
        table.add_column(escape(name_header), no_wrap=True, width=name_width)
        for header, status, size in zip(headers, SUMMARY_FIELDS, counts_widths, strict=False):
            table.add_column(
                self._styled(status, header), justify="right", no_wrap=True, width=size
            )
        table.add_column(
            escape(headers[-1]), justify="right", no_wrap=True, width=counts_widths[-1]
        )
        for i, (name, cells) in enumerate(zip(names, values, strict=True)):
            total = i == len(lines) - 1
            table.add_row(escape(name), *cells, style="bold" if total else None)
        self._print_whole(table, name_width + sum(counts_widths) + len(counts_widths))
        if legend:
            items = [f"{symbol} {label}" for symbol, label in zip(symbols, words, strict=True)]
            for line in wrap_items(items, "  ", console.width):
                console.print(escape(line), style="dim", soft_wrap=True)

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
            form = word(f"form-{obligation.due_form}", self.lang)
            lines.append(f"[bold]{escape(obligation.id)}[/bold] ({kind}, {form}){phrase}")
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
                what = f"{word('event-' + event.shape, self.lang)} {event.obligation or ''}"
                what = what.strip()
                extra = " ".join(
                    f"{word('event-' + key, self.lang)} {value}"
                    for key, value in (("by", event.by), ("for", event.for_), ("to", event.to))
                    if value
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
        dates = grid_headers(grid)
        # a cell: the status's symbol, or for a group how many of the members it owes are
        # done ("2/5"); each column as wide as its widest cell, measured in terminal cells
        body = [[grid_cell(r.cells.get(d)) for d in grid.dates] for r in grid.rows]
        widths = [
            max(cell_len(header), *(cell_len(cells[i][0]) for cells in body))
            for i, header in enumerate(dates)
        ]
        labels = one_line([nfc(f"{r.task_id}:{r.obligation}") for r in grid.rows])
        who = one_line([nfc(r.assignee) for r in grid.rows])
        label_sizes, who_sizes = cell_sizes(labels), cell_sizes(who)
        # the occurrences keep their width; the task and assignee share what is left, the
        # assignee given two fifths at least when both do not fit
        room = console.width - sum(w + 1 for w in widths) - 1
        label_width, who_width = max(label_sizes), max(who_sizes)
        if label_width + who_width > room:
            who_share = min(who_width, max(10, room * 2 // 5))
            label_width = max(12, cell_len(word("task", self.lang)), room - who_share)
            who_width = max(10, cell_len(word("assignee", self.lang)), room - label_width)
        labels, label_sizes = shortened(labels, label_sizes, label_width)
        who, who_sizes = shortened(who, who_sizes, who_width)
        table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")
        task_header, who_header = word("task", self.lang), word("assignee", self.lang)
        label_width = max(cell_len(task_header), *label_sizes)
        who_width = max(cell_len(who_header), *who_sizes)
        table.add_column(task_header, no_wrap=True, width=label_width)
        table.add_column(who_header, no_wrap=True, width=who_width)
        for header, width in zip(dates, widths, strict=True):
            table.add_column(header, justify="center", no_wrap=True, width=width)
        for label, name, cells in zip(labels, who, body, strict=True):
            table.add_row(
                escape(label),
                escape(name),
                *(self._styled(status, text) if text else "" for text, status in cells),
            )
        # more occurrences than the terminal holds: the dates stay whole, the terminal wraps
        self._print_whole(table, label_width + who_width + sum(w + 1 for w in widths) + 1)
        legend = [f"{STATUS_SYMBOL[s]} {self._label(s)}" for s in STATUS_SYMBOL]
        for line in wrap_items(legend, "  ", console.width):
            console.print(escape(line), style="dim", soft_wrap=True)

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
