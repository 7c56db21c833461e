"""The one output of a run: both streams, and the formatter chosen once from `--format`.

Results go to stdout through `formatter` (`out.formatter.rows(rows)`); errors, notes and the
"could not read" lines go to stderr through `error` and `note`, escaped so that a value from
the data never writes a line of its own. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ..render.escape import printable
from ..render.formatter import Formatter
from ..render.labels import word

if TYPE_CHECKING:
    from rich.console import Console

    from ..files.diagnostics import Diagnostic

FORMATS = ("table", "json", "csv", "markdown")


def formatter_class(fmt: str) -> type[Formatter]:
    """The formatter of a format name; each is imported only when chosen."""
    if fmt == "json":
        from ..render.json_format import JsonFormatter

        return JsonFormatter
    if fmt == "csv":
        from ..render.csv_format import CsvFormatter

        return CsvFormatter
    if fmt == "markdown":
        from ..render.markdown import MarkdownFormatter

        return MarkdownFormatter
    if fmt == "table":
        from ..render.table import TableFormatter

        return TableFormatter
    raise ValueError(f"no formatter for {fmt!r}; use one of {', '.join(FORMATS)}")


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
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self._console: Console | None = None
        self.configure(fmt, lang, color, workdays)

    def configure(
        self, fmt: str, lang: str, color: bool, workdays: bool, bom: bool = False
    ) -> None:
        """Set how results are shown; a run does this once it knows the data root's settings."""
        self.bom = bom  # --bom: CSV starts with a UTF-8 byte-order mark
        self.fmt = fmt
        self.lang = lang
        self.color = color
        self.workdays = workdays
        self._console = None
        self.formatter: Formatter = formatter_class(fmt)(self)

    # --- streams ----------------------------------------------------------------------------

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

    def plain_width(self, environ: Mapping[str, str] = os.environ) -> int | None:
        """The width of Rich's console when it would write no escape codes, found without
        importing Rich (a listing piped to a file or a program would otherwise pay for it);
        None when the console itself must be asked.

        Rich writes none when its stream is no terminal and nothing says it is one
        (`TTY_COMPATIBLE`, `FORCE_COLOR`, a notebook); its width is then `COLUMNS`, else the
        size of the first of stdin, stdout, stderr that is a terminal, else 80.
        tests/render/test_output.py compares the two under each of these conditions.
        """
        if self._console is not None or os.name == "nt" or "IPython" in sys.modules:
            return None
        if "TTY_COMPATIBLE" in environ or "FORCE_COLOR" in environ:
            return None
        isatty = getattr(self.out, "isatty", None)
        try:
            if isatty is None or isatty():
                return None
        except ValueError:  # a closed stream: let Rich decide
            return None
        columns = environ.get("COLUMNS")
        if columns is not None and columns.isdigit():
            return int(columns)
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):  # not a terminal
                continue
            return width or 80
        return 80

    def write(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")

    def write_bytes(self, data: bytes, target: BinaryIO | None = None) -> None:
        """Bytes of a formatter that makes a file: to `target`, else to stdout's bytes."""
        if target is None:
            self.out.flush()
            target = self.out.buffer
        target.write(data)

    def note(self, text: str) -> None:
        self.out.flush()  # keep what was printed before in order on a shared terminal
        self.err.write(printable(text) + "\n")

    def error(self, text: str) -> None:
        self.note(f"tbtrack: {text}")

    def unreadable(self, diagnostics: Sequence[Diagnostic]) -> None:
        """For listings: which files were left out, and why, on stderr."""
        errors = [d for d in diagnostics if d.severity == "error"]
        if not errors:
            return
        paths = sorted({d.path for d in errors})
        self.error(word("left-out", self.lang).format(files=len(paths)))
        for diagnostic in errors:
            self.note("  " + diagnostic.render())

    def unreadable_files(self, files: Sequence[tuple[str, str]]) -> None:
        """For `diff`: the files that could not be read, with why (SPEC 5.2)."""
        if not files:
            return
        self.error(word("unreadable", self.lang).format(files=len(files)))
        for path, message in files:
            self.note(f"  {path}: {message}")

    def _plain_table(
        self, headers: Sequence[str], body: Sequence[Sequence[str]], styles: Sequence[str | None]
    ) -> str | None:
        # kept for the loader's rows-table property test; the table formatter owns the drawing
        from ..render.table import TableFormatter

        return TableFormatter(self).plain_table(headers, body, styles)
