"""The one Output: both streams, one formatter chosen per run, messages that stay on one line."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from render.results import Rendered, Results
from tbtrack.files.diagnostics import Diagnostic
from tbtrack.render.csv_format import CsvFormatter
from tbtrack.render.json_format import JsonFormatter
from tbtrack.render.markdown import MarkdownFormatter
from tbtrack.render.output import FORMATS, Output, formatter_class
from tbtrack.render.table import TableFormatter

Render = Callable[..., Rendered]


def streams() -> tuple[Output, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Output("table", "en", False, stdout=out, stderr=err), out, err


def test_each_format_has_its_formatter() -> None:
    chosen = {fmt: formatter_class(fmt) for fmt in FORMATS}
    assert chosen == {
        "table": TableFormatter,
        "json": JsonFormatter,
        "csv": CsvFormatter,
        "markdown": MarkdownFormatter,
    }
    assert all(cls.name == fmt for fmt, cls in chosen.items())
    with pytest.raises(ValueError, match="no formatter for 'xlsx'"):
        formatter_class("xlsx")


def test_configure_chooses_the_formatter_once() -> None:
    output, _, _ = streams()
    assert isinstance(output.formatter, TableFormatter)
    output.configure("markdown", "vi", False, True)
    assert isinstance(output.formatter, MarkdownFormatter)
    assert (output.fmt, output.lang, output.workdays) == ("markdown", "vi", True)
    assert output.formatter.lang == "vi"


def test_messages_go_to_stderr_on_one_line() -> None:
    output, out, err = streams()
    output.write("result")
    output.error("error: unknown agency 'A\nerror: forged'")
    output.note("tab\tand\u2028separator")
    assert out.getvalue() == "result\n"
    assert err.getvalue() == (
        "tbtrack: error: unknown agency 'A\\nerror: forged'\ntab\\tand\\u2028separator\n"
    )


def test_unreadable_names_each_file_once_and_every_error() -> None:
    output, out, err = streams()
    output.unreadable(
        [
            Diagnostic("tasks/a.yaml", 1, 1, "error", "bad", "yaml"),
            Diagnostic("tasks/a.yaml", 2, 1, "error", "worse", "yaml"),
            Diagnostic("tasks/b.yaml", 1, 1, "warning", "odd", "nfc"),
        ]
    )
    assert out.getvalue() == ""
    assert err.getvalue() == (
        "tbtrack: 1 file(s) could not be read and are left out:\n"
        "  tasks/a.yaml:1:1: error: bad [yaml]\n"
        "  tasks/a.yaml:2:1: error: worse [yaml]\n"
    )
    quiet, _, nothing = streams()
    quiet.unreadable([Diagnostic("tasks/b.yaml", 1, 1, "warning", "odd", "nfc")])
    assert nothing.getvalue() == ""


def test_unreadable_files_of_a_diff() -> None:
    output, _, err = streams()
    output.unreadable_files([("tasks/a.yaml", "line 3: bad")])
    output.unreadable_files([])
    assert err.getvalue() == "tbtrack: 1 file(s) could not be read:\n  tasks/a.yaml: line 3: bad\n"


def test_write_bytes_to_a_file() -> None:
    output, _, _ = streams()
    target = io.BytesIO()
    output.write_bytes(b"PK\x03\x04", target)
    assert target.getvalue() == b"PK\x03\x04"


def test_the_direct_rows_table_is_richs(
    results: Results, render: Render, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = render("table", "rows", results.rows)
    fast_roles = render("table", "rows", results.agency.rows, with_role=True)
    monkeypatch.setattr(Output, "fast_tables", False)
    assert render("table", "rows", results.rows).out == fast.out
    assert render("table", "rows", results.agency.rows, with_role=True).out == fast_roles.out
    assert fast_roles.out.splitlines()[0].split() == [
        "Task",
        "Sec.",
        "Title",
        "Assignee",
        "Kind",
        "Due",
        "Days",
        "Status",
        "Role",
    ]


# -- the console's width without Rich -------------------------------------------------------

_PROBE = """
import sys
from rich.console import Console
from tbtrack.render.output import Output
plain = Output(stdout=sys.stdout).plain_width()
console = Console(file=sys.stdout, no_color=True, highlight=False, soft_wrap=False, emoji=False)
print(plain, console.width, console.color_system, file=sys.stderr)
"""


def _probe(env: dict[str, str], *, stdin_cols: int | None = None, stdout_tty: bool = False) -> str:
    """What `plain_width` and Rich's console find in a fresh process; a pseudo-terminal of
    `stdin_cols` columns as stdin, and one as stdout with `stdout_tty`."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    opened: list[int] = []

    def terminal(cols: int) -> int:
        main, side = pty.openpty()
        fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
        opened.extend((main, side))
        return side

    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE],
            env={**clean, **env},
            stdin=terminal(stdin_cols) if stdin_cols else subprocess.DEVNULL,
            stdout=terminal(101) if stdout_tty else subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
            timeout=60,
        )
    finally:
        for fd in opened:
            os.close(fd)
    return done.stderr.strip()


@pytest.mark.parametrize(
    ("env", "stdin_cols", "expected"),
    [
        ({}, None, "80 80 None"),
        ({"COLUMNS": "57"}, None, "57 57 None"),
        ({"COLUMNS": "wide"}, None, "80 80 None"),
        ({}, 33, "33 33 None"),  # a pipe to a file from a terminal: the terminal's width
        ({"COLUMNS": "140"}, 33, "140 140 None"),
    ],
)
def test_plain_width_is_the_width_of_richs_console(
    env: dict[str, str], stdin_cols: int | None, expected: str
) -> None:
    assert _probe(env, stdin_cols=stdin_cols) == expected


@pytest.mark.parametrize(
    ("env", "stdout_tty"),
    [({"FORCE_COLOR": "1"}, False), ({"TTY_COMPATIBLE": "1"}, False), ({}, True)],
)
def test_rich_is_asked_whenever_it_may_write_escape_codes(
    env: dict[str, str], stdout_tty: bool
) -> None:
    plain, _, _ = _probe(env, stdout_tty=stdout_tty).split()
    assert plain == "None"
