"""Everything a command reads: the registry and every task, validated (SPEC 2, 5.2).

A `Dataset` is what listings compute from. Files with errors are kept out of `tasks` and their
diagnostics kept, so a command can print what it could and say which files it could not read.
The working tree is read through the cache; a git revision (`--rev`) through `gitio`.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..checking.across import notice_conflicts
from ..engine.settled import Settled, facts_of
from ..errors import UsageError
from ..files.diagnostics import Diagnostic
from ..files.registry import Absence, Registry
from ..files.store import (
    AGENCIES_FILE,
    TASKS_DIR,
    Listing,
    id_problem,
    list_tasks,
    match_id,
    read_file,
    task_id,
)
from . import split
from .cache import (
    Analysed,
    Cached,
    Packed,
    TaskCache,
    TaskSource,
    encoding,
    pack_analysed,
    unpack_analysed,
)

if TYPE_CHECKING:
    from ..engine.facts import TaskFacts
    from ..files.records import Task
    from .versions import CheckedFiles


class LoadedTask:
    """One valid task. Its record may come from the cache (`source`), decoded when first
    used: a query that can tell from `facts` that a task has no row for it never decodes it."""

    __slots__ = ("_settled", "_source", "_task", "facts", "id", "path")

    def __init__(
        self,
        id: str,
        path: str,  # relative to the data root: tasks/.../x.yaml
        task: Task | None = None,
        source: TaskSource | None = None,
        facts: TaskFacts | None = None,
        settled: Settled | None = None,
    ) -> None:
        if task is None and source is None:
            raise ValueError("a LoadedTask needs its task or a source to load it from")
        self.id = id
        self.path = path
        self._task = task
        self._source = source
        self.facts = facts
        self._settled = settled

    @property
    def task(self) -> Task:
        if self._task is None:
            assert self._source is not None
            self._task = self._source.task()
        return self._task

    @property
    def decoded(self) -> bool:
        """Whether the task is in memory already (read afresh, or decoded once)."""
        return self._task is not None

    def passing(self) -> Task:
        """The task, without keeping it decoded: for a pass over every task that keeps only
        what it computes (a summary of 100,000 tasks need not hold them all at once)."""
        if self._task is not None:
            return self._task
        assert self._source is not None
        return self._source.task()

    def settled(self, as_of: dt.date) -> Settled | None:
        """The task's settled pairs (`engine.settled`) when they hold as of A, else None:
        count it from its rows. Only tasks whose facts were computed have them."""
        facts = self.facts
        if facts is None or facts.settled is None or as_of < facts.settled:
            return None
        if self._settled is not None:
            return self._settled
        return None if self._source is None else self._source.settled()

    def __repr__(self) -> str:
        return f"LoadedTask({self.id!r}, {self.path!r})"


class Dataset:
    """The registry and the tasks a command computes from (a plain class: a dataclass costs
    every run a millisecond to make)."""

    __slots__ = ("absences", "diagnostics", "hidden", "read", "registry", "root", "tasks")

    def __init__(
        self,
        root: Path,
        registry: Registry,
        tasks: list[LoadedTask],
        diagnostics: list[Diagnostic] | None = None,
        read: Callable[[str], bytes] = lambda rel: b"",
        hidden: list[str] | None = None,
    ) -> None:
        self.root = root
        self.registry = registry
        self.tasks = tasks
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.read = read
        # what a query learned that the user should be told beside its answer: an agency
        # asked about on a day it did not exist (SPEC 3.1)
        self.absences: list[Absence] = []
        # the dot-named files and folders the listing of tasks/ met (`Listing.hidden`): a
        # working tree's only
        self.hidden = [] if hidden is None else hidden

    def __repr__(self) -> str:
        return f"Dataset({str(self.root)!r}, {len(self.tasks)} tasks)"

    @property
    def unreadable(self) -> list[str]:
        """Files with errors, which listings leave out."""
        return sorted({d.path for d in self.diagnostics if d.severity == "error"})

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def find(self, text: str) -> LoadedTask:
        """A task by ID or unique suffix of one."""
        by_id = {t.id: t for t in self.tasks}
        try:
            return by_id[match_id(text, by_id)]
        except UsageError as not_found:
            # a task whose file has errors is not "unknown": say what is wrong with it
            broken = {task_id(p): p for p in self.unreadable if p.startswith("tasks/")}
            try:
                path = broken[match_id(text, broken)]
            except UsageError:
                raise not_found from None
            raise UsageError(f"{path} has errors; run `tbtrack check {path}`") from None


class Snapshot(Protocol):
    """A source of files: the working tree, or a git revision."""

    def registry_bytes(self) -> bytes: ...

    def strays(self) -> list[str]: ...

    def read_tasks(self, registry: Registry) -> list[TaskResult]: ...

    def read(self, rel: str) -> bytes: ...


class TaskResult(NamedTuple):
    path: str
    task: Task | None
    diagnostics: tuple[Diagnostic, ...]


def analyse_bytes(
    rel: str, data: bytes, registry: Registry, checked: CheckedFiles | None = None
) -> TaskResult:
    """What `check` makes of a task file's bytes at `rel`; with `checked`, taken from there
    when an edit checked these bytes before, and kept there when not."""
    if checked is not None:
        known = checked.analysis(rel, data)
        if known is not None:
            return TaskResult(rel, *known)
    # the analyses (and the YAML readers and schema they use) are imported by a run that reads
    # a file: a warm listing never does
    from ..checking.check import analyse_task

    task, diagnostics = analyse_task(rel, data, registry)
    problem = id_problem(task_id(rel))
    if problem:
        diagnostics = [
            Diagnostic(rel, 1, 1, "error", f"bad task ID: {problem}", "bad-id"),
            *diagnostics,
        ]
        task = None
    result = TaskResult(rel, task, tuple(diagnostics))
    if checked is not None:
        checked.put(rel, data, task, result.diagnostics)
    return result


# a folder of tasks/ holds a notice's twenty-odd files, ~4 µs each to list: below this many
# folders, forking a child to list half of them costs more than the half it saves
SPLIT_LISTING_AT = 64
# the share of tasks/'s folders this process lists when it also takes the index's entries as
# they are (`WorkingTree._answers`): at 10,000 and 100,000 tasks both then finish together
LISTED_HERE = 0.2
# the share when it takes only the entries of the tasks that name one agency (`load`'s naming)
LISTED_HERE_NARROWED = 0.5
# the share of the files to analyse that this process analyses when it leaves their encodings
# to the child that writes the cache: each then costs it 16 of 214 µs less than the child,
# which encodes what it sends (10,000 tasks)
ANALYSED_HERE_UNENCODED = 0.52
# what `load` is told of a query that reads only tasks naming certain agencies: the names, as
# the registry gives them (None: every task)
Naming = Callable[[Registry], frozenset[str] | None]


def _listed_in_two(
    entries: Sequence[Any], walk: Callable[[Sequence[Any]], Listing]
) -> list[Listing]:
    """tasks/'s folders listed on two cores when they are many (`list_tasks`' `in_parts`)."""
    return split.in_two_parts(
        entries, walk, Listing.packed, _unpacked_listing, least=SPLIT_LISTING_AT
    )


def _many_folders(root: Path) -> bool:
    """Whether tasks/ holds at least SPLIT_LISTING_AT entries (False when it cannot be listed:
    the listing says why)."""
    try:
        with os.scandir(root / TASKS_DIR) as entries:
            return sum(1 for _ in itertools.islice(entries, SPLIT_LISTING_AT)) >= SPLIT_LISTING_AT
    except OSError:
        return False


def _unpacked_listing(value: Any, entries: Sequence[Any]) -> Listing:
    return Listing.unpacked(value)


class WorkingTree:
    def __init__(self, root: Path, use_cache: bool = True, write_behind: bool = False) -> None:
        self.root = root
        self.use_cache = use_cache
        # a command's load: the cache it learnt is written by a child while the command
        # answers, and the command waits for it at its end (`TaskCache`'s write_behind)
        self.write_behind = write_behind
        self._listed: Listing | None = None
        # the paths and stats of the files a child listed (`_answers`), not yet made the
        # listing's tasks: a warm run whose index held every file never needs them
        self._unadded: tuple[str, bytes] | None = None

    @property
    def _listing(self) -> Listing:
        """The listing of tasks/, made when first asked for (`load` may have made it)."""
        listing = self._notes
        if self._unadded is not None:
            # the child listed the last folders: its files come after the others, in order
            listing.tasks.update(Listing.tasks_of(*self._unadded))
            self._unadded = None
        return listing

    @property
    def _notes(self) -> Listing:
        """The listing, its strays, problems and hidden files whole, its tasks perhaps not
        (`_unadded`)."""
        if self._listed is None:
            self._listed = list_tasks(self.root, _listed_in_two)
        return self._listed

    def registry_bytes(self) -> bytes:
        return read_file(self.root, AGENCIES_FILE)

    def strays(self) -> list[str]:
        return self._notes.strays

    def read(self, rel: str) -> bytes:
        return read_file(self.root, rel)

    def read_tasks(self, registry: Registry) -> list[TaskResult]:
        """Every task analysed afresh (the `Snapshot` protocol; `load` is the cached way)."""
        return [analyse_bytes(rel, self.read(rel), registry) for rel in self._listing.tasks]

    def _answers(
        self,
        cache: TaskCache,
        reread: Callable[[str], Task | None],
        names: frozenset[str] | None = None,
    ) -> tuple[list[Cached | None], Taken | None]:
        """What the cache holds for each listed file (`get_all`), and what those answers give
        when made meanwhile (else None).

        With an index to go by and tasks/ of many folders, a forked child lists most of the
        folders while this process takes every entry of the index as if its file were
        unchanged (`get_all_as_indexed`) and what they give (`_taken`), then lists the rest.
        When the listing finds every file so (its paths and stats those of the index, byte
        for byte), those are the answers; when it finds the same files, some of them changed,
        those are let go (`let_go`); else they are forgotten, and the listing is asked of the
        cache file by file. With `names`, only the entries of the files that may name one
        of them are taken (`get_naming_as_indexed`), and what they give is always returned
        with them: those answers are not the listing's, file by file.
        """
        if self._listed is not None or not cache.has_index():
            return cache.get_all(self._listing.tasks, reread), None
        guessed: list[tuple[list[Cached | None], Taken | None] | None] = []
        listed: list[tuple[str, bytes]] = []

        def guess() -> tuple[list[Cached | None], Taken | None] | None:
            if names is not None:
                narrowed = cache.get_naming_as_indexed(reread, names)
                if narrowed is None:
                    return None
                answers: list[Cached | None] = list(narrowed.answers)
                made = _taken(answers)
                assert made is not None  # an answer for each file it names
                return answers, Taken(made.tasks, narrowed.notices, narrowed.problems)
            found = cache.get_all_as_indexed(reread)
            return None if found is None else (found, _taken(found))

        # this process's share of the listing: more of it when it takes few entries meanwhile
        share = LISTED_HERE if names is None else LISTED_HERE_NARROWED

        def in_parts(
            entries: Sequence[Any], walk: Callable[[Sequence[Any]], Listing]
        ) -> list[Listing]:
            if len(entries) < SPLIT_LISTING_AT:
                return [walk(entries)]
            middle = int(len(entries) * share)
            (answers, here), theirs = split.beside(
                lambda: walk(entries[middle:]).packed(),
                lambda: (guess(), walk(entries[:middle])),
                Listing.unpacked_apart,  # the paths and stats as sent, not made again
            )
            guessed.append(answers)
            if not theirs:
                return [here, walk(entries[middle:])]
            paths, stats, there = theirs[0]
            self._unadded = paths, stats
            my_paths, my_stats = here.paths_and_stats()
            listed.append(("\0".join(filter(None, (my_paths, paths))), my_stats + stats))
            return [here, there]

        self._listed = list_tasks(self.root, in_parts)
        if guessed and guessed[0] is not None and listed:
            changed = cache.changed_as_listed(*listed[0])
            if changed == []:
                return guessed[0]
            if changed is not None and names is None:
                # the same files, a few of them changed (an edit): the others' answers hold
                return cache.let_go(guessed[0][0], changed), None
        cache.forget_guess()
        return cache.get_all(self._listing.tasks, reread), None

    def load(self, naming: Naming | None = None) -> Dataset:
        """The dataset through the cache: only files it cannot answer for are analysed.

        With `naming`, the query will read only tasks that name one of the names it gives
        (as lead or in support): when the cache holds every file as it is, only those tasks
        are made (`Dataset.tasks` then holds them, and maybe others)."""
        registry_data = _registry_bytes(self)
        cache = TaskCache(
            self.root, registry_data, enabled=self.use_cache, write_behind=self.write_behind
        )
        registry, found = self._registry_meanwhile(cache, registry_data)
        diagnostics = list(found)
        if registry is None:
            cache.save()
            return Dataset(
                self.root,
                Registry(),
                [],
                sorted(diagnostics),
                self.read,
                hidden=self._listing.hidden,
            )
        known = registry
        read = functools.partial(read_file, self.root)  # not self: the listing is not kept

        def reread(rel: str) -> Task | None:
            return analyse_bytes(rel, read(rel), known).task

        names = None if naming is None else naming(registry)
        answers, taken = self._answers(cache, reread, names)
        if taken is None:
            taken = _taken(answers)
        if taken is None:  # files the cache cannot answer for: analysed
            taken = self._with_analyses(cache, answers, registry, registry_data, reread)
        cache.save()
        diagnostics += taken.problems + _strays(self) + self._notes.problems
        diagnostics += notice_conflicts(taken.notices, read)
        return Dataset(
            self.root,
            registry,
            taken.tasks,
            sorted(diagnostics),
            read,
            hidden=self._notes.hidden,
        )

    def _registry_meanwhile(
        self, cache: TaskCache, registry_data: bytes
    ) -> tuple[Registry | None, list[Diagnostic]]:
        """The registry (`TaskCache.registry`), and, when the cache does not hold it, tasks/
        listed by a forked child meanwhile if it holds many folders.

        Analysing agencies.yaml afresh means importing the YAML readers, pydantic and the
        schema first, 90 ms of a cold run at 10,000 tasks in which the other core has nothing
        to do; listing tasks/ then took this process another 40-50 ms. A run whose cache
        holds the registry learns it at once, and lists tasks/ as `_answers` says."""
        build = functools.partial(analyse_agencies, registry_data)
        if cache.holds_registry or not _many_folders(self.root):
            return cache.registry(build)
        made, listed = split.beside(
            lambda: list_tasks(self.root, _listed_in_two).packed(),
            lambda: cache.registry(build),
            Listing.unpacked,
        )
        if listed:  # else listed here when first asked for, as always
            self._listed = listed[0]
        return made

    def _with_analyses(
        self,
        cache: TaskCache,
        answers: list[Cached | None],
        registry: Registry,
        registry_data: bytes,
        reread: Callable[[str], Task | None],
    ) -> Taken:
        """What the listed files give, those the cache could not answer for analysed (on two
        cores when they are many) and kept in the cache."""
        keep = cache.enabled
        read = functools.partial(read_file, self.root)
        tasks: list[LoadedTask] = []
        notices: list[tuple[str, tuple[str, dt.date, str]]] = []
        diagnostics: list[Diagnostic] = []
        listing = self._listing.tasks
        # every file the cache cannot answer for, analysed (on two cores when they are many)
        missing = [rel for rel, cached in zip(listing, answers, strict=True) if cached is None]

        checked = None
        if missing:  # a file an edit wrote was checked by the edit: not checked again
            from .versions import CheckedFiles

            checked = CheckedFiles(self.root, registry_data, enabled=keep, adding=False)

        # the cache's encodings of an analysis are made where it is analysed (the child sends
        # its own), unless the child that writes the cache makes this process's
        encoded_behind = keep and cache.encodes_behind

        def analyse(rel: str) -> Analysed:
            result = _analysed(rel, read(rel), registry, keep, checked)
            return encoding(result) if keep and not encoded_behind else result

        analysed = split.in_two(
            missing,
            analyse,
            pack_analysed,
            functools.partial(unpack_analysed, reread=reread),
            weight=lambda rel: listing[rel].size,  # a file's cost follows its length
            share=ANALYSED_HERE_UNENCODED if encoded_behind else 0.5,
        )
        fresh = iter(analysed)
        for (rel, stat), cached in zip(listing.items(), answers, strict=True):
            if cached is None:
                result = next(fresh)
                if isinstance(result, Packed):  # analysed by the child: decoded when used
                    if keep:
                        cache.put_packed(stat, result)
                    cached = result.cached
                else:
                    if keep:
                        cache.put(stat, result)
                    problems, facts, notice = result.diagnostics, result.facts, result.notice
                    task = result.task
                    loaded = (
                        LoadedTask(task_id(rel), rel, task, facts=facts, settled=result.settled)
                        if task
                        else None
                    )
            if cached is not None:
                _, problems, facts, notice, source = cached
                # positionally: a warm listing makes one for each of 100,000 files
                loaded = LoadedTask(task_id(rel), rel, None, source, facts) if source else None
            if problems:
                diagnostics.extend(problems)
            if loaded is not None:
                tasks.append(loaded)
                if notice is not None:
                    notices.append((rel, notice))
        return Taken(tasks, notices, diagnostics)


class Taken(NamedTuple):
    """What the task files give a dataset: its tasks, their notices, their problems."""

    tasks: list[LoadedTask]
    notices: list[tuple[str, tuple[str, dt.date, str]]]
    problems: list[Diagnostic]


def _taken(answers: Sequence[Cached | None]) -> Taken | None:
    """What the files give when the cache answered for every one of them (a warm run), as
    `WorkingTree._with_analyses` takes each answer; None when one is missing."""
    tasks: list[LoadedTask] = []
    notices: list[tuple[str, tuple[str, dt.date, str]]] = []
    problems: list[Diagnostic] = []
    for cached in answers:
        if cached is None:
            return None
        rel, found, facts, notice, source = cached
        if found:
            problems.extend(found)
        if source:
            # positionally: a warm listing makes one for each of 100,000 files
            tasks.append(LoadedTask(task_id(rel), rel, None, source, facts))
            if notice is not None:
                notices.append((rel, notice))
    return Taken(tasks, notices, problems)


def _analysed(
    rel: str, data: bytes, registry: Registry, keep: bool, checked: CheckedFiles | None = None
) -> Analysed:
    """One file analysed; with `keep`, with the facts the cache keeps beside it."""
    result = analyse_bytes(rel, data, registry, checked)
    task = result.task
    if task is None:
        return Analysed(rel, result.diagnostics, None, None, None)
    source = task.source
    notice = (source.number, source.date, source.notice) if source.number else None
    if not keep:
        return Analysed(rel, result.diagnostics, None, notice, task)
    facts, settled = facts_of(task, registry)
    return Analysed(rel, result.diagnostics, facts, notice, task, settled)


def read_registry(
    root: Path, *, use_cache: bool = False, data: bytes | None = None
) -> tuple[Registry | None, list[Diagnostic]]:
    """The registry of a working tree alone, analysed as `check` does (no task is read);
    with `use_cache`, as the cache holds it when it holds this agencies.yaml, byte for byte
    (its key), else analysed afresh. `data`: its bytes, when read already."""
    if data is None:
        data = agencies_bytes(root)
    build = functools.partial(analyse_agencies, data)
    if not use_cache:
        return build()
    return TaskCache(root, data, only="").registry(build)


def analyse_agencies(data: bytes) -> tuple[Registry | None, list[Diagnostic]]:
    """agencies.yaml's bytes analysed (`check.analyse_registry`), imported as `analyse_bytes`
    imports its analysis: only by a run that reads the file."""
    from ..checking.check import analyse_registry

    return analyse_registry(AGENCIES_FILE, data)


def _registry_bytes(snapshot: Snapshot) -> bytes:
    try:
        return snapshot.registry_bytes()
    except OSError as exc:
        raise _unreadable_registry(exc) from None


def agencies_bytes(root: Path) -> bytes:
    """The bytes of a working tree's agencies.yaml."""
    try:
        return read_file(root, AGENCIES_FILE)
    except OSError as exc:
        raise _unreadable_registry(exc) from None


