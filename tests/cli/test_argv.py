"""The command line before it is parsed: global options anywhere, only valid UTF-8."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from helpers import Repo, Result, task_text
from tbtrack.cli.argv import command_of, hoist_global_options, refuse_undecodable
from tbtrack.errors import UsageError

Run = Callable[..., Result]


def test_global_options_move_to_the_front() -> None:
    assert hoist_global_options(["due", "--as-of", "2025-06-10", "--all", "--format=json"]) == [
        "--as-of",
        "2025-06-10",
        "--format=json",
        "due",
        "--all",
    ]
    # after `new`, --within is the due form; after `--`, nothing moves
    assert hoist_global_options(["new", "x", "--within", "2025-Q3", "--no-color"]) == [
        "--no-color",
        "new",
        "x",
        "--within",
        "2025-Q3",
    ]
    assert hoist_global_options(["check", "--", "--root"]) == ["check", "--", "--root"]


def test_undecodable_arguments_are_refused() -> None:
    refuse_undecodable(["done", "2c", "--evidence", "Báo cáo số 1"])
    with pytest.raises(UsageError) as caught:
        refuse_undecodable(["done", "2c", "--evidence", "bad\udcff"])
    assert str(caught.value) == (
        "argument 4 (bad\\udcff) is not valid UTF-8; type it again in a UTF-8 terminal"
    )


def test_evidence_that_is_not_utf8_is_never_written(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", task_text())
    before = path.read_bytes()
    bad = b"bad\xff".decode("utf-8", "surrogateescape")
    result = run("--root", str(repo.root), "done", "x", "--evidence", bad)
    assert result.code == 2
    assert result.err == (
        "tbtrack: error: argument 6 (bad\\udcff) is not valid UTF-8; "
        "type it again in a UTF-8 terminal\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["due", "--before", "2025-07-01"], "due"),
        (["--root", "data", "--as-of=2025-06-30", "--no-color", "summary"], "summary"),
        (["--format", "json", "add-obligation", "x"], "add-obligation"),
        ([], None),
        (["--help"], None),
        (["-h", "due"], None),  # the parser shows the main help
        (["--root"], None),
        (["--", "due"], None),
    ],
)
def test_command_of_names_the_first_word_after_the_global_options(
    argv: list[str], command: str | None
) -> None:
    assert command_of(argv) == command
