"""Reading a data root through git, directly: revisions, trees, the working tree, a file's log."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import REGISTRY, git
from tbtrack.errors import GitError
from tbtrack.review.gitio import Repo


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data root `data/` one level below the repository's top, with one commit."""
    git(tmp_path, "init", "-q", "-b", "main")
    root = tmp_path / "data"
    (root / "tasks" / "n").mkdir(parents=True)
    (root / "agencies.yaml").write_text(REGISTRY, encoding="utf-8")
    (root / "tasks" / "n" / "a.yaml").write_text("first\n", encoding="utf-8")
    (root / "tasks" / "n" / "readme.txt").write_text("not a task\n", encoding="utf-8")
    (root / "tasks" / ".hidden.yaml").write_text("never read\n", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text("outside the data root\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Thêm nhiệm vụ")
    return root


def test_a_repository_seen_from_a_data_root_below_its_top(data: Path) -> None:
    repo = Repo.at(data)
    assert (repo.top.resolve(), repo.prefix) == (data.parent.resolve(), "data/")
    assert repo.has_commits()


def test_a_folder_outside_git_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="is not in a git repository"):
        Repo.at(tmp_path)


@pytest.mark.parametrize("rev", ["", "-x", "--output=/tmp/x", "a\nb", "nope"])
def test_revisions_that_are_options_or_unknown_are_refused(data: Path, rev: str) -> None:
    with pytest.raises(GitError):
        Repo.at(data).resolve(rev)


def test_tree_and_worktree(data: Path) -> None:
    repo = Repo.at(data)
    head = repo.tree("HEAD")
    assert head.commit == repo.resolve("HEAD")
    assert sorted(head.files) == ["agencies.yaml", "tasks/n/a.yaml"]
    assert head.tasks == {"tasks/n/a.yaml": b"first\n"}
    assert head.registry == REGISTRY.encode()
    assert head.strays == ["tasks/n/readme.txt"]
    (data / "tasks" / "n" / "a.yaml").write_text("second\n", encoding="utf-8")
    (data / "tasks" / "n" / "b.yaml").write_text("new\n", encoding="utf-8")  # untracked
    work = repo.worktree()
    assert work.commit is None
    assert work.tasks == {"tasks/n/a.yaml": b"second\n", "tasks/n/b.yaml": b"new\n"}
    assert repo.task_paths("HEAD") == ["tasks/n/a.yaml"]


def test_cat_reads_many_objects_in_one_process(data: Path) -> None:
    repo = Repo.at(data)
    found = repo.cat(["HEAD:data/tasks/n/a.yaml", "HEAD:data/missing.yaml"])
    assert found == {"HEAD:data/tasks/n/a.yaml": b"first\n"}
    with pytest.raises(GitError):
        repo.cat(["a\nb"])


def test_log_follows_a_rename(data: Path) -> None:
    top = data.parent
    (data / "tasks" / "n" / "a.yaml").write_text("first\nmore\n", encoding="utf-8")
    git(top, "commit", "-q", "-am", "Cập nhật")
    git(top, "mv", "data/tasks/n/a.yaml", "data/tasks/n/b.yaml")
    git(top, "commit", "-q", "-m", "Đổi tên")
    commits = Repo.at(data).log("tasks/n/b.yaml")
    assert [c.subject for c in commits] == ["Đổi tên", "Cập nhật", "Thêm nhiệm vụ"]
    assert [(c.path, c.from_path) for c in commits] == [
        ("tasks/n/b.yaml", "tasks/n/a.yaml"),
        ("tasks/n/a.yaml", "tasks/n/a.yaml"),
        ("tasks/n/a.yaml", None),
    ]
    assert commits[0].author == "Nguyễn Văn A"
