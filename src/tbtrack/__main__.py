"""Entry point: fast paths, global options anywhere on the line, and the one error handler."""

from __future__ import annotations

import gc
import os
import sys

from . import __version__

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


def crash_log(exc: BaseException) -> str:
    import tempfile
    import traceback

    folder = os.path.join(tempfile.gettempdir(), "tbtrack")
    os.makedirs(folder, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="crash-", suffix=".log", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"tbtrack {__version__}\nargv: {sys.argv!r}\n\n")
        handle.write("".join(traceback.format_exception(exc)))
    return path


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        print(f"tbtrack {__version__}")
        return 0
    code = _main(args)
    if argv is None:
        # the program itself (not a caller in Python): everything is written, and freeing the
        # objects of 10,000 tasks one by one at exit would take longer than listing them
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe (`| head`): nothing more to say
            pass
        os._exit(code)
    return code


def _main(args: list[str]) -> int:
    # a run builds hundreds of thousands of small objects and no cycles worth collecting:
    # without this the collector's full passes over them cost a third of a warm listing
    collecting = gc.isenabled()
    gc.disable()
    from .cli.app import run

    try:
        return run(hoist_global_options(args))
    except KeyboardInterrupt:
        sys.stderr.write("tbtrack: interrupted\n")
        return 130
    except Exception as exc:  # the last resort: no traceback on the terminal
        path = crash_log(exc)
        sys.stderr.write(
            f"tbtrack: internal error: {type(exc).__name__}: {exc}\n"
            f"tbtrack: the details are in {path}; please report them\n"
        )
        return 70
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
