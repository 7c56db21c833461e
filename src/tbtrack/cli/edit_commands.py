"""The editing commands: done, extend, cancel, new, init (SPEC 5, 7).

Each is a plain function: it takes the session and its options, calls one function of `edit`,
hands the change to the run's formatter and returns the exit code. The work, the checks and
the write itself live in `edit`; `app` registers the commands.
"""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..cli.options import IdArg
from ..cli.session import Run, Session, configure_output
from ..errors import EXIT_OK, UsageError
from ..files.vocab import OBLIGATION_KINDS
from ..messages import Message

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


def _for_option(help: str) -> Any:
    """`--for DATE`, the occurrence of a recurring obligation, with the command's own help."""
    return typer.Option("--for", metavar="DATE", help=help)


ByOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        metavar="NAME",
        help="The assignee it is about (repeatable: one event each, one write). "
        "Default: all of them.",
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")
]


KindOpt = Annotated[
    str, typer.Option("--kind", metavar="KIND", help="complete, report, submit or milestone.")
]
DueByOpt = Annotated[
    str | None, typer.Option("--by", metavar="DATE", help="Due on this day (inclusive).")
]
BeforeOpt = Annotated[
    str | None, typer.Option("--before", metavar="DATE", help="Due before this day (strictly).")
]
WithinOpt = Annotated[
    str | None,
    typer.Option(
        "--within", metavar="PERIOD", help="Due within a period: 2025-07, 2025-Q3, 2025-H1, 2025."
    ),
]
EveryOpt = Annotated[
    str | None,
    typer.Option("--every", metavar="RULE", help="Recurring: monthly, quarterly, ... or an RRULE."),
]
OngoingOpt = Annotated[bool, typer.Option("--ongoing", help="A standing duty.")]
UndatedOpt = Annotated[bool, typer.Option("--undated", help="No date given yet.")]
StartOpt = Annotated[
    str | None, typer.Option("--start", metavar="DATE", help="Recurring: the first day it applies.")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="Recurring: the last day it applies.")
]
AsWrittenOpt = Annotated[
    str | None,
    typer.Option("--as-written", metavar="TEXT", help="The deadline as the notice words it."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", metavar="NAME", help="Who receives it (default: the task's report_to)."),
]
WhoOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--who", metavar="NAME", help="Who owes it (repeatable; default: the task's lead)."
    ),
]


def _on(s: Session, on: str | None) -> dt.date:
    return s.as_of() if on is None else s.date(on, "--on")


def _day(s: Session, text: str | None, option: str) -> dt.date | None:
    """An optional date option; given but empty (`--for ""`) is an error, not absent."""
    return None if text is None else s.date(text, option)


def _text(text: str | None, option: str, *, required: bool = False) -> str | None:
    """A text option; given but blank is an error, as is leaving out a required one."""
    if text is not None and not text.strip():
        raise UsageError(Message("no-value", {"option": option}))
    if required and text is None:
        raise UsageError(Message("required", {"option": option}))
    return text


def _apply(s: Session, change: "Change", dry_run: bool) -> int:
    """Write the change (unless --dry-run), then show what changed."""
    from ..editing.writer import write

    if not dry_run:
        write(change)
    s.out.formatter.edit(change, written=not dry_run)
    return EXIT_OK


def done(
    s: Session,
    task_id: IdArg,
    obligation: Annotated[
        str | None,
        typer.Argument(
            metavar="OBLIGATION",
            help="The obligation's id; may be left out when the task has one.",
        ),
    ] = None,
    on: OnOpt = None,
    by: ByOpt = None,
    for_: Annotated[
        str | None,
        _for_option(
            "Recurring only: the occurrence (its date). Default: the earliest one still "
            "open for --by (or for any assignee), written out as for: so the file says which "
            "occurrence was meant."
        ),
    ] = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
    all_members: Annotated[
        bool,
        typer.Option(
            "--all-members",
            help="Without --by on a group's obligation: record it for every member.",
        ),
    ] = False,
    dry_run: DryRunOpt = False,
) -> int:
    """Record that an obligation was fulfilled: a `fulfils` event (one per --by)."""
    from ..editing.plan import EventRequest, plan_event

    if all_members and by:
        raise UsageError("--all-members and --by exclude each other")
    request = EventRequest(
        "fulfils",
        obligation,
        _on(s, on),
        by=_names(by, "--by"),
        for_=_day(s, for_, "--for"),
        evidence=_text(evidence, "--evidence"),
        note=_text(note, "--note"),
        all_members=all_members,
    )
    return _apply(s, plan_event(s.root, task_id, request, s.today(), s.g.cache), dry_run)


def extend(
    s: Session,
    task_id: IdArg,
    obligation: Annotated[str, typer.Argument(metavar="OBLIGATION", help="The obligation's id.")],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The new last day, inclusive.")],
    evidence: Annotated[
        str,
        typer.Option("--evidence", metavar="TEXT", help="The document that grants the extension."),
    ],
    on: OnOpt = None,
    by: ByOpt = None,
    for_: Annotated[
        str | None,
        _for_option(
            "Recurring only: the occurrence to extend. Default: the earliest one still "
            "open (for --by), written out as for:."
        ),
    ] = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
) -> int:
    """Move a deadline: an `extends` event (one per --by; the original date stays visible)."""
    from ..editing.plan import EventRequest, plan_event

    request = EventRequest(
        "extends",
        obligation,
        _on(s, on),
        by=_names(by, "--by"),
        for_=_day(s, for_, "--for"),
        to=s.date(to, "--to"),
        evidence=_text(evidence, "--evidence"),
        note=_text(note, "--note"),
    )
    return _apply(s, plan_event(s.root, task_id, request, s.today(), s.g.cache), dry_run)


def cancel(
    s: Session,
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
    by: ByOpt = None,
    for_: Annotated[
        str | None,
        _for_option(
            "Recurring only: withdraw this one occurrence. Without it a recurring "
            "obligation ends from --on."
        ),
    ] = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
) -> int:
    """Withdraw an obligation (a `cancels` event), or a whole task (state: cancelled)."""
    from ..editing.plan import EventRequest, plan_cancel_task, plan_event

    if not evidence or not evidence.strip():
        raise UsageError("cancel needs --evidence (or --reason): what withdrew it")
    if obligation is None:
        if for_ or note or by:
            raise UsageError("--by, --for and --note belong to cancelling one obligation")
        return _apply(
            s,
            plan_cancel_task(s.root, task_id, evidence, s.today(), _on(s, on), s.g.cache),
            dry_run,
        )
    request = EventRequest(
        "cancels",
        obligation,
        _on(s, on),
        by=_names(by, "--by"),
        for_=_day(s, for_, "--for"),
        evidence=evidence,
        note=_text(note, "--note"),
    )
    return _apply(s, plan_event(s.root, task_id, request, s.today(), s.g.cache), dry_run)


def new(
    s: Session,
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
    kind: KindOpt = "complete",
    by: DueByOpt = None,
    before: BeforeOpt = None,
    within: WithinOpt = None,
    every: EveryOpt = None,
    ongoing: OngoingOpt = False,
    undated: UndatedOpt = False,
    start: StartOpt = None,
    until: UntilOpt = None,
    as_written: AsWrittenOpt = None,
    to: ToOpt = None,
    who: WhoOpt = None,
    notes: Annotated[
        str | None, typer.Option("--notes", metavar="TEXT", help="Free notes on the task.")
    ] = None,
    dry_run: DryRunOpt = False,
) -> int:
    """Write a new task file with one obligation; refused when the ID exists."""
    from ..editing.plan import plan_new
    from ..editing.render import NewTask

    form, value = _due_form(s, by, before, within, every, ongoing, undated, kind, start, until)
    from ..files.editor_schema import schema_ref

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
        start=_day(s, start, "--start"),
        until=_day(s, until, "--until"),
        to=_text(to, "--to"),
        who=_names(who, "--who"),
        notes=_text(notes, "--notes"),
        # tasks/<folder>/<name>.yaml: the schema is as many folders up as the ID has, plus one
        schema=schema_ref("task", task_id.count("/") + 1),
    )
    return _apply(s, plan_new(s.root, task_id, spec, s.today(), s.g.cache), dry_run)


