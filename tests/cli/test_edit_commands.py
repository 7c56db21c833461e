"""The editing commands as a user runs them: empty values are usage errors, nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from helpers import Repo, Result, task_text

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
