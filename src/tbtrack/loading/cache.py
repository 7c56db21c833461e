"""The cache of analysed task files, in `.tbtrack/` of the data root (SPEC 8).

Everything about the cache lives in `TaskCache`; the rest of tbtrack only asks it for the
registry and the tasks, and tells it how to analyse a file it cannot answer for.

What makes an entry trustworthy:
- the file's size, modification time (ns), change time (ns) and inode are the ones recorded (the
  change time catches an edit whose modification time was set back, which `os.utime` can do
  and a user's `touch -r` does; nobody can set the change time);
- the entry was written from a read that began at least RACY_NS after the file's last change,
  by the file system's own clock: a file changed in the same clock tick as the read could
  change again without its times moving, so such an entry is not stored and the file is read
  again next time ("racy" files, as git calls them);
- everything it depends on is the same: the cache's format, tbtrack's version and source files,
  and agencies.yaml byte for byte (a name resolves against the registry).

A missing, truncated, corrupt, foreign or unwritable cache costs time, never an error and never
a wrong answer: the header and index are checked (magic, format, key, CRC), and each task's
record is checked (CRC) when it is first used; any failure reads the file itself instead.
Writers use a temporary file with a unique name and `os.replace`, so concurrent runs each see
a whole cache, the last writer's or the one before.

The file: MAGIC, then FORMAT, the index's length, its CRC32 and the key (big-endian u32, u64,
u32, 32 bytes), the index (a pickle), then one record per task (a pickle of its `model.Task`,
see `encode_task`),
which is decoded only when a command needs that task: `due` needs only the tasks that can
have a row before its day, and learns which from the facts kept in the index.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import pickle
import struct
import tempfile
import time
import weakref
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..files.store import CACHE_DIR, FileStat

if TYPE_CHECKING:
    from ..engine.status import TaskFacts
    from ..files.diagnostics import Diagnostic
    from ..files.records import Task
    from ..files.registry import Registry

FORMAT = 6
MAGIC = b"tbtrack cache\n"
HEADER = struct.Struct(">IQI32s")  # format, index length, index CRC32, key
FILE_NAME = "tasks.cache"
# a file changed less than this before the read of it began may change again within the same
# tick of a coarse file-system clock (2 s on FAT, 1 s on HFS+, a few ms on ext4) unseen
RACY_NS = 2_000_000_000
# temporary files of a run that died are removed by a later writer once this old
STALE_TEMP_S = 600.0


@dataclass(frozen=True)
class Analysed:
    """What the analysis of one file gives, in the form the cache keeps."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: TaskFacts | None  # None when the file has errors
    notice: tuple[str, dt.date, str] | None  # source number, date, notice; when numbered
    record: bytes | None  # encode_task(task); None when the file has errors
    task: Task | None = None  # the task itself, when analysed in this process


