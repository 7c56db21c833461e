"""`tbtrack import`: a notice to draft task files (SPEC 10).

A plain function like the other commands: it calls `importing.apply.plan_import`, writes the
files with `editing.writer.write_all` (unless --dry-run), shows them through the run's
formatter and returns the exit code: 1 when anything needs review, 0 otherwise.
"""

from pathlib import Path
from typing import Annotated

import typer

from ..cli.session import Session
from ..errors import EXIT_DATA, EXIT_OK


def import_notice(
    s: Session,
    notice: Annotated[
        Path,
        typer.Argument(
            metavar="NOTICE", help="The notice: a .pdf with a text layer, .docx or .txt."
        ),
    ],
    folder: Annotated[
        str | None,
        typer.Option(
            "--folder",
            metavar="NAME",
            help="The folder under tasks/ (default: from the notice's number and date).",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The notice's date, for a text that gives none (names resolve as of it).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Import into an existing folder, over its files."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the files with their paths; write nothing.")
    ] = False,
) -> int:
    """Draft one task file per assignment of a notice, with `# review:` comments to check."""
    from ..editing.writer import write_all
    from ..importing.apply import plan_import

    day = None if date is None else s.date(date, "--date")
    plan = plan_import(
        s.root, notice, folder=folder, force=force, date=day, today=s.today(), use_cache=s.g.cache
    )
    if not dry_run:
        write_all(plan.changes)
    s.out.formatter.imported(plan, written=not dry_run)
    return EXIT_DATA if plan.needs_review else EXIT_OK
