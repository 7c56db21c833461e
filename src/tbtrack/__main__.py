"""Entry point: `--version` without loading anything, then the command line (`cli.app.run`)."""

from __future__ import annotations

import gc
import os
import sys

from . import __version__


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
    try:
        from .cli.app import run

        return run(args)
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
