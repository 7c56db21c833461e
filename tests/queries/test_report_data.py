"""The monthly report's data and its JSON (SPEC 5.3): field names asserted exactly."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from report_fixture import AS_OF, NOTICE, build_report, provinces
from tbtrack.queries.report_data import CountRow, Counts, report_json
from tbtrack.render.export import ROW_FIELDS

COUNT_KEYS = [
    "total",
    "done",
    "done-late",
    "open",
    "overdue",
    "extended",
    "on_time_rate",
    "ongoing",
    "undated",
]


def test_the_fixture_holds_the_34_provinces_of_the_registry() -> None:
    names = provinces()
    assert len(names) == 34
    assert "Ủy ban nhân dân Thành phố Hồ Chí Minh" in names
    assert "Ủy ban nhân dân tỉnh Hà Giang" not in names  # merged into Tuyên Quang on 01/7/2025


def test_counts_total_and_rate_follow_from_the_four_way_count() -> None:
    counts = Counts(done=6, done_late=1, open=4, overdue=3, extended=2, ongoing=5, undated=1)
    assert counts.total == 14  # ongoing and undated are counted apart
    assert counts.on_time_rate == 6 / 10
    assert Counts(open=3, ongoing=2).on_time_rate is None  # nothing due yet


def test_counts_from_a_summary_tally() -> None:
    tally = {"done": 2, "done-late": 1, "due-soon": 3, "upcoming": 4, "overdue": 5}
    counts = Counts.from_tally({**tally, "ongoing": 6, "undated": 7}, extended=2)
    assert counts == Counts(
        done=2, done_late=1, open=7, overdue=5, extended=2, ongoing=6, undated=7
    )


def test_change_since_the_compared_day() -> None:
    row = CountRow("Bộ Tài chính", Counts(done=5, overdue=1), Counts(done=2, overdue=2))
    assert row.change("done") == 3
    assert row.change("overdue") == -1
    assert row.change("on_time_rate") == 5 / 6 - 2 / 4
    assert CountRow("x", Counts(done=1)).change("done") is None


def test_report_json_field_names() -> None:
    report = build_report()
    data = report_json(report)
    assert list(data) == [
        "title",
        "as_of",
        "by",
        "next",
        "compare",
        "notices",
        "counts",
        "totals",
        "overdue",
        "chase",
    ]
    assert data["as_of"] == "2025-07-01"
    assert data["compare"] == "2025-06-01"
    assert list(data["notices"][0]) == ["folder", "number", "date", "title", "tasks", "name"]
    assert data["notices"][1] == {
        "folder": "vpcp-467",
        "number": "467/TB-VPCP",
        "date": "2025-05-20",
        "title": "Kết luận của Thủ tướng",
        "tasks": 5,
        "name": "467/TB-VPCP (2025-05-20)",
    }
    assert len(data["counts"]) == 3 + 34
    for row in data["counts"]:
        assert list(row) == ["agency", *COUNT_KEYS, "previous"]
        assert list(row["previous"]) == COUNT_KEYS
    assert list(data["totals"]) == [*COUNT_KEYS, "previous"]
    line = data["overdue"][0]
    assert list(line) == [*ROW_FIELDS, "as_written", "via", "days_late"]
    for chase in data["chase"]:
        assert list(chase) == ["agency", "rows"]
        for row in chase["rows"]:
            assert list(row) == [*ROW_FIELDS, "as_written", "via"]


def test_report_json_values() -> None:
    data = report_json(build_report())
    first = data["counts"][0]
    assert first == {
        "agency": "Bộ Tài chính",
        "total": 5,
        "done": 3,
        "done-late": 0,
        "open": 2,
        "overdue": 0,
        "extended": 0,
        "on_time_rate": 1.0,
        "ongoing": 1,
        "undated": 0,
        "previous": {
            "total": 9,
            "done": 4,
            "done-late": 1,
            "open": 3,
            "overdue": 1,
            "extended": 1,
            "on_time_rate": 0.6667,
            "ongoing": 1,
            "undated": 1,
        },
    }
    assert data["totals"]["total"] == sum(row["total"] for row in data["counts"])
    assert data["totals"]["overdue"] == sum(row["overdue"] for row in data["counts"])
    # part 3: the member agency as the assignee, most days late first within it
    late = [row for row in data["overdue"] if row["assignee"] == "Bộ Công an"]
    assert [row["days_late"] for row in late] == [30, 21, 12]
    assert late[0] | {"title": None} == {
        "task": "tgv-2025-06-06/1c",
        "obligation": "complete",
        "kind": "complete",
        "occurrence": None,
        "assignee": "Bộ Công an",
        "due": "2025-06-01",
        "original_due": "2025-06-01",
        "days_left": -30,
        "status": "overdue",
        "done_on": None,
        "members_total": 1,
        "members_done": 0,
        "title": None,
        "section": "1.c",
        "notice": NOTICE,
        "notice_date": "2025-06-06",
        "evidence": None,
        "as_written": "Hoàn thành trước ngày 15/6/2025",
        "via": None,
        "days_late": 30,
    }
    extended = next(row for row in data["overdue"] if row["due"] != row["original_due"])
    assert dt.date.fromisoformat(extended["original_due"]) < dt.date.fromisoformat(extended["due"])
    # every field serialises: the report is plain data
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_report_json_without_compare_has_no_previous() -> None:
    data = report_json(build_report(compare=False))
    assert data["compare"] is None
    assert "previous" not in data["counts"][0]
    assert "previous" not in data["totals"]
    assert data["as_of"] == AS_OF.isoformat()


def test_counts_by_notice_are_named_by_notice() -> None:
    report = build_report(compare=False)
    by_notice = replace(report, by="notice", counts=[CountRow(NOTICE, Counts(done=2, open=1))])
    data = report_json(by_notice)
    assert data["by"] == "notice"
    assert data["counts"] == [
        {
            "notice": NOTICE,
            "total": 3,
            "done": 2,
            "done-late": 0,
            "open": 1,
            "overdue": 0,
            "extended": 0,
            "on_time_rate": 1.0,
            "ongoing": 0,
            "undated": 0,
        }
    ]
