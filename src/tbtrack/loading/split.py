"""Work over many items done by two processes at once (SPEC 8).

A cold read parses and checks every file, ~250 µs of CPU each, one file at a time: on two
cores the second half of the files is analysed by a child made by `fork` (it starts with the
registry already in memory) while this process analyses the first (`in_two`). The halves are
halves of the bytes, not of the files: a file's cost follows its length (an older notice's
files have gathered more progress, and sorted paths put them first), and this process waits
for the slower of the two. The child sends back what it found as `marshal` of plain values
(`cache.pack_analysed`: the records the cache itself keeps, never pickle) through a pipe, and
leaves; this process keeps those records as they came and decodes a task only when a query
asks for it. A count over every task (`summary`'s), the listing of tasks/'s folders and a
listing's rows are split the same way, by `in_two_parts`: the child counts the second half of
the tasks, lists the second half of the folders, or makes the rows of the second half of the
tasks (`queries.sent_rows`: rows that hold what a row tells of its task, so that this process
never decodes those tasks), and sends its tables or rows, which this process adds to its own.
`beside` runs one work in a child while this process does another: a warm run's listing of
most of tasks/ while this process takes the cache's entries as they are, a cold run's listing
of tasks/ while this process analyses agencies.yaml (`dataset.WorkingTree`).
`behind` leaves one work to a child that this process waits for only at the end of the
command (`wait_behind`): the cache a cold read or an edit learnt, written while this process
computes and prints the answer.
Anything that goes wrong in the child is no error: this process does that half itself, so the
answer is always the one a single process gives (tests/loading/test_cache.py,
tests/queries/test_shortcuts.py, tests/queries/test_sent_rows.py and tests/files/test_store.py
run both).
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import marshal
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .codec import MARSHAL_VERSION

Item = TypeVar("Item")
Mine = TypeVar("Mine")  # what this process makes of an item (of a part, in `in_two_parts`)
Theirs = TypeVar("Theirs")  # what it makes of what the child sent for one (for a part)

# below this many files forking costs more than the half it saves
MIN_ITEMS = 500


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def in_two(
    items: Sequence[Item],
    work: Callable[[Item], Mine],
    pack: Callable[[Mine], Any],
    unpack: Callable[[Any], Theirs],
    weight: Callable[[Item], int] | None = None,
    share: float = 0.5,
) -> list[Mine | Theirs]:
    """[work(item) for item in items], the second half computed in a forked child when the
    items are many, there are two cores and a child can be made; `unpack(pack(r))` must stand
    for r (equal to it, or giving what it holds when asked), and raise if it cannot. With
    `weight` (what an item costs, in any unit), the halves are halves of their weights' sum;
    with `share`, this process's part is that share of them (`in_two_parts`)."""

    def each(part: Sequence[Item]) -> list[Mine]:
        return [work(item) for item in part]

    def packed(results: list[Mine]) -> list[Any]:
        return [pack(result) for result in results]

    def unpacked(value: Any, part: Sequence[Item]) -> list[Theirs]:
        if type(value) is not list or len(value) != len(part):
            raise ValueError("an answer of another shape")
        return [unpack(one) for one in value]

    parts = in_two_parts(items, each, packed, unpacked, weight, share=share)
    return [result for part in parts for result in part]


def in_two_parts(
    items: Sequence[Item],
    work: Callable[[Sequence[Item]], Mine],
    pack: Callable[[Mine], Any],
    unpack: Callable[[Any, Sequence[Item]], Theirs],
    weight: Callable[[Item], int] | None = None,
    least: int | None = None,
    share: float = 0.5,
) -> list[Mine | Theirs]:
    """[work(items)], or [work(first half), what the child made of the second half] when
    there are at least `least` items, two cores and a child can be made. The child sends
    `pack(work(second half))` as `marshal`; `unpack(value, second half)` must give what
    `work(second half)` gives, and raise if it cannot (then this process does that half).
    `least` is MIN_ITEMS unless the work per item is of another size. With `weight`, the
    halves are halves of the items' weights (each weighed only once the work is split); with
    `share`, this process's part is that share of them (more than half when packing and
    unpacking the child's answer costs time of its own)."""
    least = MIN_ITEMS if least is None else least
    if len(items) < max(least, 2) or cores() < 2 or not hasattr(os, "fork"):
        return [work(items)]
    if weight is None:
        middle = min(max(int(len(items) * share), 1), len(items) - 1)
    else:
        middle = _middle(list(map(weight, items)), share)
    first, second = items[:middle], items[middle:]
    mine, theirs = beside(
        lambda: pack(work(second)), lambda: work(first), lambda value: unpack(value, second)
    )
    return [mine, *theirs] if theirs else [mine, work(second)]


def beside(
    theirs: Callable[[], Any], mine: Callable[[], Mine], unpack: Callable[[Any], Theirs]
) -> tuple[Mine, list[Theirs]]:
    """(mine(), [unpack(theirs())]) with `theirs` run by a forked child meanwhile, which
    sends what it gives (plain values) as `marshal`; [] in its place when there is one core,
    no child can be made, it fails, or `unpack` raises on what it sent."""
    if cores() < 2 or not hasattr(os, "fork"):
        return mine(), []
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return mine(), []

    def send() -> None:
        os.close(read_end)
        data = marshal.dumps(theirs(), MARSHAL_VERSION)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)

    pid = _forked(send)
    if pid is None:
        os.close(read_end)
        os.close(write_end)
        return mine(), []
    os.close(write_end)
    try:
        made = mine()
    except BaseException:  # the child's answer is no longer wanted
        os.close(read_end)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    # the answer is read while the child leaves (giving back its memory takes a while), and
    # kept only if the child then says it sent all of it
    answer: list[Theirs] = []
    with contextlib.suppress(Exception):  # a child cut short, or an answer of another shape
        answer.append(unpack(marshal.loads(data)))
    _, status = os.waitpid(pid, 0)
    return made, answer if os.waitstatus_to_exitcode(status) == 0 else []


# the children this process left a work to (`behind`), not yet waited for
_BEHIND: list[int] = []


def behind(work: Callable[[], object]) -> bool:
    """Start `work` in a forked child, which this process does not wait for until
    `wait_behind` (True); False when there is one core or no child can be made: then `work`
    has not run. The child leaves without a word whatever `work` does: what it does must be
    worth nothing to this process but its effect on disk (a cache written)."""
    if cores() < 2 or not hasattr(os, "fork"):
        return False
    pid = _forked(work)
    if pid is None:
        return False
    _BEHIND.append(pid)
    return True


def _forked(work: Callable[[], object]) -> int | None:
    """The pid of a forked child that runs `work` and leaves, without running any exit
    handler (exit status 0 when `work` returned); None when no child can be made."""
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


def wait_behind() -> None:
    """Every work `behind` left to a child, finished."""
    while _BEHIND:
        pid = _BEHIND.pop()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _middle(weights: Sequence[int], share: float = 0.5) -> int:
    """Where the items split in two: the first part ends with the item that brings it to
    `share` of the weights' sum (and each part holds at least one item)."""
    sums = list(itertools.accumulate(weights))
    middle = bisect.bisect_left(sums, sums[-1] * share) + 1
    return min(max(middle, 1), len(weights) - 1)
