"""The listing commands: due, overdue, agency, summary, show, recurring, check.

Each is a plain function: it takes the session, the parsed filters and its own options, asks
one query, hands the result to the run's formatter and returns the exit code. `app` registers
them.
"""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..cli.options import By, FailOpt, IdArg
from ..cli.session import Session
from ..errors import EXIT_DATA, EXIT_OK, EXIT_OVERDUE, UsageError

if TYPE_CHECKING:
    from ..loading.dataset import Dataset, Naming
    from ..queries.listings import Filters


def listing_exit(session: Session, dataset: "Dataset", overdue: bool, fail_on_overdue: bool) -> int:
    """The exit code of a listing: 1 when files were left out, 3 on --fail-on-overdue."""
    for absence in dataset.absences:
        session.out.note(f"tbtrack: note: {absence.text(session.out.lang)}")
    session.out.unreadable(dataset.diagnostics)
    if dataset.has_errors:
        return EXIT_DATA
    if fail_on_overdue and overdue:
        return EXIT_OVERDUE
    return EXIT_OK


def _day(session: Session, text: str | None, option: str) -> dt.date | None:
    """An optional date option; given but empty (`--before ""`) is an error, not absent."""
    return None if text is None else session.date(text, option)


def _naming(session: Session, filters: "Filters") -> "Naming | None":
    """With --agency, the tasks a listing reads (`listings.naming`)."""
    from ..queries import listings

    return listings.naming(filters.agency, session.as_of()) if filters.agency else None


def due(
    session: Session,
    filters: "Filters",
    before: Annotated[
        str | None,
        typer.Option(
            "--before", metavar="DATE", help="Everything open whose last day is before this day."
        ),
    ] = None,
    after: Annotated[
        str | None, typer.Option("--after", metavar="DATE", help="Only last days after this day.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Add done rows.")] = False,
    fail_on_overdue: FailOpt = False,
) -> int:
    """Open obligations by last day: overdue and due soon, or all before a day."""
    from ..queries import listings

    data = session.dataset(_naming(session, filters))
    rows = listings.due(
        data,
        session.settings(),
        filters,
        before=_day(session, before, "--before"),
        after=_day(session, after, "--after"),
        include_done=all_,
    )
    session.out.formatter.rows(rows)
    overdue = any(r.status == "overdue" for r in rows)
    return listing_exit(session, data, overdue, fail_on_overdue)


def overdue(session: Session, filters: "Filters", fail_on_overdue: FailOpt = False) -> int:
    """Only what is overdue."""
    from ..queries import listings

    data = session.dataset(_naming(session, filters))
    rows = listings.overdue(data, session.settings(), filters)
    session.out.formatter.rows(rows)
    return listing_exit(session, data, bool(rows), fail_on_overdue)


def agency(
    session: Session,
    filters: "Filters",
    name: Annotated[str, typer.Argument(help="An agency or group: name, code or alias.")],
    fail_on_overdue: FailOpt = False,
) -> int:
    """One agency: its four-way count, then every row it leads or supports."""
    from ..queries import listings

    data = session.dataset(listings.naming(name, session.as_of()))
    view = listings.agency(data, session.settings(), name, filters)
    session.out.formatter.agency(view)
    return listing_exit(session, data, view.counts["overdue"] > 0, fail_on_overdue)


def summary(
    session: Session,
    filters: "Filters",
    by: Annotated[By, typer.Option("--by", help="One row per agency or per notice.")] = By.agency,
    fail_on_overdue: FailOpt = False,
) -> int:
    """The four-way count per agency or notice, with ongoing, undated and the on-time rate."""
    from ..queries import listings

    data = session.dataset()
    rows = listings.summary(data, session.settings(), by.value, filters)
    session.out.formatter.summary(rows, by.value)
    overdue = any(r.counts["overdue"] for r in rows)
    return listing_exit(session, data, overdue, fail_on_overdue)


def show(
    session: Session,
    task_id: IdArg,
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            metavar="NAME",
            help="Only what this agency (a member of a group) owes: its last days, status "
            "and the events that concern it.",
        ),
    ] = None,
) -> int:
    """One task: fields, each obligation with its last day and status per assignee, the timeline."""
    from ..queries import listings

    if agency is not None and not agency.strip():
        raise UsageError("--agency: no value given")
    data = session.task_dataset(task_id)
    session.out.formatter.task(listings.show(data, session.settings(), task_id, agency))
    return listing_exit(session, data, False, False)


def recurring(
    session: Session,
    filters: "Filters",
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day (default: 90 days before --as-of)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Last day (default: --as-of plus the window)."),
    ] = None,
) -> int:
    """Each recurring obligation's occurrences in a range, as a grid of statuses."""
    from ..queries import listings

    data = session.dataset()
    start, end = _day(session, from_, "--from"), _day(session, to, "--to")
    grid = listings.recurring(data, session.settings(), start, end, filters)
    session.out.formatter.grid(grid)
    return listing_exit(session, data, False, False)


def check(
    session: Session,
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PATH]...", help="Only report on these files or folders."),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="First rewrite files whose text is not in Unicode NFC, in NFC."),
    ] = False,
) -> int:
    """Validate agencies.yaml and every task file; report every problem, located."""
    from ..queries.checkrun import run_check

    if fix:
        from ..editing.normalize import plan_nfc
        from ..editing.writer import write

        for change in plan_nfc(session.root):
            write(change)
            session.out.note(change.summary)
    data = session.dataset()
    diagnostics = run_check(data, session.as_of(), paths or [], Path.cwd())
    session.out.formatter.diagnostics(diagnostics)
    return EXIT_DATA if any(d.severity == "error" for d in diagnostics) else EXIT_OK
