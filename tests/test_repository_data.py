"""The repository's own data: the 06/6/2025 notice and the registry of Vietnamese agencies.

These tests read `tasks/` and `agencies.yaml` at the project root, so a bad edit to the data
fails CI, and pin facts of the notice that a transcription must keep.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import Run
from tbtrack.checking.check import analyse_registry
from tbtrack.files.registry import LATEST, Agency, Group, Registry

PROJECT = Path(__file__).resolve().parent.parent
NOTICE = "tgv-2025-06-06"


@pytest.fixture(scope="module")
def registry() -> Registry:
    built, diagnostics = analyse_registry("agencies.yaml", (PROJECT / "agencies.yaml").read_bytes())
    assert built is not None, diagnostics
    return built


def rows(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("--root", str(PROJECT), "--format", "json", *args)
    assert result.code == 0, result.err
    found: list[dict[str, Any]] = json.loads(result.out)
    return found


def test_check_passes_with_no_errors(run: Run) -> None:
    result = run("--root", str(PROJECT), "--format", "json", "check")
    assert result.code == 0
    diagnostics = json.loads(result.out)
    assert [d for d in diagnostics if d["severity"] == "error"] == []
    # the only warnings are the obligations the notice gives no date
    assert {d["rule"] for d in diagnostics} == {"undated"}


def test_every_assignment_of_the_notice_is_a_task() -> None:
    files = sorted(p.stem for p in (PROJECT / "tasks" / NOTICE).glob("*.yaml"))
    assert files == sorted(
        [
            "1-1",
            "1-2",
            "2a-1",
            "2a-2",
            "2b",
            "2c",
            "2d",
            "2dd",
            "2e-1",
            "2e-2",
            "2e-3",
            "3-1",
            "3-2",
            "4a",
            "4b",
            "5a",
            "5b",
            "5c",
            "5d",
            "5dd",
            "6a",
            "6b",
        ]
    )


def test_sections_keep_the_vietnamese_letter(run: Run) -> None:
    result = run("--root", str(PROJECT), "--format", "json", "show", "2dd")
    assert json.loads(result.out)["task"]["source"]["section"] == "2.đ"


def test_finance_owes_the_administrative_unit_codes_by_1_july(run: Run) -> None:
    found = [
        r
        for r in rows(run, "--as-of", "2025-06-20", "agency", "Bộ Tài chính")
        if r["task"] == f"{NOTICE}/2c" and r["obligation"] == "complete"
    ]
    assert [(r["due"], r["kind"], r["status"], r["role"]) for r in found] == [
        ("2025-07-01", "submit", "upcoming", "lead")
    ]


def test_government_office_owes_a_report_every_month(run: Run) -> None:
    grid = rows(
        run,
        "--as-of",
        "2025-10-05",
        "recurring",
        "--from",
        "2025-06-01",
        "--to",
        "2025-09-30",
        "--agency",
        "Văn phòng Chính phủ",
    )
    months = ["2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30"]
    # its own monthly report (2.a), and the one every ministry, agency and province owes (2.e)
    assert [(g["task"], g["assignee"], list(g["occurrences"])) for g in grid] == [
        (f"{NOTICE}/2a-2", "Văn phòng Chính phủ", months),
        (f"{NOTICE}/2e-1", "Văn phòng Chính phủ", months),
    ]


def test_reports_due_before_15_june(run: Run) -> None:
    due = rows(run, "--as-of", "2025-06-10", "due", "--before", "2025-06-15")
    assert {r["due"] for r in due} == {"2025-06-14"}
    assert {r["status"] for r in due} == {"due-soon"}
    tasks = {r["task"].split("/")[1] for r in due}
    assert tasks == {"1-2", "2a-1", "2b", "2c", "2d", "2dd", "5a", "5b", "5dd", "6a", "6b"}
    hanoi = [r for r in due if r["task"].endswith("/5dd")]
    assert [(r["assignee"], r["kind"]) for r in hanoi] == [("Thành ủy Hà Nội", "complete")]


def test_both_lead_when_working_together(run: Run) -> None:
    due = rows(run, "--as-of", "2025-06-10", "due", "--notice", NOTICE + "/2a-1")
    assert sorted(r["assignee"] for r in due) == ["Bộ Công an", "Văn phòng Chính phủ"]


def test_ministries_after_the_2025_reorganisation(registry: Registry) -> None:
    current = [
        e for e in registry.entities.values() if isinstance(e, Agency) and e.successor is None
    ]
    assert len([e for e in current if e.kind == "ministry"]) == 14
    assert sorted(e.name for e in current if e.kind == "ministerial-agency") == [
        "Ngân hàng Nhà nước Việt Nam",
        "Thanh tra Chính phủ",
        "Văn phòng Chính phủ",
    ]
    for old, new in [
        ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"),
        ("Bộ Giao thông vận tải", "Bộ Xây dựng"),
        ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường"),
        ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"),
    ]:
        assert registry.owner_on(registry.lookup(old).name, LATEST) == new


def test_thirty_four_provinces_each_with_two_committees(registry: Registry) -> None:
    # as of today: the units that have not ceased (the 29 merged away carry an until)
    governments = [
        e
        for e in registry.entities.values()
        if isinstance(e, Agency) and e.kind == "provincial-government" and e.until is None
    ]
    committees = [
        e
        for e in registry.entities.values()
        if isinstance(e, Agency) and e.kind == "provincial-party-committee" and e.until is None
    ]
    assert len(governments) == 34
    assert len(committees) == 34
    assert registry.lookup("UBND thành phố Hà Nội").name == "Ủy ban nhân dân thành phố Hà Nội"
    assert registry.lookup("Thành ủy Hà Nội").kind == "provincial-party-committee"  # type: ignore[union-attr]


def test_groups_notices_use(registry: Registry) -> None:
    for name, size in [
        ("Các bộ, ngành, địa phương", 14 + 3 + 34),
        ("Các tỉnh ủy, thành ủy", 34),
        ("Ủy ban nhân dân các địa phương", 34),
        ("Các bộ, cơ quan ngang bộ", 17),
    ]:
        group = registry.lookup(name)
        assert isinstance(group, Group)
        government_agencies = sum(
            1
            for m in group.members
            if isinstance(a := registry.entities[m], Agency) and a.kind == "government-agency"
        )
        assert len(group.members) - government_agencies == size, name


def test_typo_in_the_notice_resolves(registry: Registry) -> None:
    assert registry.lookup("Thương trực Ban Chỉ đạo").name == "Thường trực Ban Chỉ đạo"


def test_installed_command_runs_the_readme_example(tmp_path: Path) -> None:
    """A real process of the installed `tbtrack`, as the README's first command runs it."""
    beside = Path(sys.executable).with_name("tbtrack")
    exe = str(beside) if beside.exists() else shutil.which("tbtrack")
    assert exe is not None
    env = {**os.environ, "TBTRACK_TODAY": "2025-06-10", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [exe, "due", "--before", "2025-06-15", "--format", "json"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 15


def test_the_shipped_registry_is_the_repository_registry() -> None:
    """`tbtrack init` hands out the package's copy; it must be the one this repository uses."""
    shipped = PROJECT / "src" / "tbtrack" / "data" / "agencies.yaml"
    assert shipped.read_bytes() == (PROJECT / "agencies.yaml").read_bytes()
