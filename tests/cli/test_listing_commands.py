"""The query commands as a user runs them: exact JSON, tables, filters and exit codes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text

Run = Callable[..., Result]

REPORT_AND_COMPLETE = """\
  - id: complete
    kind: submit
    by: 2025-07-01
    as_written: Hoàn thành chậm nhất ngày 01/7/2025
  - id: report
    kind: report
    before: 2025-06-15
"""


@pytest.fixture
def small(repo: Repo) -> Repo:
    repo.task("tb-a/2c", task_text(obligations=REPORT_AND_COMPLETE))
    repo.task(
        "tb-a/2d",
        task_text(
            lead='["Các bộ, cơ quan ngang bộ"]',
            obligations="  - id: report\n    kind: report\n    before: 2025-06-15\n",
            progress=(
                "\n  - on: 2025-06-09\n    fulfils: report\n    by: Bộ Tài chính\n"
                "    evidence: Báo cáo số 123/BC-BTC\n"
            ),
            section='"2.d"',
            extra="support: [Bộ Nội vụ]\n",
        ),
    )
    repo.task(
        "tb-b/monthly",
        task_text(
            lead="[Bộ Thông tin và Truyền thông]",
            obligations="  - id: report\n    kind: report\n    every: monthly\n",
            section='"3"',
        ),
    )
    return repo


def json_of(run: Run, repo: Repo, *args: str) -> list[dict[str, object]]:
    result = run("--root", str(repo.root), "--format", "json", *args)
    assert result.code == 0, result.err
    rows: list[dict[str, object]] = json.loads(result.out)
    return rows


def test_due_exact_json(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "due")
    assert rows == [
        {
            "task": "tb-a/2c",
            "obligation": "report",
            "kind": "report",
            "occurrence": None,
            "assignee": "Bộ Tài chính",
            "due": "2025-06-14",
            "original_due": "2025-06-14",
            "days_left": 4,
            "status": "due-soon",
            "done_on": None,
            "members_total": 1,
            "members_done": 0,
            "title": "Ban hành bảng danh mục và mã số các đơn vị hành chính",
            "section": "2.c",
            "notice": "Thông báo kết luận cuộc họp ngày 06/6/2025",
            "notice_date": "2025-06-06",
            "evidence": None,
        },
        {
            "task": "tb-a/2d",
            "obligation": "report",
            "kind": "report",
            "occurrence": None,
            "assignee": "Các bộ, cơ quan ngang bộ",
            "due": "2025-06-14",
            "original_due": "2025-06-14",
            "days_left": 4,
            "status": "due-soon",
            "done_on": None,
            "members_total": 5,
            "members_done": 1,
            "title": "Ban hành bảng danh mục và mã số các đơn vị hành chính",
            "section": "2.d",
            "notice": "Thông báo kết luận cuộc họp ngày 06/6/2025",
            "notice_date": "2025-06-06",
            "evidence": "Báo cáo số 123/BC-BTC",
        },
    ]


def test_due_before_includes_later_and_recurring(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "due", "--before", "2025-07-02")
    assert [(r["task"], r["obligation"], r["occurrence"], r["due"]) for r in rows] == [
        ("tb-a/2c", "report", None, "2025-06-14"),
        ("tb-a/2d", "report", None, "2025-06-14"),
        ("tb-b/monthly", "report", "2025-06-30", "2025-06-30"),
        ("tb-a/2c", "complete", None, "2025-07-01"),
    ]
    assert (
        json_of(run, small, "due", "--before", "2025-07-02", "--after", "2025-06-30")[0]["due"]
        == "2025-07-01"
    )


def test_agency_filter_picks_a_member_of_a_group(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "due", "--agency", "Bộ Tài chính", "--all")
    assert [(r["task"], r["assignee"], r["status"], r["members_total"]) for r in rows] == [
        ("tb-a/2c", "Bộ Tài chính", "due-soon", 1),
        ("tb-a/2d", "Bộ Tài chính", "done", 1),
    ]


def test_overdue_and_fail_on_overdue(run: Run, small: Repo) -> None:
    root = str(small.root)
    assert json_of(run, small, "overdue") == []
    late = run(
        "--root", root, "--as-of", "2025-06-16", "--format", "json", "overdue", "--fail-on-overdue"
    )
    assert late.code == 3
    assert [(r["task"], r["members_done"]) for r in json.loads(late.out)] == [
        ("tb-a/2c", 0),
        ("tb-a/2d", 1),
    ]
    assert run("--root", root, "overdue", "--fail-on-overdue").code == 0


def test_global_options_after_the_command(run: Run, small: Repo) -> None:
    result = run("overdue", "--as-of", "16/6/2025", "--root", str(small.root), "--format=json")
    assert result.code == 0
    assert len(json.loads(result.out)) == 2


def test_agency_view_has_roles_and_successor_rows(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "--as-of", "2025-07-05", "agency", "Bộ KH&CN")
    assert [(r["task"], r["assignee"], r["role"], r["status"], r["occurrence"]) for r in rows] == [
        ("tb-a/2d", "Bộ Khoa học và Công nghệ", "lead", "overdue", None),
        ("tb-b/monthly", "Bộ Thông tin và Truyền thông", "lead", "overdue", "2025-06-30"),
    ]
    support = json_of(run, small, "agency", "Bộ Nội vụ")
    assert [(r["task"], r["role"]) for r in support] == [
        ("tb-a/2d", "lead"),
        ("tb-a/2d", "support"),
    ]


def test_agency_table_shows_the_four_way_count(run: Run, small: Repo) -> None:
    result = run(
        "--root", str(small.root), "--as-of", "2025-07-05", "--no-color", "agency", "BKHCN"
    )
    assert result.code == 0
    assert result.out.splitlines()[:3] == [
        "Bộ Khoa học và Công nghệ",
        "  + Bộ Thông tin và Truyền thông",
        "Done on time: 0 · Done late: 0 · Overdue: 2 · Upcoming/Due soon: 0 · Ongoing: 0 · No date: 0",
    ]


def test_unknown_agency_is_a_usage_error_with_suggestion(run: Run, small: Repo) -> None:
    result = run("--root", str(small.root), "agency", "Bộ Tài chánh")
    assert result.code == 2
    assert "did you mean 'Bộ Tài chính'" in result.err
    assert "Traceback" not in result.err


def test_summary_json(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "--as-of", "2025-07-05", "summary")
    by_agency = {r["agency"]: r for r in rows}
    assert by_agency["Bộ Tài chính"] == {
        "agency": "Bộ Tài chính",
        "done": 1,
        "done-late": 0,
        "due-soon": 0,
        "upcoming": 0,
        "overdue": 2,
        "ongoing": 0,
        "undated": 0,
        "on_time_rate": 0.3333,
    }
    # the abolished ministry's monthly report counts for its successor
    assert by_agency["Bộ Khoa học và Công nghệ"]["overdue"] == 2
    assert "Bộ Thông tin và Truyền thông" not in by_agency
    notices = json_of(run, small, "--as-of", "2025-07-05", "summary", "--by", "notice")
    assert [(n["notice"], n["overdue"]) for n in notices] == [
        ("tb-a (2025-06-06)", 6),
        ("tb-b (2025-06-06)", 1),
    ]


def test_summary_rate_is_null_when_nothing_is_due(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "--as-of", "2025-06-06", "summary")
    assert rows and {r["on_time_rate"] for r in rows} == {None}


def test_show_task(run: Run, small: Repo) -> None:
    result = run("--root", str(small.root), "--no-color", "show", "2d")
    assert result.code == 0
    assert "tb-a/2d" in result.out
    assert "Bộ Tài chính: Done on time 2025-06-09" in result.out
    assert "2025-06-09  fulfils report by Bộ Tài chính — Báo cáo số 123/BC-BTC" in result.out


def test_show_ambiguous_and_unknown_id(run: Run, small: Repo) -> None:
    small.task("tb-b/2c", task_text())
    ambiguous = run("--root", str(small.root), "show", "2c")
    assert ambiguous.code == 2
    assert "tb-a/2c, tb-b/2c" in ambiguous.err
    assert run("--root", str(small.root), "show", "nope").code == 2


def test_recurring_grid(run: Run, small: Repo) -> None:
    rows = json_of(
        run,
        small,
        "--as-of",
        "2025-09-10",
        "recurring",
        "--from",
        "2025-06-01",
        "--to",
        "2025-09-30",
    )
    assert rows == [
        {
            "task": "tb-b/monthly",
            "obligation": "report",
            "assignee": "Bộ Thông tin và Truyền thông",
            "occurrences": {
                "2025-06-30": "overdue",
                "2025-07-31": "overdue",
                "2025-08-31": "overdue",
                "2025-09-30": "upcoming",
            },
        }
    ]


def test_csv_and_markdown(run: Run, small: Repo) -> None:
    result = run("--root", str(small.root), "--format", "csv", "due")
    table = list(csv.DictReader(io.StringIO(result.out)))
    assert table[1]["assignee"] == "Các bộ, cơ quan ngang bộ"
    assert table[1]["members_done"] == "1"
    assert list(table[0]) == [
        "task",
        "obligation",
        "kind",
        "occurrence",
        "assignee",
        "due",
        "original_due",
        "days_left",
        "status",
        "done_on",
        "members_total",
        "members_done",
        "title",
        "section",
        "notice",
        "notice_date",
        "evidence",
    ]
    markdown = run("--root", str(small.root), "--format", "markdown", "--lang", "vi", "due")
    assert (
        markdown.out.splitlines()[0]
        == "| Nhiệm vụ | Mục | Nội dung | Cơ quan | Loại | Hạn | Còn | Tình trạng |"
    )
    assert "| Sắp đến hạn |" in markdown.out


def test_table_fits_eighty_columns_without_wrapping(
    run: Run, small: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run(
        "--root", str(small.root), "--no-color", "--lang", "vi", "due", "--before", "2025-07-02"
    )
    lines = result.out.splitlines()
    assert len(lines) == 5  # header and four rows, none wrapped
    assert all(len(line) <= 80 for line in lines)
    assert lines[1].rstrip().endswith("Sắp đến hạn")


def test_status_filter_and_bad_values(run: Run, small: Repo) -> None:
    rows = json_of(run, small, "due", "--all", "--status", "done", "--agency", "BTC")
    assert [r["task"] for r in rows] == ["tb-a/2d"]
    bad = run("--root", str(small.root), "due", "--status", "late")
    assert bad.code == 2 and "not a status" in bad.err


@pytest.mark.parametrize("text", ["2025-13-01", "31/6/2025", "next week", "+7x"])
def test_bad_dates_are_usage_errors(run: Run, small: Repo, text: str) -> None:
    result = run("--root", str(small.root), "due", "--before", text)
    assert result.code == 2
    assert "15/6/2025" in result.err  # the accepted forms are shown
    assert "Traceback" not in result.err


def test_relative_dates(run: Run, small: Repo) -> None:
    assert json_of(run, small, "--as-of", "+7d", "overdue")  # 17/6: both reports are late
    assert json_of(run, small, "--as-of", "-1w", "overdue") == []


def test_workdays_shows_both_dates(run: Run, small: Repo) -> None:
    small.task("tb-c/holiday", task_text(obligations="  - id: complete\n    by: 2025-08-31\n"))
    rows = json_of(run, small, "--as-of", "2025-08-29", "--workdays", "due", "--notice", "tb-c")
    assert [(r["task"], r["due"], r["due_workday"], r["days_left"]) for r in rows] == [
        ("tb-c/holiday", "2025-08-31", "2025-09-03", 1)
    ]


def test_notice_and_kind_filters(run: Run, small: Repo) -> None:
    rows = json_of(
        run, small, "due", "--before", "2025-07-02", "--notice", "tb-b", "--kind", "report"
    )
    assert [r["task"] for r in rows] == ["tb-b/monthly"]


def test_internal_error_writes_a_log_not_a_traceback(
    run: Run, small: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tbtrack.queries.listings

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tbtrack.queries.listings, "overdue", boom)
    result = run("--root", str(small.root), "overdue")
    assert result.code == 70
    assert "Traceback" not in result.err
    log = result.err.split("the details are in ")[1].split(";")[0]
    assert log.startswith(str(tmp_path / "state" / "tbtrack" / "crash-"))
    with open(log, encoding="utf-8") as handle:
        assert "RuntimeError: boom" in handle.read()


def test_typer_app_under_clirunner(small: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Typer app itself, as Typer's test runner drives it."""
    from typer.testing import CliRunner

    from tbtrack.cli.app import build_app

    monkeypatch.setenv("TBTRACK_TODAY", "2025-06-16")
    result = CliRunner().invoke(
        build_app(), ["--root", str(small.root), "--format", "json", "overdue"]
    )
    assert result.exit_code == 0
    assert [r["status"] for r in json.loads(result.stdout)] == ["overdue", "overdue"]
    usage = CliRunner().invoke(build_app(), ["--root", str(small.root), "due", "--bogus"])
    assert usage.exit_code == 2
    assert "No such option" in usage.output


