"""The command line: each command parses its options, calls one function of the core and
renders the result through `Output`. Nothing here computes a status or touches a file."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import __version__
from ..errors import EXIT_DATA, EXIT_OK, EXIT_OVERDUE, TbtrackError, UsageError

if TYPE_CHECKING:
    from ..engine.status import Settings
    from ..loading.dataset import Dataset
    from ..queries.listings import Filters

app = typer.Typer(
    name="tbtrack",
    help="Track the tasks that official notices assign to agencies, as YAML files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class By(StrEnum):
    agency = "agency"
    notice = "notice"


@dataclass
class Globals:
    root: str | None
    as_of: str | None
    fmt: Format
    lang: Lang | None
    color: bool
    workdays: bool
    rev: str | None
    within: int | None
    cache: bool = True  # --no-cache, or $TBTRACK_NO_CACHE=1: read every task file afresh


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tbtrack {__version__}")
        raise typer.Exit()


@app.callback()
def _globals(
    ctx: typer.Context,
    root: Annotated[
        str | None,
        typer.Option(
            "--root",
            metavar="DIR",
            help="The data root (default: $TBTRACK_ROOT, else the nearest folder with agencies.yaml).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Compute as of this day (default: $TBTRACK_TODAY, else today).",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help="Language of labels (default: vi when $LANG starts with vi)."),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours.")] = False,
    workdays: Annotated[
        bool,
        typer.Option(
            "--workdays", help="Count Vietnamese working days; move a last day off a day off."
        ),
    ] = False,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev", metavar="REV", help="Read the tasks as they were at this git revision."
        ),
    ] = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within", metavar="N", min=0, help="The due-soon window W in days (default 7)."
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read every task file afresh; neither use nor write .tbtrack/ "
            "(also $TBTRACK_NO_CACHE=1).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    cache = not no_cache and os.environ.get("TBTRACK_NO_CACHE", "") in ("", "0")
    ctx.obj = Globals(root, as_of, fmt, lang, not no_color, workdays, rev, within, cache)


# --- shared options -----------------------------------------------------------------------

AgencyOpt = Annotated[
    str | None,
    typer.Option("--agency", metavar="NAME", help="Only what this agency or group owes."),
]
NoticeOpt = Annotated[
    str | None,
    typer.Option(
        "--notice",
        metavar="TEXT",
        help="Only tasks whose notice (title, number, date or folder) contains TEXT.",
    ),
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option("--kind", metavar="KIND", help="Only obligations of this kind (repeatable)."),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help="Only tasks with this tag (repeatable)."),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option("--status", metavar="STATUS", help="Only rows with this status (repeatable)."),
]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="A task ID or a unique suffix of one.")]
FailOpt = Annotated[
    bool, typer.Option("--fail-on-overdue", help="Exit 3 when anything shown is overdue.")
]


def _session(ctx: typer.Context) -> Session:
    return Session(ctx.obj)


class Session:
    """What every command needs: the data root, settings and output, built lazily."""

    def __init__(self, g: Globals) -> None:
        from ..files.config import load_config
        from ..files.store import find_root
        from ..render.output import Output

        self.g = g
        self.root = find_root(g.root, os.environ, Path.cwd())
        self.config = load_config(self.root)
        lang = g.lang.value if g.lang else self.config.lang or _lang_from_env()
        self.workdays = g.workdays or self.config.workdays
        self.out = Output(g.fmt.value, lang, g.color and _color_from_env(), self.workdays)

    def today(self) -> dt.date:
        from ..cli.dates import today_from_env

        try:
            return today_from_env(os.environ) or dt.date.today()
        except ValueError as exc:
            raise UsageError(f"TBTRACK_TODAY: {exc}") from None

    def date(self, text: str, option: str) -> dt.date:
        from ..cli.dates import parse_cli_date

        try:
            return parse_cli_date(text, self.today())
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None

    def as_of(self) -> dt.date:
        return self.date(self.g.as_of, "--as-of") if self.g.as_of else self.today()

    def settings(self) -> Settings:
        from ..engine.status import Settings

        calendar = None
        if self.workdays:
            from ..engine.workdays import WorkCalendar

            calendar = WorkCalendar(self.config.holidays, self.config.workdays_extra)
        window = self.g.within if self.g.within is not None else self.config.within
        return Settings(
            as_of=self.as_of(), window=7 if window is None else window, calendar=calendar
        )

    def dataset(self) -> Dataset:
        from ..loading.dataset import WorkingTree, load_dataset

        if self.g.rev:
            from ..review.gitio import Revision

            data = load_dataset(self.root, Revision(self.root, self.g.rev))
        else:
            data = load_dataset(self.root, WorkingTree(self.root, use_cache=self.g.cache))
        _KEPT.append(data)
        return data


# Every dataset a run reads lives until the run ends: the program leaves with os._exit
# (`__main__`), and freeing 10,000 decoded tasks one object at a time when a command returns
# would cost a twentieth of a listing. `run` lets go of the previous run's.
_KEPT: list[object] = []


def _lang_from_env() -> str:
    return "vi" if os.environ.get("LANG", "").lower().startswith("vi") else "en"


def _color_from_env() -> bool:
    return not os.environ.get("NO_COLOR")


def _filters(
    agency: str | None,
    notice: str | None,
    kind: list[str] | None,
    tag: list[str] | None,
    status: list[str] | None,
) -> Filters:
    from ..files.vocab import OBLIGATION_KINDS, STATUSES
    from ..queries.listings import Filters

    for value in status or ():
        if value not in STATUSES:
            raise UsageError(
                f"--status: '{value}' is not a status; use one of {', '.join(STATUSES)}"
            )
    for value in kind or ():
        if value not in OBLIGATION_KINDS:
            raise UsageError(
                f"--kind: '{value}' is not a kind; use one of {', '.join(OBLIGATION_KINDS)}"
            )
    return Filters(agency, notice, tuple(kind or ()), tuple(tag or ()), tuple(status or ()))


def _finish(
    session: Session, dataset: Dataset, overdue: bool = False, fail_on_overdue: bool = False
) -> int:
    """The exit code of a listing: 1 when files were left out, 3 on --fail-on-overdue."""
    session.out.unreadable(dataset.diagnostics)
    if dataset.has_errors:
        return EXIT_DATA
    if fail_on_overdue and overdue:
        return EXIT_OVERDUE
    return EXIT_OK


def _exit(code: int) -> None:
    if code:
        raise typer.Exit(code)


# --- listings -------------------------------------------------------------------------------


@app.command()
def due(
    ctx: typer.Context,
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
    agency: AgencyOpt = None,
    notice: NoticeOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    fail_on_overdue: FailOpt = False,
) -> None:
    """Open obligations by last day: overdue and due soon, or all before a day."""
    from ..queries import listings as report

    s = _session(ctx)
    data = s.dataset()
    rows = report.due(
        data,
        s.settings(),
        _filters(agency, notice, kind, tag, status),
        before=s.date(before, "--before") if before else None,
        after=s.date(after, "--after") if after else None,
        include_done=all_,
    )
    s.out.rows(rows)
    _exit(_finish(s, data, any(r.status == "overdue" for r in rows), fail_on_overdue))


@app.command()
def overdue(
    ctx: typer.Context,
    agency: AgencyOpt = None,
    notice: NoticeOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    fail_on_overdue: FailOpt = False,
) -> None:
    """Only what is overdue."""
    from ..queries import listings as report

    s = _session(ctx)
    data = s.dataset()
    rows = report.overdue(data, s.settings(), _filters(agency, notice, kind, tag, status))
    s.out.rows(rows)
    _exit(_finish(s, data, bool(rows), fail_on_overdue))


@app.command("agency")
def agency_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An agency or group: name, code or alias.")],
    notice: NoticeOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    fail_on_overdue: FailOpt = False,
) -> None:
    """One agency: its four-way count, then every row it leads or supports."""
    from ..queries import listings as report

    s = _session(ctx)
    data = s.dataset()
    view = report.agency(data, s.settings(), name, _filters(None, notice, kind, tag, status))
    s.out.agency(view)
    _exit(_finish(s, data, view.counts["overdue"] > 0, fail_on_overdue))


@app.command()
def summary(
    ctx: typer.Context,
    by: Annotated[By, typer.Option("--by", help="One row per agency or per notice.")] = By.agency,
    agency: AgencyOpt = None,
    notice: NoticeOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    fail_on_overdue: FailOpt = False,
) -> None:
    """The four-way count per agency or notice, with ongoing, undated and the on-time rate."""
    from ..queries import listings as report

    s = _session(ctx)
    data = s.dataset()
    rows = report.summary(data, s.settings(), by.value, _filters(agency, notice, kind, tag, status))
    s.out.summary(rows, by.value)
    _exit(_finish(s, data, any(r.counts["overdue"] for r in rows), fail_on_overdue))


@app.command()
def show(
    ctx: typer.Context,
    task_id: IdArg,
) -> None:
    """One task: fields, each obligation with its last day and status per assignee, the timeline."""
    from ..queries import listings as report

    s = _session(ctx)
    data = s.dataset()
    s.out.task(report.show(data, s.settings(), task_id))
    _exit(_finish(s, data))


@app.command()
def recurring(
    ctx: typer.Context,
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day (default: 90 days before --as-of)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Last day (default: --as-of plus the window)."),
    ] = None,
    agency: AgencyOpt = None,
    notice: NoticeOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
) -> None:
    """Each recurring obligation's occurrences in a range, as a grid of statuses."""
    from ..queries import listings as report

    s = _session(ctx)
    data = s.dataset()
    settings = s.settings()
    as_of = settings.as_of
    start = s.date(from_, "--from") if from_ else as_of - dt.timedelta(days=90)
    end = s.date(to, "--to") if to else settings.through
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")
    grid = report.recurring(data, settings, start, end, _filters(agency, notice, kind, tag, status))
    s.out.grid(grid)
    _exit(_finish(s, data))


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PATH]...", help="Only report on these files or folders."),
    ] = None,
) -> None:
    """Validate agencies.yaml and every task file; report every problem, located."""
    from ..queries.checkrun import run_check

    s = _session(ctx)
    data = s.dataset()
    diagnostics = run_check(data, s.as_of(), paths or [], Path.cwd())
    s.out.diagnostics(diagnostics)
    _exit(EXIT_DATA if any(d.severity == "error" for d in diagnostics) else EXIT_OK)


# the editing and git commands live in their own modules and add themselves to `app`
from . import edit_commands, review_commands  # noqa: E402, F401


def run(args: list[str]) -> int:
    """Run the app and turn what it raises into an exit code (pre-commit's model)."""
    _KEPT.clear()
    try:
        app(args=args, prog_name="tbtrack", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except TbtrackError as exc:
        sys.stderr.write(f"tbtrack: error: {exc}\n")
        return exc.exit_code
    return EXIT_OK
