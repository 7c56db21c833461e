"""The session of a command: the day it computes as of, the due-soon window and their limits."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from helpers import Repo, Result, task_text

Run = Callable[..., Result]


@pytest.fixture
def one(repo: Repo) -> Repo:
    repo.task("tb/x", task_text(obligations="  - id: o\n    by: 2025-06-12\n"))
    return repo


def test_bad_tbtrack_today(run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TBTRACK_TODAY", "31/6/2025")
    result = run("--root", str(repo.root), "due")
    assert result.code == 2
    assert "TBTRACK_TODAY" in result.err
    assert result.err.count("\n") == 1


@pytest.mark.parametrize("value", ["2025-06-10", "10/6/2025", "10.06.2025"])
def test_tbtrack_today_takes_the_forms_of_as_of(
    run: Run, one: Repo, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TBTRACK_TODAY", value)
    by_env = run("--root", str(one.root), "--format", "json", "due")
    monkeypatch.delenv("TBTRACK_TODAY")
    by_option = run("--root", str(one.root), "--format", "json", "--as-of", "2025-06-10", "due")
    assert by_env.code == by_option.code == 0
    assert by_env.out == by_option.out
    assert [r["days_left"] for r in json.loads(by_env.out)] == [2]


def test_relative_tbtrack_today(run: Run, one: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TBTRACK_TODAY", "today")
    assert run("--root", str(one.root), "due").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--as-of", "9999-12-31", "due"],
            "--as-of: 9999-12-31 is not a day between 1900 and 2200",
        ),
        (
            ["--as-of", "0001-01-01", "due"],
            "--as-of: 0001-01-01 is not a day between 1900 and 2200",
        ),
        (["--as-of", "+999999y", "overdue"], "--as-of: '+999999y': that is outside the calendar"),
        (["--within", "100000000", "due"], "100000000 is not in the range 0<=x<=36500"),
    ],
)
def test_days_out_of_range_are_usage_errors(
    run: Run, one: Repo, args: list[str], message: str
) -> None:
    result = run("--root", str(one.root), *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


def test_tbtrack_today_out_of_range(run: Run, one: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TBTRACK_TODAY", "9999-12-31")
    result = run("--root", str(one.root), "due")
    assert (result.code, result.err) == (
        2,
        "tbtrack: error: TBTRACK_TODAY: 9999-12-31 is not a day between 1900 and 2200\n",
    )


def test_window_out_of_range_in_the_config(run: Run, one: Repo) -> None:
    (one.root / "tbtrack.toml").write_text("within = 100000000\n", encoding="utf-8")
    result = run("--root", str(one.root), "due")
    assert result.code == 2
    assert result.err == (
        f"tbtrack: error: {one.root / 'tbtrack.toml'}: error: within is at most 36,500 days, "
        "not 100,000,000 [config]\n"
    )


def test_the_largest_window_and_last_day_compute(run: Run, one: Repo) -> None:
    result = run("--root", str(one.root), "--as-of", "2200-12-31", "--within", "36500", "due")
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--as-of", "", "due"], "--as-of"),
        (["due", "--before", ""], "--before"),
        (["due", "--after", " "], "--after"),
        (["recurring", "--from", ""], "--from"),
        (["due", "--agency", ""], "--agency"),
        (["due", "--notice", ""], "--notice"),
    ],
)
def test_empty_option_values_are_usage_errors(
    run: Run, one: Repo, args: list[str], option: str
) -> None:
    result = run("--root", str(one.root), *args)
    assert result.code == 2
    assert result.err.startswith(f"tbtrack: error: {option}: ")
    assert result.out == ""
