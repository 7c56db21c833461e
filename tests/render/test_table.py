"""The table formatter renders every kind of result, exactly."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from render.results import Rendered, Results
from tbtrack.render.output import Output

Render = Callable[..., Rendered]


def screen(text: str) -> str:
    """A terminal's lines as written in these tests: each ends in `$`, so padding shows."""
    return text.replace("$\n", "\n")


ROWS = screen("""\
Task         Sec. Title               Assignee         Kind   Due                     Days Status  $
tb-a/2c      2.c  Ban hành bảng danh… Bộ Tài chính     report 2025-06-14               -21 Overdue $
tb-b/monthly 3    Ban hành bảng danh… Bộ Thông tin và… report 2025-06-30                -5 Overdue $
tb-a/2c      2.c  Ban hành bảng danh… Bộ Tài chính     submit 2025-07-01                -4 Overdue $
tb-a/2d      2.d  Ban hành bảng danh… 1/3 done · Nhóm… report 2025-07-10 ← 2025-06-14    5 Due soon$
tb-b/monthly 3    Ban hành bảng danh… Bộ Thông tin và… report 2025-07-31                26 Upcoming$
""")


def test_rows(results: Results, render: Render) -> None:
    drawn = render("table", "rows", results.rows)
    assert drawn.out == ROWS
    assert drawn.err == ""


