"""engine.facts: what the cache keeps of a task so a query can skip it unread."""

import datetime as dt
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import read_one_task, task_text
from tbtrack.engine.facts import TaskFacts, settled_from, task_facts
from tbtrack.engine.status import EVERY_ROW, Settings, Wanted, task_rows
from tbtrack.files.records import Task
from tbtrack.files.registry import Registry
from tbtrack.files.vocab import OPEN

THOROUGH = os.environ.get("TBTRACK_HYPOTHESIS") == "thorough"
D = dt.date


def test_a_task_fulfilled_is_closed_from_its_report(tmp_path: Path) -> None:
    registry, task = read_one_task(
        tmp_path,
        task_text(progress="\n  - on: 2025-06-20\n    fulfils: complete\n"),
    )
    assert task_facts(task, registry) == TaskFacts(
        closed_from=D(2025, 6, 20),
        earliest_due=D(2025, 7, 1),
        last_event=D(2025, 6, 20),
        begins=D(2025, 6, 6),
        settled=D(2025, 6, 20),
        names=("Bộ Tài chính",),
        supports=(),
    )


def test_an_open_task_is_never_closed_and_its_earliest_day_counts_every_l_it_had(
    tmp_path: Path,
) -> None:
    registry, task = read_one_task(
        tmp_path,
        task_text(
            lead="[Bộ TC, Nhóm ba bộ]",
            obligations="  - id: complete\n    by: 2025-07-01\n",
            progress="\n  - on: 2025-06-10\n    extends: complete\n    to: 2025-07-20\n",
            extra="support: [VPCP]\n",
        ),
    )
    facts = task_facts(task, registry)
    assert facts.closed_from is None  # someone still owes it, whatever the day
    assert facts.earliest_due == D(2025, 7, 1)  # the due form's, before the extension
    assert facts.settled == D(2025, 6, 10)
    # as the registry names them: an alias resolved, the group by its own name
    assert facts.names == ("Bộ Tài chính", "Nhóm ba bộ")
    assert facts.supports == ("Văn phòng Chính phủ",)


def test_a_recurring_task_stays_open_and_is_never_settled(tmp_path: Path) -> None:
    registry, task = read_one_task(
        tmp_path,
        task_text(obligations="  - id: r\n    kind: report\n    every: monthly\n"),
    )
    facts = task_facts(task, registry)
    assert (facts.closed_from, facts.settled) == (None, None)
    assert settled_from(task) is None


def test_a_task_withdrawn_is_closed_from_its_day(tmp_path: Path) -> None:
    registry, task = read_one_task(
        tmp_path,
        task_text(extra="state: cancelled\nstate_reason: đã lồng ghép\nstate_on: 2025-06-15\n"),
    )
    facts = task_facts(task, registry)
    assert facts.closed_from == D(2025, 6, 15)
    assert facts.settled == D(2025, 6, 15)


@settings(max_examples=300 if THOROUGH else 60)
@given(pick=st.integers(0, 10**6), day=st.integers(0, 1200), before=st.integers(0, 1200))
def test_a_task_the_facts_skip_has_no_row_the_query_wants(
    generated: tuple[Registry, list[Task]], pick: int, day: int, before: int
) -> None:
    """What `Wanted.task` skips by the facts is exactly what `task_rows` would not give."""
    registry, tasks = generated
    task = tasks[pick % len(tasks)]
    facts = task_facts(task, registry)
    as_of = D(2024, 1, 1) + dt.timedelta(days=day)
    query = Settings(as_of=as_of)
    for wanted in (
        EVERY_ROW,
        Wanted(OPEN),
        Wanted(OPEN, before=as_of + dt.timedelta(days=before - 600), dated=True),
    ):
        if not wanted.task(facts, as_of):
            rows = task_rows("x", task, registry, query, wanted)
            assert [r for r in rows if wanted.row(r)] == []
