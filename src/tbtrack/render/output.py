"""All terminal output goes through one `Output`: tables, JSON, CSV, Markdown, messages.

Rich is imported here only, and only when a table is drawn, so machine formats and errors
start fast.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..engine.status import Row
from ..files.records import dump
from ..files.text import shorten
from ..render.export import (
    ROW_FIELDS,
    due_text,
    dumps,
    markdown_table,
    row_cells,
    row_headers,
    row_json,
    rows_markdown,
    to_csv,
)
from ..render.labels import status_label, word

if TYPE_CHECKING:
    from rich.console import Console

    from ..files.diagnostics import Diagnostic
    from ..queries.listings import AgencyView, Grid, SummaryRow, TaskView

STYLE = {
    "overdue": "red",
    "due-soon": "yellow",
    "done": "green",
    "done-late": "green",
    "cancelled": "dim",
}
SYMBOL = {
    "done": "✓",
    "done-late": "✓!",
    "overdue": "✗",
    "due-soon": "!",
    "upcoming": "·",
    "ongoing": "~",
    "undated": "?",
    "cancelled": "-",
}
SUMMARY_FIELDS = ("done", "done-late", "due-soon", "upcoming", "overdue", "ongoing", "undated")


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


class Output:
    fast_tables = True  # tests turn this off to compare with Rich's own drawing

    def __init__(
        self,
        fmt: str = "table",
        lang: str = "en",
        color: bool = True,
        workdays: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.fmt = fmt
        self.lang = lang
        self.color = color
        self.workdays = workdays
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self._console: Console | None = None

    # --- plumbing ---------------------------------------------------------------------------

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=self.out,
                no_color=not self.color,
                highlight=False,
                soft_wrap=False,
                emoji=False,
            )
        return self._console

    def write(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")

    def error(self, text: str) -> None:
        self.note(f"tbtrack: {text}")

    def note(self, text: str) -> None:
        self.out.flush()  # keep what was printed before in order on a shared terminal
        self.err.write(text + "\n")

    def _label(self, status: str) -> str:
        return status_label(status, self.lang)

    def _styled(self, status: str, text: str) -> str:
        from rich.markup import escape

        style = STYLE.get(status)
        return f"[{style}]{escape(text)}[/{style}]" if style else escape(text)

    # --- rows -------------------------------------------------------------------------------

    def rows(
        self, rows: Sequence[Row], *, with_role: bool = False, title: str | None = None
    ) -> None:
        if self.fmt == "json":
            self.write(
                dumps([row_json(r, with_role=with_role, workdays=self.workdays) for r in rows])
            )
        elif self.fmt == "csv":
            fields = (
                list(ROW_FIELDS)
                + (["due_workday"] if self.workdays else [])
                + (["role"] if with_role else [])
            )
            records = [row_json(r, with_role=with_role, workdays=self.workdays) for r in rows]
            self.write(to_csv(records, fields))
        elif self.fmt == "markdown":
            self.write(rows_markdown(rows, self.lang, with_role=with_role))
        else:
            self._rows_table(rows, with_role=with_role, title=title)

    def _rows_table(self, rows: Sequence[Row], *, with_role: bool, title: str | None) -> None:
        if not rows:
            self.console.print(word("nothing", self.lang))
            return
        # the columns a user acts on keep their width; title and assignee share what is left
        # of the terminal, shortened with an ellipsis rather than wrapped
        headers = row_headers(self.lang, with_role=with_role)
        body = [row_cells(row, self.lang, with_role=with_role) for row in rows]
        columns = zip(*body, strict=True)
        widths = [max(len(h), *map(len, c)) for h, c in zip(headers, columns, strict=True)]
        fixed = sum(w for i, w in enumerate(widths) if i not in (2, 3)) + len(widths) - 1
        if self.console.width - fixed < len(headers[2]) + len(headers[3]) + 8:
            # too narrow for extended days with their original: keep the day in force only
            for row, cells in zip(rows, body, strict=True):
                cells[5] = due_text(row, compact=True)
            widths[5] = max(len(headers[5]), *(len(c[5]) for c in body))
            fixed = sum(w for i, w in enumerate(widths) if i not in (2, 3)) + len(widths) - 1
        room = max(self.console.width - fixed, 12)
        assignee_width = min(widths[3], max(len(headers[3]), room * 2 // 5))
        title_width = min(widths[2], max(len(headers[2]), room - assignee_width))
        for cells in body:
            cells[2] = shorten(cells[2], title_width)
            cells[3] = shorten(cells[3], assignee_width)
        if title is None and self.fast_tables:
            text = self._plain_table(headers, body, [STYLE.get(row.status) for row in rows])
            if text is not None:
                self.out.write(text)
                return
        from rich.markup import escape
        from rich.table import Table

        table = Table(
            title=title,
            box=None,
            pad_edge=False,
            padding=(0, 0, 0, 1),
            header_style="bold",
            expand=False,
        )
        for header in headers:
            table.add_column(
                header, no_wrap=True, justify="right" if header == headers[6] else "left"
            )
        for row, cells in zip(rows, body, strict=True):
            styled = [escape(c) for c in cells]
            styled[7] = self._styled(row.status, cells[7])
            table.add_row(*styled)
        self.console.print(table)

    def _plain_table(
        self, headers: Sequence[str], body: Sequence[Sequence[str]], styles: Sequence[str | None]
    ) -> str | None:
        """The rows table exactly as Rich draws it, written out directly.

        Rich lays out and styles every cell through several layers of objects: 3 s for 5,000
        rows, where this takes a few ms. It covers the common case, where the table fits the
        console and no cell holds a control character; otherwise (None) Rich draws it.
        Column 6 (days) is right-aligned, column 7 (status) styled by the row's status.
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
        if sum(widths) + len(widths) - 1 > self.console.width:
            return None
        padded = []
        for i, (column, size) in enumerate(zip(columns, sizes, strict=True)):
            # a cell is as wide as it is long unless it holds wide or combining characters
            fills = [widths[i] - n for n in size]
            if i == 6:
                padded.append([" " * f + c for c, f in zip(column, fills, strict=True)])
            elif i == 7:
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
            line.append(_wrap(bold, fill + header if i == 6 else header + fill))
        lines = ["".join(line), *map(" ".join, zip(*padded, strict=True))]
        return "\n".join(lines) + "\n"

    def _sgr(self, name: str) -> tuple[str, str] | None:
        """The escape codes Rich's console writes around text in this style, or None."""
        from rich.console import COLOR_SYSTEMS
        from rich.style import Style

        console = self.console
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
        if self.fmt != "table":
            self.rows(view.rows, with_role=True)
            return
        from rich.markup import escape

        counts = view.counts
        line = " · ".join(
            f"{self._label(s)}: {counts[s]}" for s in ("done", "done-late", "overdue")
        )
        pending = counts["due-soon"] + counts["upcoming"]
        line += f" · {self._label('upcoming')}/{self._label('due-soon')}: {pending}"
        line += f" · {self._label('ongoing')}: {counts['ongoing']} · {self._label('undated')}: {counts['undated']}"
        self.console.print(f"[bold]{escape(view.entity.name)}[/bold]")
        if view.predecessors:
            self.console.print("  + " + escape(", ".join(view.predecessors)))
        self.console.print(line)
        self._rows_table(view.rows, with_role=True, title=None)

    def summary(self, rows: Sequence[SummaryRow], by: str) -> None:
        key = "notice" if by == "notice" else "agency"
        records = [{key: r.name, **r.counts, "on_time_rate": _rate(r.on_time_rate)} for r in rows]
        if self.fmt == "json":
            self.write(dumps(records))
            return
        if self.fmt == "csv":
            self.write(to_csv(records, [key, *SUMMARY_FIELDS, "on_time_rate"]))
            return
        headers = [
            word(key, self.lang),
            *(self._label(s) for s in SUMMARY_FIELDS),
            word("rate", self.lang),
        ]
        body = [
            [r.name, *(r.counts[s] for s in SUMMARY_FIELDS), _percent(r.on_time_rate)] for r in rows
        ]
        if self.fmt == "markdown":
            self.write(markdown_table(headers, body))
            return
        from rich.markup import escape
        from rich.table import Table

        table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")

        # a count's header may wrap onto two lines, but never a word of it
        def longest_word(text: str) -> int:
            return max(4, *(len(part) for part in text.split()))

        counts_width = sum(max(longest_word(h), 4) + 1 for h in headers[1:])
        name_width = max(12, min(40, self.console.width - counts_width))
        names = [shorten(str(values[0]), name_width) for values in body]
        table.add_column(headers[0], no_wrap=True, width=max(len(n) for n in names))
        for header, status in zip(headers[1:-1], SUMMARY_FIELDS, strict=True):
            table.add_column(
                self._styled(status, header), justify="right", width=longest_word(header)
            )
        table.add_column(headers[-1], justify="right", width=longest_word(headers[-1]))
        for name, values in zip(names, body, strict=True):
            table.add_row(escape(name), *(str(v) for v in values[1:]))
        self.console.print(table)

    def task(self, view: TaskView) -> None:
        loaded, task = view.loaded, view.loaded.task
        if self.fmt == "json":
            payload = {
                "id": loaded.id,
                "path": loaded.path,
                "task": dump(task, json=True),
                "rows": [row_json(r, workdays=self.workdays) for r in view.rows],
                "members": [
                    {
                        **row_json(r),
                        "member_status": [
                            {
                                "agency": m.agency,
                                "status": m.status,
                                "done_on": m.done_on.isoformat() if m.done_on else None,
                            }
                            for m in r.members
                        ],
                    }
                    for r in view.rows
                    if r.is_group
                ],
            }
            self.write(dumps(payload))
            return
        if self.fmt in ("csv", "markdown"):
            self.rows(view.rows)
            return
        from rich.markup import escape

        c = self.console
        source = task.source
        c.print(f"[bold]{escape(loaded.id)}[/bold]  {escape(loaded.path)}")
        c.print(f"{escape(task.title)}")
        c.print(
            f"{word('notice', self.lang)}: {escape(source.notice)} "
            f"({escape(source.number or '-')}, {source.date.isoformat()}), "
            f"{word('section', self.lang)} {escape(source.section)}"
        )
        c.print(f"{word('lead', self.lang)}: {escape(', '.join(task.lead))}")
        if task.support:
            c.print(f"{word('support', self.lang)}: {escape(', '.join(task.support))}")
        if task.report_to:
            c.print(f"→ {escape(task.report_to)}")
        if task.state != "active":
            c.print(self._styled("cancelled", f"{task.state}: {task.state_reason}"))
        for obligation in task.obligations:
            c.print()
            phrase = f" — “{escape(obligation.as_written)}”" if obligation.as_written else ""
            c.print(
                f"[bold]{escape(obligation.id)}[/bold] ({word(obligation.kind, self.lang)}, {obligation.due_form}){phrase}"
            )
            for row in (r for r in view.rows if r.obligation.id == obligation.id):
                occurrence = f"{row.occurrence.isoformat()} " if row.occurrence else ""
                days = "" if row.days_left is None else f" ({row.days_left:+d})"
                c.print(
                    f"  {occurrence}{escape(row.assignee)}: {due_text(row)}{days} "
                    + self._styled(row.status, self._label(row.status))
                    + (f" {row.done_on.isoformat()}" if row.done_on else "")
                )
                if row.is_group:
                    for member in row.members:
                        c.print(
                            f"      {escape(member.agency)}: "
                            + self._styled(member.status, self._label(member.status))
                            + (f" {member.done_on.isoformat()}" if member.done_on else "")
                        )
                for extension in row.extensions:
                    c.print(
                        f"    {word('extended', self.lang)} {row.original_due}: → {extension.to} "
                        f"({extension.on}; {escape(extension.evidence or '—')})"
                    )
        if task.progress:
            c.print()
            c.print(f"[bold]{word('progress', self.lang)}[/bold]")
            for event in task.progress:
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
                c.print(
                    f"  {event.on.isoformat()}  {escape(what)} {escape(extra)}"
                    + (f" — {escape(event.evidence)}" if event.evidence else "")
                    + (f" ({escape(event.note)})" if event.note else "")
                )

    def grid(self, grid: Grid) -> None:
        records = [
            {
                "task": r.task_id,
                "obligation": r.obligation,
                "assignee": r.assignee,
                "occurrences": {d.isoformat(): row.status for d, row in sorted(r.cells.items())},
            }
            for r in grid.rows
        ]
        if self.fmt == "json":
            self.write(dumps(records))
            return
        headers = [
            word("task", self.lang),
            word("assignee", self.lang),
            *(d.strftime("%d/%m/%y") for d in grid.dates),
        ]
        body = [
            [
                f"{r.task_id}:{r.obligation}",
                r.assignee,
                *(_cell_symbol(r.cells.get(d)) for d in grid.dates),
            ]
            for r in grid.rows
        ]
        if self.fmt == "csv":
            self.write(
                to_csv(
                    [
                        {
                            "task": r.task_id,
                            "obligation": r.obligation,
                            "assignee": r.assignee,
                            **{d.isoformat(): row.status for d, row in r.cells.items()},
                        }
                        for r in grid.rows
                    ],
                    ["task", "obligation", "assignee", *(d.isoformat() for d in grid.dates)],
                )
            )
            return
        if self.fmt == "markdown":
            self.write(markdown_table(headers, body))
            return
        from rich.markup import escape
        from rich.table import Table

        if not grid.rows:
            self.console.print(word("nothing", self.lang))
            return
        # one narrow column per occurrence; the task and assignee share what is left
        if len({d.year for d in grid.dates}) == 1:
            pattern = "%d/%m"
        elif len({(d.year, d.month) for d in grid.dates}) == len(grid.dates):
            pattern = "%m/%y"  # one occurrence a month: the month says which
        else:
            pattern = "%d/%m/%y"
        dates = [d.strftime(pattern) for d in grid.dates]
        room = self.console.width - sum(len(h) + 1 for h in dates) - 1
        label_width = max(12, room * 3 // 5)
        who_width = max(10, room - label_width)
        table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")
        table.add_column(headers[0], no_wrap=True)
        table.add_column(headers[1], no_wrap=True)
        for header in dates:
            table.add_column(header, justify="center", no_wrap=True, width=len(header))
        for r in grid.rows:
            cells = []
            for d in grid.dates:
                row = r.cells.get(d)
                cells.append("" if row is None else self._styled(row.status, _cell_symbol(row)))
            table.add_row(
                escape(shorten(f"{r.task_id}:{r.obligation}", label_width)),
                escape(shorten(r.assignee, who_width)),
                *cells,
            )
        self.console.print(table)
        legend = "  ".join(f"{SYMBOL[s]} {self._label(s)}" for s in SYMBOL)
        self.console.print(legend, style="dim")

    # --- diagnostics ------------------------------------------------------------------------

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        if self.fmt == "json":
            self.write(dumps([d.as_json() for d in diagnostics]))
            return
        for diagnostic in diagnostics:
            self.write(diagnostic.render())
        errors = sum(1 for d in diagnostics if d.severity == "error")
        warnings = len(diagnostics) - errors
        self.note(f"{errors} error(s), {warnings} warning(s)")

    def unreadable(self, diagnostics: Sequence[Diagnostic]) -> None:
        """For listings: which files were left out, and why, on stderr."""
        errors = [d for d in diagnostics if d.severity == "error"]
        if not errors:
            return
        paths = sorted({d.path for d in errors})
        self.error(f"{len(paths)} file(s) could not be read and are left out:")
        for diagnostic in errors:
            self.note("  " + diagnostic.render())

    def json(self, value: Any) -> None:
        self.write(dumps(value))


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def _cell_symbol(row: Row | None) -> str:
    return "" if row is None else SYMBOL.get(row.status, "?")
