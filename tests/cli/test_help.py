"""Every command's --help ends with examples, kept as typed, and the global options."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

import pytest
import typer.main

from helpers import Result
from tbtrack.cli.app import build_app
from tbtrack.cli.argv import hoist_global_options

Run = Callable[..., Result]

COMMAND = typer.main.get_command(build_app())
COMMANDS = sorted(COMMAND.commands)  # type: ignore[attr-defined]
GLOBALS = (
    "--root DIR",
    "--as-of DATE",
    "--format <table|json|csv|markdown|html|xlsx>",
    "--lang <vi|en>",
    "--no-color",
    "--workdays",
    "--rev REV",
    "--within N",
    "--no-cache",
    "--bom",
)


def section(text: str, heading: str) -> list[str]:
    """The lines of a help section, up to the next heading or the end."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i] and lines[i][0] != " "), None)
    return [line for line in lines[start:end] if line]


def examples(text: str) -> list[str]:
    """The examples of a help, each joined over its continuation lines."""
    joined = "\n".join(line.removeprefix("  ") for line in section(text, "Examples:"))
    return joined.replace(" \\\n    ", " ").split("\n")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_shows_examples_and_the_global_options(run: Run, name: str) -> None:
    result = run(name, "--help")
    assert result.code == 0, result.err
    found = examples(result.out)
    assert 1 <= len(found) <= 2, found
    for example in found:
        assert example.startswith(f"tbtrack {name}"), example
        # each runs as it stands: the parser accepts every option and argument it names
        words = shlex.split(example)[1:]
        words = words[: words.index(">")] if ">" in words else words
        args = hoist_global_options(words)
        with COMMAND.make_context("tbtrack", list(args)) as ctx:
            _, sub, rest = COMMAND.resolve_command(ctx, ctx._protected_args + ctx.args)  # type: ignore[attr-defined]
            assert sub is not None
            sub.make_context(name, rest, parent=ctx)
    listed = section(result.out, "Global options (before or after the command):")
    starts = [line.split("  ")[1].strip() for line in listed if re.match(r"  -", line)]
    assert starts == list(GLOBALS)
    # a long example goes on over lines, never re-wrapped into a paragraph
    assert all(len(line) <= 100 for line in section(result.out, "Examples:"))


def test_the_main_help_has_examples(run: Run) -> None:
    result = run("--help")
    assert examples(result.out) == [
        'tbtrack due --agency "Bộ Tài chính"',
        'tbtrack done tgv-2025-06-06/2c --evidence "Báo cáo số 123/BC-BTC"',
    ]


def test_a_long_example_keeps_its_lines(run: Run) -> None:
    assert section(run("new", "--help").out, "Examples:") == [
        '  tbtrack new tgv-2025-06-06/7a --notice "Kết luận của Tổ Giúp việc" \\',
        '      --date 6/6/2025 --section 7.a --title "Rà soát thủ tục hành chính" \\',
        '      --lead "Bộ Tư pháp" --by 30/9/2025',
    ]
