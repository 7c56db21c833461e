"""Two halves of a pure computation at once, on a forked copy of this process (SPEC 8).

A warm listing of 100,000 tasks spends most of its time computing rows, one task at a time,
on one core. `halves` runs the second half in a child made by `fork` (it starts with every
task already in memory, and only sends its answer back through a pipe, pickled) while this
process does the first half. Anything that goes wrong in the child is no error: the parent
computes that half itself, so the answer is always the one a single process would give.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

# below this many tasks forking and pickling cost more than the half they save
MIN_TASKS = 3000


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def halves(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """(first(), second()), with second() computed in a forked child when one can be made."""
    if cores() < 2 or not hasattr(os, "fork"):
        return first(), second()
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return first(), second()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return first(), second()
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(second(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        result = first()
    except BaseException:  # (a usage error, say): the child's answer is no longer wanted
        os.close(read_end)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            return result, pickle.loads(data)
        except Exception:  # pragma: no cover - a child cut short
            pass
    return result, second()
