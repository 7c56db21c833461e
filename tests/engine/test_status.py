"""The deadline engine (SPEC 4.1-4.4), tested directly on the core with fixed dates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import REGISTRY, record_calls
from tbtrack.checking.check import analyse_registry
from tbtrack.engine import status
from tbtrack.engine.status import Row, Settings, Wanted, task_rows
from tbtrack.engine.workdays import WorkCalendar
from tbtrack.files.records import Task
from tbtrack.files.registry import LATEST, Registry
from tbtrack.files.schema import validate
from tbtrack.files.vocab import OPEN

D = dt.date


@pytest.fixture(scope="module")
def registry() -> Registry:
    built, diagnostics = analyse_registry("agencies.yaml", REGISTRY.encode())
    assert built is not None, diagnostics
    return built


def make_task(
    obligation: dict[str, Any],
    progress: list[dict[str, Any]] | None = None,
    notice_date: D = D(2025, 6, 6),
    **fields: Any,
) -> Task:
    data: dict[str, Any] = {
        "source": {"notice": "Thông báo", "date": notice_date, "section": "1"},
        "title": "Nhiệm vụ",
        "lead": ["Bộ Tài chính"],
        "obligations": [{"id": "o", **obligation}],
        "progress": progress or [],
    }
    data.update(fields)
    return validate(Task, data)


def rows(task: Task, registry: Registry, as_of: D, **settings: Any) -> list[Row]:
    return task_rows("t", task, registry, Settings(as_of=as_of, **settings))


def one(task: Task, registry: Registry, as_of: D, **settings: Any) -> Row:
    found = rows(task, registry, as_of, **settings)
    assert len(found) == 1, found
    return found[0]


# --- last allowed day -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "last"),
    [
        ({"by": D(2025, 7, 1)}, D(2025, 7, 1)),
        ({"before": D(2025, 6, 15)}, D(2025, 6, 14)),
        ({"within": "2025-07"}, D(2025, 7, 31)),
        ({"within": "2025-02"}, D(2025, 2, 28)),
        ({"within": "2024-02"}, D(2024, 2, 29)),
        ({"within": "2025-Q3"}, D(2025, 9, 30)),
        ({"within": "2025-H1"}, D(2025, 6, 30)),
        ({"within": "2025-H2"}, D(2025, 12, 31)),
        ({"within": 2025}, D(2025, 12, 31)),
    ],
)
def test_last_allowed_day(registry: Registry, form: dict[str, Any], last: D) -> None:
    assert one(make_task(form), registry, D(2025, 6, 6)).due == last


def test_window_boundaries(registry: Registry) -> None:
    task = make_task({"by": D(2025, 6, 17)})
    assert one(task, registry, D(2025, 6, 10)).status == "due-soon"  # L - A = W = 7
    assert one(task, registry, D(2025, 6, 9)).status == "upcoming"  # W + 1
    assert one(task, registry, D(2025, 6, 9), window=8).status == "due-soon"
    assert one(task, registry, D(2025, 6, 17)).status == "due-soon"  # 0 days left
    assert one(task, registry, D(2025, 6, 18)).status == "overdue"
    assert one(task, registry, D(2025, 6, 18)).days_left == -1


def test_before_is_strict(registry: Registry) -> None:
    task = make_task({"before": D(2025, 6, 15)})
    row = one(task, registry, D(2025, 6, 14))
    assert (row.status, row.days_left) == ("due-soon", 0)
    row = one(task, registry, D(2025, 6, 15))
    assert (row.status, row.days_left) == ("overdue", -1)


def test_done_on_time_and_late(registry: Registry) -> None:
    on_time = make_task({"by": D(2025, 7, 1)}, [{"on": D(2025, 7, 1), "fulfils": "o"}])
    late = make_task(
        {"by": D(2025, 7, 1)}, [{"on": D(2025, 7, 2), "fulfils": "o", "evidence": "BC 1"}]
    )
    assert one(on_time, registry, D(2025, 8, 1)).status == "done"
    row = one(late, registry, D(2025, 8, 1))
    assert (row.status, row.done_on, row.evidence, row.days_left) == (
        "done-late",
        D(2025, 7, 2),
        "BC 1",
        None,
    )


def test_event_after_as_of_is_ignored(registry: Registry) -> None:
    task = make_task({"by": D(2025, 7, 1)}, [{"on": D(2025, 6, 20), "fulfils": "o"}])
    assert one(task, registry, D(2025, 6, 19)).status == "upcoming"
    assert one(task, registry, D(2025, 6, 20)).status == "done"


def test_extension_moves_the_day_and_keeps_the_original(registry: Registry) -> None:
    task = make_task(
        {"by": D(2025, 7, 1)},
        [{"on": D(2025, 6, 20), "extends": "o", "to": D(2025, 7, 31), "evidence": "CV 456"}],
    )
    row = one(task, registry, D(2025, 7, 10))
    assert (row.due, row.original_due, row.status, row.days_left) == (
        D(2025, 7, 31),
        D(2025, 7, 1),
        "upcoming",
        21,
    )
    assert [e.evidence for e in row.extensions] == ["CV 456"]
    # before the extension was granted, the original day applied
    assert one(task, registry, D(2025, 6, 19)).due == D(2025, 7, 1)


def test_cancelled_obligation_and_task(registry: Registry) -> None:
    task = make_task(
        {"by": D(2025, 7, 1)}, [{"on": D(2025, 6, 20), "cancels": "o", "evidence": "TB 9"}]
    )
    assert one(task, registry, D(2025, 7, 10)).status == "cancelled"
    assert one(task, registry, D(2025, 6, 19)).status == "upcoming"
    inactive = make_task(
        {"by": D(2025, 7, 1)}, state="superseded", state_reason="TB 10", state_on=D(2025, 6, 30)
    )
    assert one(inactive, registry, D(2025, 7, 10)).status == "cancelled"


def test_ongoing_and_undated(registry: Registry) -> None:
    assert one(make_task({"ongoing": True}), registry, D(2030, 1, 1)).status == "ongoing"
    row = one(make_task({"undated": True}), registry, D(2030, 1, 1))
    assert (row.status, row.due, row.days_left) == ("undated", None, None)


# --- recurring ------------------------------------------------------------------------------


def test_monthly_ends_each_month_on_its_last_day(registry: Registry) -> None:
    task = make_task({"every": "monthly"}, notice_date=D(2025, 1, 1))
    found = rows(task, registry, D(2025, 5, 31), window=0)
    assert [r.occurrence for r in found] == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 4, 30),
        D(2025, 5, 31),
    ]
    assert [r.status for r in found] == ["overdue"] * 4 + ["due-soon"]


def test_monthly_31_skips_short_months(registry: Registry) -> None:
    task = make_task({"every": "FREQ=MONTHLY;BYMONTHDAY=31", "start": D(2025, 1, 1)})
    found = rows(task, registry, D(2025, 7, 31), window=0)
    assert [r.occurrence for r in found] == [
        D(2025, 1, 31),
        D(2025, 3, 31),
        D(2025, 5, 31),
        D(2025, 7, 31),
    ]


def test_recurring_default_start_is_the_notice_date_and_until_stops(registry: Registry) -> None:
    task = make_task({"every": "monthly", "until": D(2025, 8, 31)})
    found = rows(task, registry, D(2025, 12, 31), window=0)
    assert [r.occurrence for r in found] == [D(2025, 6, 30), D(2025, 7, 31), D(2025, 8, 31)]


def test_recurring_looks_ahead_only_through_the_window(registry: Registry) -> None:
    task = make_task({"every": "monthly"})
    assert [r.occurrence for r in rows(task, registry, D(2025, 6, 20))] == []
    assert [r.occurrence for r in rows(task, registry, D(2025, 6, 23))] == [D(2025, 6, 30)]


def test_fulfils_without_for_goes_to_the_earliest_open_occurrence(registry: Registry) -> None:
    task = make_task(
        {"every": "monthly"},
        [
            {"on": D(2025, 7, 5), "fulfils": "o"},  # late for June
            {"on": D(2025, 7, 30), "fulfils": "o"},  # July, on time
            {"on": D(2025, 9, 1), "fulfils": "o", "for": D(2025, 8, 31)},
        ],
    )
    found = rows(task, registry, D(2025, 9, 30), window=0)
    assert [(r.occurrence, r.status) for r in found] == [
        (D(2025, 6, 30), "done-late"),
        (D(2025, 7, 31), "done"),
        (D(2025, 8, 31), "done-late"),
        (D(2025, 9, 30), "due-soon"),
    ]


def test_the_open_occurrences_of_reports_by_all_are_those_the_events_leave_open(
    registry: Registry,
) -> None:
    # a report for a later month first, then two without `for:`: they fulfil the earliest
    # months not yet fulfilled, May and June; July is left open, and so is September
    task = make_task(
        {"every": "monthly", "start": D(2025, 5, 1)},
        [
            {"on": D(2025, 6, 2), "fulfils": "o", "for": D(2025, 8, 31)},
            {"on": D(2025, 6, 3), "fulfils": "o"},
            {"on": D(2025, 7, 4), "fulfils": "o"},
            {"on": D(2025, 9, 1), "fulfils": "o", "for": D(2026, 1, 31)},  # none such yet
        ],
    )
    as_of = D(2025, 9, 25)
    open_rows = task_rows("t", task, registry, Settings(as_of=as_of), Wanted(OPEN))
    assert [(r.occurrence, r.status) for r in open_rows] == [
        (D(2025, 7, 31), "overdue"),
        (D(2025, 9, 30), "due-soon"),
    ]
    every = [r for r in task_rows("t", task, registry, Settings(as_of=as_of)) if r.status in OPEN]
    assert open_rows == every


# --- groups and successors ------------------------------------------------------------------


def test_group_of_five_two_on_time_one_late_two_missing(registry: Registry) -> None:
    task = make_task(
        {"by": D(2025, 6, 14)},
        [
            {"on": D(2025, 6, 10), "fulfils": "o", "by": "Bộ Tài chính"},
            {"on": D(2025, 6, 12), "fulfils": "o", "by": "Bộ Nội vụ"},
            {"on": D(2025, 6, 16), "fulfils": "o", "by": "Bộ Tư pháp"},
        ],
        lead=["Các bộ, cơ quan ngang bộ"],
    )
    row = one(task, registry, D(2025, 6, 20))
    assert (row.assignee, row.is_group, row.status) == ("Các bộ, cơ quan ngang bộ", True, "overdue")
    assert (row.members_total, row.members_done, row.done_on) == (5, 3, None)
    by_member = {m.agency: m.status for m in row.members}
    assert by_member == {
        "Bộ Tài chính": "done",
        "Bộ Khoa học và Công nghệ": "overdue",
        "Bộ Nội vụ": "done",
        "Bộ Tư pháp": "done-late",
        "Văn phòng Chính phủ": "overdue",
    }


def test_group_all_done_one_late_is_done_late_with_last_date(registry: Registry) -> None:
    task = make_task(
        {"by": D(2025, 6, 14)},
        [
            {"on": D(2025, 6, 10), "fulfils": "o", "by": "Bộ Tài chính"},
            {"on": D(2025, 6, 16), "fulfils": "o", "by": "Bộ Nội vụ"},
            {"on": D(2025, 6, 12), "fulfils": "o", "by": "Bộ Tư pháp"},
        ],
        lead=["Nhóm ba bộ"],
    )
    row = one(task, registry, D(2025, 6, 20))
    assert (row.status, row.done_on, row.members_done) == ("done-late", D(2025, 6, 16), 3)


def test_fulfils_without_by_covers_every_assignee(registry: Registry) -> None:
    task = make_task(
        {"by": D(2025, 6, 14)}, [{"on": D(2025, 6, 10), "fulfils": "o"}], lead=["Nhóm ba bộ"]
    )
    assert one(task, registry, D(2025, 6, 20)).status == "done"


def test_abolished_agency_is_not_a_kind_member(registry: Registry) -> None:
    group = registry.lookup("Các bộ, ngành")
    assert "Bộ Thông tin và Truyền thông" not in registry.members(group)
    assert registry.owner_on("Bộ Thông tin và Truyền thông", LATEST) == "Bộ Khoa học và Công nghệ"
    assert registry.predecessors_on("Bộ Khoa học và Công nghệ", LATEST) == (
        "Bộ Thông tin và Truyền thông",
    )


@pytest.mark.parametrize(
    "spelling",
    [
        "Bộ Tài chính",
        unicodedata.normalize("NFD", "Bộ Tài chính"),
        "bo tai chinh",
        "BỘ   TÀI CHÍNH",
        "BTC",
        "Bộ TC",
    ],
)
def test_names_resolve(registry: Registry, spelling: str) -> None:
    entity = registry.resolve(spelling)
    assert entity is not None and entity.name == "Bộ Tài chính"


def test_unknown_name_suggests(registry: Registry) -> None:
    assert registry.resolve("Bộ Tài chánh") is None
    assert registry.suggest("Bộ Tài chánh") == ["Bộ Tài chính"]


# --- working days ---------------------------------------------------------------------------


def test_workdays_moves_a_day_off_to_the_next_working_day(registry: Registry) -> None:
    # 30/4 and 1/5/2025 are public holidays and Friday 2/5 was given off (worked on Saturday
    # 26/4), so a last day of 30/4 moves to Monday 5/5
    task = make_task({"by": D(2025, 4, 30)}, notice_date=D(2025, 4, 1))
    row = one(task, registry, D(2025, 4, 28), calendar=WorkCalendar())
    assert (row.due, row.effective_due) == (D(2025, 4, 30), D(2025, 5, 5))
    assert row.days_left == 2  # 29/4 and 5/5 are the working days left
    done = make_task(
        {"by": D(2025, 4, 30)}, [{"on": D(2025, 5, 5), "fulfils": "o"}], notice_date=D(2025, 4, 1)
    )
    assert one(done, registry, D(2025, 5, 5), calendar=WorkCalendar()).status == "done"
    assert one(done, registry, D(2025, 5, 5)).status == "done-late"


def test_workdays_window_counts_working_days(registry: Registry) -> None:
    # Friday 13/6 to Monday 23/6 is 6 working days; 7 calendar-day window would miss it
    task = make_task({"by": D(2025, 6, 23)})
    assert one(task, registry, D(2025, 6, 13)).status == "upcoming"
    row = one(task, registry, D(2025, 6, 13), calendar=WorkCalendar())
    assert (row.status, row.days_left) == ("due-soon", 6)
    assert (
        one(
            task, registry, D(2025, 6, 13), calendar=WorkCalendar(extra_holidays=[D(2025, 6, 16)])
        ).days_left
        == 5
    )


# --- what a query leaves out is what it would not keep ----------------------------------------


def test_a_query_for_open_rows_gives_the_open_rows_of_every_row(
    generated: tuple[Registry, list[Task]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`task_rows` leaves out what a query cannot want before it makes it (occurrences
    fulfilled by all, with `_open_occurrences`): what it keeps is what it keeps of every row."""
    registry, tasks = generated
    shortcuts = record_calls(monkeypatch, status, "_open_occurrences")
    for as_of in (D(2024, 9, 30), D(2025, 2, 27), D(2025, 6, 30), D(2025, 12, 1)):
        query = Settings(as_of=as_of)
        for wanted in (
            Wanted(OPEN),
            Wanted(frozenset({"overdue"})),
            Wanted(OPEN, before=as_of + dt.timedelta(days=15), dated=True),
        ):
            for task in tasks:
                every = [r for r in task_rows("x", task, registry, query) if wanted.row(r)]
                rows = task_rows("x", task, registry, query, wanted)
                assert [r for r in rows if wanted.row(r)] == every
    assert len(shortcuts) > 100  # the generated reports are mostly by all who owe them


# --- task_pairs: what a count takes of each row, the rows not made ---------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, list[Task]]:
    from helpers import bench_generator
    from tbtrack.loading.dataset import WorkingTree, load_dataset

    root = tmp_path_factory.mktemp("pairs") / "root"
    bench_generator().generate(root, 100, 7, None)
    data = load_dataset(root, WorkingTree(root, use_cache=False))
    return data.registry, [t.task for t in data.tasks]


@given(
    as_of=st.dates(D(2023, 12, 1), D(2027, 1, 31)),
    window=st.integers(0, 40),
    workdays=st.booleans(),
)
def test_a_task_s_pairs_are_its_rows_members_and_extensions(
    generated: tuple[Registry, list[Task]], as_of: D, window: int, workdays: bool
) -> None:
    registry, tasks = generated
    settings = Settings(as_of=as_of, window=window, calendar=WorkCalendar() if workdays else None)
    for task in tasks:
        rows = task_rows("", task, registry, settings)
        assert status.task_pairs(task, registry, settings) == [
            (r.members, bool(r.extensions)) for r in rows
        ]
