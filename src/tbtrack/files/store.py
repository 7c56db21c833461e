"""Where the data lives: the data root, the task files and their IDs (SPEC 2)."""

from __future__ import annotations

import array
import datetime as dt
import functools
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import RootNotFound, UsageError
from ..messages import Message
from .diagnostics import Diagnostic

AGENCIES_FILE = "agencies.yaml"
TASKS_DIR = "tasks"
CONFIG_FILE = "tbtrack.toml"
CACHE_DIR = ".tbtrack"
TASK_SUFFIX = ".yaml"
SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def find_root(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """`--root`, else `$TBTRACK_ROOT`, else the nearest folder at or above cwd with agencies.yaml."""
    given = explicit or environ.get("TBTRACK_ROOT")
    if given:
        root = Path(given).expanduser()
        if not (root / AGENCIES_FILE).is_file():
            raise RootNotFound(Message("not-a-root", {"root": str(root), "given": given}))
        return root.resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / AGENCIES_FILE).is_file():
            return folder
    raise RootNotFound(Message("no-root"))


def task_id(rel_path: str) -> str:
    """`tasks/tgv-2025-06-06/2c.yaml` -> `tgv-2025-06-06/2c`."""
    inner = rel_path[len(TASKS_DIR) + 1 :]
    return inner[: -len(TASK_SUFFIX)]


def notice_folder(identifier: str) -> str:
    """The folder under `tasks/` of a task's notice (for a task at the top, its own ID)."""
    return identifier.rpartition("/")[0] or identifier


def notice_ref(number: str | None, folder: str) -> str:
    """How a notice is referred to: its number ("47-TB/TGV"), else its folder ("tgv-2025-06-06"),
    the secretariat's own short name for it, unique, and what `--notice` finds it by; its title
    is a long sentence, alike from one meeting's notice to the next."""
    return number or folder


def notice_name(number: str | None, folder: str, date: dt.date) -> str:
    """A notice's name wherever one row stands for it (`summary --by notice`, the report's
    counts by notice): its reference and its date, "tgv-2025-06-06 (2025-06-06)"."""
    return f"{notice_ref(number, folder)} ({date.isoformat()})"


def task_path(identifier: str) -> str:
    return f"{TASKS_DIR}/{identifier}{TASK_SUFFIX}"


def bare_id(text: str) -> str:
    """An ID as typed, less white space, a trailing `/`, a `tasks/` prefix and `.yaml`."""
    wanted = text.strip().rstrip("/")
    return wanted.removeprefix(f"{TASKS_DIR}/").removesuffix(TASK_SUFFIX)


def id_problem(identifier: str) -> str | None:
    """Why `identifier` is not a valid task ID, or None."""
    if not identifier:
        return "an ID is empty"
    for segment in identifier.split("/"):
        if not SEGMENT.match(segment):
            return (
                f"'{segment}' is not a valid ID segment: use lowercase ASCII letters, digits, "
                "'.', '_' and '-', starting with a letter or digit"
            )
    return None


class FileStat(NamedTuple):
    """What the cache compares: a tuple, as 100,000 of them are made on each run."""

    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int = 0  # changes with any write, and cannot be set back like mtime


_STAT_BYTES = len(FileStat._fields) * array.array("q").itemsize  # a file's stat, packed