# --- Vietnamese order, --notice as names match, rows without an L by status ---------------

VIETNAMESE_NAMES = [
    "Bộ Nội vụ",
    "Bộ Nông nghiệp và Môi trường",
    "Cà Mau",
    "Cao Bằng",
    "Dương Kinh",
    "Đài Truyền hình Việt Nam",
    "Điện Biên",
    "Tuyên Quang",
    "Ủy ban Dân tộc",
    "Văn phòng Chính phủ",
]


def test_summary_sorts_names_in_vietnamese_alphabetical_order(run: Run, repo: Repo) -> None:
    agencies = "".join(
        f"  - name: {name}\n    kind: ministry\n" for name in reversed(VIETNAMESE_NAMES)
    )
    repo.write("agencies.yaml", "agencies:\n" + agencies)
    lead = "[" + ", ".join(VIETNAMESE_NAMES) + "]"
    repo.task("tb/x", task_text(lead=lead))
    rows = json_of(run, repo, "summary")
    assert [r["agency"] for r in rows] == VIETNAMESE_NAMES


@pytest.mark.parametrize("text", ["06/6/2025", "6/6/2025", "2025-06-06", "THONG BAO KET LUAN"])
def test_notice_matches_without_diacritics_and_with_any_date_form(
    run: Run, small: Repo, text: str
) -> None:
    rows = json_of(run, small, "due", "--before", "2025-07-02", "--notice", text)
    assert {r["task"] for r in rows} == {"tb-a/2c", "tb-a/2d", "tb-b/monthly"}
    assert json_of(run, small, "due", "--before", "2025-07-02", "--notice", "07/6/2025") == []


