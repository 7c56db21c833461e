"""The cache of analysed task files, in `.tbtrack/` of the data root (SPEC 8).

Everything about the cache lives in this class. An entry is used only when the file's size,
modification time (ns) and inode match what was recorded, the registry and tbtrack's version are
the ones it was built with, and the file was not modified so close to the cache's own write that
a later change could share its timestamp ("racy" entries are re-read). A missing, truncated,
corrupt, foreign or unwritable cache is ignored: it can cost time, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .store import CACHE_DIR, FileStat

if TYPE_CHECKING:
    from .dataset import TaskResult

FORMAT = 1
FILE_NAME = "tasks.pickle"
# a file modified within this many ns of the cache write may change again without its
# mtime changing (coarse file-system clocks); such entries are not trusted
RACY_NS = 2_000_000_000


class TaskCache:
    def __init__(self, root: Path, registry_bytes: bytes, *, enabled: bool = True) -> None:
        self.path = root / CACHE_DIR / FILE_NAME
        self.enabled = enabled
        self.key = hashlib.sha256(
            b"%d\0%s\0" % (FORMAT, __version__.encode()) + registry_bytes
        ).hexdigest()
        self._entries: dict[str, tuple[FileStat, Any]] = {}
        self._written_ns = 0
        self._dirty = False
        if enabled:
            self._read()

    def _read(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                payload = pickle.load(handle)
        except Exception:  # any unreadable cache is simply not used
            return
        if not isinstance(payload, dict) or payload.get("key") != self.key:
            return
        entries = payload.get("entries")
        if isinstance(entries, dict):
            self._entries = entries
            self._written_ns = int(payload.get("written_ns", 0))

    def load(
        self, files: dict[str, FileStat], analyse: Callable[[str], TaskResult]
    ) -> list[TaskResult]:
        results: list[TaskResult] = []
        fresh: dict[str, tuple[FileStat, Any]] = {}
        for rel, stat in files.items():
            cached = self._entries.get(rel)
            if (
                cached is not None
                and cached[0] == stat
                and stat.mtime_ns + RACY_NS < self._written_ns
            ):
                result = cached[1]
            else:
                result = analyse(rel)
                self._dirty = True
            fresh[rel] = (stat, result)
            results.append(result)
        if set(fresh) != set(self._entries):
            self._dirty = True
        self._entries = fresh
        return results

    def save(self) -> None:
        if not self.enabled or not self._dirty:
            return
        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".tasks-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                written_ns = _now_ns(handle)
                pickle.dump(
                    {"key": self.key, "written_ns": written_ns, "entries": self._entries},
                    handle,
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
            os.replace(temp, self.path)
        except OSError:
            return  # a read-only data root runs without a cache


def _now_ns(handle: Any) -> int:
    """The file system's own clock, read from the temporary file we just created."""
    return os.fstat(handle.fileno()).st_mtime_ns
