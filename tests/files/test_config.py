"""Tests for tbtrack.files.config: the settings of tbtrack.toml, and their limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text
from tbtrack.errors import UsageError
from tbtrack.files.config import MAX_WITHIN_DAYS, Config, load_config


def write(root: Path, text: str) -> None:
    (root / "tbtrack.toml").write_text(text, encoding="utf-8")


def test_no_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_every_setting_is_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        "within = 14\nlang = 'en'\nworkdays = true\n"
        "holidays = [2025-09-01, 2025-09-02]\nworkdays_extra = [2025-08-30]\n",
    )
    assert load_config(tmp_path) == Config(
        within=14,
        lang="en",
        workdays=True,
        holidays=(dt.date(2025, 9, 1), dt.date(2025, 9, 2)),
        workdays_extra=(dt.date(2025, 8, 30),),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("within = 100000000\n", "within is at most 36,500 days, not 100,000,000"),
        ("within = -1\n", "within must be a whole number of days"),
        ("within = true\n", "within must be a whole number of days"),
        ("holidays = [9999-12-31]\n", "holidays: 9999-12-31 is out of range"),
        ("workdays_extra = [0001-01-01]\n", "workdays_extra: 0001-01-01 is out of range"),
        ("holidays = ['2025-09-01']\n", "holidays must be a list of dates"),
        ("lang = 'fr'\n", "lang must be 'vi' or 'en'"),
        ("colour = 1\n", "unknown setting(s) colour"),
    ],
)
def test_a_bad_setting_is_a_usage_error_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'tbtrack.toml'}: error: {message}")
    assert str(caught.value).endswith("[config]")


def test_the_longest_window_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, f"within = {MAX_WITHIN_DAYS}\n")
    assert load_config(tmp_path).within == MAX_WITHIN_DAYS


def test_a_huge_window_in_the_file_is_exit_2_not_a_crash(
    run: Callable[..., Result], repo: Repo
) -> None:
    repo.task("tb/x", task_text())
    write(repo.root, "within = 100000000\n")
    result = run("--root", str(repo.root), "due")
    assert result.code == 2
    assert "within is at most 36,500 days" in result.err
    assert "Traceback" not in result.err