def add_obligation(
    s: Session,
    task_id: IdArg,
    obligation: Annotated[
        str, typer.Argument(metavar="OBLIGATION", help="The new obligation's id: report-2.")
    ],
    kind: KindOpt = "complete",
    by: DueByOpt = None,
    before: BeforeOpt = None,
    within: WithinOpt = None,
    every: EveryOpt = None,
    ongoing: OngoingOpt = False,
    undated: UndatedOpt = False,
    start: StartOpt = None,
    until: UntilOpt = None,
    as_written: AsWrittenOpt = None,
    to: ToOpt = None,
    who: WhoOpt = None,
    dry_run: DryRunOpt = False,
) -> int:
    """Add an obligation to a task: a second deadline, or a later instruction."""
    from ..editing.plan import plan_add_obligation
    from ..editing.render import NewObligation

    form, value = _due_form(s, by, before, within, every, ongoing, undated, kind, start, until)
    wanted = NewObligation(
        _text(obligation, "OBLIGATION") or "",
        kind,
        form,
        value,
        as_written=_text(as_written, "--as-written"),
        start=_day(s, start, "--start"),
        until=_day(s, until, "--until"),
        to=_text(to, "--to"),
        who=_names(who, "--who"),
    )
    return _apply(s, plan_add_obligation(s.root, task_id, wanted, s.today(), s.g.cache), dry_run)


