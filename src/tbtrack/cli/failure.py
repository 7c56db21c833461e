"""The one error handler: what a run raised, as an exit code and one line on stderr.

A `TbtrackError` is a message for the user, with its exit code (SPEC 5.2). Anything else is a
bug: one line, exit 70, and the traceback kept in a log in the user's state folder
(`$XDG_STATE_HOME/tbtrack`, else `~/.local/state/tbtrack`), or in `$TMPDIR/tbtrack` when that
cannot be written.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from .. import __version__
from ..errors import TbtrackError
from ..messages import Message
from ..render.output import Output

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def exit_code(exc: BaseException, out: Output, lang: str = "en") -> int:
    """Report `exc` through `out`, in `lang`, and give the exit code it means."""
    if isinstance(exc, TbtrackError):
        out.error(f"{Message('error').text(lang)}: {exc.text(lang)}")
        for line in exc.details:
            out.note(f"  {line}")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        out.error("interrupted")
        return EXIT_INTERRUPTED
    path = crash_log(exc)
    out.error(f"internal error: {type(exc).__name__}: {exc}")
    out.error(f"the details are in {path}; please report them")
    return EXIT_INTERNAL


def log_folders() -> list[Path]:
    """Where a crash log may go, best first."""
    import tempfile

    folders = []
    state = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(state):
        folders.append(Path(state) / "tbtrack")
    else:
        with contextlib.suppress(RuntimeError):  # no home folder: the temporary one only
            folders.append(Path.home() / ".local" / "state" / "tbtrack")
    folders.append(Path(tempfile.gettempdir()) / "tbtrack")
    return folders


def crash_log(exc: BaseException) -> str:
    import tempfile
    import traceback

    text = f"tbtrack {__version__}\nargv: {sys.argv!r}\n\n" + "".join(
        traceback.format_exception(exc)
    )
    for folder in log_folders():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix="crash-", suffix=".log", dir=folder)
        except OSError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
        return path
    return "(no folder could be written)"
