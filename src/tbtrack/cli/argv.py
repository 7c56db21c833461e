"""The command line before it is parsed: global options anywhere, and only valid UTF-8."""

from __future__ import annotations

from ..errors import UsageError

# options that may stand before or after the command (SPEC 5); those marked True take a value
GLOBAL_OPTIONS = {
    "--root": True,
    "--as-of": True,
    "--format": True,
    "--lang": True,
    "--no-color": False,
    "--workdays": False,
    "--no-cache": False,
    "--rev": True,
    "--within": True,
    "--bom": False,
}

# command options that share a name with a global option: after these commands they stay put
# (`new --within 2025-Q3` is a due form, not the due-soon window)
COMMAND_OPTIONS = {"new": frozenset({"--within"})}


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move global options found after the command to the front, where the parser wants them."""
    front: list[str] = []
    rest: list[str] = []
    command: str | None = None
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest.extend(argv[index:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and name not in COMMAND_OPTIONS.get(command or "", ()):
            front.append(arg)
            if GLOBAL_OPTIONS[name] and "=" not in arg and index + 1 < len(argv):
                front.append(argv[index + 1])
                index += 1
        else:
            if command is None and not arg.startswith("-"):
                command = arg
            rest.append(arg)
        index += 1
    return front + rest


def command_of(argv: list[str]) -> str | None:
    """The command that hoisted arguments name (the first word after the global options), or
    None when they name none: `tbtrack`, `tbtrack --help`."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--" or not arg.startswith("-"):
            return None if arg == "--" else arg
        name = arg.split("=", 1)[0]
        if name not in GLOBAL_OPTIONS:
            return None  # `-h`, `--version`, an option the parser will refuse
        index += 2 if GLOBAL_OPTIONS[name] and "=" not in arg else 1
    return None


def refuse_undecodable(argv: list[str]) -> None:
    """Refuse an argument that is not valid UTF-8.

    Python hands such bytes over as lone surrogates (U+DC80-U+DCFF); written into a task file
    they would make it unreadable.
    """
    for number, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            raise UsageError(
                f"argument {number} ({shown}) is not valid UTF-8; type it again in a UTF-8 terminal"
            ) from None