class Listing(NamedTuple):
    """The files under tasks/: task files by relative path, and what is not a task file."""

    tasks: dict[str, FileStat]
    strays: list[str]  # files in tasks/ that are not read (wrong suffix), reported by check
    # task files and folders that cannot be read, and a tasks/ outside the data root: errors
    problems: list[Diagnostic]
    # files and folders whose names start with a dot, never read nor entered: among them the
    # temporary files of interrupted writes, which check names (`checking.leftovers`)
    hidden: list[str]

    def packed(self) -> tuple[Any, ...]:
        """The listing as plain values, for `marshal` (what a forked child sends): the paths in
        one string and the stats as one array of numbers, which cost least to send and read."""
        problems = [tuple(problem) for problem in self.problems]
        return *self.paths_and_stats(), self.strays, problems, self.hidden

    def paths_and_stats(self) -> tuple[str, bytes]:
        """The paths joined by NUL and the stats as one array of numbers, in order: equal,
        byte for byte, for two listings that found the same files in the same states."""
        stats = array.array("q", itertools.chain.from_iterable(self.tasks.values()))
        return "\0".join(self.tasks), stats.tobytes()

    @staticmethod
    def unpacked(value: Any) -> Listing:
        """`packed` undone; ValueError (or TypeError) for anything else."""
        paths, stats, listing = Listing.unpacked_apart(value)
        listing.tasks.update(Listing.tasks_of(paths, stats))
        return listing

    @staticmethod
    def unpacked_apart(value: Any) -> tuple[str, bytes, Listing]:
        """`packed` undone but for the tasks: their paths and stats as they came, checked to
        be as many (`tasks_of` makes the tasks of them), and the listing without them;
        ValueError (or TypeError) for anything else."""
        paths, stats, strays, problems, hidden = value
        count = paths.count("\0") + 1 if paths else 0
        if type(stats) is not bytes or len(stats) != _STAT_BYTES * count:
            raise ValueError("not a listing")
        if type(strays) is not list or type(hidden) is not list:
            raise ValueError("not a listing")
        problems = [Diagnostic(*problem) for problem in problems]
        return paths, stats, Listing({}, strays, problems, hidden)

    @staticmethod
    def tasks_of(paths: str, stats: bytes) -> dict[str, FileStat]:
        """The tasks of paths and stats `unpacked_apart` checked."""
        numbers = array.array("q")
        numbers.frombytes(stats)
        each = iter(numbers)
        stat_of = functools.partial(tuple.__new__, FileStat)
        rels = paths.split("\0") if paths else []
        return dict(zip(rels, map(stat_of, zip(each, each, each, each, strict=True)), strict=True))

    def add(self, later: Listing) -> None:
        """Add the listing of the entries after this one's, as one walk over them lists them."""
        self.tasks.update(later.tasks)
        self.strays.extend(later.strays)
        self.problems.extend(later.problems)
        self.hidden.extend(later.hidden)


# How `list_tasks` may walk the entries of tasks/ in parts (`loading.split.in_two_parts`,
# which knows how to send a part's `Listing`): given the entries and how to walk some of them,
# the listings of its parts, in order.
InParts = Callable[[Sequence[Any], Callable[[Sequence[Any]], Listing]], list[Listing]]


def list_tasks(root: Path, in_parts: InParts | None = None) -> Listing:
    """Walk tasks/ with os.scandir: one stat per file, which the cache reuses; with
    `in_parts`, the folders and files in tasks/ walked in parts (on two cores).

    Files come in the order of their sorted paths. Each folder is sorted on its own, which is
    the same order when a folder counts as its name and a "/" (`tb/` sorts after `tb-2/`, as
    `tasks/tb/a.yaml` after `tasks/tb-2/a.yaml`) and costs less than sorting 100,000 paths.

    Only regular files are listed: a symbolic link, a FIFO or a device is a stray, and a
    symbolic link to a folder is not followed. A file or folder this user may not read is a
    `cannot-read` problem rather than a task, so that no later read fails on it; tasks/
    itself must lie inside the data root (a link to elsewhere is refused, not followed).
    """
    found: dict[str, FileStat] = {}
    strays: list[str] = []
    problems: list[Diagnostic] = []
    hidden: list[str] = []
    base = root / TASKS_DIR
    if os.path.islink(base) and not _inside(base, root):
        problems.append(
            Diagnostic(
                TASKS_DIR,
                1,
                1,
                "error",
                "tasks/ is a link to a folder outside the data root; it is not read",
                "outside-root",
                "make tasks/ a folder of the data repository",
            )
        )
    elif base.is_dir():
        walk = _Walk(found, strays, problems, hidden, _Reader.current())
        walk.folder(str(base), TASKS_DIR + "/", in_parts)
    return Listing(found, strays, problems, hidden)


