"""`tbtrack diff` and `tbtrack log`: review through git (SPEC 7). Thin: parse options, call one
function of `history`, render through `output_history`."""

from __future__ import annotations

from typing import Annotated

import typer

from ..cli.app import IdArg, _exit, _session, app
from ..errors import EXIT_DATA, EXIT_OK, UsageError


@app.command()
def diff(
    ctx: typer.Context,
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
) -> None:
    """What changed in the tasks, in meaning, with flags for a reviewer."""
    from ..render.history import render_diff, unparseable_note
    from ..review.history import diff_revisions

    s = _session(ctx)
    wanted = list(revs or [])
    if s.g.rev:
        # the global --rev reads as the first side; mixing both would be ambiguous
        if wanted:
            raise UsageError("give the revisions as arguments or --rev, not both")
        wanted = [s.g.rev]
    result = diff_revisions(s.root, wanted)
    render_diff(s.out, result)
    unparseable_note(s.out, result.changes)
    broken = any(
        d.what == "unparseable" and d.data.get("side") == "new"
        for c in result.changes
        for d in c.details
    )
    _exit(EXIT_DATA if broken or (fail_on_flags and result.flags) else EXIT_OK)


@app.command()
def log(
    ctx: typer.Context,
    task_id: IdArg,
) -> None:
    """The git history of one task, newest first, each commit's changes in meaning."""
    from ..render.history import render_log
    from ..review.history import task_log

    s = _session(ctx)
    # with --rev the history starts there instead of at HEAD
    render_log(s.out, task_log(s.root, task_id, s.g.rev or "HEAD"))