def test_due_lists_undated_and_ongoing_rows_when_asked_by_status(run: Run, repo: Repo) -> None:
    repo.task("tb/u", task_text(obligations="  - id: complete\n    undated: true\n"))
    repo.task("tb/o", task_text(obligations="  - id: complete\n    ongoing: true\n"))
    for status, task in (("undated", "tb/u"), ("ongoing", "tb/o")):
        for extra in ((), ("--before", "2025-07-01")):
            rows = json_of(run, repo, "due", "--status", status, *extra)
            assert [(r["task"], r["status"]) for r in rows] == [(task, status)]
    assert json_of(run, repo, "due") == []


def test_show_prints_text_tags_notes_and_each_recipient(run: Run, repo: Repo) -> None:
    repo.task(
        "tb/x",
        task_text(
            extra=(
                "text: >-\n  Bộ Tài chính nghiên cứu,\n  xây dựng.\n"
                "tags: [dich-vu-cong]\nnotes: Theo dõi hằng tuần\n"
            ),
            obligations=(
                "  - id: complete\n    by: 2025-07-01\n    to: Thường trực Ban Chỉ đạo\n"
                "    who: [Bộ Tài chính]\n"
            ),
        ),
    )
    result = run("--root", str(repo.root), "--no-color", "show", "tb/x")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "Text: Bộ Tài chính nghiên cứu, xây dựng." in lines
    assert "Tags: dich-vu-cong" in lines
    assert "Notes: Theo dõi hằng tuần" in lines
    assert "  owed by Bộ Tài chính" in lines
    assert "  → Thường trực Ban Chỉ đạo" in lines
    assert "None" not in result.out