class Cached(NamedTuple):
    """One task file as the cache gives it: diagnostics and facts now, the task on demand."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: TaskFacts | None
    notice: tuple[str, dt.date, str] | None
    task: Callable[[], Task] | None  # None when the file has errors


# index entry: size, mtime_ns, inode, ctime_ns (a FileStat), diagnostics, facts, notice,
# offset, length, crc
_Entry = tuple[
    int,
    int,
    int,
    int,
    tuple["Diagnostic", ...],
    "tuple[int, int, int] | None",
    "tuple[str, dt.date, str] | None",
    int,
    int,
    int,
]


class TaskCache:
    def __init__(self, root: Path, registry_bytes: bytes, *, enabled: bool = True) -> None:
        self.path = root / CACHE_DIR / FILE_NAME
        self.enabled = enabled
        self.key = _key(registry_bytes)
        self._fd = -1  # the cache file as read: its records are read from it on demand
        self._base = 0  # where records start in the file
        self._size = 0  # how many bytes of records follow
        self._entries: dict[str, _Entry] = {}
        self._registry: tuple[Registry | None, list[Diagnostic]] | None = None
        self._fresh: dict[str, tuple[_Entry, bytes | None]] = {}  # entries to write
        self._dirty = False
        self._temp: tuple[int, str] | None = None  # fd and name of the file being written
        if enabled:
            self._read()

    # --- reading ------------------------------------------------------------------------------

    def _read(self) -> None:
        # only the header and the index are read now; each record is read (pread) when its
        # task is first needed, so a listing that skips most tasks reads little of the file.
        # The file is kept open: a writer replaces it (a new inode) and never changes it in
        # place, so what this run reads stays the one file it checked.
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return
        try:
            total = os.fstat(fd).st_size
            start = len(MAGIC) + HEADER.size
            head = os.pread(fd, start, 0)
            if len(head) != start or not head.startswith(MAGIC):
                raise ValueError("not a tbtrack cache")
            fmt, length, crc, key = HEADER.unpack_from(head, len(MAGIC))
            if fmt != FORMAT:  # an older or newer tbtrack's cache: rebuilt in our format
                raise ValueError("another format")
            # checked before anything is unpickled: the key holds the times of this very
            # installation's files, so a cache that came with a clone, not written by this
            # tbtrack, is never loaded (unpickling can run code)
            if key != self.key:
                raise ValueError("another registry or tbtrack")
            index = os.pread(fd, length, start)
            if len(index) != length or zlib.crc32(index) != crc:
                raise ValueError("damaged index")
            payload = pickle.loads(index)
            if not isinstance(payload, dict):
                raise ValueError("not an index")
            entries = payload["entries"]
            registry = payload["registry"]
            size = payload["size"]
            if not isinstance(entries, dict) or total != start + length + size:
                raise ValueError("truncated, or grown by something else")
        except Exception:  # anything unreadable is simply not used
            os.close(fd)
            return
        self._fd = fd
        weakref.finalize(self, os.close, fd)  # when no task is left to read from it
        self._base = start + length
        self._size = size
        self._entries = entries
        self._registry = registry

    def _record(self, offset: int, length: int) -> bytes:
        try:
            return os.pread(self._fd, length, self._base + offset) if self._fd >= 0 else b""
        except OSError:
            return b""

    def registry(
        self, build: Callable[[], tuple[Registry | None, list[Diagnostic]]]
    ) -> tuple[Registry | None, list[Diagnostic]]:
        """The analysed agencies.yaml: from the cache (its key holds the file's bytes) or built."""
        if self._registry is None:
            self._registry = build()
            self._dirty = True
        return self._registry

    def load(
        self,
        files: dict[str, FileStat],
        analyse: Callable[[list[str]], Iterable[Analysed]],
        reread: Callable[[str], Task | None],
    ) -> list[Cached]:
        """Every file of `files`, in order: from the cache when its entry holds, else analysed.

        `analyse` gets all the files the cache cannot answer for at once (so it can share them
        out between processes); `reread` gives the task of one file afresh, for a record found
        damaged when it is decoded.
        """
        known: dict[str, Cached] = {}
        missing: list[str] = []
        lookup, fresh, cached = self._entries.get, self._fresh, self._cached  # once per file
        for rel, stat in files.items():
            entry = lookup(rel)
            if entry is not None and entry[:4] == stat:
                known[rel] = cached(rel, entry, reread)
                fresh[rel] = (entry, None)
            else:
                missing.append(rel)
        if len(self._fresh) != len(self._entries):
            self._dirty = True  # files were deleted or renamed
        self._entries = {}  # each task keeps its own entry; 100,000 of them need no index
        if missing:
            # the file system's clock before any file is read: see RACY_NS
            read_from = self._start_writing() if self.enabled else None
            for result in analyse(missing):
                known[result.path] = _from_analysis(result)
                stat = files[result.path]
                if read_from is None or max(stat.mtime_ns, stat.ctime_ns) + RACY_NS >= read_from:
                    continue  # read again next time
                self._fresh[result.path] = (_entry(stat, result), result.record)
                self._dirty = True
        return [known[rel] for rel in files]

    def _cached(self, rel: str, entry: _Entry, reread: Callable[[str], Task | None]) -> Cached:
        load = functools.partial(self._decode, rel, entry, reread) if entry[8] else None
        # built as a tuple: the Python-level constructor would cost more than the rest
        return _new(Cached, (rel, entry[4], _facts(entry[5]), entry[6], load))

    def _decode(self, rel: str, entry: _Entry, reread: Callable[[str], Task | None]) -> Task:
        offset, length, crc = entry[7:]
        record = self._record(offset, length)
        try:
            if len(record) == length and zlib.crc32(record) == crc:
                return decode_task(record)
        except Exception:
            pass
        self._discard()
        task = reread(rel)
        if task is None:  # pragma: no cover - the file changed under us
            raise RuntimeError(f"{rel} changed while it was being read; run again")
        return task

    def _discard(self) -> None:
        """A damaged record: the next run rebuilds the cache rather than trip over it again."""
        with contextlib.suppress(OSError):
            self.path.unlink()

    # --- writing ------------------------------------------------------------------------------

    def _start_writing(self) -> int | None:
        """Open the temporary file now, and return its time: when this run began reading."""
        if self._temp is not None:
            return None
        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=".tasks-", suffix=".tmp")
        except OSError:
            return None  # a read-only data root runs without a cache
        self._temp = (fd, name)
        try:
            return os.fstat(fd).st_mtime_ns
        except OSError:  # pragma: no cover
            return None

    def save(self) -> None:
        try:
            self._save()
        finally:
            self._fresh = {}  # written or not, what this run read is its own now

    def _save(self) -> None:
        if not self.enabled:
            return
        if not self._dirty:
            self._abandon()
            return
        if self._temp is None:
            self._start_writing()
        if self._temp is None:
            return
        fd, name = self._temp
        self._temp = None
        try:
            with os.fdopen(fd, "wb") as handle:
                self._write(handle)
            os.replace(name, self.path)
        except Exception:  # a full disk or a file that cannot be pickled: no cache this time
            _remove(name)
            return
        self._dirty = False
        _sweep(self.path.parent)

    def _write(self, handle: Any) -> None:
        entries: dict[str, _Entry] = {}
        notices: dict[tuple[str, dt.date, str], tuple[str, dt.date, str]] = {}
        records: list[bytes | memoryview] = []
        offset = 0
        # unchanged records are copied from the old file, read whole once
        old = memoryview(self._record(0, self._size) if self._size else b"")
        for rel, (entry, record) in self._fresh.items():
            length = entry[8]
            if length:
                if record is None:
                    start = entry[7]
                    chunk = old[start : start + length]
                    if len(chunk) != length or zlib.crc32(chunk) != entry[9]:
                        raise ValueError("the old cache changed while being copied")
                    records.append(chunk)
                else:
                    records.append(record)
            notice = entry[6]
            if notice is not None:  # one object per notice, so the pickle holds it once
                notice = notices.setdefault(notice, notice)
            entries[rel] = (*entry[:6], notice, offset, length, entry[9])
            offset += length
        index = pickle.dumps(
            {"registry": self._registry, "entries": entries, "size": offset},
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        handle.write(MAGIC + HEADER.pack(FORMAT, len(index), zlib.crc32(index), self.key))
        handle.write(index)
        for record_bytes in records:
            handle.write(record_bytes)

    def _abandon(self) -> None:
        if self._temp is not None:
            fd, name = self._temp
            self._temp = None
            os.close(fd)
            _remove(name)


def _entry(stat: FileStat, result: Analysed) -> _Entry:
    facts = result.facts
    packed = None
    if facts is not None:
        closed, last = facts.closed_from, facts.last_event
        packed = (
            closed.toordinal() if closed is not None else 0,
            facts.earliest_due.toordinal(),
            last.toordinal() if last is not None else 0,
        )
    record = result.record or b""
    return (
        *stat,
        result.diagnostics,
        packed,
        result.notice,
        0,
        len(record),
        zlib.crc32(record),
    )


def _facts(packed: tuple[int, int, int] | None) -> TaskFacts | None:
    if packed is None:
        return None
    closed, earliest, last = packed
    return _new(
        _task_facts(),
        (_day(closed) if closed else None, _day(earliest), _day(last) if last else None),
    )


_new = tuple.__new__


@functools.lru_cache(maxsize=8192)
def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)  # the same few thousand days, 100,000 times


