"""Review through git (SPEC 7, issue #6): `diff`, `log`, `--rev`, in temporary repositories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import Repo, Result, task_text

AUTHOR = "Nguyễn Văn A"
EMAIL = "a@example.org"

REPORT = "  - id: report\n    kind: report\n    before: 2025-06-12\n"
TWO = "  - id: complete\n    by: 2025-07-01\n" + REPORT


class Git:
    """A git repository whose top folder is `top`; the data root may be below it."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self("init", "-q", "-b", "main")

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.top, capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, message: str, author: str = AUTHOR) -> str:
        self("add", "-A")
        self(
            "-c", f"user.name={author}", "-c", f"user.email={EMAIL}", "commit", "-q", "-m", message
        )
        return self("rev-parse", "HEAD").strip()


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The user's and the system's git settings must not change what the tests see."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_AUTHOR_NAME",
        "GIT_COMMITTER_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def git(repo: Repo) -> Git:
    """A repository at the data root's parent: the data root is a sub-folder (`data/`), so the
    prefix handling is exercised by every test."""
    return Git(repo.root.parent)


def events(*lines: str) -> str:
    return "\n" + "".join(lines)


def fulfils(on: str, obligation: str = "complete", evidence: str = "Báo cáo số 1/BC-BTC") -> str:
    return f"  - on: {on}\n    fulfils: {obligation}\n    evidence: {evidence}\n"


def diff_json(run: Callable[..., Result], repo: Repo, *args: str) -> tuple[Result, list[Any]]:
    result = run("--root", str(repo.root), "--format", "json", "diff", *args)
    assert "Traceback" not in result.err
    return result, json.loads(result.out)


def rules(changes: list[Any]) -> set[str]:
    return {f["rule"] for c in changes for f in c["flags"]}


# --- diff -----------------------------------------------------------------------------------


