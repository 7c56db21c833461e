"""The app: every command registered in one place, shared options given to those that list.

No postponed annotations here: Typer reads the probe command's options from its signature.
"""

import subprocess
import sys
from collections.abc import Callable

import pytest

from helpers import Repo, Result, task_text
from tbtrack.cli.app import build_app, register
from tbtrack.cli.options import FILTER_OPTIONS

Run = Callable[..., Result]


def options_of(name: str) -> set[str]:
    import typer.main

    command = typer.main.get_command(build_app())
    sub = command.commands[name]  # type: ignore[attr-defined]
    return {opt for param in sub.params for opt in param.opts if opt.startswith("--")}


FILTERS = {"--agency", "--notice", "--kind", "--tag", "--status"}


def test_every_command_is_registered() -> None:
    import typer.main

    command = typer.main.get_command(build_app())
    assert sorted(command.commands) == sorted(  # type: ignore[attr-defined]
        [
            "due",
            "overdue",
            "agency",
            "summary",
            "show",
            "recurring",
            "check",
            "done",
            "extend",
            "cancel",
            "new",
            "init",
            "add-obligation",
            "import",
            "diff",
            "log",
            "report",
            "ical",
            "schema",
            "completion",
        ]
    )


def test_listing_commands_get_the_shared_options() -> None:
    assert set(FILTER_OPTIONS) == {o.removeprefix("--") for o in FILTERS}
    for name in ("due", "overdue", "summary", "recurring"):
        assert options_of(name) >= FILTERS, name
    assert options_of("agency") & FILTERS == FILTERS - {"--agency"}
    assert "--fail-on-overdue" in options_of("due")
    assert "--fail-on-overdue" not in options_of("recurring")
    assert options_of("show") & FILTERS == {"--agency"}  # its own: one member of a group
    assert options_of("due") == FILTERS | {"--before", "--after", "--all", "--fail-on-overdue"}


def test_a_command_is_a_plain_function_returning_its_exit_code(run: Run, repo: Repo) -> None:
    import typer

    calls = []

    def probe(filters: object, loud: bool = False) -> int:
        calls.append((filters, loud))
        return 3

    local = typer.Typer()
    local.callback()(lambda: None)
    register(local, probe)
    from typer.testing import CliRunner

    from tbtrack.cli.session import Run

    result = CliRunner().invoke(local, ["probe", "--kind", "report", "--loud"], obj=Run())
    assert result.exit_code == 3
    ((filters, loud),) = calls
    assert loud is True
    assert (filters.kinds, filters.statuses, filters.agency) == (("report",), (), None)  # type: ignore[attr-defined]


def test_command_modules_do_not_import_the_app() -> None:
    code = (
        "import sys, tbtrack.cli.listing_commands, tbtrack.cli.edit_commands, "
        "tbtrack.cli.review_commands; print('tbtrack.cli.app' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_version_does_not_load_the_command_line() -> None:
    code = (
        "import sys; from tbtrack.__main__ import main; main(['--version']); "
        "print(sorted(m for m in sys.modules if m.startswith(('typer', 'click', 'rich', 'tbtrack.cli'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--kind",
            "reprot",
            "--kind: 'reprot' is not a kind; use one of complete, report, submit, milestone",
        ),
        (
            "--status",
            "late",
            "--status: 'late' is not a status; use one of done, done-late, overdue, due-soon, upcoming, ongoing, undated, cancelled",
        ),
    ],
)
def test_closed_filter_values_are_checked_once(
    run: Run, repo: Repo, option: str, value: str, message: str
) -> None:
    for command in ("due", "overdue", "summary", "recurring"):
        result = run("--root", str(repo.root), command, option, value)
        assert (result.code, result.err) == (2, f"tbtrack: error: {message}\n"), command


def test_a_quoted_value_with_a_line_break_stays_on_one_line(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text(lead='["Bộ\\u2028Giả\\nerror: forged"]'))
    result = run("--root", str(repo.root), "check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert "\\u2028" in lines[0] and "\\n" in lines[0]
    assert lines[0].startswith("tasks/tb/x.yaml:")
    listing = run("--root", str(repo.root), "due")
    assert listing.code == 1
    assert not any(line.startswith("error: forged") for line in listing.err.splitlines())


def test_a_named_command_is_built_alone_with_the_same_options() -> None:
    import typer.main

    alone = typer.main.get_command(build_app("due"))
    assert sorted(alone.commands) == ["due"]  # type: ignore[attr-defined]
    every = typer.main.get_command(build_app())
    params = alone.commands["due"].params  # type: ignore[attr-defined]
    same = every.commands["due"].params  # type: ignore[attr-defined]
    assert {o for p in params for o in p.opts} == {o for p in same for o in p.opts}


def test_a_listing_imports_no_other_command_module(tmp_path: object) -> None:
    code = (
        "import sys; from tbtrack.cli.app import run; run(['--root', '/nonexistent', 'due']); "
        "print(sorted(m for m in sys.modules if m.endswith('_commands')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # shell_commands gives the global options' shells; nothing of editing, review or reports
    assert done.stdout.splitlines()[-1] == (
        "['tbtrack.cli.listing_commands', 'tbtrack.cli.shell_commands']"
    )


def test_help_and_a_mistyped_command_see_every_command(run: Run) -> None:
    listed = run("--help")
    assert listed.code == 0
    for name in ("due", "add-obligation", "import", "completion", "schema"):
        assert f"  {name} " in listed.out or f"  {name}\n" in listed.out
    mistyped = run("dues")
    assert mistyped.code == 2
    assert "No such command 'dues'" in mistyped.err
    assert "due" in mistyped.err.split("No such command", 1)[1]


def test_a_process_that_runs_many_commands_builds_each_once(run: Run, repo: Repo) -> None:
    from tbtrack.cli.app import click_command

    repo.task("tb/a", task_text())
    click_command.cache_clear()
    args = ("--root", str(repo.root), "--format", "json", "due", "--before", "2025-07-15")
    first, second = run(*args), run(*args)
    assert first == second and first.code == 0 and '"task": "tb/a"' in first.out
    wrong = run("--root", str(repo.root), "due", "--bogus")
    assert wrong.code == 2 and "No such option: --bogus" in wrong.err
    assert run(*args) == first  # a refused run leaves the command as it was
    assert click_command.cache_info().misses == 1  # `due`, made once for all four
    assert run("--root", str(repo.root), "--format", "json", "overdue").code == 0
    assert click_command.cache_info().misses == 2
