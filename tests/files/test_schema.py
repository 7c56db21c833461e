"""Tests for tbtrack.files.schema: the date limits of the format, seen through `check`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from helpers import Repo, Result, task_text
from tbtrack.files import records, schema

Run = Callable[..., Result]


def diagnostics_of(run: Run, repo: Repo) -> tuple[int, list[tuple[int, int, str, str]]]:
    result = run("--root", str(repo.root), "--format", "json", "check", "--no-cache")
    assert "Traceback" not in result.err
    found = json.loads(result.out)
    return result.code, [(d["line"], d["col"], d["rule"], d["message"]) for d in found]


@pytest.mark.parametrize(
    ("obligation", "message"),
    [
        ("before: 0001-01-01", "0001-01-01 is out of range"),
        ("by: 1899-12-31", "1899-12-31 is out of range"),
        ("by: 2201-01-01", "2201-01-01 is out of range"),
        ("by: 9999-12-31", "9999-12-31 is out of range"),
        ('by: "0001-01-01"', "0001-01-01 is out of range"),
    ],
)
def test_a_date_outside_1900_to_2200_is_a_located_error(
    run: Run, repo: Repo, obligation: str, message: str
) -> None:
    repo.task("tb/x", task_text(obligations=f"  - id: complete\n    {obligation}\n"))
    code, found = diagnostics_of(run, repo)
    assert code == 1
    assert found == [
        (
            10,
            9 if obligation.startswith("by") else 13,
            "date",
            f"{message}: dates are from 1900-01-01 to 2200-12-31",
        )
    ]


def test_the_first_and_last_days_of_the_range_are_dates(run: Run, repo: Repo) -> None:
    repo.task(
        "tb/x",
        task_text(obligations="  - id: a\n    by: 1900-01-01\n  - id: b\n    by: 2200-12-31\n"),
    )
    assert diagnostics_of(run, repo) == (0, [])


def test_dates_of_the_source_and_of_events_are_bounded_too(run: Run, repo: Repo) -> None:
    text = task_text(progress="\n  - on: 2300-01-01\n    note: x").replace(
        "date: 2025-06-06", "date: 1066-10-14"
    )
    repo.task("tb/x", text)
    code, found = diagnostics_of(run, repo)
    assert code == 1
    assert [(line, rule) for line, _, rule, _ in found] == [(4, "date"), (12, "date")]
    assert [message.split(" ")[0] for *_, message in found] == ["1066-10-14", "2300-01-01"]


@pytest.mark.parametrize("within", ["9999", "1899-Q1", "2201-07", "0001"])
def test_a_within_period_outside_the_years_is_an_error(run: Run, repo: Repo, within: str) -> None:
    repo.task("tb/x", task_text(obligations=f"  - id: complete\n    within: {within!r}\n"))
    code, found = diagnostics_of(run, repo)
    assert code == 1
    assert [(line, rule) for line, _, rule, _ in found] == [(10, "within")]
    assert "years are 1900 to 2200" in found[0][3]


def test_a_daily_rule_from_year_one_is_an_error_in_bounded_time(run: Run, repo: Repo) -> None:
    repo.task(
        "tb/x",
        task_text(obligations="  - id: r\n    every: FREQ=DAILY\n    start: 0001-01-01\n"),
    )
    code, found = diagnostics_of(run, repo)
    assert code == 1
    assert [(line, col, rule) for line, col, rule, _ in found] == [(11, 12, "date")]
    due = run("--root", str(repo.root), "--format", "json", "due", "--no-cache")
    assert due.code == 1
    assert "tasks/tb/x.yaml:11:12: error: 0001-01-01 is out of range" in due.err


@pytest.mark.parametrize(
    ("start", "accepted"),
    [("2024-01-01", True), ("2023-12-31", False), ("2020-06-01", False), ("2030-01-01", True)],
)
def test_a_recurring_start_is_at_most_a_year_before_the_notice(
    run: Run, repo: Repo, start: str, accepted: bool
) -> None:
    repo.task(
        "tb/x",
        task_text(obligations=f"  - id: r\n    every: monthly\n    start: {start}\n"),
    )
    code, found = diagnostics_of(run, repo)
    if accepted:
        assert (code, found) == (0, [])
    else:
        assert code == 1
        assert found == [
            (
                11,
                12,
                "date",
                f"start {start} is long before the notice's date (2025-06-06); "
                "a recurring obligation starts on 2024-01-01 or later",
            )
        ]


def test_the_start_bound_needs_a_valid_notice_date() -> None:
    # an obligation validated on its own has no notice to compare with: only the calendar
    obligation = schema.validate(
        records.Obligation, {"id": "r", "every": "monthly", "start": dt.date(1950, 1, 1)}
    )
    assert obligation.start == dt.date(1950, 1, 1)
    with pytest.raises(ValidationError):
        schema.validate(
            records.Obligation, {"id": "r", "every": "monthly", "start": dt.date(1850, 1, 1)}
        )
    assert schema.earliest_start(dt.date(2025, 6, 6)) == dt.date(2024, 1, 1)


def test_a_pydantic_plugin_installed_beside_tbtrack_runs_no_code(
    repo: Repo, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    # a package that registers a pydantic plugin, as any installed beside tbtrack could
    site = tmp_path / "site"
    info = site / "eavesdrop-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: eavesdrop\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\neavesdrop = eavesdrop:plugin\n")
    marker = tmp_path / "ran"
    (site / "eavesdrop.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "class Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = Plugin()\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), *sys.path]))
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    repo.task("tb/a", task_text())
    args = ["--root", str(repo.root), "check", "--no-cache"]
    checked = subprocess.run(
        [sys.executable, "-m", "tbtrack", *args], capture_output=True, text=True, env=env
    )
    assert checked.returncode == 0, checked.stderr
    assert "0 error(s)" in checked.stderr
    assert not marker.exists()
    # the plugin is found and run by pydantic itself
    model = "import pydantic\nclass M(pydantic.BaseModel):\n    x: int\n"
    subprocess.run([sys.executable, "-c", model], check=True, env=env, capture_output=True)
    assert marker.exists()
