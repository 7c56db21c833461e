"""The editing commands: done, extend, cancel, new, init (SPEC 5, 7).

Each parses its options, calls one planning function of `editing` and renders the result through the
session's `Output`. The work and the checks live in `editing`, the write in `editing.writer`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..cli.app import Globals, IdArg, Session, app
from ..errors import UsageError
from ..files.vocab import OBLIGATION_KINDS as KINDS

if TYPE_CHECKING:
    from ..editing.change import Change
    from ..files.vocab import DueForm

OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on", metavar="DATE", help="The day it happened (default: today, or the --as-of day)."
    ),
]
EvidenceOpt = Annotated[
    str | None,
    typer.Option(
        "--evidence", metavar="TEXT", help='The document that proves it: "Báo cáo số 123/BC-BTC".'
    ),
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="A free note on the event.")
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")
]


def _on(s: Session, on: str | None) -> dt.date:
    return s.date(on, "--on") if on else s.as_of()


def _apply(s: Session, change: Change, dry_run: bool) -> None:
    """Write the change (unless --dry-run), then show what changed."""
    from ..editing.writer import write

    if not dry_run:
        write(change)
    out = s.out
    if out.fmt == "json":
        out.json(
            {
                "path": change.rel,
                "written": not dry_run,
                "summary": change.summary,
                "diff": change.diff(),
                "warnings": [d.as_json() for d in change.warnings],
            }
        )
        return
    out.write(change.diff())
    for diagnostic in change.warnings:
        out.note(diagnostic.render())
    out.note(f"dry run, nothing written: {change.summary}" if dry_run else change.summary)


@app.command()
def done(
    ctx: typer.Context,
    task_id: IdArg,
    obligation: Annotated[
        str | None,
        typer.Argument(
            metavar="OBLIGATION",
            help="The obligation's id; may be left out when the task has one.",
        ),
    ] = None,
    on: OnOpt = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="NAME", help="The assignee that did it (default: all of them)."
        ),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="DATE",
            help="Recurring only: the occurrence (its date). Default: the earliest one still "
            "open for --by (or for any assignee), written out as for: so the file says which "
            "occurrence was meant.",
        ),
    ] = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record that an obligation was fulfilled: append a `fulfils` event."""
    from ..editing.plan import EventRequest, plan_event

    s = Session(ctx.obj)
    request = EventRequest(
        "fulfils",
        obligation,
        _on(s, on),
        by=by,
        for_=s.date(for_, "--for") if for_ else None,
        evidence=evidence,
        note=note,
    )
    _apply(s, plan_event(s.root, task_id, request, s.today()), dry_run)


@app.command()
def extend(
    ctx: typer.Context,
    task_id: IdArg,
    obligation: Annotated[str, typer.Argument(metavar="OBLIGATION", help="The obligation's id.")],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The new last day, inclusive.")],
    evidence: Annotated[
        str,
        typer.Option("--evidence", metavar="TEXT", help="The document that grants the extension."),
    ],
    on: OnOpt = None,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="DATE",
            help="Recurring only: the occurrence to extend. Default: the earliest one still "
            "open, written out as for:.",
        ),
    ] = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Move a deadline: append an `extends` event (the original date stays visible)."""
    from ..editing.plan import EventRequest, plan_event

    s = Session(ctx.obj)
    request = EventRequest(
        "extends",
        obligation,
        _on(s, on),
        for_=s.date(for_, "--for") if for_ else None,
        to=s.date(to, "--to"),
        evidence=evidence,
        note=note,
    )
    _apply(s, plan_event(s.root, task_id, request, s.today()), dry_run)


@app.command()
def cancel(
    ctx: typer.Context,
    task_id: IdArg,
    obligation: Annotated[
        str | None,
        typer.Argument(
            metavar="OBLIGATION",
            help="The obligation to withdraw; without it, the whole task.",
        ),
    ] = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            "--evidence",
            "--reason",
            metavar="TEXT",
            help="The document that withdraws it; for a whole task, written as state_reason.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The day it happened (default: today, or the --as-of day); for a whole "
            "task, written as state_on.",
        ),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="DATE",
            help="Recurring only: withdraw this one occurrence. Without it a recurring "
            "obligation ends from --on.",
        ),
    ] = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Withdraw an obligation (a `cancels` event), or a whole task (state: cancelled)."""
    from ..editing.plan import EventRequest, plan_cancel_task, plan_event

    s = Session(ctx.obj)
    if not evidence or not evidence.strip():
        raise UsageError("cancel needs --evidence (or --reason): what withdrew it")
    if obligation is None:
        if for_ or note:
            raise UsageError("--for and --note belong to cancelling one obligation")
        _apply(s, plan_cancel_task(s.root, task_id, evidence, s.today(), _on(s, on)), dry_run)
        return
    request = EventRequest(
        "cancels",
        obligation,
        _on(s, on),
        for_=s.date(for_, "--for") if for_ else None,
        evidence=evidence,
        note=note,
    )
    _apply(s, plan_event(s.root, task_id, request, s.today()), dry_run)


