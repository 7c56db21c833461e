"""The queries core called directly: which rows each listing keeps (one `Wanted` decides)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import Repo, task_text
from tbtrack.engine.status import Settings, Wanted
from tbtrack.errors import UsageError
from tbtrack.loading.dataset import Dataset, WorkingTree
from tbtrack.queries import listings
from tbtrack.queries.listings import Filters

D = dt.date


def _data(repo: Repo) -> Dataset:
    repo.task("tb/late", task_text(obligations="  - id: complete\n    by: 2025-06-01\n"))
    repo.task("tb/soon", task_text(obligations="  - id: complete\n    by: 2025-06-12\n"))
    repo.task("tb/later", task_text(obligations="  - id: complete\n    by: 2025-09-01\n"))
    repo.task(
        "tb/done",
        task_text(
            obligations="  - id: complete\n    by: 2025-06-11\n",
            progress="\n  - on: 2025-06-05\n    fulfils: complete",
        ),
    )
    repo.task(
        "tb/off",
        task_text(extra="state: cancelled\nstate_reason: withdrawn\nstate_on: 2025-06-08\n"),
    )
    return WorkingTree(repo.root, use_cache=False).load()


def test_due_keeps_overdue_and_due_soon(repo: Repo) -> None:
    data = _data(repo)
    rows = listings.due(data, Settings(as_of=D(2025, 6, 10)), Filters())
    assert [(r.task_id, r.status) for r in rows] == [
        ("tb/late", "overdue"),
        ("tb/soon", "due-soon"),
    ]


def test_due_before_and_all(repo: Repo) -> None:
    data = _data(repo)
    settings = Settings(as_of=D(2025, 6, 10))
    rows = listings.due(data, settings, Filters(), before=D(2025, 10, 1))
    assert [r.task_id for r in rows] == ["tb/late", "tb/soon", "tb/later"]
    rows = listings.due(data, settings, Filters(), include_done=True)
    assert [(r.task_id, r.status) for r in rows] == [
        ("tb/late", "overdue"),
        ("tb/done", "done"),
        ("tb/soon", "due-soon"),
    ]
    after = listings.due(data, settings, Filters(), before=D(2025, 10, 1), after=D(2025, 6, 12))
    assert [r.task_id for r in after] == ["tb/later"]


def test_overdue_and_summary(repo: Repo) -> None:
    data = _data(repo)
    settings = Settings(as_of=D(2025, 6, 10))
    assert [r.task_id for r in listings.overdue(data, settings, Filters())] == ["tb/late"]
    (row,) = listings.summary(data, settings, "agency", Filters())
    assert row.name == "Bộ Tài chính"
    assert {k: v for k, v in row.counts.items() if v} == {
        "done": 1,
        "overdue": 1,
        "due-soon": 1,
        "upcoming": 1,
    }
    assert row.on_time_rate == 0.5


def test_show_gives_every_row_of_one_task(repo: Repo) -> None:
    data = _data(repo)
    view = listings.show(data, Settings(as_of=D(2025, 6, 10)), "off")
    assert view.loaded.id == "tb/off"
    assert [r.status for r in view.rows] == ["cancelled"]


def test_wanted_decides_by_status_and_day() -> None:
    wanted = Wanted(frozenset({"overdue"}), before=D(2025, 7, 1), dated=True)
    assert wanted.open_only
    assert wanted.day(D(2025, 6, 30)) and not wanted.day(D(2025, 7, 1)) and not wanted.day(None)
    assert Wanted().day(None)
    assert not Wanted(after=D(2025, 7, 1)).day(D(2025, 7, 1))


# --- --workdays: L decides a range, the working day it moves to is shown ----------------------


def _days_off(repo: Repo) -> Dataset:
    # Saturday 30/8/2025, and Tuesday 2/9 (Quốc khánh; Monday 1/9 is off too): both move to
    # Wednesday 3/9
    repo.task("tb/sat", task_text(obligations="  - id: complete\n    by: 2025-08-30\n"))
    repo.task("tb/nat", task_text(obligations="  - id: complete\n    by: 2025-09-02\n"))
    return WorkingTree(repo.root, use_cache=False).load()


def test_workdays_never_takes_a_row_out_of_a_range(repo: Repo) -> None:
    from tbtrack.engine.workdays import WorkCalendar

    data = _days_off(repo)
    settings = Settings(as_of=D(2025, 8, 25), calendar=WorkCalendar())
    rows = listings.due(data, settings, Filters(), before=D(2025, 9, 1))
    assert [(r.task_id, r.due, r.effective_due, r.days_left) for r in rows] == [
        ("tb/sat", D(2025, 8, 30), D(2025, 9, 3), 5)
    ]
    both = listings.due(data, settings, Filters(), before=D(2025, 9, 10))
    assert [r.task_id for r in both] == ["tb/sat", "tb/nat"]  # by L, not by the moved day
    after = listings.due(data, settings, Filters(), before=D(2025, 9, 10), after=D(2025, 8, 30))
    assert [r.task_id for r in after] == ["tb/nat"]
    assert listings.due(data, settings, Filters(), before=D(2025, 9, 10), after=D(2025, 9, 2)) == []


def test_a_notice_is_named_by_its_number_else_its_folder() -> None:
    from tbtrack.files.store import notice_folder, notice_name
    from tbtrack.queries.report_data import NoticeLine

    assert notice_folder("tgv-2025-06-06/2c") == "tgv-2025-06-06"
    assert notice_folder("2c") == "2c"
    assert notice_name(None, "tgv-2025-06-06", D(2025, 6, 6)) == "tgv-2025-06-06 (2025-06-06)"
    assert notice_name("47-TB/TGV", "tgv", D(2025, 6, 6)) == "47-TB/TGV (2025-06-06)"
    line = NoticeLine("tgv-2025-06-06", None, D(2025, 6, 6), "Thông báo kết luận", 3)
    assert (line.ref, line.name) == ("tgv-2025-06-06", "tgv-2025-06-06 (2025-06-06)")


def test_summary_by_notice_keeps_two_folders_apart(repo: Repo) -> None:
    repo.task("tb-a/1", task_text())
    repo.task("tb-b/1", task_text())  # the same notice text and date, another notice
    data = WorkingTree(repo.root, use_cache=False).load()
    rows = listings.summary(data, Settings(as_of=D(2025, 6, 10)), "notice", Filters())
    assert [(r.name, r.counts["upcoming"]) for r in rows] == [
        ("tb-a (2025-06-06)", 1),
        ("tb-b (2025-06-06)", 1),
    ]


def _group_task(repo: Repo) -> Dataset:
    repo.task(
        "tb/g",
        task_text(
            lead='["Nhóm ba bộ"]',
            obligations="  - id: complete\n    by: 2025-07-01\n",
            progress=(
                "\n  - on: 2025-06-02\n    extends: complete\n    to: 2025-07-10\n"
                "  - on: 2025-06-03\n    extends: complete\n    by: Bộ Nội vụ\n    to: 2025-07-20\n"
                "  - on: 2025-06-04\n    extends: complete\n    by: Bộ Nội vụ\n    to: 2025-07-25\n"
                "  - on: 2025-06-05\n    fulfils: complete\n    by: Bộ Tài chính\n"
            ),
        ),
    )
    return WorkingTree(repo.root, use_cache=False).load()


def test_show_for_one_member(repo: Repo) -> None:
    data = _group_task(repo)
    settings = Settings(as_of=D(2025, 6, 10))
    whole = listings.show(data, settings, "g")
    assert (whole.agency, len(whole.timeline), [r.assignee for r in whole.rows]) == (
        None,
        4,
        ["Nhóm ba bộ"],
    )
    home = listings.show(data, settings, "g", "bo noi vu")
    assert home.agency == "Bộ Nội vụ"
    assert [(r.assignee, r.due, r.status) for r in home.rows] == [
        ("Bộ Nội vụ", D(2025, 7, 25), "upcoming")
    ]
    assert [e.on.day for e in home.timeline] == [2, 3, 4]  # not the finance ministry's report
    finance = listings.show(data, settings, "g", "Bộ Tài chính")
    assert [e.on.day for e in finance.timeline] == [2, 5]
    assert [e.on.day for e in finance.rows[0].extensions] == [2]
    with pytest.raises(UsageError, match="Bộ Khoa học và Công nghệ is not an assignee of tb/g"):
        listings.show(data, settings, "g", "Bộ KHCN")
    # a task whose notice is not out yet owes nothing to anyone: nothing to show, no error
    early = listings.show(data, Settings(as_of=D(2025, 6, 1)), "g", "Bộ KHCN")
    assert early.rows == []


def test_extension_steps_chain_each_agencys_last_day(repo: Repo) -> None:
    data = _group_task(repo)
    (row,) = listings.show(data, Settings(as_of=D(2025, 6, 10)), "g").rows
    assert [(s.event.on.day, s.old, s.new) for s in listings.extension_steps(row)] == [
        (2, D(2025, 7, 1), D(2025, 7, 10)),  # everyone's
        (3, D(2025, 7, 10), D(2025, 7, 20)),  # the home ministry's, from everyone's
        (4, D(2025, 7, 20), D(2025, 7, 25)),  # ... and from its own
    ]
