"""A repository that spans both reorganisations of 2025 (SPEC 3.1), read as of many days.

The data (tests/queries/data/reorganisation, with the shipped agencies.yaml):
- 467/TB-VPCP of 14/10/2024: Bộ Tài chính submits before 20/10/2024 (supported by Bộ Tài
  nguyên và Môi trường, Bộ Nông nghiệp và Phát triển nông thôn, Bộ Tư pháp); Bộ Nông nghiệp và
  Phát triển nông thôn sends a document, undated.
- 999/TB-VPCP of 05/11/2024: (1) Bộ Kế hoạch và Đầu tư, by 30/4/2025; (2) Bộ Thông tin và
  Truyền thông, a yearly report on 31/12; (3) "Các bộ, cơ quan ngang bộ", a report every 15/1;
  (4) the provinces' people's committees, by 30/9/2025, Tuyên Quang reporting on 10/8/2025;
  (5) Bộ Tài chính, by 30/6/2025, the task withdrawn on 01/5/2025.
- 1234/TB-VPCP of 20/11/2025: Bộ Tài chính, by 31/12/2025.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Repo, Result

PROJECT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data" / "reorganisation"

Run = Callable[..., Result]
BTC = "Bộ Tài chính"
KHDT = "Bộ Kế hoạch và Đầu tư"
BNNMT = "Bộ Nông nghiệp và Môi trường"
BNNPTNT = "Bộ Nông nghiệp và Phát triển nông thôn"
TQ = "Ủy ban nhân dân tỉnh Tuyên Quang"
HG = "Ủy ban nhân dân tỉnh Hà Giang"


@pytest.fixture
def spanning(tmp_path: Path) -> Repo:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    shutil.copy(PROJECT / "agencies.yaml", root / "agencies.yaml")
    return Repo(root)


def _json(run: Run, repo: Repo, *args: str) -> Any:
    result = run("--root", str(repo.root), "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _summary(run: Run, repo: Repo, as_of: str) -> dict[str, dict[str, int]]:
    rows = _json(run, repo, "--as-of", as_of, "summary")
    return {
        row["agency"]: {k: v for k, v in row.items() if isinstance(v, int) and v} for row in rows
    }


def test_the_repository_checks(run: Run, spanning: Repo) -> None:
    result = run("--root", str(spanning.root), "check")
    assert result.code == 0, result.out


def test_a_2024_summary_names_the_ministries_of_2024(run: Run, spanning: Repo) -> None:
    assert _summary(run, spanning, "2024-10-15") == {
        BTC: {"due-soon": 1},
        BNNPTNT: {"undated": 1},
    }


def test_pairs_pass_to_the_successor_after_the_ministries_merge(run: Run, spanning: Repo) -> None:
    before = _summary(run, spanning, "2025-01-14")
    assert before[KHDT] == {"due-soon": 1, "upcoming": 1}  # its own, not yet Bộ Tài chính's
    assert before[BTC] == {"due-soon": 1, "upcoming": 1, "overdue": 1}
    assert BNNMT not in before
    after = _summary(run, spanning, "2025-03-15")
    assert KHDT not in after and BNNPTNT not in after
    # Bộ Tài chính's own 15/1 report, the one it took over, and 467's submission are late;
    # 999/1 (taken over) and 999/5 are to come
    assert after[BTC] == {"upcoming": 2, "overdue": 3}
    # two merged ministries that each owed the 15/1 report leave their successor owing two
    assert after[BNNMT] == {"overdue": 2, "undated": 1}
    assert after["Bộ Khoa học và Công nghệ"] == {"overdue": 3}


def test_the_group_owes_with_the_members_of_each_occurrence(run: Run, spanning: Repo) -> None:
    rows = _json(
        run,
        spanning,
        "--as-of",
        "2026-01-20",
        "due",
        "--before",
        "2026-01-20",
        "--agency",
        "Các bộ, cơ quan ngang bộ",
    )
    members = [(r["occurrence"], r["members_total"], r["status"]) for r in rows]
    assert members == [("2025-01-15", 22, "overdue"), ("2026-01-15", 17, "overdue")]


def test_provinces_pass_whole_and_a_successors_report_covers_them(run: Run, spanning: Repo) -> None:
    assert (
        _summary(run, spanning, "2025-06-30")[HG],
        _summary(run, spanning, "2025-06-30")[TQ],
    ) == (
        {"upcoming": 1},
        {"upcoming": 1},
    )
    july = _summary(run, spanning, "2025-07-01")
    assert HG not in july and july[TQ] == {"upcoming": 2}
    provinces = [a for a in july if a.startswith("Ủy ban nhân dân")]
    assert len(provinces) == 34
    assert _summary(run, spanning, "2025-08-15")[TQ] == {"done": 2}
    row = _json(run, spanning, "--as-of", "2025-08-15", "due", "--all", "--before", "2025-10-01")
    group = [r for r in row if r["task"] == "tb-999/4"]
    assert [(r["members_total"], r["members_done"]) for r in group] == [(63, 2)]


def test_a_notice_issued_after_the_day_is_not_counted(run: Run, spanning: Repo) -> None:
    rows = _json(run, spanning, "--as-of", "2024-11-30", "summary", "--by", "notice")
    assert [(r["notice"], r["upcoming"], r["overdue"], r["undated"]) for r in rows] == [
        ("467/TB-VPCP (2024-10-14)", 0, 1, 1),
        ("999/TB-VPCP (2024-11-05)", 65, 0, 0),  # 63 provinces, 999/1 and 999/5
    ]
    later = _json(run, spanning, "--as-of", "2026-01-20", "summary", "--by", "notice")
    assert "1234/TB-VPCP (2025-11-20)" in [r["notice"] for r in later]


def test_a_withdrawn_task_is_active_before_its_day(run: Run, spanning: Repo) -> None:
    def status(as_of: str) -> list[str]:
        rows = _json(run, spanning, "--as-of", as_of, "agency", BTC)
        return [r["status"] for r in rows if r["task"] == "tb-999/5"]

    assert status("2025-04-30") == ["upcoming"]
    assert status("2025-05-01") == ["cancelled"]


def test_the_agency_view_lists_predecessors_only_after_the_merger(run: Run, spanning: Repo) -> None:
    january = run("--root", str(spanning.root), "--as-of", "2025-01-14", "agency", BTC)
    march = run("--root", str(spanning.root), "--as-of", "2025-03-01", "agency", BTC)
    assert "+ Bộ Kế hoạch và Đầu tư" not in january.out
    assert march.out.splitlines()[:2] == [BTC, "  + Bộ Kế hoạch và Đầu tư"]
    inherited = _json(run, spanning, "--as-of", "2025-03-01", "agency", BTC)
    assert ("tb-999/1", KHDT) in [(r["task"], r["assignee"]) for r in inherited]
    earlier = _json(run, spanning, "--as-of", "2025-01-14", "agency", BTC)
    assert "tb-999/1" not in [r["task"] for r in earlier]


def test_an_agency_that_does_not_exist_on_the_day_gets_a_note(run: Run, spanning: Repo) -> None:
    ceased = run("--root", str(spanning.root), "--as-of", "2025-06-10", "agency", KHDT)
    assert ceased.code == 0
    assert ceased.err == (
        "tbtrack: note: Bộ Kế hoạch và Đầu tư ceased on 28/02/2025; its obligations are owed "
        "by Bộ Tài chính\n"
    )
    early = run("--root", str(spanning.root), "--as-of", "2024-10-15", "due", "--agency", BNNMT)
    assert (
        early.err == "tbtrack: note: Bộ Nông nghiệp và Môi trường was established on 01/03/2025\n"
    )
    vi = run("--root", str(spanning.root), "--lang", "vi", "--as-of", "2025-06-10", "agency", KHDT)
    assert "hoạt động đến hết ngày 28/02/2025" in vi.err


def test_suggestions_prefer_the_agencies_of_the_day(run: Run, spanning: Repo) -> None:
    old = run(
        "--root",
        str(spanning.root),
        "--as-of",
        "2024-10-15",
        "due",
        "--agency",
        "Bộ Nông nghiệp và PTNT",
    )
    assert old.code == 2
    assert f"did you mean '{BNNPTNT}'" in old.err
    new = run(
        "--root",
        str(spanning.root),
        "--as-of",
        "2026-01-15",
        "due",
        "--agency",
        "Bộ Nông nghiệp và PTNT",
    )
    assert f"did you mean '{BNNMT}'" in new.err


def test_a_report_by_a_ceased_agency_is_an_error_naming_its_successor(
    run: Run, spanning: Repo
) -> None:
    path = spanning.root / "tasks" / "tb-999" / "1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "progress: []",
            "progress:\n  - on: 2025-03-05\n    fulfils: complete\n    by: Bộ Kế hoạch và Đầu tư\n",
        ),
        encoding="utf-8",
    )
    result = run("--root", str(spanning.root), "check", str(path))
    assert result.code == 1
    assert (
        "tasks/tb-999/1.yaml:15:9: error: 'Bộ Kế hoạch và Đầu tư' no longer existed on "
        "2025-03-05: it ceased on 2025-02-28 (write by: Bộ Tài chính, which owes its "
        "obligations from then on) [agency-ceased]"
    ) in result.out
    fixed = path.read_text(encoding="utf-8").replace("by: Bộ Kế hoạch và Đầu tư", f"by: {BTC}")
    path.write_text(fixed, encoding="utf-8")
    assert run("--root", str(spanning.root), "check", str(path)).code == 0
    done = _summary(run, spanning, "2025-03-15")
    assert done[BTC] == {"done": 1, "upcoming": 1, "overdue": 3}


def test_naming_an_agency_before_it_existed_is_a_warning(run: Run, spanning: Repo) -> None:
    path = spanning.root / "tasks" / "tb-999" / "1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - Bộ Kế hoạch và Đầu tư", f"  - {BNNMT}"),
        encoding="utf-8",
    )
    result = run("--root", str(spanning.root), "check", str(path))
    assert result.code == 0
    assert (
        "tasks/tb-999/1.yaml:8:5: warning: 'Bộ Nông nghiệp và Môi trường' did not exist on the "
        "notice's date (2024-11-05): Bộ Nông nghiệp và Môi trường was established on 01/03/2025"
    ) in result.out


def test_a_withdrawal_without_its_day_is_an_error_with_the_fix(run: Run, spanning: Repo) -> None:
    path = spanning.root / "tasks" / "tb-999" / "5.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("state_on: 2025-05-01\n", ""), encoding="utf-8"
    )
    result = run("--root", str(spanning.root), "check", str(path))
    assert result.code == 1
    assert (
        "state_on is required when state is cancelled: add `state_on: YYYY-MM-DD`, the day it "
        "took effect (before it the task is active)"
    ) in result.out


def test_the_successor_records_a_report_the_ceased_agency_owed(run: Run, spanning: Repo) -> None:
    result = run(
        "--root",
        str(spanning.root),
        "--as-of",
        "2025-03-20",
        "done",
        "tb-999/2",
        "report",
        "--by",
        "Bộ Khoa học và Công nghệ",
        "--on",
        "2025-03-20",
        "--evidence",
        "Báo cáo 5/BC",
    )
    assert result.code == 0, result.err
    text = (spanning.root / "tasks" / "tb-999" / "2.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "progress:\n  - on: 2025-03-20\n    fulfils: report\n    by: Bộ Khoa học và Công nghệ\n"
        "    for: 2024-12-31\n    evidence: Báo cáo 5/BC\n"
    )
    assert _summary(run, spanning, "2025-03-20")["Bộ Khoa học và Công nghệ"] == {
        "done-late": 1,
        "overdue": 2,
    }
