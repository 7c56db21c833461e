"""`--lang vi` (or tbtrack.toml, or $LANG): the messages a user meets most, in Vietnamese;
English stays the default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text

Run = Callable[..., Result]

FORMS = "2025-06-15, 15/6/2025, 15/06/2025, today, tomorrow, yesterday, +7d, -2w, +1m"


@pytest.fixture
def here(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo.task("tgv-2025-06-06/2c", task_text())
    repo.task("tgv-2025-06-06/3c", task_text())
    repo.task("tb-1/2c", task_text())
    monkeypatch.chdir(repo.root)
    return repo


def error(result: Result) -> str:
    assert result.out == ""
    return result.err


def test_the_check_summary(run: Run, here: Repo) -> None:
    here.task("x/undated", task_text(obligations="  - id: complete\n    undated: true\n"))
    vi = run("--lang", "vi", "check")
    assert (vi.code, vi.err) == (0, "0 lỗi, 1 cảnh báo\n")
    assert run("check").err == "0 error(s), 1 warning(s)\n"
    here.task("x/broken", "title: [\n")
    assert run("check", "--lang", "vi").err == "1 lỗi, 1 cảnh báo\n"


def test_an_unknown_agency_with_what_it_may_be(run: Run, here: Repo) -> None:
    result = run("--lang", "vi", "agency", "Bo Tai chinhh")
    assert result.code == 2
    assert error(result) == (
        "tbtrack: lỗi: không có cơ quan hoặc nhóm 'Bo Tai chinhh'; "
        "có phải ý bạn là 'Bộ Tài chính'?\n"
    )
    assert error(run("due", "--agency", "Zzz", "--lang", "vi")) == (
        "tbtrack: lỗi: không có cơ quan hoặc nhóm 'Zzz'\n"
    )
    # an edit names the option; English is the same message as before
    done = ["done", "tgv-2025-06-06/2c", "--by", "Bộ Tài chín", "--dry-run"]
    assert error(run("--lang", "vi", *done)) == (
        "tbtrack: lỗi: --by: không có cơ quan hoặc nhóm 'Bộ Tài chín'; "
        "có phải ý bạn là 'Bộ Tài chính'?\n"
    )
    assert error(run(*done)) == (
        "tbtrack: error: --by: unknown agency or group 'Bộ Tài chín'; did you mean 'Bộ Tài chính'?\n"
    )


def test_a_bad_date(run: Run, here: Repo) -> None:
    result = run("--lang", "vi", "due", "--before", "32/13/2025")
    assert result.code == 2
    assert error(result) == (
        f"tbtrack: lỗi: --before: '32/13/2025': không có tháng 13; "
        f"hãy viết ngày theo một trong các dạng: {FORMS}\n"
    )
    assert error(run("--lang", "vi", "due", "--after", "31/6/2025")) == (
        "tbtrack: lỗi: --after: '31/6/2025': không có ngày này (tháng 06/2025 có 30 ngày); "
        f"hãy viết ngày theo một trong các dạng: {FORMS}\n"
    )
    assert error(run("--lang", "vi", "--as-of", "ngày kia", "due")) == (
        f"tbtrack: lỗi: --as-of: 'ngày kia' không phải là ngày; "
        f"hãy viết ngày theo một trong các dạng: {FORMS}\n"
    )
    assert error(run("--lang", "vi", "--as-of", "1/1/1800", "due")) == (
        "tbtrack: lỗi: --as-of: 1800-01-01 không nằm trong khoảng từ năm 1900 đến năm 2200\n"
    )
    assert error(run("due", "--before", "32/13/2025")) == (
        f"tbtrack: error: --before: '32/13/2025': there is no month 13; "
        f"write a date as one of: {FORMS}\n"
    )


def test_today_from_the_environment(run: Run, here: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TBTRACK_TODAY", "hôm kia")
    assert error(run("--lang", "vi", "due")) == (
        "tbtrack: lỗi: 'hôm kia': TBTRACK_TODAY: không phải là ngày; "
        f"hãy viết ngày theo một trong các dạng: {FORMS}\n"
    )


def test_not_a_data_repository(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    vi = (
        "tbtrack: lỗi: không có agencies.yaml ở thư mục này hay ở thư mục nào bên trên; "
        "hãy chạy `tbtrack init` để tạo kho dữ liệu, hoặc chỉ ra thư mục bằng --root DIR\n"
    )
    result = run("--lang", "vi", "due")
    assert (result.code, result.err) == (2, vi)
    # no data root, so no tbtrack.toml: --lang, else $LANG
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert error(run("overdue")) == vi
    assert error(run("overdue", "--lang", "en")) == (
        "tbtrack: error: no agencies.yaml here or in any folder above; run `tbtrack init` to "
        "start a data repository, or pass --root DIR\n"
    )
    assert error(run("--root", str(tmp_path), "summary")) == (
        f"tbtrack: lỗi: {tmp_path} không phải là thư mục dữ liệu của tbtrack: không có "
        f"agencies.yaml (tạo bằng `tbtrack init {tmp_path}`)\n"
    )


def test_the_data_roots_language(run: Run, here: Repo) -> None:
    here.write("tbtrack.toml", 'lang = "vi"\n')
    assert error(run("due", "--before", "")) == (
        f"tbtrack: lỗi: --before: '': chưa nhập ngày; "
        f"hãy viết ngày theo một trong các dạng: {FORMS}\n"
    )
    assert error(run("--lang", "en", "show", "nope")) == "tbtrack: error: no task with ID 'nope'\n"


def test_empty_values_and_unknown_words(run: Run, here: Repo) -> None:
    vi = ("--lang", "vi")
    cases = {
        ("due", "--agency", " "): "--agency: chưa nhập giá trị",
        ("overdue", "--notice", ""): "--notice: chưa nhập giá trị",
        ("done", "tgv-2025-06-06/2c", "--evidence", ""): "--evidence: chưa nhập giá trị",
        ("done", "tgv-2025-06-06/2c", "--by", ""): "--by: chưa nhập giá trị",
        ("show", "nope"): "không có nhiệm vụ nào có ID 'nope'",
        ("show", "2c"): ("'2c' ứng với nhiều nhiệm vụ; có thể là: tb-1/2c, tgv-2025-06-06/2c"),
        ("due", "--kind", "reprot"): (
            "--kind: 'reprot' không phải là loại nghĩa vụ; hãy dùng một trong các loại: "
            "complete, report, submit, milestone"
        ),
        ("due", "--status", "late"): (
            "--status: 'late' không phải là tình trạng; hãy dùng một trong các tình trạng: "
            "done, done-late, overdue, due-soon, upcoming, ongoing, undated, cancelled"
        ),
    }
    for args, message in cases.items():
        result = run(*vi, *args)
        assert (result.code, result.err) == (2, f"tbtrack: lỗi: {message}\n"), args


def test_files_left_out_of_a_listing(run: Run, here: Repo) -> None:
    here.task("x/broken", "title: [\n")
    result = run("--lang", "vi", "due")
    assert result.code == 1
    assert result.err.splitlines()[0] == "tbtrack: 1 tệp không đọc được nên không được tính:"
    assert run("due").err.splitlines()[0] == (
        "tbtrack: 1 file(s) could not be read and are left out:"
    )


def test_show_in_vietnamese_names_the_due_forms_and_the_events(run: Run, repo: Repo) -> None:
    progress = (
        "\n  - on: 2025-06-20\n    extends: complete\n    to: 2025-07-15\n"
        "    evidence: Công văn 1/BTC\n"
        "  - on: 2025-07-10\n    fulfils: complete\n    by: Bộ Tài chính\n"
        "    evidence: Báo cáo 2/BTC"
    )
    repo.task("tb/a", task_text(progress=progress))
    vi = run("--root", str(repo.root), "--lang", "vi", "--as-of", "2025-07-20", "show", "tb/a")
    assert vi.code == 0, vi.err
    assert "complete (hoàn thành, chậm nhất ngày)" in vi.out
    assert "2025-06-20  gia hạn complete đến 2025-07-15 — Công văn 1/BTC" in vi.out
    assert "2025-07-10  thực hiện complete bởi Bộ Tài chính — Báo cáo 2/BTC" in vi.out
    en = run("--root", str(repo.root), "--as-of", "2025-07-20", "show", "tb/a")
    assert "2025-06-20  extends complete to 2025-07-15 — Công văn 1/BTC" in en.out
    assert "2025-07-10  fulfils complete by Bộ Tài chính" in en.out
