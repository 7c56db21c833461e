"""`tbtrack completion SHELL`: the shell completion script, printed or installed.

A plain function like the other commands; the scripts and the completion itself live in
`cli.completion`, imported only here and when a shell asks for completions.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..cli.session import Run
from ..errors import EXIT_OK, WriteRefused


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion(
    run: Run,
    shell: Annotated[Shell, typer.Argument(metavar="SHELL", help="bash, zsh or fish.")],
    install: Annotated[
        bool,
        typer.Option(
            "--install",
            help="Write the script where the shell finds it (bash, zsh: and a line in "
            "~/.bashrc or ~/.zshrc that loads it) instead of printing it.",
        ),
    ] = False,
) -> int:
    """Print the script that makes a shell complete commands, options, task IDs and agency
    names; or install it."""
    emit_completion(run, shell.value, install)
    return EXIT_OK


def emit_completion(run: Run, shell: str, install: bool) -> None:
    """The script on stdout, or installed with what was done on stderr (also for the
    `--show-completion` and `--install-completion` options)."""
    import os

    from ..cli import completion as scripts

    if not install:
        run.out.write(scripts.script(shell))
        return
    try:
        done = scripts.install(shell, os.environ, Path.home())
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise WriteRefused(
            f"cannot install the completion script:{where}: {exc.strerror or exc}"
        ) from None
    for line in done:
        run.out.note(f"tbtrack: {line}")
    run.out.note("tbtrack: open a new terminal for completion to take effect")