@app.command()
def new(
    ctx: typer.Context,
    task_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new task's ID: tgv-2025-06-06/2c.")
    ],
    notice: Annotated[str, typer.Option("--notice", metavar="TEXT", help="The notice's title.")],
    date: Annotated[
        str, typer.Option("--date", metavar="DATE", help="The notice's date (or the meeting's).")
    ],
    section: Annotated[
        str, typer.Option("--section", metavar="TEXT", help='Where in the notice: "2.c".')
    ],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The task in one line.")],
    lead: Annotated[
        list[str],
        typer.Option("--lead", metavar="NAME", help="Chủ trì: an agency or group (repeatable)."),
    ],
    number: Annotated[
        str | None,
        typer.Option("--number", metavar="TEXT", help='The notice\'s number: "47-TB/TGV".'),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", metavar="TEXT", help="The assignment as the notice words it."),
    ] = None,
    support: Annotated[
        list[str] | None, typer.Option("--support", metavar="NAME", help="Phối hợp (repeatable).")
    ] = None,
    report_to: Annotated[
        str | None,
        typer.Option("--report-to", metavar="NAME", help="The default recipient of reports."),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="A tag (repeatable).")
    ] = None,
    obligation_id: Annotated[
        str, typer.Option("--obligation-id", metavar="ID", help="The obligation's id.")
    ] = "complete",
    kind: Annotated[
        str, typer.Option("--kind", metavar="KIND", help="complete, report, submit or milestone.")
    ] = "complete",
    by: Annotated[
        str | None, typer.Option("--by", metavar="NAME", help="Due on this day (inclusive).")
    ] = None,
    before: Annotated[
        str | None, typer.Option("--before", metavar="DATE", help="Due before this day (strictly).")
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="PERIOD",
            help="Due within a period: 2025-07, 2025-Q3, 2025-H1, 2025.",
        ),
    ] = None,
    every: Annotated[
        str | None,
        typer.Option(
            "--every", metavar="RULE", help="Recurring: monthly, quarterly, ... or an RRULE."
        ),
    ] = None,
    ongoing: Annotated[bool, typer.Option("--ongoing", help="A standing duty.")] = False,
    undated: Annotated[bool, typer.Option("--undated", help="No date given yet.")] = False,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="DATE", help="Recurring: the first day it applies."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Recurring: the last day it applies."),
    ] = None,
    as_written: Annotated[
        str | None,
        typer.Option("--as-written", metavar="TEXT", help="The deadline as the notice words it."),
    ] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Write a new task file with one obligation; refused when the ID exists."""
    from ..editing.plan import plan_new
    from ..editing.render import NewTask

    s = Session(ctx.obj)
    forms: dict[DueForm, dt.date | str | int | bool | None] = {
        "by": s.date(by, "--by") if by else None,
        "before": s.date(before, "--before") if before else None,
        "within": (int(within) if within.strip().isdigit() else within.strip()) if within else None,
        "every": every.strip() if every else None,
        "ongoing": True if ongoing else None,
        "undated": True if undated else None,
    }
    given = [(name, value) for name, value in forms.items() if value is not None]
    if len(given) != 1:
        raise UsageError(
            "give exactly one due form: --by, --before, --within, --every, --ongoing or --undated"
        )
    if kind not in KINDS:
        raise UsageError(f"--kind: '{kind}' is not a kind; use {', '.join(KINDS)}")
    if (start or until) and every is None:
        raise UsageError("--start and --until belong to a recurring obligation (--every)")
    form, value = given[0]
    assert value is not None
    spec = NewTask(
        notice=notice,
        date=s.date(date, "--date"),
        section=section,
        title=title,
        lead=lead,
        due_form=form,
        due_value=value,
        number=number,
        text=text,
        support=support or [],
        report_to=report_to,
        tags=tag or [],
        obligation_id=obligation_id,
        kind=kind,
        as_written=as_written,
        start=s.date(start, "--start") if start else None,
        until=s.date(until, "--until") if until else None,
    )
    _apply(s, plan_new(s.root, task_id, spec, s.today()), dry_run)


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Where (default: here).")] = Path(
        "."
    ),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what; write nothing.")] = False,
) -> None:
    """Start a data repository: the shipped agencies.yaml, tasks/, .gitignore, pre-commit."""
    from ..editing.init import apply_init, plan_init
    from ..render.output import Output

    g: Globals = ctx.obj
    out = Output(g.fmt.value)  # no Session: there is no data root yet
    steps = plan_init(directory)
    if not dry_run:
        apply_init(directory, steps)
    verbs = {"create": "created", "append": "added .tbtrack/ to", "keep": "kept"}
    if out.fmt == "json":
        out.json(
            [{"path": step.rel, "action": step.action, "written": not dry_run} for step in steps]
        )
    else:
        for step in steps:
            out.write(f"{'would be ' if dry_run else ''}{verbs[step.action]} {step.rel}")
        if any(step.action == "keep" for step in steps):
            out.note(
                "the existing .pre-commit-config.yaml was not changed; add a hook running "
                "`tbtrack check` to it (see tbtrack/data/pre-commit-config.yaml)"
            )
    if not dry_run:
        out.note(f"a tbtrack data root is ready in {directory}; next: `tbtrack new ID ...`")
