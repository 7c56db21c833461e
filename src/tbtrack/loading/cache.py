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

The file: MAGIC; a header of FORMAT, the length and CRC32 of each of three sections and the
key (big-endian u32, then u64 and u32 three times, then 32 bytes); the sections: the registry
(marshal of `codec.encode_registry`), the index (marshal of a dict of every file's entry, the
records' size and the buckets' size) and the lookup (the length and CRC32 of each of BUCKETS
buckets, and the records' size); the buckets, each the index of the files whose path falls
in it (`bucket_of`): the index again, in parts; then one record per task
(`codec.encode_task`), read (pread) and decoded only when a command needs that task. A
listing reads the index whole, in one piece; an answer about one file reads the registry,
the lookup and that file's bucket alone.

A run that learns something writes the whole file again, never in place. After an edit it
writes it as the old one with the run's changes (`TaskCache._write_appending`): the old
records copied whole and the new ones after them, so the rows of the files that still hold
are copied as they are, and so is each bucket that holds none of the files that changed. The
records of files let go (edited, deleted, renamed) stay in the file, unread, until they would
be more than UNREAD_AT_MOST of the records: that write leaves them out (`TaskCache._write`).

An index is in columns (`Index`): the files' paths in one string, one fixed-size row of
numbers per file (its stat, where its record lies, its facts, its notice's place) in one
`bytes`, and small tables of what rows share (the names the facts give, the notices) and of
the few files' diagnostics. At 100,000 files that is a few megabytes read in milliseconds,
where a dict of tuples was a hundred megabytes of objects, and a third of a second: objects
that also stayed in memory through the query, held there by the few of them a task kept. The
columns are also what tells an answer about one agency which files name
it (`Index.positions_naming`): it takes those files' entries alone, each checked as any entry
is, and of the others only what it uses, checked too (their diagnostics, their notices'
places, that a file kept without its task has an error to say why).
"""

from __future__ import annotations

import array
import bisect
import contextlib
import functools
import itertools
import marshal
import operator
import os
import struct
import sys
import time
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar, cast

try:
    # hashlib's own module loads OpenSSL on import, some 7 ms of every run, for one hash of a
    # few KiB: its built-in BLAKE2 (the same `hashlib.blake2b`) costs nothing to import
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from .. import __version__
from ..checking.across import notice_key
from ..engine.facts import TaskFacts
from ..engine.settled import Settled
from ..files.diagnostics import Diagnostic
from ..files.records import Task
from ..files.registry import Registry
from ..files.store import FileStat
from . import codec, split

R = TypeVar("R")  # what a record decodes to

FORMAT = 12
MAGIC = b"tbtrack cache\n"
# format; the registry's, the index's and the lookup's length and CRC32; the key
HEADER = struct.Struct(">IQIQIQI32s")
BUCKETS = 256  # the index's entries, by `bucket_of` their path
FILE_NAME = "tasks.cache"
# a file changed less than this before the read of it began may change again within the same
# tick of a coarse file-system clock (2 s on FAT, 1 s on HFS+, a few ms on ext4) unseen
RACY_NS = 2_000_000_000
# temporary files of a run that died are removed by a later writer once this old
STALE_TEMP_S = 600.0
# a write after an edit appends the new records to the old ones (`_write_appending`); the
# records of files let go stay, unread, until they would be more than this share of them
UNREAD_AT_MOST = 0.25


def hashed(data: bytes, size: int = 32) -> bytes:
    """The BLAKE2 digest of `data`, `size` bytes long."""
    return blake2b(data, digest_size=size).digest()


def cache_folder(root: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the cache of a data root lives: in this user's cache folder, never in the root."""
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is to be ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    real = os.path.realpath(root)
    return Path(base) / "tbtrack" / hashed(os.fsencode(real), 16).hex()


def open_owned(path: Path) -> tuple[int, int] | None:
    """A file of the cache folder opened for reading, with its size; None when it is missing,
    a link, or another user's (only what tbtrack wrote as this user is read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if status.st_uid == os.getuid():
            return fd, status.st_size
    except OSError:
        pass
    os.close(fd)
    return None


class Analysed(NamedTuple):
    """What the analysis of one file gives."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: TaskFacts | None  # None when the file has errors
    notice: codec.Notice | None  # when the task's source is numbered
    task: Task | None  # None when the file has errors
    settled: Settled | None = None  # with facts whose `settled` is a day
    # the cache's encodings of it, when made where it was analysed (`encoding`)
    encoded: Encoded | None = None


class TaskSource(Protocol):
    """Where a task's record is kept until a command needs the task."""

    def task(self) -> Task: ...

    def settled(self) -> Settled | None: ...


class Cached(NamedTuple):
    """One task file as the cache gives it: diagnostics and facts now, the task (and its
    settled pairs, when it has them) on demand from `source`."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: TaskFacts | None
    notice: codec.Notice | None
    source: TaskSource | None  # None when the file has errors


class Narrowed(NamedTuple):
    """What the cache holds for the files that may name an agency (`get_naming_as_indexed`),
    and what every file gives beside its task."""

    answers: list[Cached]  # in the order of the files
    problems: list[Diagnostic]  # every file's
    notices: list[tuple[str, codec.Notice]]  # every file's, when two notices share a number


class Entry(NamedTuple):
    """A file's entry in the index, in plain values (the index holds it in columns, `Index`)."""

    stat: tuple[int, int, int, int]  # a FileStat
    diagnostics: tuple[tuple[Any, ...], ...]  # codec.encode_diagnostics
    facts: tuple[Any, ...] | None  # codec.encode_facts
    notice: tuple[str, int, str] | None  # codec.encode_notice
    offset: int  # of the task's record, from the start of the records
    length: int  # 0: the file has errors, and no record
    crc: int  # CRC32 of the record
    task_length: int  # the record is the task's, then (if longer) its settled pairs'


# An entry's numbers, one row of the index per file: its stat (size, mtime_ns, inode,
# ctime_ns), its record's offset, length, CRC32 and task's length; its facts (the ordinals of
# `codec.encode_facts`, 0 for None, and the places of its names and supports in the index's
# table of names; an earliest due of 0: no facts); and its notice's place in the table of
# notices (0: none)
ROW = struct.Struct("<QqQqQ11I")
_RECORD = slice(4, 8)
_NO_FACTS = (0,) * 7
_ANY_STAT = itertools.repeat(None)  # `_answers`' stat of every file: the index's own


def bucket_of(rel: str) -> int:
    """The bucket of the index that holds a file's entry."""
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % BUCKETS


class Index:
    """An index as read: checked whole for its shape, each file's row when it is asked for.

    `encode_index` makes one; `Index.of` reads one back, or raises ValueError."""

    __slots__ = (
        "count",
        "diagnostics",
        "names",
        "notices",
        "paths",
        "raw_notices",
        "rows",
        "stats",
    )

    def __init__(
        self,
        paths: str,
        rows: bytes,
        names: list[tuple[str, ...]],
        raw_notices: list[Any],
        diagnostics: dict[int, Any],
        stats: bytes = b"",
    ) -> None:
        self.paths = paths  # joined by NUL, which no path holds
        self.rows = rows
        # the files' stats in a row, as a listing sends them (`store.Listing.packed`): a
        # listing that finds every file as it was gives these very bytes (b"": stats no
        # listing sends)
        self.stats = stats
        self.count = len(rows) // ROW.size
        self.names = names
        self.raw_notices = raw_notices  # as stored: what a cache written again copies
        # decoded once: the tasks of one notice share it. Place 0 is no notice
        self.notices: list[codec.Notice | None] = [None, *map(codec.decode_notice, raw_notices)]
        self.diagnostics = diagnostics  # by position: only files that have some

    @property
    def paths_and_stats(self) -> tuple[str, bytes]:
        """What a listing that finds every file as the index has it sends of itself
        (`store.Listing.paths_and_stats`)."""
        return self.paths, self.stats

    @classmethod
    def of(cls, value: Any) -> Index:
        if type(value) is not dict:
            raise ValueError("not an index")
        paths, rows, names, notices, diagnostics, stats = (value.get(key) for key in _INDEX_KEYS)
        if not (
            type(paths) is str
            and type(rows) is bytes
            and type(names) is list
            and type(notices) is list
            and type(diagnostics) is dict
            and type(stats) is bytes
        ):
            raise ValueError("not an index")
        count, rest = divmod(len(rows), ROW.size)
        if rest or (paths.count("\0") + 1 if paths else 0) != count:
            raise ValueError("not as many rows as paths")
        if stats and len(stats) != count * _STAT_SIZE:
            raise ValueError("not as many stats as paths")
        if not all(map(codec.is_texts, names)):
            raise ValueError("not names")
        if any(notice is None for notice in notices):
            raise ValueError("not a notice")
        if not all(type(at) is int and 0 <= at < count for at in diagnostics):
            raise ValueError("not a file's diagnostics")
        return cls(paths, rows, names, notices, diagnostics, stats)

    def positions_naming(self, names: frozenset[str]) -> list[int]:
        """The positions of the files whose facts give one of `names` (as lead or in
        support), and of those with a task but no facts, ascending; IndexError for a row
        whose names are not in the table.

        Found from the rows' columns and the table of names, which is what the index keeps of
        who each file names: at 100,000 files in 13–20 ms, where an inverted index written
        beside it cost each write of the cache 120–200 ms more (the index is written whole and
        again in buckets, and a listing after each edit writes it)."""
        giving = bytearray(len(self.names))  # 1 for a table entry that gives one of `names`
        for place, given in enumerate(self.names):
            if not names.isdisjoint(given):
                giving[place] = 1
        named, supports, earliest, lengths = _columns(
            self.rows, _NAMED_WORD, _SUPPORTS_WORD, _EARLIEST_WORD, _LENGTH_WORD
        )
        return [
            at
            for at, (lead, support, facts, length) in enumerate(
                zip(named, supports, earliest, lengths, strict=True)
            )
            # no earliest due: no facts, and a task (a record) to read whatever it names
            if (giving[lead] or giving[support] if facts else length)
        ]

    def problems(self) -> list[Diagnostic]:
        """Every file's diagnostics, in the order of the files; codec.Malformed for one that
        does not decode, or for a file kept without its task and without an error to say why
        (an index `TaskCache._answers` would not take whole)."""
        (lengths,) = _columns(self.rows, _LENGTH_WORD)
        out: list[Diagnostic] = []
        for at, length in enumerate(lengths):
            found = self.diagnostics.get(at)
            diagnostics = () if found is None else codec.decode_diagnostics(found)
            if not length:
                _refuse_unexplained(diagnostics)
            out.extend(diagnostics)
        return out

    def notices_in_conflict(self) -> list[tuple[str, codec.Notice]]:
        """(path, notice) of every file that gives a notice, in order, when two of the notices
        the files give share a number (`checking.across.notice_conflicts` then compares
        them); else none: the files of one number all give the same notice."""
        numbers = [notice_key(notice[0]) for notice in self.notices[1:] if notice]
        given = [number for number in numbers if number is not None]
        if len(given) == len(set(given)):
            return []
        paths = self.paths.split("\0")
        notices = self.notices
        out: list[tuple[str, codec.Notice]] = []
        lengths, places = _columns(self.rows, _LENGTH_WORD, _PLACE_WORD)
        for at, (length, place) in enumerate(zip(lengths, places, strict=True)):
            notice = notices[place]  # IndexError for a place of no notice
            if length and notice is not None:  # a file with errors gives no notice
                out.append((paths[at], notice))
        return out

    def rows_of(self, files: Iterable[str]) -> Iterator[tuple[int, tuple[int, ...] | None]]:
        """Each file's position in the index and row, in order; (-1, None) for a file it
        does not hold."""
        rows = self.rows
        listed = "\0".join(files)
        if listed == self.paths:  # in the order it was written in, the listing's: no lookup
            yield from enumerate(ROW.iter_unpack(rows))
            return
        place = {rel: at for at, rel in enumerate(self.paths.split("\0"))} if self.paths else {}
        size, unpack = ROW.size, ROW.unpack_from
        for rel in files:
            at = place.get(rel, -1)
            yield at, (None if at < 0 else unpack(rows, at * size))

    def entries(self) -> Iterator[tuple[str, Entry]]:
        """Every file's entry, as `encode_index` was given it."""
        paths = self.paths.split("\0") if self.paths else []
        for at, (rel, row) in enumerate(zip(paths, ROW.iter_unpack(self.rows), strict=True)):
            yield rel, self.entry(at, row)

    def entry(self, position: int, row: tuple[int, ...] | None = None) -> Entry:
        if row is None:
            row = ROW.unpack_from(self.rows, position * ROW.size)
        *stat, offset, length, crc, split = row[:8]
        *days, names, supports, notice = row[8:]
        facts = None if not days[1] else (*days, self.names[names], self.names[supports])
        return Entry(
            tuple(stat),  # type: ignore[arg-type]
            self.diagnostics.get(position, ()),
            facts,
            self.raw_notices[notice - 1] if notice else None,
            offset,
            length,
            crc,
            split,
        )


_INDEX_KEYS = ("paths", "rows", "names", "notices", "diagnostics", "stats")
# the type of `Index.stats`, a listing's (`store.Listing.packed`), four numbers a file
STATS = array.array("q")
_STAT_SIZE = STATS.itemsize * 4
# where a row's 4-byte fields lie (`ROW`): its record's length, its earliest due, the places
# of its names and supports in the table of names, its notice's place
WORD = array.array("I")
_LENGTH_WORD, _EARLIEST_WORD, _NAMED_WORD, _SUPPORTS_WORD, _PLACE_WORD = 10, 14, 18, 19, 20
_OFFSET_WORD = 8  # the low word of a record's offset; the high word follows it


def _columns(rows: bytes, *words: int) -> list[Sequence[int]]:
    """These 4-byte fields of every row (little-endian), each in a column, read in place
    without unpacking the rows one by one."""
    step = ROW.size // WORD.itemsize
    if sys.byteorder == "little":
        every: Sequence[int] = memoryview(rows).cast("I")
    else:  # pragma: no cover - a copy, its bytes swapped
        every = array.array(WORD.typecode, rows)
        every.byteswap()
    return [every[word::step] for word in words]


def _differing(old: bytes, new: bytes, width: int) -> list[int]:
    """The places of the `width`-byte items in which two byte strings of one length differ,
    ascending: found by halves, each compared whole, so that the few files an edit changes
    among 100,000 are found in well under a millisecond."""
    out: list[int] = []
    pending = [(0, len(old) // width)]  # (first item, how many), the next to look at last
    while pending:
        first, count = pending.pop()
        start, end = first * width, (first + count) * width
        if old[start:end] == new[start:end]:
            continue
        if count == 1:
            out.append(first)
            continue
        half = count // 2
        pending += [(first + half, count - half), (first, half)]
    return out


def _row(entry: tuple[Any, ...], facts: tuple[int, ...], notice: int) -> bytes:
    """An entry's row (`ROW`), with its facts' and notice's numbers; struct.error for a value
    no row can hold."""
    stat, _, _, _, offset, length, crc, split = entry
    return ROW.pack(*stat, offset, length, crc, split, *facts, notice)


def encode_index(
    entries: Iterable[tuple[str, tuple[Any, ...]]],
    names_before: Sequence[tuple[str, ...]] = (),
    notices_before: Sequence[Any] = (),
) -> dict[str, Any]:
    """The index of these files' entries (each an `Entry`, or its fields), in columns
    (`Index`), as plain values for marshal. Its tables of names and notices begin with
    `names_before` and `notices_before` (an index's own, whose rows it is to join)."""
    names = {name: place for place, name in enumerate(names_before)}
    notices = {notice: place for place, notice in enumerate(notices_before, 1)}
    if len(names) != len(names_before) or len(notices) != len(notices_before):
        raise ValueError("a table that names one thing twice")  # no writer made it
    diagnostics: dict[int, Any] = {}
    paths: list[str] = []
    rows = bytearray()
    stats: list[int] = []
    for at, (rel, entry) in enumerate(entries):
        stat, found, facts, notice, *_ = entry
        paths.append(rel)
        stats += stat
        if found:
            diagnostics[at] = found
        if facts is None:
            numbers: tuple[int, ...] = _NO_FACTS
        else:
            *days, named, supports = facts
            numbers = (
                *days,
                names.setdefault(named, len(names)),
                names.setdefault(supports, len(names)),
            )
        place = 0 if notice is None else notices.setdefault(notice, len(notices) + 1)
        rows += _row(entry, numbers, place)
    try:
        packed_stats = array.array(STATS.typecode, stats).tobytes()
    except OverflowError:  # a number past what a listing sends: no listing gives these stats
        packed_stats = b""
    return _index_value(paths, bytes(rows), list(names), list(notices), diagnostics, packed_stats)


def _index_value(
    paths: list[str],
    rows: bytes,
    names: list[tuple[str, ...]],
    notices: list[Any],
    diagnostics: dict[int, Any],
    stats: bytes,
) -> dict[str, Any]:
    """An encoded index as marshal writes it (`Index.of` reads it back)."""
    values = ("\0".join(paths), rows, names, notices, diagnostics, stats)
    return dict(zip(_INDEX_KEYS, values, strict=True))


class _Edit:
    """What a write after an edit changes of the index as read (`_write_appending`), in the
    listing's order: the files written, the runs of rows copied as they are, and the new
    entries, their records placed after the old ones."""

    __slots__ = ("_firsts", "added", "added_at", "end", "paths", "runs")

    def __init__(
        self,
        paths: list[str],
        runs: list[tuple[int, int, int]],
        added: list[tuple[str, Entry]],
        added_at: list[int],
        end: int,
    ) -> None:
        self.paths = paths
        self.runs = runs  # (old position, new position, how many)
        self.added = added
        self.added_at = added_at  # the new entries' positions
        self.end = end  # where the records end, the new ones after the old
        self._firsts = [first for first, _, _ in runs]  # for `_run_of`'s bisection

    @classmethod
    def of(
        cls,
        listed: Iterable[str],
        fresh: Mapping[str, tuple[Entry, bytes]],
        kept: Mapping[str, int],
        size: int,
    ) -> _Edit | None:
        """The edit these files make of an index of records of `size` bytes (`fresh`: the
        new entries, `kept`: the positions of those that hold); None when the files that hold
        come in another order than the index's, which every bucket would then change too."""
        runs: list[tuple[int, int, int]] = []
        added: list[tuple[str, Entry]] = []
        added_at: list[int] = []
        paths: list[str] = []
        last, end = -1, size
        for rel in listed:
            if rel in fresh:
                entry = fresh[rel][0]
                added_at.append(len(paths))
                added.append((rel, entry._replace(offset=end)))
                end += entry.length
            elif rel in kept:
                at = kept[rel]
                if at <= last:
                    return None
                if runs and at == last + 1 and runs[-1][1] + runs[-1][2] == len(paths):
                    runs[-1] = (runs[-1][0], runs[-1][1], runs[-1][2] + 1)
                else:
                    runs.append((at, len(paths), 1))
                last = at
            else:
                continue
            paths.append(rel)
        return cls(paths, runs, added, added_at, end)

    def _run_of(self, at: int) -> int | None:
        """The run that copies the row at this old position, if one does."""
        place = bisect.bisect_right(self._firsts, at) - 1
        first, _, count = self.runs[place] if place >= 0 else (0, 0, 0)
        return place if first <= at < first + count else None

    def now_at(self, at: int) -> int:
        """The new position of the row copied from this old position; ValueError for a row
        no run copies (the whole write then)."""
        place = self._run_of(at)
        if place is None:
            raise ValueError("a row that is not copied")
        first, into, _ = self.runs[place]
        return into + at - first

    def joined_index(self, old: Index, new: dict[str, Any]) -> dict[str, Any]:
        """The whole index after the edit (as `encode_index` makes one), of the old index's
        rows, stats and diagnostics that hold and of `new`, the added entries' index made
        with the old one's tables."""
        diagnostics: dict[int, Any] = {}
        for at, found in old.diagnostics.items():
            place = self._run_of(at)
            if place is not None:  # a file that still holds
                first, into, _ = self.runs[place]
                diagnostics[into + at - first] = found
        for place, found in new["diagnostics"].items():
            diagnostics[self.added_at[place]] = found
        row, stat = ROW.size, _STAT_SIZE
        pieces = [
            (into, old.rows[at * row : (at + count) * row], old.stats[at * stat : (at + count) * stat])
            for at, into, count in self.runs
        ] + [
            (into, new["rows"][i * row : (i + 1) * row], new["stats"][i * stat : (i + 1) * stat])
            for i, into in enumerate(self.added_at)
        ]  # fmt: skip
        pieces.sort(key=operator.itemgetter(0))
        return _index_value(
            self.paths,
            b"".join(rows for _, rows, _ in pieces),
            new["names"],
            new["notices"],
            diagnostics,
            b"".join(stats for _, _, stats in pieces),
        )


class TaskCache:
    """The cache of one data root. With `only`, the entry of that one file is read (its
    bucket of the index; `""`: none, the registry alone) and nothing is ever written: an
    answer about one task, or an edit."""

    def __init__(
        self,
        root: Path,
        registry_bytes: bytes,
        *,
        enabled: bool = True,
        only: str | None = None,
        write_behind: bool = False,
    ) -> None:
        self.folder = cache_folder(root)
        self.path = self.folder / FILE_NAME
        self.enabled = enabled
        self.key = _key(registry_bytes)
        self._fd = -1  # the cache file as read: its records are read from it on demand
        self._base = 0  # where records start in the file
        self._size = 0  # how many bytes of records follow
        # where the lookup (offset, length, CRC32) and the buckets begin in the file as read:
        # a write that appends to it copies the buckets that still hold (`_write_appending`)
        self._lookup_at = (0, 0, 0)
        self._buckets_at = 0
        self._index: Index | None = None  # as read: each row checked when asked for
        # where the records of the index as read lie (its rows): kept, with the file, while
        # a task may still be read from it
        self._rows = b""
        # the files of the index as read that still hold, this run found, by position: copied
        # to the next file as they are (their records too)
        self._kept: dict[str, int] = {}
        self._listed: list[str] = []  # the files asked for, in order: the next index's order
        self._registry: tuple[Registry | None, list[Diagnostic]] | None = None
        # new entries to write, with their records
        self._fresh: dict[str, tuple[Entry, bytes]] = {}
        # analyses to write whose encodings are the writer's to make (`put`, `_write`)
        self._unencoded: dict[str, tuple[FileStat, Analysed]] = {}
        self._dirty = False
        self._temp: tuple[int, str] | None = None  # fd and name of the file being written
        self._read_from: int | None = None  # the clock when this run began reading files
        self._reread: Callable[[str], Task | None] = lambda rel: None
        # what `get_all_as_indexed` found before it guessed, for `forget_guess` to undo
        self._guessed: tuple[dict[str, int], bool] | None = None
        self._only = only
        # with `write_behind`, `save` leaves the writing of many entries to a child
        # (`split.behind`), which the caller waits for (`split.wait_behind`) once it has answered
        self._write_behind = write_behind
        self._left_to_child = False  # whether `save` left the writing to a child
        if enabled:
            split.wait_behind()  # a cache this process is still writing is the one to read
            self._read()
        if only is not None:
            self.enabled = False  # what one file's answer learns is never written back

    # --- reading ------------------------------------------------------------------------------

    def _read(self) -> None:
        # only the header and the index are read now; each record is read (pread) when its
        # task is first needed, so a listing that skips most tasks reads little of the file.
        # The file is kept open: a writer replaces it (a new inode) and never changes it in
        # place, so what this run reads stays the one file it checked.
        opened = open_owned(self.path)
        if opened is None:
            return
        fd, total = opened
        try:
            start = len(MAGIC) + HEADER.size
            head = os.pread(fd, start, 0)
            if len(head) != start or not head.startswith(MAGIC):
                raise ValueError("not a tbtrack cache")
            fmt, *sections, key = HEADER.unpack_from(head, len(MAGIC))
            if fmt != FORMAT:  # an older or newer tbtrack's cache: rebuilt in our format
                raise ValueError("another format")
            if key != self.key:
                raise ValueError("another registry or tbtrack")
            registry_length, registry_crc, length, crc, lookup_length, lookup_crc = sections
            if start + registry_length + length + lookup_length > total:
                raise ValueError("truncated")  # before a read of that many bytes is tried
            registry = _section(fd, start, registry_length, registry_crc)
            buckets_at = start + registry_length + length + lookup_length
            lookup_at = (start + registry_length + length, lookup_length, lookup_crc)
            if self._only is None:
                whole = _shaped(
                    _section(fd, start + registry_length, length, crc),
                    {"files": dict, "size": int, "lookups": int},
                )
                index: Index | None = Index.of(whole["files"])
                size, base = whole["size"], buckets_at + whole["lookups"]
            else:
                index, size, base = _one_bucket(
                    fd,
                    _section(fd, *lookup_at),
                    buckets_at,
                    bucket_of(self._only) if self._only else None,
                    total,
                )
            if total != base + size:
                raise ValueError("truncated, or grown by something else")
            self._registry = codec.decode_registry(marshal.loads(registry))
        except Exception:  # anything unreadable is simply not used
            os.close(fd)
            self._registry = None
            return
        self._fd = fd
        weakref.finalize(self, os.close, fd)  # when no task is left to read from it
        self._base = base
        self._size = size
        self._lookup_at = lookup_at
        self._buckets_at = buckets_at
        self._index = index
        self._rows = b"" if index is None else index.rows

    def _record(self, offset: int, length: int) -> bytes:
        try:
            return os.pread(self._fd, length, self._base + offset) if self._fd >= 0 else b""
        except OSError:
            return b""

    @property
    def holds_registry(self) -> bool:
        """Whether the cache holds this agencies.yaml analysed (`registry` builds it if not)."""
        return self._registry is not None

    def registry(
        self, build: Callable[[], tuple[Registry | None, list[Diagnostic]]]
    ) -> tuple[Registry | None, list[Diagnostic]]:
        """The analysed agencies.yaml: from the cache (its key holds the file's bytes) or built."""
        if self._registry is None:
            self._registry = build()
            self._dirty = True
        return self._registry

    def paths(self) -> set[str]:
        """The files the index as read holds an entry for."""
        return {rel for rel, _ in self._index.entries()} if self._index is not None else set()

    def get(self, rel: str, stat: FileStat, reread: Callable[[str], Task | None]) -> Cached | None:
        """What the cache holds for a file in this state, or None: analyse it, and `put` it.

        `reread` gives the task of the file afresh, for a record found damaged when decoded.
        """
        return self.get_all({rel: stat}, reread)[0]

    def get_all(
        self, files: Mapping[str, FileStat], reread: Callable[[str], Task | None]
    ) -> list[Cached | None]:
        """`get` of each file, in order: the loop a warm run of 100,000 files spends its time
        in, with each row's fields unpacked in place rather than through calls."""
        self._reread = reread
        self._listed = list(files)
        index = self._index
        if index is not None:
            return self._answers(index, zip(files.items(), index.rows_of(files), strict=True))
        if files:  # no index: every file is read
            self._start_reading()
        return [None] * len(files)

    def has_index(self) -> bool:
        """Whether an index was read that a listing can be checked against whole."""
        return self._index is not None and bool(self._index.stats) and self.enabled

    def get_all_as_indexed(
        self, reread: Callable[[str], Task | None]
    ) -> list[Cached | None] | None:
        """`get_all` of the files the index holds, as if each were as the index has it (a
        listing of tasks/ made meanwhile tells whether it is: `changed_as_listed`); None
        without an index to go by (`has_index`)."""
        index = self._guess(reread)
        if index is None:
            return None
        # as many rows as paths (`Index.of`); each path's stat, the row's own
        as_indexed = zip(self._listed, _ANY_STAT, strict=False)
        rows = enumerate(ROW.iter_unpack(index.rows))
        return self._answers(index, zip(as_indexed, rows, strict=True))

    def get_naming_as_indexed(
        self, reread: Callable[[str], Task | None], names: frozenset[str]
    ) -> Narrowed | None:
        """`get_all_as_indexed` of the files whose facts may give one of `names` (as lead or
        in support; `Index.positions_naming`), with every file's problems and the notices to
        compare; None without an index to go by, or when it holds an entry `get_all` would
        not take. The other files' entries are kept as they are, their tasks never made: a
        query about one agency costs what that agency owes, not the repository."""
        index = self._guess(reread)
        if index is None:
            return None
        listed = self._listed
        try:
            positions = index.positions_naming(names)
            problems = index.problems()
            notices = index.notices_in_conflict()
        except (ValueError, IndexError):
            return None
        self._kept.update(zip(listed, range(index.count), strict=True))
        size, unpack, rows = ROW.size, ROW.unpack_from, index.rows
        answers = self._answers(
            index, (((listed[at], None), (at, unpack(rows, at * size))) for at in positions)
        )
        if None in answers:
            return None
        return Narrowed(cast("list[Cached]", answers), problems, notices)

    def _guess(self, reread: Callable[[str], Task | None]) -> Index | None:
        """The index to take the files' entries from as it has them, and the state to return
        to when a listing finds otherwise (`forget_guess`)."""
        index = self._index
        if index is None or not self.has_index():
            return None
        self._reread = reread
        self._listed = index.paths.split("\0") if index.paths else []
        self._guessed = self._kept.copy(), self._dirty
        return index

    def changed_as_listed(self, paths: str, stats: bytes) -> list[int] | None:
        """The positions of the files whose stats a listing of these paths (joined by NUL) and
        stats (`Listing.packed`) finds otherwise than the index has them ([]: what
        `get_all_as_indexed` gave holds); None when it lists other files, or in another order.
        """
        index = self._index
        if index is None or not self.has_index() or paths != index.paths:
            return None
        if len(stats) != len(index.stats):
            return None
        return _differing(index.stats, stats, _STAT_SIZE)

    def let_go(self, answers: list[Cached | None], changed: Sequence[int]) -> list[Cached | None]:
        """What `get_all_as_indexed` gave, the files at these positions to be read again (a
        listing found them changed, `changed_as_listed`): what `get_all` gives, without asking
        the cache file by file again."""
        for at in changed:
            answers[at] = None
            self._kept.pop(self._listed[at], None)
        if changed:
            self._dirty = True
            self._start_reading()
        self._guessed = None
        return answers

    def forget_guess(self) -> None:
        """Undo what `get_all_as_indexed` kept, when its answers do not hold: `get_all`
        then."""
        if self._guessed is not None:
            self._kept, self._dirty = self._guessed
            self._listed = []
            self._guessed = None

    def _answers(
        self,
        index: Index,
        listed: Iterable[tuple[tuple[str, FileStat | None], tuple[int, tuple[int, ...] | None]]],
    ) -> list[Cached | None]:
        """What the cache holds for each (file, its stat) and its (position, row) in the index,
        in order; a stat of None is taken to be the row's own."""
        out: list[Cached | None] = []
        append = out.append
        kept = self._kept
        stored_diagnostics, names, notices = index.diagnostics, index.names, index.notices
        decode_diagnostics, facts_from = codec.decode_diagnostics, codec.facts_from
        for (rel, stat), (at, row) in listed:
            if row is not None and (stat is None or row[:4] == stat):
                try:
                    length, split = row[5], row[7]
                    closed, earliest, last, begins, settled, named, supports, place = row[8:]
                    found = stored_diagnostics.get(at)
                    diagnostics = () if found is None else decode_diagnostics(found)
                    if not length:
                        _refuse_unexplained(diagnostics)
                    if split > length:
                        raise codec.Malformed("a task longer than its record")
                    facts = None
                    if earliest:
                        facts = facts_from(
                            closed, earliest, last, begins, settled, names[named],
                            names[supports],
                        )  # fmt: skip
                    source = _new_stored(self, at, rel) if length else None
                    # built as a tuple: the Python-level constructor would cost more
                    append(_new(Cached, (rel, diagnostics, facts, notices[place], source)))
                    kept[rel] = at
                    continue
                except (ValueError, IndexError):
                    pass  # a malformed entry: the file is read instead
            self._dirty = True
            self._start_reading()
            append(None)
        return out

    def _start_reading(self) -> None:
        if self._read_from is None and self.enabled:
            self._read_from = self._start_writing()  # before any file is read: RACY_NS

    def put(self, stat: FileStat, result: Analysed) -> None:
        """Keep what the analysis of a file found, unless the file is too new to be trusted.
        Its encodings are made now, or with `write_behind` by the child that writes them."""
        if not self._may_keep(stat):
            return
        if result.encoded is None and self._write_behind:
            self._unencoded[result.path] = (stat, result)
            self._dirty = True
        else:
            self._keep(stat, result.path, result.encoded or _encoded(result))

    @property
    def encodes_behind(self) -> bool:
        """Whether the analyses `put` keeps are encoded by the writer (`write_behind`): the
        process that analyses them need not."""
        return self._write_behind

    def put_packed(self, stat: FileStat, packed: Packed) -> None:
        """`put` of an analysis a forked child sent, as it came: already in our encodings."""
        if self._may_keep(stat):
            self._keep(stat, packed.cached.path, packed.encoded)

    def _may_keep(self, stat: FileStat) -> bool:
        read_from = self._read_from
        return read_from is not None and max(stat.mtime_ns, stat.ctime_ns) + RACY_NS < read_from

    def _keep(self, stat: FileStat, rel: str, encoded: Encoded) -> None:
        diagnostics, facts, notice, record, task_length = encoded
        entry = Entry(
            tuple(stat),  # type: ignore[arg-type]
            diagnostics,
            facts,
            notice,
            0,
            len(record),
            zlib.crc32(record),
            task_length,
        )
        try:  # a stat or record no row can hold (a time past 2262) is not kept: read each run
            _row(entry, _NO_FACTS, 0)
        except struct.error:
            return
        self._fresh[rel] = (entry, record)
        self._dirty = True

    def _task_at(self, position: int, rel: str) -> Task:
        """The task of the file at this position of the index as read."""
        where = self._where(position)
        task = self._from_record(where, lambda record: codec.decode_task(record[: where[3]]))
        return _or_reread(task, rel, self._reread)

    def _settled_at(self, position: int) -> Settled | None:
        """A task's settled pairs: None when it has none, or (count it from the task) when the
        record is damaged."""
        where = self._where(position)
        split, length = where[3], where[1]
        if split == length:
            return None
        return self._from_record(
            where, lambda record: codec.decode_settled(record[split:], self._discard)
        )

    def _where(self, position: int) -> tuple[int, int, int, int]:
        return ROW.unpack_from(self._rows, position * ROW.size)[_RECORD]

    def _from_record(
        self, where: tuple[int, int, int, int], decode: Callable[[bytes], R]
    ) -> R | None:
        """What `decode` makes of a task's record (offset, length, CRC32, task's length), read
        whole and as written (its CRC32); None when it cannot, and the cache is let go."""
        offset, length, crc, _ = where
        record = self._record(offset, length)
        try:
            if len(record) == length and zlib.crc32(record) == crc:
                return decode(record)
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
        """Write what this run learnt, if anything, once: the tasks' records are still read
        from the old file on demand, but the index as read is let go."""
        try:
            self._save()
        finally:
            if not self._left_to_child:
                self._fresh = {}
                self._unencoded = {}
                self._index = None
                self._kept = {}
                self._listed = []
            # else kept until the command ends, soon: freeing 10,000 new records one by one
            # would cost the answer 30 ms, and the child writing them has its own copy
            self.enabled = False  # written or not, a second save would know less than this one

    def _save(self) -> None:
        if not self.enabled:
            return
        if self._index is not None and len(self._kept) < self._index.count:
            self._dirty = True  # files that were deleted or renamed
        if not self._dirty:
            self._abandon()
            return
        if self._temp is None:
            self._start_writing()
        if self._temp is None:
            return
        fd, name = self._temp
        self._temp = None
        # many entries take a while to write (0.1 s at 10,000 tasks, cold): a child writes
        # them while this process answers; this process's state is the child's to write
        behind = self._write_behind and len(self._listed) >= split.MIN_ITEMS
        if behind and split.behind(lambda: self._written(fd, name)):
            os.close(fd)
            self._left_to_child = True
        elif not self._written(fd, name):
            return
        self._dirty = False

    def _written(self, fd: int, name: str) -> bool:
        """The new file written to `fd` (closed then) and put in place of the old; False when
        it could not be, and then removed."""
        try:
            try:
                self._write(fd)
            finally:
                os.close(fd)
            os.replace(name, self.path)
        except Exception:  # a full disk, say: no cache this time
            _remove(name)
            return False
        _sweep(self.folder)
        return True

    def _write(self, fd: int) -> None:
        for rel, (stat, result) in self._unencoded.items():
            self._keep(stat, rel, _encoded(result))
        self._unencoded = {}
        if self._write_appending(fd):
            return
        written: dict[str, Entry] = {}
        # the records of the entries still true are copied from the old file, one run of
        # adjacent records at a time (a listing after an edit keeps all but one, in the order
        # it wrote them): by the kernel, not through this process. The old file is never
        # changed in place (a writer replaces it), and a record copied keeps its CRC32, which
        # is checked whenever it is read
        runs: list[tuple[int, int]] = []  # (offset in the old records, length)
        offset = 0
        fresh, kept, old = self._fresh, self._kept, self._index
        for rel in self._listed:
            if rel in fresh or rel not in kept or old is None:
                continue
            entry = old.entry(kept[rel])
            start, length = entry.offset, entry.length
            if length:
                # a record past the old file's end stops the copy (`_copy`): nothing is written
                if runs and sum(runs[-1]) == start:
                    runs[-1] = (runs[-1][0], runs[-1][1] + length)
                else:
                    runs.append((start, length))
            written[rel] = entry._replace(offset=offset)
            offset += length
        records: list[bytes] = []
        for rel, (entry, record) in fresh.items():
            if entry.length:
                records.append(record)
            written[rel] = entry._replace(offset=offset)
            offset += entry.length
        # the index lists the files in the order they were asked for (the listing's), so that
        # the next run finds each at its place without a lookup
        entries = [(rel, written[rel]) for rel in self._listed if rel in written]
        grouped: list[list[tuple[str, Entry]]] = [[] for _ in range(BUCKETS)]
        for rel, entry in entries:
            grouped[bucket_of(rel)].append((rel, entry))
        version = codec.MARSHAL_VERSION
        buckets = [marshal.dumps(encode_index(bucket), version) for bucket in grouped]
        layout = [(len(b), zlib.crc32(b)) for b in buckets]
        _write_all(fd, [*self._head(encode_index(entries), offset, layout), *buckets])
        for start, length in runs:
            _copy(self._fd, self._base + start, length, fd)
        _write_all(fd, records)

    def _head(
        self, index: dict[str, Any], size: int, buckets: list[tuple[int, int]]
    ) -> list[bytes]:
        """The file's magic and header and its three sections, for an encoded index of records
        of this size and buckets of these lengths and CRC32s."""
        assert self._registry is not None
        version = codec.MARSHAL_VERSION
        lookups = sum(length for length, _ in buckets)
        sections = (
            marshal.dumps(codec.encode_registry(self._registry), version),
            marshal.dumps({"files": index, "size": size, "lookups": lookups}, version),
            marshal.dumps({"buckets": buckets, "size": size}, version),
        )
        lengths = [n for section in sections for n in (len(section), zlib.crc32(section))]
        return [MAGIC + HEADER.pack(FORMAT, *lengths, self.key), *sections]

    def _write_appending(self, fd: int) -> bool:
        """The cache written as the file read with this run's changes, when the records of that
        file can all stay where they are; False, with nothing written, when they cannot.

        The rows of the files that still hold are copied as they are, the new records follow
        a copy of the old ones, and every bucket that holds none of the files that changed
        is copied byte for byte: at 100,000 files the first listing after an edit writes in a
        fraction of the time that encoding every entry again takes. The records of files let
        go stay in the file, unread, until they would be more than UNREAD_AT_MOST of it; the
        whole write (`_write`) then leaves them out. It is also the one for an old file whose
        files this listing orders otherwise, or that holds a row of a record past its end."""
        old, size = self._index, self._size
        if old is None or not old.stats or self._fd < 0:
            return False
        edit = _Edit.of(self._listed, self._fresh, self._kept, size)
        if edit is None:
            return False
        low, high, lengths = _columns(old.rows, _OFFSET_WORD, _OFFSET_WORD + 1, _LENGTH_WORD)
        if any(high) or max(map(operator.add, low, lengths), default=0) > size:
            return False  # a record past the old ones: the whole write refuses to copy it
        unread = size - sum(sum(lengths[at : at + count]) for at, _, count in edit.runs)
        if unread > UNREAD_AT_MOST * edit.end:
            return False
        try:
            table, old_size = _bucket_table(_section(self._fd, *self._lookup_at))
            new = encode_index(edit.added, old.names, old.raw_notices)
            if old_size != size or (edit.added and not new["stats"]):
                raise ValueError("a lookup of other records, or a stat no listing sends")
            starts = _bucket_starts(table, self._buckets_at)
            rebuilt = self._rebuilt_buckets(old, edit, table, starts)
        except (ValueError, IndexError, EOFError, TypeError):  # an old part that does not read
            return False
        layout = [
            (len(rebuilt[number]), zlib.crc32(rebuilt[number])) if number in rebuilt else held
            for number, held in enumerate(table)
        ]
        _write_all(fd, self._head(edit.joined_index(old, new), edit.end, layout))
        copying = (0, 0)  # (from, length) of old buckets next to each other, copied as one
        for number, (length, _) in enumerate(table):
            if number not in rebuilt and sum(copying) == starts[number]:
                copying = (copying[0], copying[1] + length)
                continue
            _copy(self._fd, *copying, fd)
            copying = (starts[number], length if number not in rebuilt else 0)
            if number in rebuilt:
                _write_all(fd, [rebuilt[number]])
        _copy(self._fd, *copying, fd)
        _copy(self._fd, self._base, size, fd)
        _write_all(fd, [self._fresh[rel][1] for rel, entry in edit.added if entry.length])
        return True

    def _rebuilt_buckets(
        self, old: Index, edit: _Edit, table: list[tuple[int, int]], starts: list[int]
    ) -> dict[int, bytes]:
        """The buckets an edit changes, encoded again: those of the files added, changed or let
        go, each with the files of its old self that still hold (ValueError, IndexError or
        EOFError for an old bucket that does not read)."""
        touched = {bucket_of(rel) for rel, _ in edit.added}
        if sum(count for *_, count in edit.runs) < old.count:  # files let go
            old_paths = old.paths.split("\0")
            gaps = itertools.pairwise([(0, 0, 0), *edit.runs, (old.count, 0, 0)])
            for (at, _, count), (following, _, _) in gaps:
                touched.update(bucket_of(rel) for rel in old_paths[at + count : following])
        members: dict[int, list[tuple[int, str, Entry]]] = {number: [] for number in touched}
        for (rel, entry), position in zip(edit.added, edit.added_at, strict=True):
            members[bucket_of(rel)].append((position, rel, entry))
        rebuilt: dict[int, bytes] = {}
        for number in sorted(touched):
            length, crc = table[number]
            was = Index.of(marshal.loads(_section(self._fd, starts[number], length, crc)))
            for rel in was.paths.split("\0") if was.paths else ():
                held_at = self._kept.get(rel)
                if held_at is not None and rel not in self._fresh:
                    members[number].append((edit.now_at(held_at), rel, old.entry(held_at)))
            ordered = sorted(members[number], key=operator.itemgetter(0))
            rebuilt[number] = marshal.dumps(
                encode_index((rel, entry) for _, rel, entry in ordered), codec.MARSHAL_VERSION
            )
        return rebuilt

    def _abandon(self) -> None:
        if self._temp is not None:
            fd, name = self._temp
            self._temp = None
            os.close(fd)
            _remove(name)


class StoredTask:
    """A task whose record lies in the cache file as read: read and decoded when first used.
    Three references a task: what a listing of 100,000 tasks keeps of each until it ends."""

    __slots__ = ("_cache", "_position", "_rel")

    def __init__(self, cache: TaskCache, position: int, rel: str) -> None:
        self._cache = cache
        self._position = position
        self._rel = rel

    def task(self) -> Task:
        return self._cache._task_at(self._position, self._rel)

    def settled(self) -> Settled | None:
        return self._cache._settled_at(self._position)


_new = tuple.__new__


def _new_stored(cache: TaskCache, position: int, rel: str) -> StoredTask:
    # without the call of __init__: a warm listing makes 100,000 of them
    stored = object.__new__(StoredTask)
    stored._cache, stored._position, stored._rel = cache, position, rel
    return stored


def _section(fd: int, offset: int, length: int, crc: int) -> bytes:
    """A section of the cache file, whole and as written (its CRC32), or ValueError."""
    data = os.pread(fd, length, offset)
    if len(data) != length or zlib.crc32(data) != crc:
        raise ValueError("damaged section")
    return data


def _shaped(data: bytes, shape: Mapping[str, type]) -> dict[str, Any]:
    """The marshalled dict of a section, with these keys of these types, or ValueError."""
    value = marshal.loads(data)
    if type(value) is not dict or any(type(value.get(k)) is not t for k, t in shape.items()):
        raise ValueError("not a section of this shape")
    return value


def _bucket_table(lookup: bytes) -> tuple[list[tuple[int, int]], int]:
    """The length and CRC32 of each bucket, and the records' size, from the lookup section;
    ValueError when it is not one."""
    table = _shaped(lookup, {"buckets": list, "size": int})
    buckets = table["buckets"]
    if len(buckets) != BUCKETS or not all(
        type(b) is tuple and len(b) == 2 and type(b[0]) is type(b[1]) is int and b[0] >= 0
        for b in buckets
    ):
        raise ValueError("not a lookup")
    return buckets, table["size"]


def _one_bucket(
    fd: int, lookup: bytes, first: int, number: int | None, total: int
) -> tuple[Index | None, int, int]:
    """The index of one bucket (None for `number` None; the buckets begin at `first`, the
    file is `total` bytes), the records' size and where the records begin."""
    buckets, size = _bucket_table(lookup)
    starts = _bucket_starts(buckets, first)
    records = starts[-1]  # they follow the last bucket
    if records > total:
        raise ValueError("truncated")
    if number is None:
        return None, size, records
    length, crc = buckets[number]
    return Index.of(marshal.loads(_section(fd, starts[number], length, crc))), size, records


def _bucket_starts(buckets: list[tuple[int, int]], first: int) -> list[int]:
    """Where each bucket of these lengths begins when the first begins at `first`, and where
    the last one ends."""
    return list(itertools.accumulate((length for length, _ in buckets), initial=first))


# an analysis in the cache's encodings: its diagnostics, facts and notice as an entry holds
# them, the task's record followed by its settled pairs' (if any), and the task's part's length
Encoded = tuple[tuple[tuple[Any, ...], ...], tuple[int, ...] | None, Any, bytes, int]


def encoding(result: Analysed) -> Analysed:
    """The analysis with its encodings for the cache: made by the process that analysed it, so
    that a cold read's two processes make theirs at once (the child sends its own, `pack`)."""
    return result._replace(encoded=_encoded(result))


def _encoded(result: Analysed) -> Encoded:
    task, facts = result.task, result.facts
    record = codec.encode_task(task) if task is not None else b""
    task_length = len(record)
    if task is not None and result.settled is not None:
        record += codec.encode_settled(result.settled)
    return (
        codec.encode_diagnostics(result.diagnostics),
        None if facts is None else codec.encode_facts(facts),
        codec.encode_notice(result.notice),
        record,
        task_length,
    )


class Packed(NamedTuple):
    """An analysis a forked child sent: what a listing needs of it now (`cached`), its task
    and settled pairs decoded only when used, and the encodings it came in, for the cache."""

    cached: Cached
    encoded: Encoded


def pack_analysed(result: Analysed) -> tuple[Any, ...]:
    """An analysis as plain values for `marshal`, in the cache's own encodings."""
    return (result.path, *(result.encoded or _encoded(result)))


def unpack_analysed(value: Any, reread: Callable[[str], Task | None]) -> Packed:
    """What `pack_analysed` made, read back as the cache reads an entry: its diagnostics, facts
    and notice decoded and checked now (ValueError if they are not), its task when first used
    (a record that does not decode then: the file is read again, as `reread` reads it)."""
    if type(value) is not tuple or len(value) != 6:
        raise codec.Malformed("not an analysis")
    path, diagnostics, facts, notice, record, task_length = value
    if (
        type(path) is not str
        or type(record) is not bytes
        or type(task_length) is not int
        or not 0 <= task_length <= len(record)
        or type(diagnostics) is not tuple
    ):
        raise codec.Malformed("not an analysis")
    found = codec.decode_diagnostics(diagnostics)
    if not task_length:
        _refuse_unexplained(found)
    cached = Cached(
        path,
        found,
        None if facts is None else codec.decode_facts(facts),
        codec.decode_notice(notice),
        SentTask(path, record, task_length, reread) if task_length else None,
    )
    return Packed(cached, (diagnostics, facts, notice, record, task_length))


def _refuse_unexplained(diagnostics: tuple[Diagnostic, ...]) -> None:
    """A file kept without its task must have an error that says why: else not an entry."""
    if not any(d.severity == "error" for d in diagnostics):
        raise codec.Malformed("a task left out without an error to say why")


class SentTask:
    """A task a forked child sent as its record: decoded when first used, and read from the
    file again if it does not decode."""

    __slots__ = ("_record", "_rel", "_reread", "_task_length")

    def __init__(
        self, rel: str, record: bytes, task_length: int, reread: Callable[[str], Task | None]
    ) -> None:
        self._rel = rel
        self._record = record  # the task's, then its settled pairs' (if any)
        self._task_length = task_length
        self._reread = reread

    def task(self) -> Task:
        try:
            task: Task | None = codec.decode_task(self._record[: self._task_length])
        except Exception:  # a record of another shape: read the file itself
            task = None
        return _or_reread(task, self._rel, self._reread)

    def settled(self) -> Settled | None:
        """Its settled pairs; None when it has none, or (count the task from its rows) when
        they do not decode."""
        if self._task_length == len(self._record):
            return None
        try:
            return codec.decode_settled(self._record[self._task_length :], lambda: None)
        except Exception:
            return None


def _or_reread(task: Task | None, rel: str, reread: Callable[[str], Task | None]) -> Task:
    if task is None:  # a damaged record: read the file itself
        task = reread(rel)
    if task is None:  # pragma: no cover - the file changed under us
        raise RuntimeError(f"{rel} changed while it was being read; run again")
    return task


def _write_all(fd: int, parts: list[bytes]) -> None:
    """Every part, in order, a thousand at a time (`writev`; a short write goes on from where
    it stopped)."""
    for first in range(0, len(parts), _PARTS_PER_WRITE):
        batch = [memoryview(part) for part in parts[first : first + _PARTS_PER_WRITE] if part]
        at = 0
        while at < len(batch):
            written = os.writev(fd, batch[at:])
            while at < len(batch) and written >= len(batch[at]):
                written -= len(batch[at])
                at += 1
            if at < len(batch):
                batch[at] = batch[at][written:]


_PARTS_PER_WRITE = 1024  # IOV_MAX on Linux


def _copy(source: int, position: int, length: int, out: int) -> None:
    """`length` bytes of `source` from `position` on, appended to `out`: by the kernel where it
    can (`copy_file_range`), else read and written a mebibyte at a time."""
    while length:
        try:
            copied = os.copy_file_range(source, out, length, position)
        except (AttributeError, OSError):  # not Linux, another file system: copied by hand
            copied = _copy_by_hand(source, position, min(length, 1 << 20), out)
        if copied <= 0:
            raise ValueError("the old cache is shorter than its index says")
        position += copied
        length -= copied


def _copy_by_hand(source: int, position: int, length: int, out: int) -> int:
    chunk = os.pread(source, length, position)
    _write_all(out, [chunk])
    return len(chunk)


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
def code_fingerprint() -> bytes:
    """tbtrack's own source files: an edited checkout must not use what older code cached."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [__version__]
    with contextlib.suppress(OSError):
        _source_files(package, "", parts)
    return "\0".join(parts).encode()


def _source_files(folder: str, prefix: str, parts: list[str]) -> None:
    # os.scandir: every run takes this fingerprint, and pathlib's rglob costs a few ms more
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _source_files(entry.path, f"{prefix}{entry.name}/", parts)
        elif entry.name.endswith(".py"):
            st = entry.stat()
            parts.append(f"{prefix}{entry.name}:{st.st_size}:{st.st_mtime_ns}")


def _key(registry_bytes: bytes) -> bytes:
    return hashed(b"%d\0%s\0%s" % (FORMAT, code_fingerprint(), registry_bytes))
