"""`tbtrack diff` and `tbtrack log`: review through git (SPEC 7). Plain functions: parse
options, call one function of `review.history`, hand the result to the run's formatter."""

from typing import Annotated

import typer

from ..cli.options import IdArg
from ..cli.session import Session
from ..errors import EXIT_DATA, EXIT_OK, UsageError


def diff(
    s: Session,
    revs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[REV [REV]]",
            help="No REV: HEAD against the working tree; one: REV against the working tree; "
            "two: the first against the second.",
        ),
    ] = None,
    fail_on_flags: Annotated[
        bool,
        typer.Option("--fail-on-flags", help="Exit 1 when a change is flagged for a reviewer."),
    ] = False,
) -> int:
    """What changed in the tasks, in meaning, with flags for a reviewer."""
    from ..render.history import unreadable_changes
    from ..review.history import diff_revisions

    wanted = list(revs or [])
    if s.g.rev:
        # the global --rev reads as the first side; mixing both would be ambiguous
        if wanted:
            raise UsageError("give the revisions as arguments or --rev, not both")
        wanted = [s.g.rev]
    result = diff_revisions(s.root, wanted)
    s.out.formatter.diff(result)
    broken = unreadable_changes(result.changes)
    s.out.unreadable_files(broken)
    return EXIT_DATA if broken or (fail_on_flags and result.flags) else EXIT_OK


def log(s: Session, task_id: IdArg) -> int:
    """The git history of one task, newest first, each commit's changes in meaning."""
    from ..review.history import task_log

    # with --rev the history starts there instead of at HEAD
    s.out.formatter.log(task_log(s.root, task_id, s.g.rev or "HEAD", use_cache=s.g.cache))
    return EXIT_OK