@pytest.fixture
def days_off(repo: Repo) -> Repo:
    # Saturday 30/8/2025 and Tuesday 2/9 (Quốc khánh, Monday 1/9 off too) move to Wed 3/9
    repo.task("tb-w/sat", task_text(obligations="  - id: complete\n    by: 2025-08-30\n"))
    repo.task("tb-w/nat", task_text(obligations="  - id: complete\n    by: 2025-09-02\n"))
    return repo


def test_workdays_keeps_a_row_whose_last_day_is_before_the_range_end(
    run: Run, days_off: Repo
) -> None:
    args = ("--as-of", "2025-08-25", "due", "--before", "2025-09-01")
    plain = json_of(run, days_off, *args)
    moved = json_of(run, days_off, "--workdays", *args)
    assert [(r["task"], r["due"], r["days_left"], r["status"]) for r in plain] == [
        ("tb-w/sat", "2025-08-30", 5, "due-soon")
    ]
    # the row stays: its L (30/8) is before 1/9, though the working day it moves to is not
    assert [(r["task"], r["due"], r["due_workday"], r["days_left"]) for r in moved] == [
        ("tb-w/sat", "2025-08-30", "2025-09-03", 5)  # 26, 27, 28, 29/8 and 3/9
    ]


def test_workdays_table_shows_both_days_labelled(run: Run, days_off: Repo) -> None:
    args = ("--root", str(days_off.root), "--as-of", "2025-08-25", "--workdays", "due")
    table = run(*args, "--before", "2025-09-01")
    assert table.code == 0, table.err
    header, line = table.out.splitlines()
    assert "Due → working day" in header
    assert "tb-w/sat" in line and "2025-08-30 → 2025-09-03" in line
    vi = run("--lang", "vi", *args, "--before", "2025-09-01")
    assert "Hạn → ngày làm việc" in vi.out and "2025-08-30 → 2025-09-03" in vi.out
    markdown = run("--format", "markdown", *args, "--before", "2025-09-10")
    assert "| Due → working day |" in markdown.out
    assert "| 2025-09-02 → 2025-09-03 |" in markdown.out
    # without --workdays the column is the plain one, and a day is a day
    plain = run(*args[:4], "due", "--before", "2025-09-10")
    assert "→" not in plain.out and len(plain.out.splitlines()) == 3
    assert "Due " in plain.out.splitlines()[0]


