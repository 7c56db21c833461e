"""`tbtrack init` and `tbtrack new`: files that `tbtrack check` accepts, and their refusals."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text
from tbtrack.editing import writer

Run = Callable[..., Result]

NEW = (
    "--notice",
    "Thông báo kết luận cuộc họp ngày 06/6/2025",
    "--date",
    "6/6/2025",
    "--section",
    "2.10",
    "--title",
    "Ban hành bảng danh mục và mã số các đơn vị hành chính",
)


def _root(repo: Repo) -> tuple[str, str]:
    return "--root", str(repo.root)


# --- init ----------------------------------------------------------------------------------


def test_init_makes_a_data_root_that_check_accepts(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "repo"
    result = run("init", str(target))
    assert result.code == 0, result.err
    shipped = (files("tbtrack") / "data" / "agencies.yaml").read_bytes()
    assert (target / "agencies.yaml").read_bytes() == shipped
    assert (target / "tasks").is_dir() and (target / "tasks" / ".gitkeep").is_file()
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".tbtrack/" in ignored
    assert ".*.tmp" in ignored  # what a write cut short by a crash leaves
    assert run("--root", str(target), "check").code == 0


def test_init_writes_a_pre_commit_hook_running_check(tmp_path: Path, run: Run) -> None:
    import re

    from tbtrack.files.yamlread import decode, load

    assert run("init", str(tmp_path)).code == 0
    config, _ = load(decode((tmp_path / ".pre-commit-config.yaml").read_bytes()))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook["entry"] == "tbtrack check"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("tasks/tgv-2025-06-06/2c.yaml")
    assert pattern.search("agencies.yaml")
    assert not pattern.search("README.md")
    assert not pattern.search("tasks/x.yml")


def test_init_in_the_current_folder(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").code == 0
    assert (tmp_path / "agencies.yaml").is_file()
    assert run("new", "a/b", *NEW, "--lead", "Bộ Tài chính", "--undated").code == 0
    assert run("check").code == 0


def test_init_refuses_an_existing_registry(tmp_path: Path, run: Run) -> None:
    (tmp_path / "agencies.yaml").write_text("agencies: []\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.code == 1 and "already exists" in result.err
    assert (tmp_path / "agencies.yaml").read_text(encoding="utf-8") == "agencies: []\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agencies.yaml"]


def test_init_keeps_what_is_there(tmp_path: Path, run: Run) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc", encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.code == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n.tbtrack/\n.*.tmp\n"
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"
    assert "not changed" in result.err
    assert run("init", str(tmp_path / "other")).code == 0
    # a second init elsewhere with .tbtrack/ ignored already adds nothing to .gitignore
    (tmp_path / "third").mkdir()
    (tmp_path / "third" / ".gitignore").write_text(".tbtrack/\n", encoding="utf-8")
    assert run("init", str(tmp_path / "third")).code == 0
    assert (tmp_path / "third" / ".gitignore").read_text(encoding="utf-8") == ".tbtrack/\n"


def test_init_dry_run_writes_nothing(tmp_path: Path, run: Run) -> None:
    result = run("init", str(tmp_path / "repo"), "--dry-run")
    assert result.code == 0
    assert "would be created agencies.yaml" in result.out
    assert not (tmp_path / "repo").exists()
    assert "would run `git init`" in result.err or "git is not installed" in result.err


def test_init_makes_a_git_repository_so_the_first_diff_works(tmp_path: Path, run: Run) -> None:
    import subprocess

    target = tmp_path / "repo"
    result = run("init", str(target))
    assert result.code == 0, result.err
    assert f"made {target} a git repository (git init)" in result.err
    assert (target / ".git").is_dir()
    subprocess.run(["git", "-C", str(target), "add", "-A"], check=True)
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a"}
    subprocess.run(
        ["git", "-C", str(target), "commit", "-qm", "init"],
        check=True,
        env={**env, "GIT_COMMITTER_EMAIL": "a@b", "PATH": "/usr/bin:/bin"},
    )
    assert run("--root", str(target), "diff").code == 0
    # a folder inside a repository is left to it
    inner = run("init", str(target / "inner"))
    assert "is in a git repository already" in inner.err
    assert not (target / "inner" / ".git").exists()


def test_init_without_git_says_so_and_writes_the_files(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    target = tmp_path / "repo"
    result = run("init", str(target))
    assert result.code == 0, result.err
    assert "git is not installed" in result.err and "run `git init` there" in result.err
    assert (target / "agencies.yaml").is_file() and not (target / ".git").exists()


# --- new -----------------------------------------------------------------------------------


def test_new_writes_a_task_that_check_accepts(repo: Repo, run: Run) -> None:
    text = " ".join(["Bộ Tài chính nghiên cứu, xây dựng, trình Thủ tướng Chính phủ ban hành"] * 3)
    result = run(
        *_root(repo),
        "new",
        "tgv-2025-06-06/2c",
        *NEW,
        "--number",
        "47-TB/TGV",
        "--text",
        text,
        "--lead",
        "BTC",
        "--lead",
        "Các bộ, ngành",
        "--support",
        "Bộ Nội vụ",
        "--report-to",
        "Thường trực Ban Chỉ đạo",
        "--tag",
        "dich-vu-cong",
        "--tag",
        "danh-muc",
        "--obligation-id",
        "report",
        "--kind",
        "report",
        "--before",
        "15/6/2025",
        "--as-written",
        "trước ngày 15/6/2025",
    )
    assert result.code == 0, result.err
    path = repo.root / "tasks" / "tgv-2025-06-06" / "2c.yaml"
    written = path.read_text(encoding="utf-8")
    assert written.startswith(
        # two folders up (tasks/tgv-2025-06-06/) is the data root, where init put the schema
        "# yaml-language-server: $schema=../../.tbtrack-schemas/task.schema.json\n"
        "source:\n"
        "  notice: Thông báo kết luận cuộc họp ngày 06/6/2025\n"
        "  number: 47-TB/TGV\n"
        "  date: 2025-06-06\n"
        '  section: "2.10"\n'
        "title: Ban hành bảng danh mục và mã số các đơn vị hành chính\n"
        "text: >-\n"
    )
    assert written.endswith(
        "lead:\n"
        "  - Bộ Tài chính\n"
        "  - Các bộ, cơ quan ngang bộ\n"
        "support:\n"
        "  - Bộ Nội vụ\n"
        "report_to: Thường trực Ban Chỉ đạo\n"
        "tags: [dich-vu-cong, danh-muc]\n"
        "state: active\n"
        "obligations:\n"
        "  - id: report\n"
        "    kind: report\n"
        "    before: 2025-06-15\n"
        "    as_written: trước ngày 15/6/2025\n"
        "progress: []\n"
    )
    assert max(len(line) for line in written.splitlines()[7:10]) <= 90  # text folded
    from tbtrack.files.yamlread import decode, load

    assert load(decode(path.read_bytes()))[0]["text"] == text
    assert '+  section: "2.10"' in result.out
    assert run(*_root(repo), "check").code == 0
    # and it is ready for the first event
    assert run(*_root(repo), "done", "2c", "--on", "2025-06-12", "--all-members").code == 0
    assert run(*_root(repo), "check").code == 0


@pytest.mark.parametrize(
    "form",
    [
        ["--by", "2025-07-01"],
        ["--within", "2025-Q3"],
        ["--within", "2025"],
        ["--within", "2025-07"],
        ["--every", "monthly"],
        ["--every", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29", "--start", "2027-01-01"],
        ["--ongoing"],
        ["--undated"],
    ],
)
def test_new_with_each_due_form(repo: Repo, run: Run, form: list[str]) -> None:
    result = run(*_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", *form)
    assert result.code == 0, result.err
    assert run(*_root(repo), "check").code == 0
    written = (repo.root / "tasks" / "n" / "x.yaml").read_text(encoding="utf-8")
    assert f"    {form[0].lstrip('-')}: " in written


def test_new_normalises_nfd_input(repo: Repo, run: Run) -> None:
    nfd = unicodedata.normalize("NFD", "Báo cáo tình hình")
    result = run(
        *_root(repo),
        "new",
        "n/x",
        *NEW[:6],
        "--title",
        nfd,
        "--lead",
        unicodedata.normalize("NFD", "Bộ Tài chính"),
        "--undated",
    )
    assert result.code == 0
    written = (repo.root / "tasks" / "n" / "x.yaml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", written)
    assert "not-nfc" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lead", "Bộ Không Có", "--undated"], "unknown agency"),
        (["--lead", "Bộ Tài chính", "--support", "Bộ Khong Co Thuc", "--ongoing"], "--support"),
        (["--lead", "Bộ Tài chính", "--by", "2025-07-01", "--undated"], "exactly one due form"),
        (["--lead", "Bộ Tài chính"], "exactly one due form"),
        (["--lead", "Bộ Tài chính", "--undated", "--kind", "task"], "--kind"),
        (["--lead", "Bộ Tài chính", "--by", "31/6/2025"], "--by"),
        (["--lead", "Bộ Tài chính", "--undated", "--start", "2025-01-01"], "--every"),
        (["--undated"], "--lead"),
    ],
)
def test_new_usage_errors(repo: Repo, run: Run, args: list[str], message: str) -> None:
    result = run(*_root(repo), "new", "n/x", *NEW, *args)
    assert result.code == 2, result
    assert message in result.err
    assert not (repo.root / "tasks" / "n").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--every", "FREQ=SOMETIMES"], "every"),
        (["--within", "2025-Q5"], "within"),
        (["--obligation-id", "Bad_Id", "--undated"], "obligation id"),
        (["--every", "monthly", "--start", "2025-02-01", "--until", "2025-01-01"], "until"),
    ],
)
def test_new_that_check_would_reject_is_refused(
    repo: Repo, run: Run, args: list[str], message: str
) -> None:
    result = run(*_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", *args)
    assert result.code == 1, result
    assert message in result.err and "nothing written" in result.err
    assert not (repo.root / "tasks" / "n" / "x.yaml").exists()


def test_new_refuses_an_existing_id(repo: Repo, run: Run) -> None:
    path = repo.task("n/x", task_text())
    before = path.read_bytes()
    result = run(*_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", "--undated")
    assert result.code == 1 and "already exists" in result.err
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "bad", ["../x", "../../outside", "/tmp/x", "n/../../x", "Upper/x", "n//x", ".hidden", "n/.x"]
)
def test_new_refuses_an_id_that_escapes_or_breaks_the_rules(
    repo: Repo, run: Run, bad: str, tmp_path: Path
) -> None:
    result = run(*_root(repo), "new", bad, *NEW, "--lead", "Bộ Tài chính", "--undated")
    assert result.code == 2 and "bad task ID" in result.err
    assert [p for p in tmp_path.rglob("*.yaml") if p.name != "agencies.yaml"] == []


def test_new_refuses_a_symlinked_folder(repo: Repo, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.root / "tasks" / "n").symlink_to(outside, target_is_directory=True)
    result = run(*_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", "--undated")
    assert result.code == 1 and "symbolic link" in result.err
    assert list(outside.iterdir()) == []


def test_new_never_overwrites_a_file_that_appears_meanwhile(
    repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def other_editor(target: Path) -> None:
        target.write_text("# someone else's\n", encoding="utf-8")

    monkeypatch.setattr(writer, "_before_replace", other_editor)
    result = run(*_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", "--undated")
    assert result.code == 1 and "appeared" in result.err
    path = repo.root / "tasks" / "n" / "x.yaml"
    assert path.read_text(encoding="utf-8") == "# someone else's\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.yaml"]


def test_new_dry_run_writes_nothing(repo: Repo, run: Run) -> None:
    result = run(
        *_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", "--undated", "--dry-run"
    )
    assert result.code == 0
    assert result.out.startswith("--- /dev/null\n+++ b/tasks/n/x.yaml\n")
    assert not (repo.root / "tasks" / "n").exists()


def test_new_file_mode_follows_the_umask(repo: Repo, run: Run) -> None:
    import os
    import stat

    old = os.umask(0o027)
    try:
        assert (
            run(*_root(repo), "new", "n/x", *NEW, "--lead", "Bộ Tài chính", "--undated").code == 0
        )
    finally:
        os.umask(old)
    mode = stat.S_IMODE((repo.root / "tasks" / "n" / "x.yaml").stat().st_mode)
    assert mode == 0o640
