"""The cache of analysed task files, in the user's own cache folder (SPEC 8).

Everything about the cache lives in `TaskCache`, a store of named entries asked only to `get`
what it holds for a file and to `put` what an analysis found; the rest of tbtrack never sees
its format.

What the cache trusts, and why:
- only a file in this user's cache folder (`$XDG_CACHE_HOME/tbtrack/<hash of the data root's
  real path>/`, else `~/.cache/tbtrack/...`), owned by this user: a cache that came with a
  repository (`.tbtrack/` of a clone) or that another user wrote is never opened;
- nothing it reads is unpickled: the index and the records are `marshal` of plain values
  (`codec`), which cannot run code, and each is checked against the shape it must have as it is
  read; a malformed one is ignored and the file read instead;
- an entry holds while the file's size, modification time (ns), change time (ns) and inode are
  the ones recorded (the change time catches an edit whose modification time was set back with
  `os.utime` or `touch -r`), and it was written from a read that began at least RACY_NS after
  the file's last change by the file system's own clock (a file changed within the same clock
  tick could change again without its times moving: git's "racy" files);
- everything an entry depends on is the same: the cache's format, tbtrack's version and source
  files, and agencies.yaml byte for byte (names resolve against the registry): the key.

A missing, truncated, corrupt, foreign or unwritable cache costs time, never an error and never
a wrong answer: the header and index are checked (magic, format, key, CRC32), and each record
(CRC32, then its shape) when its task is first used. Writers use a temporary file with a unique
name and `os.replace`, so concurrent runs each see a whole cache, the last writer's or the one
before.

The file: MAGIC, then FORMAT, the index's length, its CRC32 and the key (big-endian u32, u64,
u32, 32 bytes), the index (marshal of a dict), then one record per task (`codec.encode_task`),
read (pread) and decoded only when a command needs that task.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import struct
import time
import weakref
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from ..engine.settled import Settled
from ..engine.status import TaskFacts
from ..files.diagnostics import Diagnostic
from ..files.records import Task
from ..files.registry import Registry
from ..files.store import FileStat
from . import codec

FORMAT = 8
MAGIC = b"tbtrack cache\n"
HEADER = struct.Struct(">IQI32s")  # format, index length, index CRC32, key
FILE_NAME = "tasks.cache"
# a file changed less than this before the read of it began may change again within the same
# tick of a coarse file-system clock (2 s on FAT, 1 s on HFS+, a few ms on ext4) unseen
RACY_NS = 2_000_000_000
# temporary files of a run that died are removed by a later writer once this old
STALE_TEMP_S = 600.0


def cache_folder(root: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the cache of a data root lives: in this user's cache folder, never in the root."""
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is to be ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    real = os.path.realpath(root)
    return Path(base) / "tbtrack" / hashlib.sha256(os.fsencode(real)).hexdigest()[:32]


@dataclass(frozen=True)
class Analysed:
    """What the analysis of one file gives."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: TaskFacts | None  # None when the file has errors
    notice: codec.Notice | None  # when the task's source is numbered
    task: Task | None  # None when the file has errors
    settled: Settled | None = None  # with facts whose `settled` is a day


class Cached(NamedTuple):
    """One task file as the cache gives it: diagnostics and facts now, the task (and its
    settled pairs, when it has them) on demand."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: TaskFacts | None
    notice: codec.Notice | None
    task: Callable[[], Task] | None  # None when the file has errors
    settled: Callable[[], Settled | None] | None  # None when there are none


class Entry(NamedTuple):
    """A file's entry in the index, as stored (plain values; `tuple(entry)` is marshalled)."""

    stat: tuple[int, int, int, int]  # a FileStat
    diagnostics: tuple[tuple[Any, ...], ...]  # codec.encode_diagnostics
    facts: tuple[int, ...] | None  # codec.encode_facts
    notice: tuple[str, int, str] | None  # codec.encode_notice
    offset: int  # of the task's record, from the start of the records
    length: int  # 0: the file has errors, and no record
    crc: int  # CRC32 of the record
    task_length: int  # the record is the task's, then (if longer) its settled pairs'