def read_file(root: Path, rel: str) -> bytes:
    """The bytes of the file at `rel` under `root`, as `Path.read_bytes` gives them (and its
    OSError), by the system calls alone: a cold read reads every task file, and a Path and a
    buffered reader for each cost twice the calls' own time."""
    fd = os.open(os.path.join(root, rel), os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_CHUNK = 1 << 16  # a task file is a few kilobytes: one read, and one that finds the end


def _inside(path: Path, root: Path) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, real_root]) == real_root


def _cannot_read(rel: str, exc: OSError) -> Diagnostic:
    reason = (exc.strerror or str(exc)).lower()
    return Diagnostic(
        rel,
        1,
        1,
        "error",
        f"cannot read: {reason}",
        "cannot-read",
        "give this user read permission, or move it out of tasks/",
    )


class _Reader(NamedTuple):
    """Who reads: whether a file's permission bits let this process read it, from the stat
    already taken (an access() call per file would cost a system call for each of 100,000)."""

    uid: int
    groups: frozenset[int]

    @classmethod
    def current(cls) -> _Reader:
        return cls(os.geteuid(), frozenset((os.getegid(), *os.getgroups())))

    def may_read(self, st: os.stat_result) -> bool:
        if self.uid == 0:
            return True
        if st.st_uid == self.uid:
            return bool(st.st_mode & stat.S_IRUSR)
        if st.st_gid in self.groups:
            return bool(st.st_mode & stat.S_IRGRP)
        return bool(st.st_mode & stat.S_IROTH)


class _Walk:
    """The listing being made, folder by folder (a plain class, and named tuples above: a
    dataclass costs a run about a millisecond to make)."""

    __slots__ = ("found", "hidden", "problems", "reader", "strays")

    def __init__(
        self,
        found: dict[str, FileStat],
        strays: list[str],
        problems: list[Diagnostic],
        hidden: list[str],
        reader: _Reader,
    ) -> None:
        self.found = found
        self.strays = strays
        self.problems = problems
        self.hidden = hidden
        self.reader = reader

    def folder(self, folder: str, prefix: str, in_parts: InParts | None = None) -> None:
        entries = self._entries(folder, prefix)
        if entries is None:
            return
        if in_parts is None:
            self.each(entries, prefix)
            return
        reader = self.reader

        def walked(part: Sequence[tuple[str, os.DirEntry[str]]]) -> Listing:
            listing = Listing({}, [], [], [])
            _Walk(*listing, reader).each(part, prefix)
            return listing

        whole = Listing(self.found, self.strays, self.problems, self.hidden)
        for listing in in_parts(entries, walked):
            whole.add(listing)

    def _entries(self, folder: str, prefix: str) -> list[tuple[str, os.DirEntry[str]]] | None:
        """The folder's entries in order, each by its name (a folder's with a "/"), but those
        hidden, which are noted; None when it cannot be listed, which is a problem."""
        try:
            with os.scandir(folder) as listing:
                every = list(listing)
            entries = [
                (entry.name + "/" if entry.is_dir(follow_symlinks=False) else entry.name, entry)
                for entry in every
                if entry.name[0] != "."
            ]
        except OSError as exc:
            self.problems.append(_cannot_read(prefix.rstrip("/"), exc))
            return None
        if len(entries) != len(every):
            self.hidden += sorted(prefix + e.name for e in every if e.name[0] == ".")
        entries.sort(key=_first)
        return entries

    def each(self, entries: Sequence[tuple[str, os.DirEntry[str]]], prefix: str) -> None:
        """List these entries of a folder (`_entries`): this runs once per file of a national
        repository, and is kept lean."""
        make = tuple.__new__  # a FileStat without the call of its Python-level constructor
        found, may_read = self.found, self.reader.may_read
        for key, entry in entries:
            if key[-1] == "/":
                self.folder(entry.path, prefix + key)
            elif key.endswith(TASK_SUFFIX) and entry.is_file(follow_symlinks=False):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:  # a folder that may be listed but not searched
                    self.problems.append(_cannot_read(prefix + key, exc))
                    continue
                if st.st_mode & 0o444 != 0o444 and not may_read(st):  # most are readable by all
                    self.problems.append(
                        _cannot_read(prefix + key, PermissionError(13, "Permission denied"))
                    )
                    continue
                found[prefix + key] = make(
                    FileStat, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                )
            else:
                self.strays.append(prefix + key)


