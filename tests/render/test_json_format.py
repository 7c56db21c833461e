"""The JSON formatter renders every kind of result as the stable records of SPEC 5.1."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from render.results import Rendered, Results

Render = Callable[..., Rendered]


def parsed(render: Render, kind: str, *args: Any) -> Any:
    drawn = render("json", kind, *args)
    assert drawn.err == ""
    return json.loads(drawn.out)


def test_rows(results: Results, render: Render) -> None:
    rows = parsed(render, "rows", results.rows)
    assert [(r["task"], r["obligation"], r["due"], r["status"]) for r in rows] == [
        ("tb-a/2c", "report", "2025-06-14", "overdue"),
        ("tb-b/monthly", "report", "2025-06-30", "overdue"),
        ("tb-a/2c", "complete", "2025-07-01", "overdue"),
        ("tb-a/2d", "report", "2025-07-10", "due-soon"),
        ("tb-b/monthly", "report", "2025-07-31", "upcoming"),
    ]
    assert rows[3] == {
        "task": "tb-a/2d",
        "obligation": "report",
        "kind": "report",
        "occurrence": None,
        "assignee": "Nhóm ba bộ",
        "due": "2025-07-10",
        "original_due": "2025-06-14",
        "days_left": 5,
        "status": "due-soon",
        "done_on": None,
        "members_total": 3,
        "members_done": 1,
        "title": "Ban hành bảng danh mục và mã số các đơn vị hành chính",
        "section": "2.d",
        "notice": "Thông báo kết luận cuộc họp ngày 06/6/2025",
        "notice_date": "2025-06-06",
        "evidence": "Báo cáo số 123/BC-BTC",
    }


def test_rows_are_laid_out_as_json_dumps_would(results: Results, render: Render) -> None:
    drawn = render("json", "rows", results.rows)
    assert drawn.out == json.dumps(json.loads(drawn.out), ensure_ascii=False, indent=2) + "\n"


def test_agency_rows_carry_their_role(results: Results, render: Render) -> None:
    rows = parsed(render, "agency", results.agency)
    assert [(r["task"], r["obligation"], r["role"], r["status"]) for r in rows] == [
        ("tb-a/2c", "report", "lead", "overdue"),
        ("tb-a/2c", "complete", "lead", "overdue"),
        ("tb-a/2d", "report", "lead", "done"),
    ]


def test_summary(results: Results, render: Render) -> None:
    # two notices without a number, alike in title and date: each named by its folder
    assert parsed(render, "summary", results.notices, "notice") == [
        {
            "notice": "tb-a (2025-06-06)",
            "done": 1,
            "done-late": 0,
            "due-soon": 2,
            "upcoming": 0,
            "overdue": 2,
            "ongoing": 0,
            "undated": 0,
            "on_time_rate": 0.3333,
        },
        {
            "notice": "tb-b (2025-06-06)",
            "done": 0,
            "done-late": 0,
            "due-soon": 0,
            "upcoming": 0,
            "overdue": 1,
            "ongoing": 0,
            "undated": 0,
            "on_time_rate": 0.0,
        },
    ]
    agencies = parsed(render, "summary", results.summary, "agency")
    assert [(r["agency"], r["on_time_rate"]) for r in agencies] == [
        ("Bộ Khoa học và Công nghệ", 0.0),
        ("Bộ Nội vụ", None),
        ("Bộ Tài chính", 0.3333),
        ("Bộ Tư pháp", None),
    ]


def test_task(results: Results, render: Render) -> None:
    task = parsed(render, "task", results.task)
    assert (task["id"], task["path"]) == ("tb-a/2d", "tasks/tb-a/2d.yaml")
    assert task["task"]["lead"] == ["Nhóm ba bộ"]
    assert [r["status"] for r in task["rows"]] == ["due-soon"]
    assert task["members"][0]["member_status"] == [
        {"agency": "Bộ Tài chính", "status": "done", "done_on": "2025-06-09"},
        {"agency": "Bộ Nội vụ", "status": "due-soon", "done_on": None},
        {"agency": "Bộ Tư pháp", "status": "due-soon", "done_on": None},
    ]


def test_grid(results: Results, render: Render) -> None:
    assert parsed(render, "grid", results.grid) == [
        {
            "task": "tb-b/monthly",
            "obligation": "report",
            "assignee": "Bộ Thông tin và Truyền thông",
            "occurrences": {
                "2025-06-30": "overdue",
                "2025-07-31": "upcoming",
                "2025-08-31": "upcoming",
            },
        }
    ]


def test_diagnostics_keep_the_raw_message(results: Results, render: Render) -> None:
    assert parsed(render, "diagnostics", results.diagnostics)[0] == {
        "path": "tasks/tb-a/2c.yaml",
        "line": 3,
        "col": 5,
        "severity": "error",
        "message": "unknown agency 'X\nY'",
        "rule": "agency",
        "hint": None,
    }


def test_diff_and_log(results: Results, render: Render) -> None:
    changes = parsed(render, "diff", results.diff)
    assert [(c["task"], c["change"], c["from_path"]) for c in changes] == [
        ("tb-a/2d", "modified", None),
        ("tb-c/new", "renamed", "tasks/tb-c/old.yaml"),
    ]
    assert changes[0]["flags"] == [
        {"rule": "evidence-missing", "message": "no evidence for an extension"}
    ]
    assert parsed(render, "diff", results.empty_diff) == []
    entries = parsed(render, "log", results.log)
    assert [(e["commit"][:10], e["change"], e["task"]) for e in entries] == [
        ("0123456789", "modified", "tb-a/2d"),
        ("0123456789", None, None),
    ]