@functools.cache
def _task_facts() -> type[TaskFacts]:
    from ..engine.status import TaskFacts

    return TaskFacts


def _from_analysis(result: Analysed) -> Cached:
    task, record = result.task, result.record
    load: Callable[[], Task] | None = None
    if task is not None:
        load = functools.partial(_identity, task)
    elif record is not None:
        load = functools.partial(decode_task, record)
    return Cached(result.path, result.diagnostics, result.facts, result.notice, load)


def _identity(task: Task) -> Task:
    return task


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _sweep(folder: Path) -> None:
    """Remove temporary files left by runs that were killed while writing."""
    limit = time.time() - STALE_TEMP_S
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(".tasks-") and entry.name.endswith(".tmp"):
                    try:
                        if entry.stat().st_mtime < limit:
                            os.unlink(entry.path)
                    except OSError:
                        pass
    except OSError:
        pass


@functools.cache
def _code_fingerprint() -> bytes:
    """tbtrack's own source files: an edited checkout must not use what older code cached."""
    package = Path(__file__).parent.parent
    parts = [__version__]
    try:
        for path in sorted(package.rglob("*.py")):
            st = path.stat()
            parts.append(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        pass
    return "\0".join(parts).encode()


def _key(registry_bytes: bytes) -> bytes:
    digest = hashlib.sha256(b"%d\0" % FORMAT)
    digest.update(_code_fingerprint())
    digest.update(b"\0")
    digest.update(registry_bytes)
    return digest.digest()


# --- the record of one task -----------------------------------------------------------------
#
# A task is a tree of `model`'s named tuples, pickled as it is: rebuilding it is one tuple per
# record and no validation, which the values passed when the file was analysed.


def encode_task(task: Task) -> bytes:
    return pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)


def decode_task(record: bytes) -> Task:
    from ..files.records import Task

    task = pickle.loads(record)
    if not isinstance(task, Task):
        raise ValueError("a record of another kind")
    return task
