"""The monthly report as Markdown: the parts in order, each a table fit for a comment."""

from __future__ import annotations

from dataclasses import replace

from report_fixture import build_report
from tbtrack.queries.report_data import PairGroup
from tbtrack.render.report_markdown import render_markdown


def test_the_parts_in_order_with_the_total_row() -> None:
    text = render_markdown(build_report(), "vi")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Báo cáo tình hình thực hiện Thông báo kết luận tháng 7/2025",
        "## Các văn bản theo dõi",
        "## Tổng hợp kết quả thực hiện",
        "## Danh sách nhiệm vụ quá hạn",
        "## Danh sách đôn đốc",
        "## So sánh với kỳ trước",
    ]
    assert "| Bộ Tài chính | 5 | 3 | 0 | 2 | 0 | 0 | 100% | 1 | 0 |" in text
    assert (
        "| **Tổng cộng** | **400** | **165** | **36** | **145** | **54** | **18** | **65%** |"
        in text
    )
    assert "Các nhiệm vụ đến hạn từ 01/07/2025 đến 31/07/2025, kể cả quá hạn" in text
    # part 5: each count as of A, then as of D0 and the change
    assert "| Bộ Tài chính | 5 (9, -4) | 3 (4, -1) |" in text
    assert "| 100% (67%, +33 điểm %) |" in text


def test_overdue_lines_grouped_under_their_agency() -> None:
    text = render_markdown(build_report(compare=False), "en")
    lines = text.splitlines()
    start = lines.index("## Overdue tasks")
    rows = [line for line in lines[start:] if line.startswith("| **Bộ Công an**")]
    assert len(rows) == 1
    first = lines.index(rows[0])
    days = [line.rsplit("|", 2)[1].strip() for line in lines[first : first + 3]]
    assert days == ["30", "21", "12"]
    assert lines[first + 1].startswith("|  | `tgv-2025-06-06/2c` |")
    assert "## Change since the previous report" not in text
    assert "11/06/2025" not in text and "2025-06-11 (extended from 2025-05-28)" in text


def test_a_pipe_in_a_title_does_not_break_the_table() -> None:
    report = build_report(compare=False)
    group = report.overdue[0]
    line = group.rows[0]._replace(title="Đề án A | B\nphần 2")
    report = replace(report, overdue=[PairGroup(group.agency, [line])])
    text = render_markdown(report, "vi")
    assert "| Đề án A \\| B phần 2 |" in text