@pytest.mark.parametrize("width", [40, 60, 72, 80, 130])
def test_narrow_rows_tables_are_richs(
    results: Results, render: Render, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """The direct table and Rich's agree at any width, a table wider than the terminal
    (its uncut columns alone are, at 40) included: Rich does not cut it either."""
    monkeypatch.setenv("COLUMNS", str(width))
    drawn = [render("table", "rows", results.rows), render("table", "agency", results.agency)]
    monkeypatch.setattr(Output, "fast_tables", False)
    assert [render("table", "rows", results.rows), render("table", "agency", results.agency)] == (
        drawn
    )
    assert "tb-b/monthly" in drawn[0].out.splitlines()[2].split()
    assert ("2025-07-10 ← 2025-06-14" in drawn[0].out) == (width == 130)


@pytest.mark.parametrize("width", [40, 60, 80, 130, 250])
def test_summary_tables_are_richs(
    results: Results, render: Render, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """Written directly without colours, the summary is the table Rich draws: in words or
    symbols, names whole or shortened."""
    monkeypatch.setenv("COLUMNS", str(width))
    drawn = [
        render("table", "summary", results.summary, "agency"),
        render("table", "summary", results.notices, "notice", lang="vi"),
    ]
    monkeypatch.setattr(Output, "fast_tables", False)
    assert [
        render("table", "summary", results.summary, "agency"),
        render("table", "summary", results.notices, "notice", lang="vi"),
    ] == drawn
    assert "Total" in drawn[0].out


@pytest.mark.parametrize("block", [1, 2, 4])
def test_a_direct_table_written_in_blocks_is_the_whole_table(
    results: Results, render: Render, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """A long table is written a block of rows at a time: the pieces join into the table
    drawn at once, the widths the whole table's (the narrowest rows come first here)."""
    from tbtrack.render import table

    monkeypatch.setattr(table, "BLOCK", block)
    assert render("table", "rows", results.rows).out == ROWS
    assert render("table", "summary", results.summary, "agency").out == SUMMARY
    monkeypatch.setattr(Output, "fast_tables", False)
    assert render("table", "rows", results.rows).out == ROWS


ROWS_AT_40 = screen("""\
Task         Assignee   Due         Days Status  $
tb-a/2c      Bộ Tài ch… 2025-06-14   -21 Overdue $
tb-b/monthly Bộ Thông…  2025-06-30    -5 Overdue $
tb-a/2c      Bộ Tài ch… 2025-07-01    -4 Overdue $
tb-a/2d      1/3 done…  2025-07-10*    5 Due soon$
tb-b/monthly Bộ Thông…  2025-07-31    26 Upcoming$
""")


def test_a_rows_table_too_narrow_for_its_uncut_columns_is_drawn_whole(
    results: Results, render: Render, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert render("table", "rows", results.rows).out == ROWS_AT_40


AGENCY = screen("""\
Bộ Tài chính$
Done on time: 1 · Done late: 0 · Overdue: 2 · Upcoming/Due soon: 0 · Ongoing: 0 · No date: 0$
Task    Sec. Title               Assignee     Kind   Due                     Days Status       Role$
tb-a/2c 2.c  Ban hành bảng danh… Bộ Tài chính report 2025-06-14               -21 Overdue      lead$
tb-a/2c 2.c  Ban hành bảng danh… Bộ Tài chính submit 2025-07-01                -4 Overdue      lead$
tb-a/2d 2.d  Ban hành bảng danh… Bộ Tài chính report 2025-07-10 ← 2025-06-14      Done on time lead$
""")


def test_agency(results: Results, render: Render) -> None:
    drawn = render("table", "agency", results.agency)
    assert drawn.out == AGENCY
    assert drawn.err == ""


SUMMARY = screen("""\
Agency                     ✓  ✓!   !   ·   ✗   ~   ?   %$
Bộ Khoa học và Công nghệ   0   0   0   0   1   0   0  0%$
Bộ Nội vụ                  0   0   1   0   0   0   0   —$
Bộ Tài chính               1   0   0   0   2   0   0 33%$
Bộ Tư pháp                 0   0   1   0   0   0   0   —$
Total                      1   0   2   0   3   0   0 25%$
✓ Done on time  ✓! Done late  ! Due soon  · Upcoming  ✗ Overdue  ~ Ongoing  ? No date$
% On-time rate$
""")


def test_summary(results: Results, render: Render) -> None:
    drawn = render("table", "summary", results.summary, "agency")
    assert drawn.out == SUMMARY
    assert drawn.err == ""


SUMMARY_BY_NOTICE = screen("""\
Notice            Done on time Done late Due soon Upcoming Overdue Ongoing No date On-time rate$
tb-a (2025-06-06)            1         0        2        0       2       0       0          33%$
tb-b (2025-06-06)            0         0        0        0       1       0       0           0%$
Total                        1         0        2        0       3       0       0          25%$
""")


def test_summary_by_notice(results: Results, render: Render) -> None:
    drawn = render("table", "summary", results.notices, "notice")
    assert drawn.out == SUMMARY_BY_NOTICE
    assert drawn.err == ""


TASK = screen("""\
tb-a/2d  tasks/tb-a/2d.yaml$
Ban hành bảng danh mục và mã số các đơn vị hành chính$
Notice: Thông báo kết luận cuộc họp ngày 06/6/2025 (-, 2025-06-06), Sec. 2.d$
lead: Nhóm ba bộ$
support: Bộ Nội vụ$
$
report (report, before)$
  Nhóm ba bộ: 2025-07-10 ← 2025-06-14 (+5) Due soon$
      Bộ Tài chính: Done on time 2025-06-09$
      Bộ Nội vụ: Due soon$
      Bộ Tư pháp: Due soon$
    extended 2025-06-14 → 2025-07-10 on 2025-06-10 (Công văn 45/VPCP)$
$
Progress$
  2025-06-09  fulfils report by Bộ Tài chính — Báo cáo số 123/BC-BTC$
  2025-06-10  extends report to 2025-07-10 — Công văn 45/VPCP$
""")


def test_task(results: Results, render: Render) -> None:
    drawn = render("table", "task", results.task)
    assert drawn.out == TASK
    assert drawn.err == ""


GRID = screen("""\
Task                Assignee                     30/06 31/07 31/08$
tb-b/monthly:report Bộ Thông tin và Truyền thông   ✗     ·     ·  $
✓ Done on time  ✓! Done late  ✗ Overdue  ! Due soon  · Upcoming  ~ Ongoing  ? No date  - Cancelled$
""")


def test_grid(results: Results, render: Render) -> None:
    drawn = render("table", "grid", results.grid)
    assert drawn.out == GRID
    assert drawn.err == ""


DIAGNOSTICS = "tasks/tb-a/2c.yaml:3:5: error: unknown agency 'X\\nY' [agency]\ntasks/tb-a/2d.yaml:7:1: warning: no date (add one) [undated]\n"


def test_diagnostics(results: Results, render: Render) -> None:
    drawn = render("table", "diagnostics", results.diagnostics)
    assert drawn.out == DIAGNOSTICS
    assert drawn.err == "1 error(s), 1 warning(s)\n"


DIFF = screen("""\
HEAD → working tree$
Task                   Change    What changed                                                       $
tb-a/2d                modified  Ban hành *bảng* danh mục                                           $
                                 ⚑ evidence-missing: no evidence for an extension                   $
                                 event 1 appended: 2025-06-09 done report by Bộ Tài chính — Báo cáo $
                                 số 123/BC-BTC                                                      $
                                 title: Cũ → Mới                                                    $
tb-c/new               renamed                                                                      $
← tasks/tb-c/old.yaml                                                                               $
2 change(s), 1 flag(s) for a reviewer$
""")


def test_diff(results: Results, render: Render) -> None:
    drawn = render("table", "diff", results.diff)
    assert drawn.out == DIFF
    assert drawn.err == ""


EMPTY_DIFF = screen("""\
0123456789 → working tree$
No change in the tasks.$
""")


def test_empty_diff(results: Results, render: Render) -> None:
    drawn = render("table", "diff", results.empty_diff)
    assert drawn.out == EMPTY_DIFF
    assert drawn.err == ""


LOG = screen("""\
tb-a/2d  tasks/tb-a/2d.yaml$
$
0123456789  2025-06-12T09:30:00+07:00  Nguyễn Văn A <a@example.vn>$
    Ghi nhận báo cáo của Bộ Tài chính$
      modified$
      ⚑ evidence-missing: no evidence for an extension$
      event 1 appended: 2025-06-09 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC$
      title: Cũ → Mới$
$
0123456789  2025-06-12T09:30:00+07:00  Nguyễn Văn A <a@example.vn>$
    Ghi nhận báo cáo của Bộ Tài chính$
      no change to this task (merge)$
""")


def test_log(results: Results, render: Render) -> None:
    drawn = render("table", "log", results.log)
    assert drawn.out == LOG
    assert drawn.err == ""
