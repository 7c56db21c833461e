"""Writing a file a command makes (`report -o`, `ical -o`): all of it or nothing.

The bytes go to a temporary file in the target's folder, renamed over the target once
complete, so an error at any point leaves no partial file, and a reader never sees half a
report. Every reason it cannot be written is a one-line usage error (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..checking.leftovers import TEMPORARY_PREFIX, TEMPORARY_SUFFIX
from ..errors import UsageError


def check_target(path: Path) -> None:
    """Refuse, before any work, a target that cannot be written: its folder is missing, or
    it is a folder, or a file that is read-only."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"-o {path}: no such folder: {folder}")
    if path.is_dir():
        raise UsageError(f"-o {path}: is a folder")
    if path.exists():
        mode = path.stat().st_mode
        # the write bits, not only access(): a read-only file is refused even to root
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
            raise UsageError(f"-o {path}: the file is read-only")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"-o {path}: cannot write in {folder}")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """`write(temporary)` fills a temporary file beside `path`, which then replaces `path`."""
    import tempfile

    check_target(path)
    try:
        handle, name = tempfile.mkstemp(
            prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=path.parent
        )
    except OSError as exc:
        raise UsageError(f"-o {path}: {exc.strerror or exc}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        if path.exists():  # keep the target's permissions, as an editor saving it would
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(f"-o {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