class TaskCache:
    def __init__(self, root: Path, registry_bytes: bytes, *, enabled: bool = True) -> None:
        self.folder = cache_folder(root)
        self.path = self.folder / FILE_NAME
        self.enabled = enabled
        self.key = _key(registry_bytes)
        self._fd = -1  # the cache file as read: its records are read from it on demand
        self._base = 0  # where records start in the file
        self._size = 0  # how many bytes of records follow
        self._entries: dict[str, Any] = {}  # as read: validated when asked for
        self._registry: tuple[Registry | None, list[Diagnostic]] | None = None
        self._fresh: dict[str, tuple[Entry, bytes | None]] = {}  # entries to write
        self._dirty = False
        self._temp: tuple[int, str] | None = None  # fd and name of the file being written
        self._read_from: int | None = None  # the clock when this run began reading files
        self._notices: dict[Any, codec.Notice | None] = {}  # stored notices, decoded
        if enabled:
            self._read()

    # --- reading ------------------------------------------------------------------------------

    def _read(self) -> None:
        # only the header and the index are read now; each record is read (pread) when its
        # task is first needed, so a listing that skips most tasks reads little of the file.
        # The file is kept open: a writer replaces it (a new inode) and never changes it in
        # place, so what this run reads stays the one file it checked.
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | os.O_NOFOLLOW)
        except OSError:
            return
        try:
            status = os.fstat(fd)
            if status.st_uid != os.getuid():
                raise ValueError("written by another user")
            total = status.st_size
            start = len(MAGIC) + HEADER.size
            head = os.pread(fd, start, 0)
            if len(head) != start or not head.startswith(MAGIC):
                raise ValueError("not a tbtrack cache")
            fmt, length, crc, key = HEADER.unpack_from(head, len(MAGIC))
            if fmt != FORMAT:  # an older or newer tbtrack's cache: rebuilt in our format
                raise ValueError("another format")
            if key != self.key:
                raise ValueError("another registry or tbtrack")
            index = os.pread(fd, length, start)
            if len(index) != length or zlib.crc32(index) != crc:
                raise ValueError("damaged index")
            payload = marshal.loads(index)
            if type(payload) is not dict:
                raise ValueError("not an index")
            entries, registry, size = payload["entries"], payload["registry"], payload["size"]
            if type(entries) is not dict or type(size) is not int:
                raise ValueError("not an index")
            if total != start + length + size:
                raise ValueError("truncated, or grown by something else")
            self._registry = codec.decode_registry(registry)
        except Exception:  # anything unreadable is simply not used
            os.close(fd)
            self._registry = None
            return
        self._fd = fd
        weakref.finalize(self, os.close, fd)  # when no task is left to read from it
        self._base = start + length
        self._size = size
        self._entries = entries

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

    def get(self, rel: str, stat: FileStat, reread: Callable[[str], Task | None]) -> Cached | None:
        """What the cache holds for a file in this state, or None: analyse it, and `put` it.

        `reread` gives the task of the file afresh, for a record found damaged when decoded.
        """
        return self.get_all({rel: stat}, reread)[0]

    def get_all(
        self, files: Mapping[str, FileStat], reread: Callable[[str], Task | None]
    ) -> list[Cached | None]:
        """`get` of each file, in order: the loop a warm run of 100,000 files spends its time
        in, with each entry's fields unpacked in place rather than through calls."""
        out: list[Cached | None] = []
        append = out.append
        pop = self._entries.pop
        fresh = self._fresh
        notices = self._notices
        decode, settled = self._decode, self._settled
        decode_facts = codec.decode_facts
        partial = functools.partial
        for rel, stat in files.items():
            raw = pop(rel, None)
            if raw is not None:
                try:
                    if type(raw) is not tuple or len(raw) != _ENTRY_SIZE:
                        raise codec.Malformed("not an entry")
                    if raw[0] == stat:  # Entry.stat, before the entry is worth making
                        entry: Entry = _new(Entry, raw)
                        _, stored_diagnostics, packed, stored, _, length, _, split = raw
                        diagnostics: tuple[Diagnostic, ...] = ()
                        if type(stored_diagnostics) is not tuple or stored_diagnostics:
                            diagnostics = codec.decode_diagnostics(stored_diagnostics)
                        if not length and not any(d.severity == "error" for d in diagnostics):
                            raise codec.Malformed("a task left out without an error to say why")
                        facts = None if packed is None else decode_facts(packed)
                        if type(split) is not int or not 0 <= split <= length:
                            raise codec.Malformed("not an entry")
                        notice = None
                        if stored is not None:  # the tasks of one notice share it: decoded once
                            try:
                                notice = notices[stored]
                            except KeyError:
                                notice = notices[stored] = codec.decode_notice(stored)
                        load = partial(decode, rel, entry, reread) if length else None
                        pairs = partial(settled, entry) if split < length else None
                        fresh[rel] = (entry, None)
                        # built as a tuple: the Python-level constructor would cost more
                        append(_new(Cached, (rel, diagnostics, facts, notice, load, pairs)))
                        continue
                except (ValueError, TypeError):
                    pass  # a malformed entry: the file is read instead
                self._dirty = True
            if self._read_from is None and self.enabled:
                self._read_from = self._start_writing()  # before any file is read: RACY_NS
            append(None)
        return out

    def put(self, stat: FileStat, result: Analysed) -> None:
        """Keep what the analysis of a file found, unless the file is too new to be trusted."""
        read_from = self._read_from
        if read_from is None or max(stat.mtime_ns, stat.ctime_ns) + RACY_NS >= read_from:
            return  # read again next time
        record = codec.encode_task(result.task) if result.task is not None else b""
        task_length = len(record)
        if result.task is not None and result.settled is not None:
            record += codec.encode_settled(result.settled)
        facts = result.facts
        entry = Entry(
            tuple(stat),  # type: ignore[arg-type]
            codec.encode_diagnostics(result.diagnostics),
            None if facts is None else codec.encode_facts(facts),
            codec.encode_notice(result.notice),
            0,
            len(record),
            zlib.crc32(record),
            task_length,
        )
        self._fresh[result.path] = (entry, record)
        self._dirty = True

    def _decode(self, rel: str, entry: Entry, reread: Callable[[str], Task | None]) -> Task:
        record = self._record(entry.offset, entry.length)
        try:
            if len(record) == entry.length and zlib.crc32(record) == entry.crc:
                return codec.decode_task(record[: entry.task_length])
        except Exception:  # a record of another shape: read the file itself
            pass
        self._discard()
        task = reread(rel)
        if task is None:  # pragma: no cover - the file changed under us
            raise RuntimeError(f"{rel} changed while it was being read; run again")
        return task

    def _settled(self, entry: Entry) -> Settled | None:
        """A task's settled pairs; None (count it from the task) if the record is damaged."""
        record = self._record(entry.offset, entry.length)
        try:
            if len(record) == entry.length and zlib.crc32(record) == entry.crc:
                return codec.decode_settled(record[entry.task_length :])
        except Exception:  # a record of another shape
            pass
        self._discard()
        return None

    def _discard(self) -> None:
        """A damaged record: the next run rebuilds the cache rather than trip over it again."""
        with contextlib.suppress(OSError):
            self.path.unlink()

    # --- writing ------------------------------------------------------------------------------

    def _start_writing(self) -> int | None:
        """Open the temporary file now, and return its time: when this run began reading."""
        if self._temp is not None:
            return None
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            import tempfile  # a run that writes no cache does not import it

            fd, name = tempfile.mkstemp(dir=self.folder, prefix=".tasks-", suffix=".tmp")
        except OSError:
            return None  # no writable cache folder: run without a cache
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
        if self._entries:  # files that were deleted or renamed
            self._dirty = True
            self._entries = {}
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
        except Exception:  # a full disk, say: no cache this time
            _remove(name)
            return
        self._dirty = False
        _sweep(self.folder)

    def _write(self, handle: Any) -> None:
        entries: dict[str, tuple[Any, ...]] = {}
        records: list[bytes | memoryview] = []
        offset = 0
        # unchanged records are copied from the old file, read whole once
        old = memoryview(self._record(0, self._size) if self._size else b"")
        for rel, (entry, record) in self._fresh.items():
            if entry.length:
                if record is None:
                    chunk = old[entry.offset : entry.offset + entry.length]
                    if len(chunk) != entry.length or zlib.crc32(chunk) != entry.crc:
                        raise ValueError("the old cache changed while being copied")
                    records.append(chunk)
                else:
                    records.append(record)
            entries[rel] = tuple(entry._replace(offset=offset))
            offset += entry.length
        assert self._registry is not None
        index = marshal.dumps(
            {"registry": codec.encode_registry(self._registry), "entries": entries, "size": offset},
            codec.MARSHAL_VERSION,
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


_new = tuple.__new__
_ENTRY_SIZE = len(Entry._fields)


def pack_analysed(result: Analysed) -> tuple[Any, ...]:
    """An analysis as plain values for `marshal`, in the cache's own encodings."""
    task, facts, settled = result.task, result.facts, result.settled
    return (
        result.path,
        codec.encode_diagnostics(result.diagnostics),
        None if facts is None else codec.encode_facts(facts),
        codec.encode_notice(result.notice),
        None if task is None else codec.encode_task(task),
        None if settled is None else codec.encode_settled(settled),
    )


def unpack_analysed(value: Any) -> Analysed:
    """`pack_analysed` undone: an analysis equal to the one packed; ValueError if not one."""
    if type(value) is not tuple or len(value) != 6:
        raise codec.Malformed("not an analysis")
    path, diagnostics, packed, notice, record, settled = value
    if type(path) is not str or not {type(record), type(settled)} <= {bytes, type(None)}:
        raise codec.Malformed("not an analysis")
    return Analysed(
        path,
        codec.decode_diagnostics(diagnostics),
        None if packed is None else codec.decode_facts(packed),
        codec.decode_notice(notice),
        None if record is None else codec.decode_task(record),
        None if settled is None else codec.decode_settled(settled),
    )


def _not_an_entry() -> Entry:
    raise codec.Malformed("not an entry")


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
