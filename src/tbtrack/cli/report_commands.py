"""The commands that make documents: `report` (SPEC 5.3), `ical` (5.4), `schema` (5.5).

`report` and `ical` write to stdout, or with `-o FILE` to a file written whole or not at all
(`outfile`); the report's format follows the file's suffix. `app` registers them.
"""

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..cli.listing_commands import listing_exit
from ..cli.options import By
from ..cli.session import Run, Session
from ..errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from ..queries.listings import Filters
    from ..queries.report_data import MonthlyReport

# the report's formats by the suffix of -o FILE
SUFFIXES = {
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".json": "json",
    ".csv": "csv",
}

OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="FILE", help="Write to FILE (its suffix: the format)."),
]


def report_format(run: Run, output: Path | None) -> str:
    """The report's format: the suffix of -o FILE, else --format."""
    fmt = run.globals.fmt
    if output is None:
        return fmt
    by_suffix = SUFFIXES.get(output.suffix.lower())
    if by_suffix is None:
        known = " ".join(SUFFIXES)
        raise UsageError(f"-o {output}: unknown suffix {output.suffix!r}; use one of {known}")
    if fmt != "table" and fmt != by_suffix:
        raise UsageError(f"-o {output} is {by_suffix}, but --format {fmt} was given")
    return by_suffix


def report(
    run: Run,
    filters: "Filters",
    by: Annotated[By, typer.Option("--by", help="One row per agency or per notice.")] = By.agency,
    next_days: Annotated[
        int,
        typer.Option(
            "--next", metavar="N", min=0, max=3660, help="The chase list's days after --as-of."
        ),
    ] = 30,
    compare: Annotated[
        str | None,
        typer.Option("--compare", metavar="DATE", help="Each count beside its value on DATE."),
    ] = None,
    output: OutOpt = None,
) -> int:
    """The monthly report: counts per agency, the overdue and chase lists; -o x.xlsx|.html."""
    from ..cli.outfile import check_target
    from ..queries.monthly_report import default_title, monthly_report

    run.default_lang, run.file_formats = "vi", True
    fmt = report_format(run, output)
    if output is not None:
        check_target(output)  # before the work: a report is not made to be thrown away
    session = Session(run)
    lang = session.out.lang
    previous = None if compare is None else session.date(compare, "--compare")
    data = session.dataset()
    result = monthly_report(
        data,
        session.settings(),
        by.value,
        filters,
        next_days=next_days,
        compare=previous,
        title=session.config.title or default_title(lang),
    )
    _emit(session, result, fmt, output)
    return listing_exit(session, data, False, False)


def _emit(session: Session, result: "MonthlyReport", fmt: str, output: Path | None) -> None:
    from ..cli.outfile import write_atomically

    lang = session.out.lang
    if fmt == "xlsx":
        from ..render.report_xlsx import write_xlsx

        if output is None:
            import io
            import sys

            if sys.stdout.isatty():
                raise UsageError("an xlsx workbook is not for a terminal: give -o FILE.xlsx")
            workbook = io.BytesIO()
            write_xlsx(result, lang, workbook)
            session.out.write_bytes(workbook.getvalue())
            return
        write_atomically(output, lambda path: write_xlsx(result, lang, path))
        return
    if fmt == "html":
        from ..render.report_html import render_html

        text = render_html(result, lang)
    elif output is None:
        session.out.formatter.report(result)
        return
    else:  # a text format into a file: the same formatter, writing into a buffer
        import io

        from ..render.output import Output

        buffer = io.StringIO()
        out = session.out
        to_file = Output(fmt, lang, False, out.workdays, stdout=buffer)
        to_file.bom = out.bom
        to_file.formatter.report(result)
        text = buffer.getvalue()
    if output is None:
        session.out.write(text)
    else:
        data = text.encode("utf-8")
        write_atomically(output, lambda path: _write(path, data))


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def ical(
    session: Session,
    filters: "Filters",
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day (default: --as-of)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Last day (default: --as-of plus 365 days)."),
    ] = None,
    todo: Annotated[bool, typer.Option("--todo", help="To-do items (VTODO) with DUE.")] = False,
    output: OutOpt = None,
) -> int:
    """A calendar feed (.ics) of the open deadlines in a range, an alarm a week before each."""
    from ..cli.outfile import check_target, write_atomically
    from ..queries import listings
    from ..render.ical import build_calendar, calendar_item

    if output is not None:
        check_target(output)
    as_of = session.as_of()
    start = as_of if from_ is None else session.date(from_, "--from")
    end = as_of + dt.timedelta(days=365) if to is None else session.date(to, "--to")
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")
    data = session.dataset()
    rows = listings.due(
        data,
        session.settings(),
        filters,
        before=end + dt.timedelta(days=1),
        after=start - dt.timedelta(days=1),
        texts=True,  # each item tells its task's text
    )
    items = [item for item in map(calendar_item, rows) if item is not None]
    name = f"tbtrack · {filters.agency}" if filters.agency else "tbtrack"
    calendar = build_calendar(items, todo=todo, as_of=as_of, lang=session.out.lang, name=name)
    if output is None:
        session.out.write_bytes(calendar)
    else:
        write_atomically(output, lambda path: _write(path, calendar))
    return listing_exit(session, data, False, False)


class SchemaKind(StrEnum):
    task = "task"
    agencies = "agencies"


def schema(
    run: Run,
    kind: Annotated[SchemaKind, typer.Argument(help="task or agencies.")],
) -> int:
    """Print the JSON Schema of a task file or of agencies.yaml, for editors."""
    from ..files.editor_schema import editor_schema, schema_text

    run.out.write(schema_text(editor_schema(kind.value)))
    return EXIT_OK
