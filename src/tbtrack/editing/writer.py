"""Writing a change: the one place an edit touches the disk.

Atomically (a temporary file in the same folder, fsync, rename over the old one), keeping the
file's mode, and only when the file is still what was read. The check and the rename are one
step under a lock per data repository, so two edits of one file can never both succeed on the
same old bytes: the second one sees the first one's change and is refused, with nothing lost.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..checking.leftovers import TEMPORARY_PREFIX, TEMPORARY_SUFFIX
from ..errors import WriteRefused
from ..files.store import CACHE_DIR
from .change import Change
from .taskfile import read_task

# called with the file's path after the new text is ready and before the file is replaced;
# tests set it to simulate another edit landing in between
_before_replace: Callable[[Path], None] | None = None

LOCK_FILE = "edit.lock"
# how long an edit waits for another one to finish; a write takes milliseconds, so a lock
# held this long belongs to a process that hangs
_LOCK_WAIT = 30.0


def write(change: Change) -> None:
    """Write `change` atomically; refused, with nothing lost, when the file is no longer what
    was read (another edit landed since), or, for a new file, when one appeared meanwhile."""
    path = change.path
    root = path.parents[len(Path(change.rel).parts) - 1]
    if change.old is None:
        _make_folders(path)
    _refuse_read_only(change)
    temporary: str | None = None
    try:
        temporary = _staged(change)
        if _before_replace is not None:
            _before_replace(path)
        # only the check and the rename hold the lock: the slow part (fsync) is done
        with _locked(root):
            if change.old is None:
                _link_new(temporary, path, change.rel)
            else:
                _still_unchanged(path, change.rel, change.old)
                os.replace(temporary, path)
    except OSError as exc:
        raise WriteRefused(_cannot_write(Path(change.rel).parent, exc, change.rel)) from None
    finally:
        if temporary is not None and os.path.lexists(temporary):
            os.unlink(temporary)
    _sync_folder(path.parent)


def _refuse_read_only(change: Change) -> None:
    # as an editor would: a file made read-only is not replaced behind its owner's back
    if change.old is not None and change.mode is not None and not change.mode & 0o222:
        raise WriteRefused(
            f"{change.rel} is read-only; nothing written (make it writable first: "
            f"chmod u+w {change.rel})"
        )


def write_all(changes: Sequence[Change]) -> None:
    """Write every change or none (an import's files): each new text in a temporary file
    first, then, under the lock, every check before the first rename; a rename that fails
    puts back what the renames before it replaced, and folders made for the batch go."""
    if not changes:
        return
    first = changes[0]
    root = first.path.parents[len(Path(first.rel).parts) - 1]
    made: list[Path] = []
    staged: list[tuple[Change, str]] = []
    try:
        for change in changes:
            if change.old is None:
                made.extend(_missing_folders(change.path))
                _make_folders(change.path)
            _refuse_read_only(change)
            staged.append((change, _staged(change)))
        with _locked(root):
            for change, _ in staged:
                if change.old is None:
                    if os.path.lexists(change.path):
                        raise WriteRefused(
                            f"{change.rel} appeared on disk meanwhile; nothing was written"
                        )
                else:
                    _still_unchanged(change.path, change.rel, change.old)
            _rename_all(staged)
    except OSError as exc:
        raise WriteRefused(_cannot_write(Path(first.rel).parent, exc)) from None
    finally:
        for _, temporary in staged:
            if os.path.lexists(temporary):
                os.unlink(temporary)
        if any(not os.path.lexists(c.path) for c in changes):  # failed: nothing is left
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
    for folder in dict.fromkeys(c.path.parent for c in changes):
        _sync_folder(folder)


def _missing_folders(path: Path) -> list[Path]:
    """The folders above `path` that do not exist yet, outermost first."""
    missing = [p for p in path.parents if not os.path.lexists(p)]
    return list(reversed(missing))


def _staged(change: Change) -> str:
    """A temporary file beside the target holding the new bytes, synced; its name."""
    fd, temporary = tempfile.mkstemp(
        prefix=f"{TEMPORARY_PREFIX}{change.path.name}.",
        suffix=TEMPORARY_SUFFIX,
        dir=change.path.parent,
    )
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(change.new)
            handle.flush()
            os.fsync(handle.fileno())
        mode = change.mode if change.mode is not None else 0o666 & ~_umask()
        os.chmod(temporary, stat.S_IMODE(mode))
    finally:
        os.close(fd)
    return temporary


def _rename_all(staged: Sequence[tuple[Change, str]]) -> None:
    """Put each staged file in place; on a failure, undo the ones already in place."""
    done: list[tuple[Change, str | None]] = []
    try:
        for change, temporary in staged:
            if _before_replace is not None:
                _before_replace(change.path)
            if change.old is None:
                os.link(temporary, change.path)  # never over a file that appeared meanwhile
                done.append((change, None))
            else:  # the old file kept until the batch is in, to put back on a failure
                backup = _backup_name(change)
                os.link(change.path, backup)
                done.append((change, backup))
                os.replace(temporary, change.path)
    except BaseException:
        for placed, kept in reversed(done):
            if kept is not None:
                os.replace(kept, placed.path)
            else:
                os.unlink(placed.path)
        raise
    finally:
        for _, kept in done:
            if kept is not None and os.path.lexists(kept):
                os.unlink(kept)


def _backup_name(change: Change) -> str:
    import secrets

    name = f"{TEMPORARY_PREFIX}{change.path.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
    return str(change.path.parent / name)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold the data repository's edit lock (`.tbtrack/edit.lock`, an `fcntl` lock)."""
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        raise WriteRefused(_cannot_write(Path(CACHE_DIR), exc)) from None
    try:
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WriteRefused(
                        f"another tbtrack edit has held {CACHE_DIR}/{LOCK_FILE} for "
                        f"{_LOCK_WAIT:.0f} s; nothing written; run the command again"
                    ) from None
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _cannot_write(folder: Path, exc: OSError, rel: str | None = None) -> str:
    what = f"cannot write {rel}" if rel else f"cannot write in {folder}"
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what}: {reason} (the folder {folder.as_posix()}/ is read-only); nothing written"
    return f"{what}: {reason}; nothing written"


def _still_unchanged(path: Path, rel: str, old: bytes) -> None:
    try:
        current, _ = read_task(path, rel)
    except WriteRefused:
        current = None
    if current != old:
        raise WriteRefused(
            f"{rel} changed on disk since it was read; nothing was written, and the other "
            "change is kept; run the command again"
        )


def _link_new(temporary: str, path: Path, rel: str) -> None:
    """Put a new file in place without ever overwriting one that appeared meanwhile."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise WriteRefused(f"{rel} appeared on disk meanwhile; nothing was written") from None
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise WriteRefused(f"{rel} appeared on disk meanwhile; nothing was written") from None
        os.replace(temporary, path)


def _make_folders(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    # the path was built from the resolved root: any difference now is a link on the way
    if path.parent.resolve() != path.parent:
        raise WriteRefused(f"{path.parent} is reached through a symbolic link; refused")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