def test_workdays_status_and_days_left_count_to_the_moved_day(run: Run, days_off: Repo) -> None:
    # on Monday 1/9 (a holiday) Saturday's L has passed, but the working day it moves to has not
    args = ("--as-of", "2025-09-01", "due", "--before", "2025-09-05")
    plain = json_of(run, days_off, *args)
    moved = json_of(run, days_off, "--workdays", *args)
    assert [(r["task"], r["days_left"], r["status"]) for r in plain] == [
        ("tb-w/sat", -2, "overdue"),
        ("tb-w/nat", 1, "due-soon"),
    ]
    assert [(r["task"], r["days_left"], r["status"]) for r in moved] == [
        ("tb-w/sat", 1, "due-soon"),  # 2/9 is off: 3/9 is the one working day to go
        ("tb-w/nat", 1, "due-soon"),
    ]
    late = json_of(run, days_off, "--workdays", "--as-of", "2025-09-04", "overdue")
    assert [(r["task"], r["days_left"]) for r in late] == [("tb-w/sat", -1), ("tb-w/nat", -1)]


def test_workdays_after_is_decided_by_the_last_day_too(run: Run, days_off: Repo) -> None:
    def tasks(*args: str) -> list[object]:
        rows = json_of(run, days_off, "--workdays", "--as-of", "2025-08-25", "due", *args)
        return [r["task"] for r in rows]

    # Saturday's row moves to 3/9, after 30/8, but its L is 30/8: not after it
    assert tasks("--before", "2025-09-10", "--after", "2025-08-30") == ["tb-w/nat"]
    assert tasks("--before", "2025-09-10", "--after", "2025-08-29") == ["tb-w/sat", "tb-w/nat"]
    assert tasks("--before", "2025-09-10", "--after", "2025-09-02") == []


