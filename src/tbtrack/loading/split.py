"""A cold read's files analysed by two processes at once (SPEC 8).

Reading a repository afresh parses and checks every file, ~250 µs of CPU each, one file at
a time: on two cores the second half of the files is analysed by a child made by `fork`
(it starts with the registry already in memory) while this process analyses the first.
The halves are halves of the bytes, not of the files: a file's cost follows its length (an
older notice's files have gathered more progress, and sorted paths put them first), and
this process waits for the slower of the two. The
child sends back what it found as `marshal` of plain values (`cache.pack_analysed`: the
records the cache itself keeps, never pickle) through a pipe, and leaves; this process keeps
those records as they came and decodes a task only when a query asks for it. Anything that
goes wrong in the child is no error: this process analyses that half itself, so the
answer is always the one a single process gives (tests/loading/test_cache.py runs both).
A warm run has next to nothing to analyse, and never forks.
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
Mine = TypeVar("Mine")  # what this process makes of an item
Theirs = TypeVar("Theirs")  # what it makes of what the child sent for one

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
    weights: Sequence[int] | None = None,
) -> list[Mine | Theirs]:
    """[work(item) for item in items], the second half computed in a forked child when the
    items are many, there are two cores and a child can be made; `unpack(pack(r))` must stand
    for r (equal to it, or giving what it holds when asked), and raise if it cannot. With
    `weights` (what each item costs, in any unit), the halves are halves of their sum."""
    if len(items) < MIN_ITEMS or cores() < 2 or not hasattr(os, "fork"):
        return [work(item) for item in items]
    middle = _middle(weights) if weights is not None else len(items) // 2
    first, second = items[:middle], items[middle:]
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return [work(item) for item in items]
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return [work(item) for item in items]
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        status = 1
        try:
            os.close(read_end)
            data = marshal.dumps([pack(work(item)) for item in second], MARSHAL_VERSION)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        results = [work(item) for item in first]
    except BaseException:  # the child's answer is no longer wanted
        os.close(read_end)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    theirs: list[Mine] | list[Theirs] | None = None
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            packed = marshal.loads(data)
            if type(packed) is list and len(packed) == len(second):
                theirs = [unpack(value) for value in packed]
        except Exception:  # a child cut short, or an answer of another shape
            theirs = None
    if theirs is None:
        theirs = [work(item) for item in second]
    return [*results, *theirs]


def _middle(weights: Sequence[int]) -> int:
    """Where the items split in two of equal weight: the first half ends with the item that
    brings it to half the sum (and each half holds at least one item)."""
    sums = list(itertools.accumulate(weights))
    middle = bisect.bisect_left(sums, sums[-1] / 2) + 1
    return min(max(middle, 1), len(weights) - 1)
