"""A settled task's stored pairs count exactly as its rows do, on any later day (SPEC 4.4).

`summary` and the monthly report count a settled task from `settle`'s pairs instead of its
rows; here both are computed for the same task and day and must give the same
(agency, status, extended) pairs, on generated repositories and on the shapes that set
members apart (a report by one province, an extension or a withdrawal for one agency).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import bench_generator, read_one_task, task_text
from tbtrack.engine.facts import settled_from
from tbtrack.engine.settled import Settled, pair_status, settle
from tbtrack.engine.status import Settings, task_rows
from tbtrack.engine.workdays import WorkCalendar
from tbtrack.files.records import Task
from tbtrack.files.registry import Registry
from tbtrack.files.vocab import Status
from tbtrack.loading.dataset import WorkingTree, load_dataset

THOROUGH = os.environ.get("TBTRACK_HYPOTHESIS") == "thorough"
CALENDAR = WorkCalendar()

Pairs = Counter[tuple[str, Status, bool]]


def from_rows(task: Task, registry: Registry, settings: Settings) -> tuple[int, Pairs]:
    rows = task_rows("", task, registry, settings)
    pairs = Counter((m.agency, m.status, bool(r.extensions)) for r in rows for m in r.members)
    return len(rows), pairs


def from_pairs(settled: Settled, settings: Settings) -> tuple[int, Pairs]:
    pairs = Counter(
        (agency, pair_status(group, settings), group.extended)
        for group in settled.groups
        for agency in group.agencies
    )
    return settled.rows, pairs


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, list[Task]]:
    root = tmp_path_factory.mktemp("settled") / "root"
    bench_generator().generate(root, 400 if THOROUGH else 100, 11, None)
    data = load_dataset(root, WorkingTree(root, use_cache=False))
    tasks = [t.task for t in data.tasks if settled_from(t.task) is not None]
    assert len(tasks) > 50  # most generated tasks are settled one day or another
    return data.registry, tasks


@given(
    pick=st.integers(0, 10**6),
    later=st.integers(0, 900),
    window=st.integers(0, 40),
    workdays=st.booleans(),
)
def test_settled_pairs_count_as_the_rows_on_any_later_day(
    generated: tuple[Registry, list[Task]], pick: int, later: int, window: int, workdays: bool
) -> None:
    registry, tasks = generated
    task = tasks[pick % len(tasks)]
    day = settled_from(task)
    assert day is not None
    settings = Settings(
        as_of=day + dt.timedelta(days=later),
        window=window,
        calendar=CALENDAR if workdays else None,
    )
    assert from_pairs(settle(task, registry, day), settings) == from_rows(task, registry, settings)


def test_every_generated_task_counts_the_same_on_its_own_day_and_a_year_on(
    generated: tuple[Registry, list[Task]],
) -> None:
    registry, tasks = generated
    for task in tasks:
        day = settled_from(task)
        assert day is not None
        settled = settle(task, registry, day)
        for as_of in (day, day + dt.timedelta(days=365)):
            for calendar in (None, CALENDAR):
                settings = Settings(as_of=as_of, calendar=calendar)
                assert from_pairs(settled, settings) == from_rows(task, registry, settings)


GROUP_EVENTS = [
    # one member reports, late; another gets its own extension; the third is let off
    """
  - on: 2025-06-25
    extends: report
    by: Bộ Nội vụ
    to: 2025-08-01
    evidence: Công văn 1/BNV
  - on: 2025-06-28
    cancels: report
    by: Bộ Tư pháp
    note: không còn phù hợp
  - on: 2025-07-20
    fulfils: report
    by: Bộ Tài chính
""",
    # an extension for everyone, then reports before and after it
    """
  - on: 2025-06-20
    extends: report
    to: 2025-07-10
    evidence: Công văn 2/VPCP
  - on: 2025-07-05
    fulfils: report
    by: Bộ Tài chính
  - on: 2025-07-12
    fulfils: report
    by: Bộ Nội vụ
""",
]


@pytest.mark.parametrize("events", GROUP_EVENTS)
def test_a_group_whose_members_went_their_own_ways(tmp_path: Path, events: str) -> None:
    registry, task = read_one_task(
        tmp_path,
        task_text(
            lead="[Nhóm ba bộ]",
            obligations="  - id: report\n    kind: report\n    by: 2025-06-30\n",
            progress=events,
        ),
    )
    day = settled_from(task)
    assert day is not None
    settled = settle(task, registry, day)
    assert len(settled.groups) > 1  # members in different states are kept apart
    statuses = set()
    for later in (0, 3, 10, 40, 400):
        for calendar in (None, CALENDAR):
            settings = Settings(as_of=day + dt.timedelta(days=later), calendar=calendar)
            got = from_pairs(settled, settings)
            assert got == from_rows(task, registry, settings)
            statuses |= {status for _, status, _ in got[1]}
    assert {"done-late", "overdue"} <= statuses


def test_a_recurring_task_is_never_settled(tmp_path: Path) -> None:
    _, task = read_one_task(
        tmp_path,
        task_text(obligations="  - id: r\n    kind: report\n    every: monthly\n"),
    )
    assert settled_from(task) is None