def _due_form(
    s: Session,
    by: str | None,
    before: str | None,
    within: str | None,
    every: str | None,
    ongoing: bool,
    undated: bool,
    kind: str,
    start: str | None,
    until: str | None,
) -> "tuple[DueForm, dt.date | str | int | bool]":
    """The one due form given on the command line, as the file holds it (SPEC 4.1)."""
    forms: dict[DueForm, dt.date | str | int | bool | None] = {
        "by": _day(s, by, "--by"),
        "before": _day(s, before, "--before"),
        "within": _within(_text(within, "--within")),
        "every": None if (rule := _text(every, "--every")) is None else rule.strip(),
        "ongoing": True if ongoing else None,
        "undated": True if undated else None,
    }
    given = [(name, value) for name, value in forms.items() if value is not None]
    if len(given) != 1:
        raise UsageError(
            "give exactly one due form: --by, --before, --within, --every, --ongoing or --undated"
        )
    if kind not in OBLIGATION_KINDS:
        allowed = ", ".join(OBLIGATION_KINDS)
        raise UsageError(
            Message("not-a-kind", {"option": "--kind", "value": kind, "allowed": allowed})
        )
    if (start is not None or until is not None) and every is None:
        raise UsageError("--start and --until belong to a recurring obligation (--every)")
    form, value = given[0]
    assert value is not None
    return form, value


def init(
    run: Run,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Where (default: here).")] = Path(
        "."
    ),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what; write nothing.")] = False,
) -> int:
    """Start a data repository: the shipped agencies.yaml, tasks/, .gitignore, pre-commit,
    and `git init` unless it is in a git repository already."""
    from ..editing.init import apply_init, plan_init, start_git

    out = configure_output(run)  # no Session: there is no data root yet
    steps = plan_init(directory)
    if not dry_run:
        apply_init(directory, steps)
    out.formatter.init(steps, written=not dry_run)
    out.note(start_git(directory, dry_run=dry_run))
    if not dry_run:
        out.note(f"a tbtrack data root is ready in {directory}; next: `tbtrack new ID ...`")
    return EXIT_OK


def _names(values: list[str] | None, option: str) -> tuple[str, ...]:
    """A repeatable name option; any blank value is an error."""
    return tuple(_text(v, option) or "" for v in values or ())


def _within(text: str | None) -> int | str | None:
    """`--within` as the file would hold it: a year is a number (`within: 2025`)."""
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else text