def test_done_with_an_older_date_shows_in_diff_as_an_addition_without_a_flag(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task(
        "tgv/2c", task_text(obligations=TWO, progress=events(fulfils("2025-06-11", "report")))
    )
    git.commit("Báo cáo ngày 11/6")
    done = run("--root", str(repo.root), "done", "tgv/2c", "complete", "--on", "2025-06-09")
    assert done.code == 0, done.err

    result, changes = diff_json(run, repo, "--fail-on-flags")

    assert result.code == 0
    [change] = changes
    assert change["flags"] == []
    assert change["details"] == [
        {
            "what": "event-inserted",
            "index": 0,
            "shape": "fulfils",
            "obligation": "complete",
            "event": {"on": "2025-06-09", "fulfils": "complete"},
        }
    ]


def test_clean_commit_appending_an_event_raises_no_flag(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Thêm nhiệm vụ 2c")
    repo.task("tgv/2c", task_text(progress=events(fulfils("2025-06-09"))))
    git.commit("Bộ Tài chính đã hoàn thành")

    result, changes = diff_json(run, repo, "HEAD~1", "HEAD", "--fail-on-flags")

    assert result.code == 0
    assert changes == [
        {
            "task": "tgv/2c",
            "path": "tasks/tgv/2c.yaml",
            "change": "modified",
            "from_path": None,
            "title": "Ban hành bảng danh mục và mã số các đơn vị hành chính",
            "details": [
                {
                    "what": "event-appended",
                    "index": 0,
                    "shape": "fulfils",
                    "obligation": "complete",
                    "event": {
                        "on": "2025-06-09",
                        "fulfils": "complete",
                        "evidence": "Báo cáo số 1/BC-BTC",
                    },
                }
            ],
            "flags": [],
        }
    ]


def test_suspicious_commit_raises_every_flag(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/a", task_text(obligations=TWO))
    repo.task(
        "tgv/b",
        task_text(
            obligations=TWO,
            progress=events(fulfils("2025-06-05", "report"), fulfils("2025-06-06", "complete")),
        ),
    )
    repo.task("tgv/c", task_text())
    git.commit("Nhập thông báo")
    # a: the deadline edited in place; b: an event removed, an extension and a cancellation
    # without evidence; c: deleted; d: added
    repo.task("tgv/a", task_text(obligations=TWO.replace("2025-07-01", "2025-07-31")))
    repo.task(
        "tgv/b",
        task_text(
            obligations=TWO,
            progress=events(
                fulfils("2025-06-05", "report"),
                "  - on: 2025-06-08\n    extends: complete\n    to: 2025-08-31\n",
                "  - on: 2025-06-09\n    cancels: report\n",
            ),
        ),
    )
    (repo.root / "tasks/tgv/c.yaml").unlink()
    repo.task("tgv/d", task_text(section='"4"'))
    git.commit("Sửa nhiều thứ")

    result, changes = diff_json(run, repo, "HEAD~1", "HEAD", "--fail-on-flags")

    assert result.code == 1
    assert rules(changes) == {
        "due-edited-in-place",
        "event-removed",
        "extension-without-evidence",
        "cancellation-without-evidence",
        "task-removed",
    }
    by_task = {c["task"]: c for c in changes}
    assert [by_task[t]["change"] for t in ("tgv/a", "tgv/b", "tgv/c", "tgv/d")] == [
        "modified",
        "modified",
        "removed",
        "added",
    ]
    assert by_task["tgv/a"] == {
        "task": "tgv/a",
        "path": "tasks/tgv/a.yaml",
        "change": "modified",
        "from_path": None,
        "title": "Ban hành bảng danh mục và mã số các đơn vị hành chính",
        "details": [
            {
                "what": "due-edited",
                "obligation": "complete",
                "old": "by 2025-07-01",
                "new": "by 2025-07-31",
                "old_last_day": "2025-07-01",
                "new_last_day": "2025-07-31",
            }
        ],
        "flags": [
            {
                "rule": "due-edited-in-place",
                "message": "obligation 'complete': due form edited in place, by 2025-07-01 → "
                "by 2025-07-31 (last day 2025-07-01 → 2025-07-31); keep the original and append "
                "an extends event with its evidence",
                "obligation": "complete",
                "old": "by 2025-07-01",
                "new": "by 2025-07-31",
                "old_last_day": "2025-07-01",
                "new_last_day": "2025-07-31",
            }
        ],
    }
    assert by_task["tgv/c"]["flags"][0]["rule"] == "task-removed"
    assert by_task["tgv/d"]["flags"] == []
    assert [d["what"] for d in by_task["tgv/d"]["details"]] == ["obligation-added"]
    assert [(d["what"], d["index"]) for d in by_task["tgv/b"]["details"]] == [
        ("event-removed", 1),
        ("event-appended", 1),
        ("event-appended", 2),
    ]

    # without --fail-on-flags the same diff is only a report
    assert run("--root", str(repo.root), "diff", "HEAD~1", "HEAD").code == 0


def test_edited_event_and_before_form_show_their_last_days(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task(
        "tgv/e", task_text(obligations=REPORT, progress=events(fulfils("2025-06-05", "report")))
    )
    git.commit("Nhập")
    repo.task(
        "tgv/e",
        task_text(
            obligations=REPORT.replace("before: 2025-06-12", "before: 2025-06-20"),
            progress=events(fulfils("2025-06-07", "report")),
        ),
    )
    git.commit("Sửa ngày")

    result, changes = diff_json(run, repo, "HEAD~1", "HEAD")

    assert result.code == 0
    flags = {f["rule"]: f for f in changes[0]["flags"]}
    assert set(flags) == {"due-edited-in-place", "event-edited"}
    assert flags["due-edited-in-place"]["old_last_day"] == "2025-06-11"
    assert flags["due-edited-in-place"]["new_last_day"] == "2025-06-19"
    edited = next(d for d in changes[0]["details"] if d["what"] == "event-edited")
    assert (edited["old"]["on"], edited["new"]["on"]) == ("2025-06-05", "2025-06-07")


def test_rename_is_reported_as_a_rename(repo: Repo, git: Git, run: Callable[..., Result]) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    git("mv", "data/tasks/tgv/2c.yaml", "data/tasks/tgv/2c-1.yaml")
    git.commit("Đổi tên")

    result, changes = diff_json(run, repo, "HEAD~1", "HEAD", "--fail-on-flags")

    assert result.code == 0
    assert [(c["change"], c["task"], c["from_path"], c["flags"]) for c in changes] == [
        ("renamed", "tgv/2c-1", "tasks/tgv/2c.yaml", [])
    ]


def test_rename_with_an_edit_is_still_a_rename(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    (repo.root / "tasks/tgv/2c.yaml").unlink()
    repo.task("tgv/new-name", task_text(progress=events(fulfils("2025-06-09"))))

    _, changes = diff_json(run, repo)  # working tree: a deletion and an untracked file

    assert [(c["change"], c["from_path"]) for c in changes] == [("renamed", "tasks/tgv/2c.yaml")]
    assert [d["what"] for d in changes[0]["details"]] == ["event-appended"]


def test_default_diff_sees_uncommitted_edits_and_untracked_files(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    repo.write(".gitignore", "tasks/scratch/\n")
    git.commit("Nhập")
    repo.task("tgv/2c", task_text(lead="[Bộ Tài chính, Bộ Nội vụ]"))  # not staged
    repo.task("tgv/3a", task_text(section='"3.a"'))  # untracked
    repo.task("scratch/x", task_text())  # ignored: not part of the review

    result, changes = diff_json(run, repo)

    assert result.code == 0
    assert [(c["task"], c["change"]) for c in changes] == [
        ("tgv/2c", "modified"),
        ("tgv/3a", "added"),
    ]
    assert changes[0]["details"] == [
        {
            "what": "field-changed",
            "field": "lead",
            "old": ["Bộ Tài chính"],
            "new": ["Bộ Tài chính", "Bộ Nội vụ"],
        }
    ]
    # one REV: that revision against the working tree
    _, same = diff_json(run, repo, "HEAD")
    assert same == changes


def test_layout_only_change_and_nfd_text_are_not_changes_in_meaning(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    import unicodedata

    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    text = "# a comment\n" + unicodedata.normalize("NFD", task_text())
    repo.task("tgv/2c", text)

    _, changes = diff_json(run, repo)

    assert [d["what"] for d in changes[0]["details"]] == ["format-only"]
    assert changes[0]["flags"] == []


def test_unparseable_file_is_flagged_and_exits_1(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    repo.task("tgv/2c", task_text().replace("lead:", "leed:"))

    result, changes = diff_json(run, repo)

    assert result.code == 1
    assert rules(changes) == {"unparseable"}
    assert "tasks/tgv/2c.yaml" in result.err
    assert "missing required key 'lead'" in changes[0]["flags"][0]["message"]


def test_registry_change_is_reported(repo: Repo, git: Git, run: Callable[..., Result]) -> None:
    git.commit("Nhập")
    registry = (repo.root / "agencies.yaml").read_text(encoding="utf-8")
    repo.write(
        "agencies.yaml",
        registry.replace("  - name: Bộ Tư pháp\n", "  - name: Bộ Tư pháp\n    code: BTP\n") + "",
    )
    _, changes = diff_json(run, repo)
    assert changes == [
        {
            "task": None,
            "path": "agencies.yaml",
            "change": "modified",
            "from_path": None,
            "title": None,
            "details": [{"what": "agency-changed", "name": "Bộ Tư pháp", "fields": ["code"]}],
            "flags": [],
        }
    ]


def test_markdown_and_table_output(repo: Repo, git: Git, run: Callable[..., Result]) -> None:
    repo.task("tgv/2c", task_text(obligations=TWO))
    git.commit("Nhập")
    repo.task(
        "tgv/2c",
        task_text(
            obligations=TWO,
            progress=events("  - on: 2025-06-08\n    extends: complete\n    to: 2025-07-31\n"),
        ),
    )

    md = run("--root", str(repo.root), "--format", "markdown", "diff")
    table = run("--root", str(repo.root), "--no-color", "diff", "--fail-on-flags")

    assert md.code == 0
    assert "### tbtrack diff: `HEAD` → `working tree`" in md.out
    assert "#### `tgv/2c` — modified" in md.out
    assert "- :warning: **extension-without-evidence**:" in md.out
    assert "event 1 appended: 2025-06-08 extended complete to 2025-07-31" in md.out
    assert table.code == 1
    assert "⚑ extension-without-evidence" in table.out
    assert "1 change(s), 1 flag(s)" in table.out


def test_no_change(repo: Repo, git: Git, run: Callable[..., Result]) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    result = run("--root", str(repo.root), "--lang", "vi", "diff", "--fail-on-flags")
    assert result.code == 0
    assert "Không có thay đổi nào" in result.out


def test_first_commit_of_an_empty_repository(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    _, changes = diff_json(run, repo)  # no HEAD yet: everything is new
    assert [(c["path"], c["change"]) for c in changes] == [
        ("agencies.yaml", "added"),
        ("tasks/tgv/2c.yaml", "added"),
    ]


# --- log ------------------------------------------------------------------------------------


def test_log_follows_a_rename_and_shows_the_vietnamese_author(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    repo.task("tgv/other", task_text(section='"9"'))
    git.commit("Nhập nhiệm vụ 2c")
    repo.task("tgv/2c", task_text(progress=events(fulfils("2025-06-09"))))
    git.commit("Bộ Tài chính báo cáo", author="Trần Thị Bích")
    repo.task("tgv/other", task_text(section='"9"', lead="[Bộ Nội vụ]"))
    git.commit("Không liên quan")
    git("mv", "data/tasks/tgv/2c.yaml", "data/tasks/tgv/2c-moi.yaml")
    git.commit("Đổi tên 2c")

    result = run("--root", str(repo.root), "--format", "json", "log", "2c-moi")
    entries = json.loads(result.out)

    assert result.code == 0
    assert [e["message"] for e in entries] == [
        "Đổi tên 2c",
        "Bộ Tài chính báo cáo",
        "Nhập nhiệm vụ 2c",
    ]
    assert [e["author"] for e in entries] == [AUTHOR, "Trần Thị Bích", AUTHOR]
    assert [e["change"] for e in entries] == ["renamed", "modified", "added"]
    assert entries[0]["from_path"] == "tasks/tgv/2c.yaml"
    assert entries[1]["details"][0]["what"] == "event-appended"
    assert entries[1]["path"] == "tasks/tgv/2c.yaml"

    table = run("--root", str(repo.root), "--no-color", "log", "tgv/2c-moi")
    assert table.code == 0
    assert "Trần Thị Bích" in table.out and AUTHOR in table.out
    assert "event 1 appended: 2025-06-09 done complete — Báo cáo số 1/BC-BTC" in table.out


def test_log_of_a_deleted_task_and_unknown_ids(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    (repo.root / "tasks/tgv/2c.yaml").unlink()
    git.commit("Xóa")

    result = run("--root", str(repo.root), "--format", "json", "log", "tgv/2c")
    entries = json.loads(result.out)
    assert [e["change"] for e in entries] == ["removed", "added"]
    assert entries[0]["flags"][0]["rule"] == "task-removed"

    unknown = run("--root", str(repo.root), "log", "nothing-here")
    assert unknown.code == 2
    assert "no task with ID 'nothing-here'" in unknown.err


# --- --rev ------------------------------------------------------------------------------------


def test_rev_answers_from_an_old_revision(repo: Repo, git: Git, run: Callable[..., Result]) -> None:
    repo.task("tgv/2c", task_text(obligations=REPORT))
    git.commit("Nhập")
    repo.task(
        "tgv/2c", task_text(obligations=REPORT, progress=events(fulfils("2025-06-09", "report")))
    )
    git.commit("Đã báo cáo")
    repo.task("tgv/2c", task_text().replace("title: Ban", "title: ĐANG SỬA Ban"))  # on disk only

    old = run("--root", str(repo.root), "--format", "json", "due", "--rev", "HEAD~1")
    now = run("--root", str(repo.root), "--format", "json", "--rev", "HEAD", "due")

    assert old.code == 0, old.err
    assert [(r["task"], r["obligation"], r["status"]) for r in json.loads(old.out)] == [
        ("tgv/2c", "report", "due-soon")
    ]
    assert json.loads(now.out) == []
    shown = run("--root", str(repo.root), "--format", "json", "--rev", "HEAD~1", "show", "2c")
    assert json.loads(shown.out)["task"]["title"].startswith("Ban hành")
    assert run("--root", str(repo.root), "--rev", "HEAD~1", "check").code == 0
    late = run(
        "--root",
        str(repo.root),
        "--rev",
        "HEAD~1",
        "--as-of",
        "2025-06-20",
        "--format",
        "json",
        "overdue",
    )
    assert [r["status"] for r in json.loads(late.out)] == ["overdue"]


def test_rev_reports_broken_files_of_that_revision(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    repo.task("tgv/2c", task_text().replace("lead:", "leed:"))
    git.commit("Hỏng")
    repo.task("tgv/2c", task_text())
    result = run("--root", str(repo.root), "--rev", "HEAD", "check")
    assert result.code == 1
    assert "tasks/tgv/2c.yaml" in result.out and "unknown-key" in result.out


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("diff",), ("log", "2c"), ("--rev", "HEAD", "due")],
)
def test_outside_a_git_repository(
    repo: Repo, run: Callable[..., Result], args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # tmp folders may sit inside some repository: stop git's search at the data root's parent
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.root.parent))
    repo.task("tgv/2c", task_text())
    result = run("--root", str(repo.root), *args)
    assert result.code == 2
    assert "is not in a git repository" in result.err
    assert "Traceback" not in result.err + result.out


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "no-such-branch"),
        ("diff", "HEAD", "v9.9"),
        ("--rev", "nope~3", "summary"),
        ("log", "--rev", "nope", "2c"),
    ],
)
def test_unknown_revision(
    repo: Repo, git: Git, run: Callable[..., Result], args: tuple[str, ...]
) -> None:
    repo.task("tgv/2c", task_text())
    git.commit("Nhập")
    result = run("--root", str(repo.root), *args)
    assert result.code == 2
    assert "unknown revision" in result.err
    assert "Traceback" not in result.err + result.out


def test_too_many_revisions_and_rev_with_arguments(
    repo: Repo, git: Git, run: Callable[..., Result]
) -> None:
    git.commit("Nhập")
    assert run("--root", str(repo.root), "diff", "HEAD", "HEAD", "HEAD").code == 2
    assert run("--root", str(repo.root), "--rev", "HEAD", "diff", "HEAD").code == 2


def test_revision_without_registry(repo: Repo, git: Git, run: Callable[..., Result]) -> None:
    repo.task("tgv/2c", task_text())
    (repo.root / "agencies.yaml").rename(repo.root / "agencies.bak")
    git.commit("Không có danh mục")
    (repo.root / "agencies.bak").rename(repo.root / "agencies.yaml")
    result = run("--root", str(repo.root), "--rev", "HEAD", "due")
    assert result.code == 2
    assert "agencies.yaml does not exist at revision 'HEAD'" in result.err


# --- bounded processes ------------------------------------------------------------------------


def _count_git_processes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    real = subprocess.Popen

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
            calls.append(list(args))
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Spy)
    return calls


@pytest.mark.parametrize("count", [5, 50])
def test_reading_a_revision_uses_a_bounded_number_of_processes(
    repo: Repo, git: Git, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    from tbtrack.loading.dataset import load_dataset
    from tbtrack.review.gitio import Revision
    from tbtrack.review.history import diff_revisions

    for n in range(count):
        repo.task(f"tgv/t{n:02d}", task_text(section=f'"{n}"'))
    git.commit("Nhập")
    for n in range(0, count, 5):
        repo.task(
            f"tgv/t{n:02d}", task_text(section=f'"{n}"', progress=events(fulfils("2025-06-09")))
        )
    git.commit("Báo cáo")

    calls = _count_git_processes(monkeypatch)
    data = load_dataset(repo.root, Revision(repo.root, "HEAD~1"))
    assert len(data.tasks) == count
    assert len(calls) <= 4, calls  # rev-parse x2, ls-tree, cat-file: whatever the count

    calls.clear()
    result = diff_revisions(repo.root, ["HEAD~1", "HEAD"])
    assert len(result.changes) == count // 5
    assert len(calls) <= 8, calls
    assert sum(1 for c in calls if "cat-file" in c) == 2  # one per side


# --- the installed command --------------------------------------------------------------------


def _installed() -> str:
    found = Path(sys.executable).parent / "tbtrack"
    assert found.exists(), "tbtrack must be installed beside this Python (pip install -e .)"
    return str(found)


def test_installed_tbtrack_diff_markdown_and_log(repo: Repo, git: Git) -> None:
    repo.task("tgv/2c", task_text(obligations=TWO))
    git.commit("Nhập")
    repo.task("tgv/2c", task_text(obligations=TWO.replace("2025-07-01", "2025-08-15")))
    git.commit("Sửa hạn tại chỗ")
    env = {**os.environ, "TBTRACK_TODAY": "2025-06-10", "LANG": "C.UTF-8", "COLUMNS": "200"}

    diff = subprocess.run(
        [_installed(), "diff", "HEAD~1", "HEAD", "--format", "markdown", "--fail-on-flags"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 1, diff.stderr
    assert "**due-edited-in-place**" in diff.stdout
    assert "by 2025-07-01 → by 2025-08-15" in diff.stdout

    log = subprocess.run(
        [_installed(), "log", "2c"],
        cwd=repo.root / "tasks",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert log.returncode == 0, log.stderr
    assert AUTHOR in log.stdout and "due-edited-in-place" in log.stdout


def test_installed_tbtrack_unknown_revision_has_no_traceback(repo: Repo, git: Git) -> None:
    git.commit("Nhập")
    done = subprocess.run(
        [_installed(), "--root", str(repo.root), "diff", "does-not-exist"],
        env={**os.environ, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("tbtrack: error: unknown revision 'does-not-exist'")
    assert "Traceback" not in done.stderr


# --- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load(Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "tbtrack-check")
    assert hook["language"] == "python"
    assert hook["entry"] == "tbtrack check"
    assert hook["pass_filenames"] is False
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("tasks/tgv-2025-06-06/2c.yaml")
    assert pattern.search("agencies.yaml")
    assert not pattern.search("README.md")


def test_data_root_at_the_top_of_the_repository(repo: Repo, run: Callable[..., Result]) -> None:
    git = Git(repo.root)
    repo.task("tgv/2c", task_text(obligations=REPORT))
    git.commit("Nhập")
    repo.task(
        "tgv/2c", task_text(obligations=REPORT, progress=events(fulfils("2025-06-09", "report")))
    )
    git.commit("Đã báo cáo")

    _, changes = diff_json(run, repo, "HEAD~1")
    old = run("--root", str(repo.root), "--format", "json", "--rev", "HEAD~1", "due")
    log = run("--root", str(repo.root), "--format", "json", "log", "2c")

    assert [d["what"] for d in changes[0]["details"]] == ["event-appended"]
    assert len(json.loads(old.out)) == 1
    assert [e["change"] for e in json.loads(log.out)] == ["modified", "added"]


def test_hidden_and_stray_files_at_a_revision(repo: Repo, git: Git) -> None:
    from tbtrack.loading.dataset import load_dataset
    from tbtrack.review.gitio import Revision

    repo.task("tgv/2c", task_text())
    repo.write("tasks/tgv/notes.txt", "not a task\n")
    repo.write("tasks/.hidden/x.yaml", "ignored: true\n")
    git.commit("Nhập")

    data = load_dataset(repo.root, Revision(repo.root, "HEAD"))

    assert [t.id for t in data.tasks] == ["tgv/2c"]
    assert [d.path for d in data.diagnostics if d.rule == "not-a-task-file"] == [
        "tasks/tgv/notes.txt"
    ]
