"""The markdown formatter renders every kind of result, exactly."""

from __future__ import annotations

from collections.abc import Callable

from render.results import Rendered, Results

Render = Callable[..., Rendered]

ROWS = """\
| Task | Sec. | Title | Assignee | Kind | Due | Days | Status |
| --- | --- | --- | --- | --- | --- | --- | --- |
| `tb-a/2c` | 2.c | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Tài chính | report | 2025-06-14 | -21 | Overdue |
| `tb-b/monthly` | 3 | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Thông tin và Truyền thông | report | 2025-06-30 | -5 | Overdue |
| `tb-a/2c` | 2.c | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Tài chính | submit | 2025-07-01 | -4 | Overdue |
| `tb-a/2d` | 2.d | Ban hành bảng danh mục và mã số các đơn vị hành chính | 1/3 done · Nhóm ba bộ | report | 2025-07-10 ← 2025-06-14 | 5 | Due soon |
| `tb-b/monthly` | 3 | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Thông tin và Truyền thông | report | 2025-07-31 | 26 | Upcoming |
"""


def test_rows(results: Results, render: Render) -> None:
    drawn = render("markdown", "rows", results.rows)
    assert drawn.out == ROWS
    assert drawn.err == ""


AGENCY = """\
| Task | Sec. | Title | Assignee | Kind | Due | Days | Status | Role |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| `tb-a/2c` | 2.c | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Tài chính | report | 2025-06-14 | -21 | Overdue | lead |
| `tb-a/2c` | 2.c | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Tài chính | submit | 2025-07-01 | -4 | Overdue | lead |
| `tb-a/2d` | 2.d | Ban hành bảng danh mục và mã số các đơn vị hành chính | Bộ Tài chính | report | 2025-07-10 ← 2025-06-14 |  | Done on time | lead |
"""


def test_agency(results: Results, render: Render) -> None:
    drawn = render("markdown", "agency", results.agency)
    assert drawn.out == AGENCY
    assert drawn.err == ""


SUMMARY = """\
| Agency | Done on time | Done late | Due soon | Upcoming | Overdue | Ongoing | No date | On-time rate |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| Bộ Khoa học và Công nghệ | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0% |
| Bộ Nội vụ | 0 | 0 | 1 | 0 | 0 | 0 | 0 | — |
| Bộ Tài chính | 1 | 0 | 0 | 0 | 2 | 0 | 0 | 33% |
| Bộ Tư pháp | 0 | 0 | 1 | 0 | 0 | 0 | 0 | — |
| **Total** | 1 | 0 | 2 | 0 | 3 | 0 | 0 | 25% |
"""


def test_summary(results: Results, render: Render) -> None:
    drawn = render("markdown", "summary", results.summary, "agency")
    assert drawn.out == SUMMARY
    assert drawn.err == ""


SUMMARY_BY_NOTICE = """\
| Notice | Done on time | Done late | Due soon | Upcoming | Overdue | Ongoing | No date | On-time rate |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| tb-a (2025-06-06) | 1 | 0 | 2 | 0 | 2 | 0 | 0 | 33% |
| tb-b (2025-06-06) | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0% |
| **Total** | 1 | 0 | 2 | 0 | 3 | 0 | 0 | 25% |
"""


def test_summary_by_notice(results: Results, render: Render) -> None:
    drawn = render("markdown", "summary", results.notices, "notice")
    assert drawn.out == SUMMARY_BY_NOTICE
    assert drawn.err == ""


TASK = """\
| Task | Sec. | Title | Assignee | Kind | Due | Days | Status |
| --- | --- | --- | --- | --- | --- | --- | --- |
| `tb-a/2d` | 2.d | Ban hành bảng danh mục và mã số các đơn vị hành chính | 1/3 done · Nhóm ba bộ | report | 2025-07-10 ← 2025-06-14 | 5 | Due soon |
"""


def test_task(results: Results, render: Render) -> None:
    drawn = render("markdown", "task", results.task)
    assert drawn.out == TASK
    assert drawn.err == ""


GRID = """\
| Task | Assignee | 06/2025 | 07/2025 | 08/2025 |
| --- | --- | --- | --- | --- |
| tb-b/monthly:report | Bộ Thông tin và Truyền thông | ✗ | · | · |
"""


def test_grid(results: Results, render: Render) -> None:
    drawn = render("markdown", "grid", results.grid)
    assert drawn.out == GRID
    assert drawn.err == ""


DIAGNOSTICS = "tasks/tb-a/2c.yaml:3:5: error: unknown agency 'X\\nY' [agency]\ntasks/tb-a/2d.yaml:7:1: warning: no date (add one) [undated]\n"


def test_diagnostics(results: Results, render: Render) -> None:
    drawn = render("markdown", "diagnostics", results.diagnostics)
    assert drawn.out == DIAGNOSTICS
    assert drawn.err == "1 error(s), 1 warning(s)\n"


DIFF = "### tbtrack diff: `HEAD` → `working tree`\n\n:warning: **1 flag(s)** need a reviewer's attention.\n\n#### `tb-a/2d` — modified\n\n*Ban hành \\*bảng\\* danh mục*\n\n- :warning: **evidence-missing**: no evidence for an extension\n- event 1 appended: 2025-06-09 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC\n- title: Cũ → Mới\n\n#### `tb-c/new` — renamed (from `tasks/tb-c/old.yaml`)\n"


def test_diff(results: Results, render: Render) -> None:
    drawn = render("markdown", "diff", results.diff)
    assert drawn.out == DIFF
    assert drawn.err == ""


EMPTY_DIFF = """\
### tbtrack diff: `0123456789` → `working tree`

No change in the tasks.
"""


def test_empty_diff(results: Results, render: Render) -> None:
    drawn = render("markdown", "diff", results.empty_diff)
    assert drawn.out == EMPTY_DIFF
    assert drawn.err == ""


LOG = "### tbtrack log: `tb-a/2d`\n\n#### `0123456789` Ghi nhận báo cáo của Bộ Tài chính\n\nNguyễn Văn A · 2025-06-12T09:30:00+07:00\n\n**modified**\n\n*Ban hành \\*bảng\\* danh mục*\n\n- :warning: **evidence-missing**: no evidence for an extension\n- event 1 appended: 2025-06-09 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC\n- title: Cũ → Mới\n\n#### `0123456789` Ghi nhận báo cáo của Bộ Tài chính\n\nNguyễn Văn A · 2025-06-12T09:30:00+07:00\n\n- no change to this task (merge)\n"


def test_log(results: Results, render: Render) -> None:
    drawn = render("markdown", "log", results.log)
    assert drawn.out == LOG
    assert drawn.err == ""
