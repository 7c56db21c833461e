"""The command line: the Typer app, built and given every command here, in one place.

Commands are plain functions that return an exit code (`listing_commands`, `edit_commands`,
`review_commands`); `register` gives each the options it shares with others and what it asks
for by type: the `Session`, the `Run`, the parsed `Filters`. `run` is the one way in: what a
run raises becomes an exit code in `failure.exit_code`.

Not `from __future__ import annotations`: Typer evaluates every annotation of the options it
reads, and an annotation kept as text would be compiled again on every run.
"""

import functools
import importlib
import inspect
import os
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main

from .. import __version__
from ..cli import shell_commands
from ..cli.argv import command_of, hoist_global_options, refuse_undecodable
from ..cli.failure import exit_code
from ..cli.help import CommandHelp, MainHelp
from ..cli.options import FILTER_OPTIONS, parse_filters
from ..cli.session import KEPT, Globals, Run, Session
from ..errors import EXIT_OK
from ..files.config import MAX_WITHIN_DAYS
from ..render.output import Output

if TYPE_CHECKING:
    from typer._click import Command


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"  # `report` only
    xlsx = "xlsx"  # `report` only


class Lang(StrEnum):
    vi = "vi"
    en = "en"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tbtrack {__version__}")
        raise typer.Exit()


def _completion_script(install: bool) -> Callable[[typer.Context, str | None], None]:
    def show(ctx: typer.Context, shell: str | None) -> None:
        if shell is None or ctx.resilient_parsing:
            return
        run = ctx.obj if isinstance(ctx.obj, Run) else Run()
        shell_commands.emit_completion(run, shell, install)
        raise typer.Exit()

    return show


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
            "--within",
            metavar="N",
            min=0,
            max=MAX_WITHIN_DAYS,
            help="The due-soon window W in days (default 7).",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read every task file afresh; neither use nor write the cache in your cache "
            "folder (also $TBTRACK_NO_CACHE=1).",
        ),
    ] = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom", help="With --format csv: start with a UTF-8 byte-order mark (spreadsheets)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    show_completion: Annotated[
        shell_commands.Shell | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_completion_script(install=False),
            is_eager=True,
            expose_value=False,
            help="Print the completion script of bash, zsh or fish (as `tbtrack completion`).",
        ),
    ] = None,
    install_completion: Annotated[
        shell_commands.Shell | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            callback=_completion_script(install=True),
            is_eager=True,
            expose_value=False,
            help="Install the completion script of bash, zsh or fish.",
        ),
    ] = None,
) -> None:

    if not isinstance(ctx.obj, Run):  # driven by Typer's test runner rather than `run`
        ctx.obj = Run()
    cache = not no_cache and os.environ.get("TBTRACK_NO_CACHE", "") in ("", "0")
    lang_code = lang.value if lang else None
    ctx.obj.globals = Globals(
        root, as_of, fmt.value, lang_code, not no_color, workdays, rev, within, cache, bom
    )


def register(
    app: typer.Typer,
    command: Callable[..., int],
    name: str | None = None,
    *,
    without: Sequence[str] = (),
) -> None:
    """Add `command` to `app`.

    Typer reads the command's own options from its signature; a parameter of type `Session`
    or `Run` is given the run's, one named `filters` the shared filter options (less those
    `without`), parsed once into a `Filters`. What the command returns is the exit code.
    """
    signature = inspect.signature(command)
    session = [p.name for p in signature.parameters.values() if p.annotation is Session]
    state = [p.name for p in signature.parameters.values() if p.annotation is Run]
    wants_filters = "filters" in signature.parameters
    shared = (
        [FILTER_OPTIONS[k] for k in FILTER_OPTIONS if k not in without] if wants_filters else []
    )
    own = [p for p in signature.parameters.values() if p.name not in (*session, *state, "filters")]

    def invoke(ctx: typer.Context, **values: Any) -> None:
        run: Run = ctx.obj
        kwargs = {p.name: values[p.name] for p in own}
        for key in state:
            kwargs[key] = run
        sessions = [Session(run) for _ in session]
        kwargs.update(zip(session, sessions, strict=True))
        if wants_filters:
            kwargs["filters"] = parse_filters({p.name: values[p.name] for p in shared})
        try:
            code = command(**kwargs)
        finally:
            for opened in sessions:
                opened.close()
        if code != EXIT_OK:
            raise typer.Exit(code)

    context = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    parameters = [context, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own), *shared]
    invoke.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    invoke.__annotations__ = {}
    invoke.__doc__ = command.__doc__
    invoke.__name__ = command.__name__
    app.command(name or command.__name__, cls=CommandHelp)(invoke)


