"""Tests for tbtrack.files.diagnostics: one located line per problem, whatever the file said."""

from __future__ import annotations

from collections.abc import Callable

from helpers import Repo, Result, task_text
from tbtrack.files.diagnostics import Diagnostic


def test_a_diagnostic_renders_on_one_line_with_control_characters_escaped() -> None:
    found = Diagnostic("tasks/a.yaml", 3, 7, "error", "'a\nb\u2028c\x1b' is bad", "type", "x\ty")
    assert found.render() == "tasks/a.yaml:3:7: error: 'a\\nb\\u2028c\\x1b' is bad (x\\ty) [type]"
    assert found.as_json()["message"] == "'a\nb\u2028c\x1b' is bad"  # JSON escapes on its own


def test_vietnamese_text_is_not_escaped() -> None:
    found = Diagnostic("tasks/a.yaml", 1, 1, "warning", "'Bộ Tài chính' x\u0301", "r")
    assert found.render() == "tasks/a.yaml:1:1: warning: 'Bộ Tài chính' x\u0301 [r]"


def test_a_value_with_a_line_break_is_quoted_on_one_line(
    run: Callable[..., Result], repo: Repo
) -> None:
    repo.task("tb/x", task_text(lead='["Bộ Tài\\u2028chínhz\\nq"]'))
    result = run("--root", str(repo.root), "check", "--no-cache")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines and all(line.startswith("tasks/tb/x.yaml:") for line in lines), lines
    assert "'Bộ Tài\\u2028chínhz\\nq'" in result.out