def _unreadable_registry(exc: OSError) -> UsageError:
    return UsageError(f"cannot read {AGENCIES_FILE}: {exc.strerror}")


def _strays(snapshot: Snapshot) -> list[Diagnostic]:
    return [
        Diagnostic(stray, 1, 1, "warning", "not read: task files end in .yaml", "not-a-task-file")
        for stray in snapshot.strays()
    ]


def load_dataset(root: Path, snapshot: Snapshot, naming: Naming | None = None) -> Dataset:
    """Read the registry and every task; raise nothing for bad data, collect it instead.
    `naming`: see `WorkingTree.load`."""
    if isinstance(snapshot, WorkingTree):
        return snapshot.load(naming)
    diagnostics: list[Diagnostic] = []
    registry_data = _registry_bytes(snapshot)
    registry, found = analyse_agencies(registry_data)
    diagnostics += found
    if registry is None:
        # without a registry no name can be checked; report its problems and stop here
        return Dataset(root, Registry(), [], diagnostics, snapshot.read)
    results = snapshot.read_tasks(registry)
    tasks: list[LoadedTask] = []
    for result in results:
        diagnostics += result.diagnostics
        if result.task is not None:
            tasks.append(LoadedTask(task_id(result.path), result.path, result.task))
    diagnostics += _strays(snapshot)
    diagnostics += notice_conflicts(_notices(tasks), snapshot.read)
    return Dataset(root, registry, tasks, sorted(diagnostics), snapshot.read)


def _notices(tasks: Iterable[LoadedTask]) -> list[tuple[str, tuple[str, dt.date, str]]]:
    out = []
    for loaded in tasks:
        source = loaded.task.source
        if source.number:
            out.append((loaded.path, (source.number, source.date, source.notice)))
    return out
