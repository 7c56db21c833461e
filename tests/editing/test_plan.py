"""Planning: events at their date's place, a whole task cancelled on a day, IDs a file system
cannot hold, new tasks with the importer's extras."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from helpers import Repo, Result, record_calls, task_text
from tbtrack.editing.plan import plan_new
from tbtrack.editing.render import NewObligation, NewTask
from tbtrack.errors import WriteRefused
from tbtrack.files.yamlread import decode, load

Run = Callable[..., Result]

TWO = (
    "  - id: complete\n    by: 2025-07-01\n"
    "  - id: report\n    kind: report\n    before: 2025-08-15\n"
)
LATER = "\n  - on: 2025-08-03\n    fulfils: report\n    evidence: BC 2\n"


def _root(repo: Repo) -> tuple[str, str]:
    return "--root", str(repo.root)


def test_an_older_report_is_inserted_at_its_date(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(obligations=TWO, progress=LATER))
    result = run(*_root(repo), "done", "n/a", "complete", "--on", "2025-07-30")
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8") == task_text(
        obligations=TWO,
        progress="\n  - on: 2025-07-30\n    fulfils: complete\n" + LATER.removeprefix("\n"),
    )
    assert run(*_root(repo), "--as-of", "2025-08-10", "check").code == 0


def test_an_event_of_the_same_day_goes_after_that_days_events(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(obligations=TWO, progress=LATER))
    assert (
        run(
            *_root(repo),
            "--as-of",
            "2025-08-10",
            "extend",
            "n/a",
            "complete",
            "--on",
            "2025-08-03",
            "--to",
            "2025-09-01",
            "--evidence",
            "CV 9",
        ).code
        == 0
    )
    events = load(decode(path.read_bytes()))[0]["progress"]
    assert [(e["on"], next(iter(e.keys() - {"on", "evidence", "to"}))) for e in events] == [
        (dt.date(2025, 8, 3), "fulfils"),
        (dt.date(2025, 8, 3), "extends"),
    ]


def test_cancel_with_on_records_the_day_and_a_dry_run_shows_it(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text())
    dry = run(*_root(repo), "cancel", "n/a", "--reason", "TB 10", "--on", "2025-06-08", "--dry-run")
    assert dry.code == 0
    assert "+state_on: 2025-06-08\n" in dry.out
    assert "cancelled the task on 2025-06-08" in dry.err
    assert run(*_root(repo), "cancel", "n/a", "--reason", "TB 10", "--on", "2025-06-08").code == 0
    value = load(decode(path.read_bytes()))[0]
    assert (value["state"], value["state_reason"], value["state_on"]) == (
        "cancelled",
        "TB 10",
        dt.date(2025, 6, 8),
    )
    assert run(*_root(repo), "check").code == 0


def test_a_file_cancelled_without_a_day_does_not_pass_check(repo: Repo, run: Run) -> None:
    repo.task("n/a", task_text(extra="state: cancelled\nstate_reason: TB 10\n"))
    result = run(*_root(repo), "check")
    assert result.code == 1 and "state_on is required when state is cancelled" in result.out


NEW = ["--notice", "N", "--date", "2025-06-06", "--section", "1", "--title", "T"]


@pytest.mark.parametrize(
    "command", [["done"], ["new", *NEW, "--lead", "Bộ Tài chính", "--undated"]]
)
def test_an_id_too_long_for_a_file_name_is_a_usage_error(
    repo: Repo, run: Run, command: list[str]
) -> None:
    long = "n/" + "a" * 300
    result = run(*_root(repo), command[0], long, *command[1:])
    assert result.code == 2, result
    assert "a file name has at most 255 bytes" in result.err
    assert "File name too long" not in result.err and "Traceback" not in result.err


def test_plan_new_writes_what_an_importer_drafts(repo: Repo) -> None:
    spec = NewTask(
        notice="Thông báo 1",
        date=dt.date(2025, 6, 6),
        section="1",
        title="Nhiệm vụ",
        lead=["BTC"],
        due_form="by",
        due_value=dt.date(2025, 7, 1),
        more_obligations=[
            NewObligation("report", "report", "within", "2025-Q3", to="VPCP", who=["Bộ TC"])
        ],
        notes="Sở X: không có trong danh mục",
        review=[(("obligations", 1, "within"), "thời hạn lấy từ tiêu đề mục")],
    )
    change = plan_new(repo.root, "n/imp", spec, dt.date(2025, 6, 10))
    text = change.new.decode()
    assert "  - id: report\n    kind: report\n    # review: thời hạn lấy từ tiêu đề mục\n" in text
    value = load(text)[0]
    # names as the registry writes them
    assert value["lead"] == ["Bộ Tài chính"]
    assert value["obligations"][1]["to"] == "Văn phòng Chính phủ"
    assert value["obligations"][1]["who"] == ["Bộ Tài chính"]
    assert not change.warnings


def test_plan_new_refuses_what_check_rejects(repo: Repo) -> None:
    spec = NewTask(
        notice="N",
        date=dt.date(2025, 6, 6),
        section="1",
        title="T",
        lead=["Bộ Tài chính"],
        due_form="by",
        due_value=dt.date(2025, 7, 1),
        more_obligations=[NewObligation("complete", "report", "undated", True)],
    )
    with pytest.raises(WriteRefused, match="would not pass `tbtrack check`") as refused:
        plan_new(repo.root, "n/dup", spec, dt.date(2025, 6, 10))
    assert any("[duplicate-obligation]" in line for line in refused.value.details)
    assert not (repo.root / "tasks" / "n").exists()


def test_an_edit_takes_the_registry_from_the_cache_while_agencies_yaml_is_unchanged(
    repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tbtrack.checking.check as check

    repo.task("n/a", task_text(obligations=TWO))
    assert run(*_root(repo), "--as-of", "2025-06-30", "due").code == 0  # writes the cache
    analysed = record_calls(monkeypatch, check, "analyse_registry")
    done = ("done", "n/a", "complete", "--on", "2025-06-20", "--dry-run")
    assert run(*_root(repo), *done).code == 0
    assert analysed == []  # from the cache
    assert run(*_root(repo), "--no-cache", *done).code == 0
    assert analysed == ["agencies.yaml"]  # afresh
    # agencies.yaml changed: the cache's key no longer holds, the file itself is read
    agencies = repo.root / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8") + "\nbogus: 1\n", encoding="utf-8")
    refused = run(*_root(repo), *done)
    assert refused.code != 0
    assert "agencies.yaml has errors" in refused.err
    assert analysed == ["agencies.yaml", "agencies.yaml"]
