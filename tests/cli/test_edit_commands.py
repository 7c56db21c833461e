"""The editing commands as a user runs them: empty values are usage errors, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text
from tbtrack.loading import cache as cache_module

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "x", "--on", ""], "--on: '': no date given"),
        (["done", "x", "--evidence", " "], "--evidence: no value given"),
        (["done", "x", "--note", ""], "--note: no value given"),
        (
            ["extend", "x", "complete", "--to", "2025-08-01", "--evidence", ""],
            "--evidence: no value given",
        ),
        (["extend", "x", "complete", "--to", "", "--evidence", "CV 1"], "--to: '': no date given"),
        (["cancel", "x", "complete", "--evidence", ""], "cancel needs --evidence"),
        (
            [
                "new",
                "tb/y",
                "--notice",
                "N",
                "--date",
                "2025-06-06",
                "--section",
                "1",
                "--title",
                "T",
                "--lead",
                "BTC",
                "--before",
                "",
            ],
            "--before: '': no date given",
        ),
    ],
)
def test_empty_values_are_usage_errors(run: Run, repo: Repo, args: list[str], message: str) -> None:
    path = repo.task("tb/x", task_text())
    before = path.read_bytes()
    result = run("--root", str(repo.root), *args)
    assert result.code == 2
    assert result.err.startswith(f"tbtrack: error: {message}")
    assert result.err.count("\n") == 1
    assert path.read_bytes() == before
    assert not (repo.root / "tasks" / "tb" / "y.yaml").exists()


def test_done_as_json(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text())
    result = run("--root", str(repo.root), "--format", "json", "done", "x", "--dry-run")
    assert result.code == 0
    assert result.err == ""
    assert '"written": false' in result.out


# --- several agencies in one command (SPEC 4.2, 5) -------------------------------------------

GROUP_TASK = task_text(lead="[Nhóm ba bộ]")


def _rows(run: Run, repo: Repo, *args: str) -> list[tuple[str, str, str]]:
    import json

    result = run("--root", str(repo.root), "--format", "json", *args)
    assert result.code == 0, result.err
    return [(r["assignee"], r["due"], r["status"]) for r in json.loads(result.out)]


def test_done_by_several_agencies_writes_one_event_each_in_one_write(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", GROUP_TASK)
    result = run(
        "--root", str(repo.root), "done", "x", "--on", "2025-06-09", "--by", "BTC", "--by",
        "Bộ Nội vụ", "--evidence", "Báo cáo",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8").endswith(
        "progress:\n"
        "  - on: 2025-06-09\n    fulfils: complete\n    by: Bộ Tài chính\n    evidence: Báo cáo\n"
        "  - on: 2025-06-09\n    fulfils: complete\n    by: Bộ Nội vụ\n    evidence: Báo cáo\n"
    )
    assert _rows(run, repo, "agency", "Bộ Tư pháp") == [("Bộ Tư pháp", "2025-07-01", "upcoming")]
    assert _rows(run, repo, "agency", "Bộ Nội vụ") == [("Bộ Nội vụ", "2025-07-01", "done")]


def test_done_on_a_group_without_by_asks_for_all_members(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", GROUP_TASK)
    before = path.read_bytes()
    result = run("--root", str(repo.root), "done", "x", "--on", "2025-06-09")
    assert result.code == 2
    assert "owed by the group 'Nhóm ba bộ' (3 agencies)" in result.err
    assert "--by NAME" in result.err and "--all-members" in result.err
    assert path.read_bytes() == before
    both = run("--root", str(repo.root), "done", "x", "--all-members", "--by", "BTC")
    assert both.code == 2 and "exclude each other" in both.err
    result = run("--root", str(repo.root), "done", "x", "--on", "2025-06-09", "--all-members")
    assert result.code == 0, result.err
    assert _rows(run, repo, "due", "--all", "--before", "2025-08-01") == [
        ("Nhóm ba bộ", "2025-07-01", "done")
    ]


def test_extend_for_one_province_leaves_the_others_as_they_were(run: Run, repo: Repo) -> None:
    repo.task("tb/x", GROUP_TASK)
    result = run(
        "--root", str(repo.root), "extend", "x", "complete", "--to", "2025-08-15", "--on",
        "2025-06-09", "--evidence", "CV 1", "--by", "Bộ Tư pháp",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "    by: Bộ Tư pháp\n    to: 2025-08-15\n" in (repo.root / "tasks/tb/x.yaml").read_text(
        encoding="utf-8"
    )
    assert run("--root", str(repo.root), "check").code == 0
    late = ("--as-of", "2025-07-05")
    assert _rows(run, repo, *late, "agency", "Bộ Tư pháp") == [
        ("Bộ Tư pháp", "2025-08-15", "upcoming")
    ]
    assert _rows(run, repo, *late, "agency", "Bộ Nội vụ") == [
        ("Bộ Nội vụ", "2025-07-01", "overdue")
    ]
    assert _rows(run, repo, *late, "overdue") == [("Nhóm ba bộ", "2025-07-01", "overdue")]
    # once the two others have reported, the group is due when the extended one is
    run(
        "--root",
        str(repo.root),
        "done",
        "x",
        "--on",
        "2025-06-09",
        "--by",
        "BTC",
        "--by",
        "Bộ Nội vụ",
    )
    assert _rows(run, repo, *late, "due", "--before", "2025-09-01") == [
        ("Nhóm ba bộ", "2025-08-15", "upcoming")
    ]


def test_cancel_for_one_agency_withdraws_only_its_pair(run: Run, repo: Repo) -> None:
    repo.task("tb/x", GROUP_TASK)
    result = run(
        "--root", str(repo.root), "cancel", "x", "complete", "--on", "2025-06-09",
        "--evidence", "CV 2", "--by", "Bộ Tư pháp",
    )  # fmt: skip
    assert result.code == 0, result.err
    late = ("--as-of", "2025-07-05")
    assert _rows(run, repo, *late, "agency", "Bộ Tư pháp", "--status", "cancelled") == [
        ("Bộ Tư pháp", "2025-07-01", "cancelled")
    ]
    run(
        "--root",
        str(repo.root),
        "done",
        "x",
        "--on",
        "2025-06-09",
        "--by",
        "BTC",
        "--by",
        "Bộ Nội vụ",
    )
    assert _rows(run, repo, *late, "due", "--all") == [("Nhóm ba bộ", "2025-07-01", "done")]
    whole = run("--root", str(repo.root), "cancel", "x", "--evidence", "CV", "--by", "BTC")
    assert whole.code == 2 and "--by, --for and --note belong" in whole.err


def test_by_naming_an_agency_that_does_not_owe_it_is_refused(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", GROUP_TASK)
    before = path.read_bytes()
    result = run(
        "--root", str(repo.root), "extend", "x", "complete", "--to", "2025-08-15",
        "--evidence", "CV 1", "--by", "VPCP",
    )  # fmt: skip
    assert result.code == 1
    assert "'Văn phòng Chính phủ' does not owe 'complete'" in result.err
    assert path.read_bytes() == before


def test_extend_by_one_agency_on_a_recurring_obligation_moves_its_occurrence(
    run: Run, repo: Repo
) -> None:
    monthly = "  - id: report\n    kind: report\n    every: monthly\n"
    path = repo.task("tb/x", task_text(lead="[Nhóm ba bộ]", obligations=monthly))
    result = run(
        "--root", str(repo.root), "extend", "x", "report", "--to", "2025-07-10", "--on",
        "2025-06-09", "--evidence", "CV", "--by", "Bộ Nội vụ",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "    by: Bộ Nội vụ\n    for: 2025-06-30\n    to: 2025-07-10\n" in path.read_text(
        encoding="utf-8"
    )
    late = ("--as-of", "2025-07-02")
    assert _rows(run, repo, *late, "agency", "Bộ Nội vụ")[0] == (
        "Bộ Nội vụ",
        "2025-07-10",
        "upcoming",
    )
    assert _rows(run, repo, *late, "agency", "Bộ Tư pháp")[0] == (
        "Bộ Tư pháp",
        "2025-06-30",
        "overdue",
    )


# --- add-obligation (SPEC 5) ---------------------------------------------------------------

RICH_TASK = (
    "# giao tại cuộc họp\n"
    "source:\n"
    "  notice: Thông báo kết luận\n"
    "  number: null\n"
    "  date: 2025-06-06\n"
    '  section: "1"\n'
    "title: Một nhiệm vụ\n"
    "lead:\n"
    "  - Bộ Tài chính   # chủ trì\n"
    "obligations:\n"
    "  - id: complete\n"
    "    by: 2025-07-01   # hạn\n"
    "\n"
    "progress: []\n"
    "notes: ghi chú\n"
)


def test_add_obligation_appends_one_item_and_changes_no_other_byte(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", RICH_TASK)
    result = run(
        "--root", str(repo.root), "add-obligation", "x", "report", "--kind", "report",
        "--before", "15/6/2025", "--to", "Thường trực Ban Chỉ đạo", "--who", "BTC", "--who",
        "Bộ Nội vụ", "--as-written", "trước ngày 15/6/2025",
    )  # fmt: skip
    assert result.code == 0, result.err
    added = (
        "  - id: report\n"
        "    kind: report\n"
        "    before: 2025-06-15\n"
        "    as_written: trước ngày 15/6/2025\n"
        "    to: Thường trực Ban Chỉ đạo\n"
        "    who:\n"
        "      - Bộ Tài chính\n"
        "      - Bộ Nội vụ\n"
    )
    at = RICH_TASK.index("\nprogress")
    assert path.read_text(encoding="utf-8") == RICH_TASK[:at] + added + RICH_TASK[at:]
    assert run("--root", str(repo.root), "check").code == 0
    assert _rows(run, repo, "agency", "Bộ Nội vụ") == [("Bộ Nội vụ", "2025-06-14", "due-soon")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["complete", "--undated"], "tb/x has an obligation 'complete' already (complete)"),
        (["Report 2", "--undated"], "'Report 2' is not an obligation id"),
        (["r", "--undated", "--by", "2025-07-01"], "give exactly one due form"),
        (["r", "--ongoing", "--kind", "reprot"], "--kind: 'reprot' is not a kind"),
        (["r", "--ongoing", "--who", "Bộ Nông"], "--who: unknown agency or group 'Bộ Nông'"),
        (["r", "--by", "2025-07-01", "--start", "2025-07-01"], "--start and --until belong"),
    ],
)
def test_add_obligation_refusals(run: Run, repo: Repo, args: list[str], message: str) -> None:
    path = repo.task("tb/x", RICH_TASK)
    result = run("--root", str(repo.root), "add-obligation", "x", *args)
    assert result.code == 2
    assert result.err.startswith(f"tbtrack: error: {message}")
    assert path.read_text(encoding="utf-8") == RICH_TASK


def test_add_obligation_dry_run_writes_nothing(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", RICH_TASK)
    result = run(
        "--root", str(repo.root), "add-obligation", "x", "monthly", "--every", "monthly",
        "--start", "2025-07-01", "--dry-run",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "+  - id: monthly\n+    kind: complete\n+    every: monthly\n" in result.out
    assert path.read_text(encoding="utf-8") == RICH_TASK


def test_new_takes_to_who_notes_and_support(run: Run, repo: Repo) -> None:
    result = run(
        "--root", str(repo.root), "new", "tb/y", "--notice", "N", "--date", "2025-06-06",
        "--section", "1", "--title", "T", "--lead", "BTC", "--support", "Bộ Tư pháp",
        "--kind", "report", "--before", "2025-06-15", "--to", "VPCP", "--who", "Bộ Nội vụ",
        "--notes", "Theo dõi",
    )  # fmt: skip
    assert result.code == 0, result.err
    written = (repo.root / "tasks/tb/y.yaml").read_text(encoding="utf-8")
    assert "support:\n  - Bộ Tư pháp\n" in written
    assert "    to: Văn phòng Chính phủ\n    who:\n      - Bộ Nội vụ\n" in written
    assert written.endswith("notes: Theo dõi\n")
    assert _rows(run, repo, "agency", "Bộ Nội vụ") == [("Bộ Nội vụ", "2025-06-14", "due-soon")]


# --- what an edit checked, kept by its bytes (loading.versions.CheckedFiles) ----------------

_HEAVY = (
    "import json, sys\n"
    "from tbtrack.__main__ import main\n"
    "code = main(sys.argv[1:])\n"
    "heavy = ['pydantic', 'tbtrack.files.schema', 'tbtrack.checking.check', 'ruamel.yaml']\n"
    "sys.stderr.write(json.dumps([m for m in heavy if m in sys.modules]))\n"
    "sys.exit(code)\n"
)
DONE = ("done", "x", "complete", "--on", "2025-06-09", "--evidence", "Báo cáo 5/BC")


def _heavy(root: Path, *args: str) -> tuple[str, str, list[str]]:
    """A run as its own process: its output, what it told on stderr, and which of the modules
    a file checked afresh needs it imported."""
    env = dict(os.environ, TBTRACK_TODAY="2025-06-10")
    done = subprocess.run(
        [sys.executable, "-c", _HEAVY, "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    shown, _, imported = done.stderr.rpartition("\n")  # the run's own, then the list
    return done.stdout, shown, json.loads(imported)


def test_the_edit_after_its_dry_run_and_the_listing_after_it_check_nothing_again(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    path = repo.task("tb/x", task_text())
    repo.task("tb/y", task_text(lead="[Bộ Tư pháp]"))
    time.sleep(0.03)  # past the file system's clock tick: the files predate the next read
    listing = ("--format", "json", "due", "--before", "2099-01-01", "--all")
    assert run("--root", str(repo.root), *listing).code == 0  # fills the tasks' cache
    dry = run("--root", str(repo.root), *DONE, "--dry-run")
    assert dry.code == 0, dry.err
    # the same bytes again: taken as checked, neither pydantic nor the checks imported (the
    # YAML parser edits the file)
    diff, shown, imported = _heavy(repo.root, *DONE)
    assert imported == ["ruamel.yaml"]
    assert (diff, shown) == (dry.out, "tb/x: complete fulfilled on 2025-06-09")
    assert "  - on: 2025-06-09\n    fulfils: complete\n" in path.read_text(encoding="utf-8")
    after, _, imported = _heavy(repo.root, *listing)
    assert imported == []  # the file the edit wrote was checked by the edit
    plain = run("--root", str(repo.root), "--no-cache", *listing)
    assert json.loads(after) == json.loads(plain.out)
    assert [r["status"] for r in json.loads(plain.out) if r["task"] == "tb/x"] == ["done"]


def test_bytes_changed_after_the_dry_run_are_checked_afresh(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", task_text())
    assert run("--root", str(repo.root), *DONE, "--dry-run").code == 0
    path.write_text(task_text(lead="[Bộ Không Có]"), encoding="utf-8")  # by hand, an error
    refused = run("--root", str(repo.root), *DONE)
    assert refused.code != 0
    assert "tasks/tb/x.yaml has errors; fix them first" in refused.err
    assert "unknown agency or group 'Bộ Không Có'" in refused.err
    assert "fulfils" not in path.read_text(encoding="utf-8")


def test_an_edit_checked_under_another_agencies_yaml_is_checked_afresh(
    run: Run, repo: Repo
) -> None:
    path = repo.task("tb/x", task_text(lead="[Văn phòng Chính phủ]"))
    assert run("--root", str(repo.root), *DONE, "--dry-run").code == 0
    registry = repo.root / "agencies.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "  - name: Văn phòng Chính phủ\n    code: VPCP\n    kind: ministerial-agency\n", ""
        ),
        encoding="utf-8",
    )
    refused = run("--root", str(repo.root), *DONE)
    assert refused.code != 0
    assert "unknown agency or group 'Văn phòng Chính phủ'" in refused.err
    assert "fulfils" not in path.read_text(encoding="utf-8")