def test_summary_by_notice_names_a_notice_without_a_number_by_its_folder(
    run: Run, repo: Repo
) -> None:
    numbered = task_text().replace("number: null", 'number: "47-TB/TGV"')
    repo.task("tgv-2025-06-06/2c", task_text())
    repo.task("tgv-2025-06-06/2d", task_text(section='"2.d"'))
    repo.task("tgv-2025-06-20/1", task_text())  # another meeting, the same words and date
    repo.task("tb-47/1", numbered)
    rows = json_of(run, repo, "summary", "--by", "notice")
    assert [(r["notice"], r["upcoming"]) for r in rows] == [
        ("47-TB/TGV (2025-06-06)", 1),
        ("tgv-2025-06-06 (2025-06-06)", 2),
        ("tgv-2025-06-20 (2025-06-06)", 1),
    ]
    table = run("--root", str(repo.root), "summary", "--by", "notice")
    names = [line.split(" (")[0] for line in table.out.splitlines()[1:-1]]  # no total
    assert names == ["47-TB/TGV", "tgv-2025-06-06", "tgv-2025-06-20"]
    # the report's counts by notice name them alike, and its list of notices says which is which
    report = run("--root", str(repo.root), "--format", "json", "report", "--by", "notice")
    data = json.loads(report.out)
    assert [c["notice"] for c in data["counts"]] == [r["notice"] for r in rows]
    assert sorted(n["name"] for n in data["notices"]) == [r["notice"] for r in rows]


GROUP_TASK_PROGRESS = """
  - on: 2025-06-09
    fulfils: report
    by: Bộ Tài chính
    evidence: Báo cáo số 123/BC-BTC
  - on: 2025-06-10
    extends: complete
    to: 2025-07-15
    evidence: Công văn 45/VPCP
  - on: 2025-06-11
    extends: complete
    by: Bộ Tư pháp
    to: 2025-07-31
    evidence: Công văn 46/VPCP
  - on: 2025-06-12
    fulfils: report
    by: Bộ Nội vụ
    evidence: Báo cáo 9/BC-BNV
"""


@pytest.fixture
def group_task(repo: Repo) -> Repo:
    repo.task(
        "tb-g/2d",
        task_text(
            lead='["Nhóm ba bộ"]',
            obligations=(
                "  - id: report\n    kind: report\n    before: 2025-06-15\n"
                "  - id: complete\n    by: 2025-07-01\n"
            ),
            progress=GROUP_TASK_PROGRESS,
            extra="support: [Bộ Khoa học và Công nghệ]\n",
        ),
    )
    return repo


def _show(run: Run, repo: Repo, *args: str) -> Result:
    return run("--root", str(repo.root), "--no-color", "--as-of", "2025-06-20", "show", *args)


