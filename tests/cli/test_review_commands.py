"""`diff` and `log` as a user runs them, in every format (CSV and Markdown of `log` included)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, git, record_calls, task_text

Run = Callable[..., Result]


@pytest.fixture
def history(repo: Repo) -> Repo:
    git(repo.root, "init", "-q")
    repo.task("tb/x", task_text())
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "Thêm nhiệm vụ x")
    repo.task("tb/x", task_text(progress="\n  - on: 2025-06-09\n    fulfils: complete\n"))
    git(repo.root, "commit", "-qam", "Ghi nhận *hoàn thành*")
    return repo


def test_log_as_csv(run: Run, history: Repo) -> None:
    result = run("--root", str(history.root), "--format", "csv", "log", "x")
    assert result.code == 0, result.err
    records = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["subject"], r["change"], r["task"]) for r in records] == [
        ("Ghi nhận *hoàn thành*", "modified", "tb/x"),
        ("Thêm nhiệm vụ x", "added", "tb/x"),
    ]
    assert records[0]["details"] == "event 1 appended: 2025-06-09 done complete"
    assert list(records[0]) == [
        "commit",
        "author",
        "email",
        "date",
        "subject",
        "task",
        "path",
        "change",
        "from_path",
        "title",
        "details",
        "flags",
    ]


def test_log_as_markdown(run: Run, history: Repo) -> None:
    result = run("--root", str(history.root), "--format", "markdown", "log", "x")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "### tbtrack log: `tb/x`"
    subjects = [line.split(" ", 2)[2] for line in lines if line.startswith("#### ")]
    assert subjects == ["Ghi nhận \\*hoàn thành\\*", "Thêm nhiệm vụ x"]
    assert "- event 1 appended: 2025-06-09 done complete" in lines


def test_diff_in_every_format(run: Run, history: Repo) -> None:
    history.task("tb/x", task_text(progress="[]"))
    root = str(history.root)
    table = run("--root", root, "--no-color", "diff")
    assert table.code == 0
    assert table.out.splitlines()[0] == "HEAD → working tree"
    assert (
        json.loads(run("--root", root, "--format", "json", "diff").out)[0]["change"] == "modified"
    )
    assert run("--root", root, "--format", "csv", "diff").out.splitlines()[0] == (
        "task,path,change,from_path,title,details,flags"
    )
    markdown = run("--root", root, "--format", "markdown", "diff").out
    assert markdown.startswith("### tbtrack diff: `HEAD` → `working tree`\n")
    assert "#### `tb/x` — modified" in markdown


def test_log_parses_each_version_once_and_answers_alike(
    run: Run, history: Repo, user_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tbtrack.files import schema

    off = run("--root", str(history.root), "--no-cache", "--format", "json", "log", "x")
    assert off.code == 0, off.err
    assert not list(user_cache.rglob("versions.cache"))  # --no-cache keeps nothing
    parsed = record_calls(monkeypatch, schema, "validate", 1)
    first = run("--root", str(history.root), "--format", "json", "log", "x")
    assert len(parsed) == 2  # the task's two versions
    assert list(user_cache.rglob("versions.cache"))
    again = run("--root", str(history.root), "--format", "json", "log", "x")
    assert len(parsed) == 2  # nothing parsed again
    assert json.loads(first.out) == json.loads(again.out) == json.loads(off.out)
    assert [e["change"] for e in json.loads(again.out)] == ["modified", "added"]