# Every command, in the order `--help` lists them: its name, the module of `tbtrack.cli` and
# the function that runs it, and the shared filter options it goes without.
COMMANDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("due", "listing_commands", "due", ()),
    ("overdue", "listing_commands", "overdue", ()),
    ("agency", "listing_commands", "agency", ("agency",)),
    ("summary", "listing_commands", "summary", ()),
    ("show", "listing_commands", "show", ()),
    ("recurring", "listing_commands", "recurring", ()),
    ("check", "listing_commands", "check", ()),
    ("done", "edit_commands", "done", ()),
    ("extend", "edit_commands", "extend", ()),
    ("cancel", "edit_commands", "cancel", ()),
    ("new", "edit_commands", "new", ()),
    ("init", "edit_commands", "init", ()),
    ("add-obligation", "edit_commands", "add_obligation", ()),
    ("import", "import_commands", "import_notice", ()),
    ("diff", "review_commands", "diff", ()),
    ("log", "review_commands", "log", ()),
    ("report", "report_commands", "report", ()),
    ("ical", "report_commands", "ical", ()),
    ("schema", "report_commands", "schema", ()),
    ("completion", "shell_commands", "completion", ()),
)
NAMES = frozenset(name for name, *_ in COMMANDS)


def build_app(only: str | None = None) -> typer.Typer:
    """The app with every command, or with only the command named `only`.

    A run that names its command needs no other: Typer builds the options of every command it
    was given before it parses anything, and each command's module is imported to give it, so
    a listing would otherwise pay for all twenty (about a tenth of its fixed cost).
    """
    app = typer.Typer(
        name="tbtrack",
        help="Track the tasks that official notices assign to agencies, as YAML files in git.",
        no_args_is_help=True,
        cls=MainHelp,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_globals)
    for name, module, function, without in COMMANDS:
        if only is None or name == only:
            commands = importlib.import_module(f"{__package__}.{module}")
            register(app, getattr(commands, function), name, without=without)
    return app


@functools.cache
def click_command(only: str | None = None) -> "Command":
    """`build_app(only)` as the Click command Typer makes of it, made once per process: a
    program runs one command, but a caller in Python (the tests) runs thousands, and Typer
    would read every command's signature again for each."""
    return typer.main.get_command(build_app(only))


_COMPLETE_VAR = "_TBTRACK_COMPLETE"  # as Click names it after the program


def run(args: list[str], out: Output | None = None) -> int:
    """Run the app on `args`; whatever it raises becomes an exit code (pre-commit's model)."""
    KEPT.clear()
    state = Run(out or Output())
    try:
        if _COMPLETE_VAR in os.environ:  # a shell asks for completions (`tbtrack completion`)
            from ..cli.completion import enable

            enable()
        refuse_undecodable(args)
        args = hoist_global_options(args)
        # a command named and known: the app of that command alone; otherwise (`--help`, no
        # command, a mistyped one, a shell asking for completions) every command, for the
        # help, the suggestions and the completions of command names
        named = None if _COMPLETE_VAR in os.environ else command_of(args)
        command = click_command(named if named in NAMES else None)
        command.main(args=args, prog_name="tbtrack", standalone_mode=True, obj=state)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException as exc:  # the one handler: every failure is reported, as one line
        return exit_code(exc, state.out, state.lang())
    return EXIT_OK