def test_show_agency_shows_one_member_of_a_group(run: Run, group_task: Repo) -> None:
    result = _show(run, group_task, "2d", "--agency", "bo tu phap")  # no diacritics
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "Only for: Bộ Tư pháp" in lines
    assert "  Bộ Tư pháp: 2025-06-14 (-6) Overdue" in lines
    assert "  Bộ Tư pháp: 2025-07-31 ← 2025-07-01 (+41) Upcoming" in lines
    # the other members are not listed, nor the reports that are theirs
    assert "Bộ Tài chính" not in result.out and "Bộ Nội vụ" not in result.out
    assert "Nhóm ba bộ:" not in result.out
    timeline = lines[lines.index("Progress") + 1 :]
    assert timeline == [
        "  2025-06-10  extends complete to 2025-07-15 — Công văn 45/VPCP",
        "  2025-06-11  extends complete by Bộ Tư pháp to 2025-07-31 — Công văn 46/VPCP",
    ]
    finance = _show(run, group_task, "2d", "--agency", "BTC")  # a code works as anywhere
    assert "  Bộ Tài chính: 2025-06-14 Done on time 2025-06-09" in finance.out.splitlines()
    assert "  Bộ Tài chính: 2025-07-15 ← 2025-07-01 (+25) Upcoming" in finance.out.splitlines()
    assert "for Bộ Tư pháp" not in finance.out  # the ministry of justice's own extension
    vi = run("--lang", "vi", "--root", str(group_task.root), "--as-of", "2025-06-20", "show", "2d",
             "--agency", "Bộ Tư pháp")  # fmt: skip
    assert "Riêng cơ quan: Bộ Tư pháp" in vi.out.splitlines()


def test_show_agency_json(run: Run, group_task: Repo) -> None:
    result = run("--root", str(group_task.root), "--as-of", "2025-06-20", "--format", "json",
                 "show", "2d", "--agency", "Bộ Tư pháp")  # fmt: skip
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert shown["agency"] == "Bộ Tư pháp"
    assert [(r["obligation"], r["assignee"], r["due"], r["days_left"], r["status"],
             r["members_total"]) for r in shown["rows"]] == [
        ("report", "Bộ Tư pháp", "2025-06-14", -6, "overdue", 1),
        ("complete", "Bộ Tư pháp", "2025-07-31", 41, "upcoming", 1),
    ]  # fmt: skip
    assert shown["members"] == []
    assert shown["events"] == [
        {"on": "2025-06-10", "extends": "complete", "to": "2025-07-15",
         "evidence": "Công văn 45/VPCP"},
        {"on": "2025-06-11", "extends": "complete", "by": "Bộ Tư pháp", "to": "2025-07-31",
         "evidence": "Công văn 46/VPCP"},
    ]  # fmt: skip
    whole = json.loads(_show(run, group_task, "--format", "json", "2d").out)
    assert whole["agency"] is None and len(whole["events"]) == 4
    assert len(whole["task"]["progress"]) == 4  # the file's, whatever is shown


def test_show_agency_names_the_group_itself(run: Run, group_task: Repo) -> None:
    result = _show(run, group_task, "2d", "--agency", "Nhóm ba bộ")
    assert result.code == 0, result.err
    assert "  Nhóm ba bộ: 2025-06-14 (-6) Overdue" in result.out.splitlines()
    assert "      Bộ Tài chính: Done on time 2025-06-09" in result.out.splitlines()


def test_show_agency_errors(run: Run, group_task: Repo) -> None:
    unknown = _show(run, group_task, "2d", "--agency", "Bộ Tư phap x")
    assert unknown.code == 2
    assert unknown.err.strip() == (
        "tbtrack: error: unknown agency or group 'Bộ Tư phap x'; did you mean 'Bộ Tư pháp'?"
    )
    other = _show(run, group_task, "2d", "--agency", "Văn phòng Chính phủ")
    assert other.code == 2 and other.out == ""
    assert other.err.strip() == (
        "tbtrack: error: Văn phòng Chính phủ is not an assignee of tb-g/2d; "
        "the task is owed by Nhóm ba bộ"
    )
    support = _show(run, group_task, "2d", "--agency", "Bộ KHCN")
    assert support.code == 2
    assert "Bộ Khoa học và Công nghệ is not an assignee of tb-g/2d: it supports the task" in (
        support.err
    )
    empty = _show(run, group_task, "2d", "--agency", " ")
    assert (empty.code, empty.err.strip()) == (2, "tbtrack: error: --agency: no value given")
    for result in (unknown, other, support, empty):
        assert "Traceback" not in result.err


