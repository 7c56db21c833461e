"""The csv formatter renders every kind of result, exactly."""

from __future__ import annotations

from collections.abc import Callable

from render.results import Rendered, Results

Render = Callable[..., Rendered]

ROWS = """\
task,obligation,kind,occurrence,assignee,due,original_due,days_left,status,done_on,members_total,members_done,title,section,notice,notice_date,evidence
tb-a/2c,report,report,,Bộ Tài chính,2025-06-14,2025-06-14,-21,overdue,,1,0,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.c,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,
tb-b/monthly,report,report,2025-06-30,Bộ Thông tin và Truyền thông,2025-06-30,2025-06-30,-5,overdue,,1,0,Ban hành bảng danh mục và mã số các đơn vị hành chính,3,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,
tb-a/2c,complete,submit,,Bộ Tài chính,2025-07-01,2025-07-01,-4,overdue,,1,0,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.c,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,
tb-a/2d,report,report,,Nhóm ba bộ,2025-07-10,2025-06-14,5,due-soon,,3,1,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.d,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,Báo cáo số 123/BC-BTC
tb-b/monthly,report,report,2025-07-31,Bộ Thông tin và Truyền thông,2025-07-31,2025-07-31,26,upcoming,,1,0,Ban hành bảng danh mục và mã số các đơn vị hành chính,3,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,
"""


def test_rows(results: Results, render: Render) -> None:
    drawn = render("csv", "rows", results.rows)
    assert drawn.out == ROWS
    assert drawn.err == ""


AGENCY = """\
task,obligation,kind,occurrence,assignee,due,original_due,days_left,status,done_on,members_total,members_done,title,section,notice,notice_date,evidence,role
tb-a/2c,report,report,,Bộ Tài chính,2025-06-14,2025-06-14,-21,overdue,,1,0,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.c,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,,lead
tb-a/2c,complete,submit,,Bộ Tài chính,2025-07-01,2025-07-01,-4,overdue,,1,0,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.c,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,,lead
tb-a/2d,report,report,,Bộ Tài chính,2025-07-10,2025-06-14,,done,2025-06-09,1,1,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.d,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,Báo cáo số 123/BC-BTC,lead
"""


def test_agency(results: Results, render: Render) -> None:
    drawn = render("csv", "agency", results.agency)
    assert drawn.out == AGENCY
    assert drawn.err == ""


SUMMARY = """\
agency,done,done-late,due-soon,upcoming,overdue,ongoing,undated,on_time_rate
Bộ Khoa học và Công nghệ,0,0,0,0,1,0,0,0.0
Bộ Nội vụ,0,0,1,0,0,0,0,
Bộ Tài chính,1,0,0,0,2,0,0,0.3333
Bộ Tư pháp,0,0,1,0,0,0,0,
"""


def test_summary(results: Results, render: Render) -> None:
    drawn = render("csv", "summary", results.summary, "agency")
    assert drawn.out == SUMMARY
    assert drawn.err == ""


SUMMARY_BY_NOTICE = """\
notice,done,done-late,due-soon,upcoming,overdue,ongoing,undated,on_time_rate
tb-a (2025-06-06),1,0,2,0,2,0,0,0.3333
tb-b (2025-06-06),0,0,0,0,1,0,0,0.0
"""


def test_summary_by_notice(results: Results, render: Render) -> None:
    drawn = render("csv", "summary", results.notices, "notice")
    assert drawn.out == SUMMARY_BY_NOTICE
    assert drawn.err == ""


TASK = """\
task,obligation,kind,occurrence,assignee,due,original_due,days_left,status,done_on,members_total,members_done,title,section,notice,notice_date,evidence
tb-a/2d,report,report,,Nhóm ba bộ,2025-07-10,2025-06-14,5,due-soon,,3,1,Ban hành bảng danh mục và mã số các đơn vị hành chính,2.d,Thông báo kết luận cuộc họp ngày 06/6/2025,2025-06-06,Báo cáo số 123/BC-BTC
"""


def test_task(results: Results, render: Render) -> None:
    drawn = render("csv", "task", results.task)
    assert drawn.out == TASK
    assert drawn.err == ""


GRID = """\
task,obligation,assignee,2025-06-30,2025-07-31,2025-08-31
tb-b/monthly,report,Bộ Thông tin và Truyền thông,overdue,upcoming,upcoming
"""


def test_grid(results: Results, render: Render) -> None:
    drawn = render("csv", "grid", results.grid)
    assert drawn.out == GRID
    assert drawn.err == ""


DIAGNOSTICS = "tasks/tb-a/2c.yaml:3:5: error: unknown agency 'X\\nY' [agency]\ntasks/tb-a/2d.yaml:7:1: warning: no date (add one) [undated]\n"


def test_diagnostics(results: Results, render: Render) -> None:
    drawn = render("csv", "diagnostics", results.diagnostics)
    assert drawn.out == DIAGNOSTICS
    assert drawn.err == "1 error(s), 1 warning(s)\n"


DIFF = """\
task,path,change,from_path,title,details,flags
tb-a/2d,tasks/tb-a/2d.yaml,modified,,Ban hành *bảng* danh mục,event 1 appended: 2025-06-09 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC; title: Cũ → Mới,evidence-missing
tb-c/new,tasks/tb-c/new.yaml,renamed,tasks/tb-c/old.yaml,,,
"""


def test_diff(results: Results, render: Render) -> None:
    drawn = render("csv", "diff", results.diff)
    assert drawn.out == DIFF
    assert drawn.err == ""


EMPTY_DIFF = """\
task,path,change,from_path,title,details,flags
"""


def test_empty_diff(results: Results, render: Render) -> None:
    drawn = render("csv", "diff", results.empty_diff)
    assert drawn.out == EMPTY_DIFF
    assert drawn.err == ""


LOG = """\
commit,author,email,date,subject,task,path,change,from_path,title,details,flags
0123456789abcdef0123456789abcdef01234567,Nguyễn Văn A,a@example.vn,2025-06-12T09:30:00+07:00,Ghi nhận báo cáo của Bộ Tài chính,tb-a/2d,tasks/tb-a/2d.yaml,modified,,Ban hành *bảng* danh mục,event 1 appended: 2025-06-09 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC; title: Cũ → Mới,evidence-missing
0123456789abcdef0123456789abcdef01234567,Nguyễn Văn A,a@example.vn,2025-06-12T09:30:00+07:00,Ghi nhận báo cáo của Bộ Tài chính,tb-a/2d,tasks/tb-a/2d.yaml,,,,,
"""


def test_log(results: Results, render: Render) -> None:
    drawn = render("csv", "log", results.log)
    assert drawn.out == LOG
    assert drawn.err == ""