def _first(item: tuple[str, object]) -> str:
    return item[0]


def sought_id(text: str) -> str:
    """What `match_id` looks for: the ID as typed, less a leading `/` and what `bare_id` drops."""
    return bare_id(text.strip().lstrip("/"))


def match_id(text: str, known: Iterable[str]) -> str:
    """The one ID that is `text` or ends in `/text`; a usage error otherwise."""
    wanted = sought_id(text)
    ids = list(known)
    if wanted in ids:
        return wanted
    candidates = sorted(i for i in ids if i.endswith(f"/{wanted}"))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise UsageError(Message("ambiguous-id", {"id": text, "candidates": ", ".join(candidates)}))
    raise UsageError(Message("no-task", {"id": text}))


def files_matching(root: Path, text: str) -> dict[str, FileStat]:
    """The task files `list_tasks` would list that `match_id(text, ...)` could pick, without
    listing every file: the exact one alone when it is listed (an exact ID wins), else every
    one whose ID ends in `/text`, found by name (one stat for each such file, none for the
    others). `match_id(text, ids of these)` is `match_id(text, ids of list_tasks)`, and with
    the IDs of other sources added too (`log` adds a revision's)."""
    base = root / TASKS_DIR
    if (os.path.islink(base) and not _inside(base, root)) or not base.is_dir():
        return {}  # list_tasks lists nothing there
    reader = _Reader.current()
    wanted = sought_id(text)
    exact = _exact_file(str(base), wanted, reader)
    if exact is not None:
        return {task_path(wanted): exact}
    found: dict[str, FileStat] = {}
    name = wanted.rsplit("/", 1)[-1] + TASK_SUFFIX
    if name[0] != ".":  # a hidden file is never listed
        _find_named(str(base), TASKS_DIR + "/", name, reader, found)
    suffix = f"/{wanted}"
    return {rel: st for rel, st in found.items() if task_id(rel).endswith(suffix)}


def _exact_file(base: str, identifier: str, reader: _Reader) -> FileStat | None:
    """The stat of tasks/<identifier>.yaml when `list_tasks` would list it, else None: each
    folder on the way listed as `_Walk` lists it (a real folder, not a link, not hidden, its
    name exactly: a file system that ignores case must not find `Tb/X.yaml` for `tb/x`), the
    file regular and readable."""
    *folders, name = identifier.split("/")
    folder = base
    for part in folders:
        entry = _entry(folder, part)
        if entry is None or not entry.is_dir(follow_symlinks=False):
            return None
        folder = entry.path
    file = _entry(folder, name + TASK_SUFFIX) if name else None
    if file is None or not file.is_file(follow_symlinks=False):
        return None
    try:
        st = file.stat(follow_symlinks=False)
    except OSError:
        return None
    if not _readable(st, reader):
        return None
    return tuple.__new__(FileStat, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))


def _entry(folder: str, name: str) -> os.DirEntry[str] | None:
    """The entry `name` of a folder as its listing spells it; None if absent or unlisted."""
    if not name or name[0] == ".":
        return None  # `_Walk` lists no hidden entry
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name == name:
                    return entry
    except OSError:
        pass  # list_tasks reports the folder; none of its files is listed
    return None


def _find_named(
    folder: str, prefix: str, name: str, reader: _Reader, found: dict[str, FileStat]
) -> None:
    """Every listed file called `name` under `folder`, as `_Walk` would list it."""
    try:
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if entry.name[0] != "."]
    except OSError:
        return  # list_tasks reports the folder; none of its files is listed
    entries.sort(key=_name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _find_named(entry.path, prefix + entry.name + "/", name, reader, found)
        elif entry.name == name and entry.is_file(follow_symlinks=False):
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if _readable(st, reader):
                found[prefix + name] = tuple.__new__(
                    FileStat, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                )


def _readable(st: os.stat_result, reader: _Reader) -> bool:
    return st.st_mode & 0o444 == 0o444 or reader.may_read(st)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