def test_show_agency_of_a_successor_shows_its_predecessors_pairs(run: Run, repo: Repo) -> None:
    repo.task(
        "tb-old/1",
        task_text(lead="[Bộ Thông tin và Truyền thông]").replace("2025-06-06", "2025-01-10"),
    )
    result = run("--root", str(repo.root), "--no-color", "show", "1", "--agency", "Bộ KHCN")
    assert result.code == 0, result.err
    assert "  Bộ Thông tin và Truyền thông: 2025-07-01 (+21) Upcoming" in result.out.splitlines()


def test_show_extension_lines_say_from_which_day_to_which(run: Run, group_task: Repo) -> None:
    result = _show(run, group_task, "2d")
    lines = result.out.splitlines()
    assert lines[lines.index("complete (complete, by)") + 5 :][:2] == [
        "    extended 2025-07-01 → 2025-07-15 on 2025-06-10 (Công văn 45/VPCP)",
        "    extended 2025-07-15 → 2025-07-31 on 2025-06-11 for Bộ Tư pháp (Công văn 46/VPCP)",
    ]
    vi = run("--lang", "vi", "--root", str(group_task.root), "--as-of", "2025-06-20", "show", "2d")
    assert "    gia hạn 2025-07-01 → 2025-07-15, ngày 2025-06-10 (Công văn 45/VPCP)" in (
        vi.out.splitlines()
    )
    assert (
        "    gia hạn 2025-07-15 → 2025-07-31, ngày 2025-06-11 cho Bộ Tư pháp (Công văn 46/VPCP)"
        in (vi.out.splitlines())
    )


def test_workdays_on_a_narrow_terminal_keeps_the_moved_day_whole(
    run: Run, days_off: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    args = ("--root", str(days_off.root), "--as-of", "2025-08-25", "--workdays")
    result = run(*args, "due", "--before", "2025-09-01")
    header, line = result.out.splitlines()
    # both days whole, and the table within the terminal
    assert "2025-08-30 → 2025-09-03" in line
    assert max(len(header.rstrip()), len(line.rstrip())) <= 70


def test_a_listing_made_on_two_processes_writes_what_one_process_writes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every format of every listing whose rows a child makes (half of them) is the same,
    byte for byte and exit code, as the rows of one process give."""
    from helpers import bench_generator
    from tbtrack.loading import cache, split
    from tbtrack.queries import listings

    root = tmp_path / "root"
    bench_generator().generate(root, 60, 5, None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_NS", 0)  # files just written are cached all the same
    assert run("--root", str(root), "check").code == 0  # writes the cache: the runs are warm
    runs = [
        ("due", "--before", "2026-12-31", "--all"),
        ("due", "--format", "json"),
        ("overdue", "--format", "csv"),
        ("due", "--before", "2026-01-01", "--workdays", "--format", "markdown"),
        ("agency", "Bộ Tài chính"),
        ("due", "--agency", "Bộ Tài chính", "--before", "2026-12-31", "--format", "json"),
        ("ical", "--to", "2026-12-31"),
    ]

    def every_run() -> list[Result]:
        return [run("--root", str(root), "--as-of", "2025-06-30", *args) for args in runs]

    monkeypatch.setattr(listings, "SPLIT_ROWS_AT", 10**9)
    alone = every_run()
    assert all(r.code in (0, 3) and len(r.out) > 200 for r in alone), alone
    monkeypatch.setattr(listings, "SPLIT_ROWS_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    forks = record_forks(monkeypatch)
    assert every_run() == alone
    assert len(forks) >= len(runs)  # each made its rows on two processes


def record_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import os

    made: list[int] = []
    fork = os.fork

    def forking() -> int:
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", forking)
    return made
