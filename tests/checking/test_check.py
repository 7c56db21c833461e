"""`tbtrack check`: every bad input gives a located error, exit 1, and the good file beside it
is still read."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Repo, Run, task_text

GOOD = task_text()


def check_json(run: Run, repo: Repo, *extra: str) -> tuple[int, list[dict[str, object]]]:
    result = run("--root", str(repo.root), "--format", "json", "check", *extra)
    assert "Traceback" not in result.err
    return result.code, json.loads(result.out)


def only(diagnostics: list[dict[str, object]], path: str) -> list[dict[str, object]]:
    return [d for d in diagnostics if d["path"] == path]


def test_good_data_passes(run: Run, repo: Repo) -> None:
    repo.task("tb/2c", GOOD)
    result = run("--root", str(repo.root), "check")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "0 error(s), 0 warning(s)" in result.err


BAD_FILES = {
    "does-not-parse": ("title: [unclosed\n", "yaml-syntax", 2, 1),
    "tabs": ("source:\n\tnotice: x\n", "tab", 2, 1),
    "empty": ("", "empty-file", 1, 1),
    "a-list": ("- a\n- b\n", "not-a-mapping", 1, 1),
    "duplicate-key": (GOOD + "title: again\n", "duplicate-key", 12, 1),
    "unknown-key": (
        GOOD.replace("  - id: complete\n    by:", "  - id: complete\n    dueby:"),
        "unknown-key",
        10,
        5,
    ),
    "float-section": (task_text(section="2.10"), "type", 5, 12),
    "bad-date": (task_text(obligations="  - id: complete\n    by: 2025-06-31\n"), "date", 10, 9),
    "dmy-date": (task_text(obligations="  - id: complete\n    by: 15/6/2025\n"), "date", 10, 9),
    "two-due-forms": (
        task_text(obligations="  - id: complete\n    by: 2025-07-01\n    before: 2025-07-01\n"),
        "due-form",
        9,
        5,
    ),
    "no-due-form": (
        task_text(obligations="  - id: complete\n    kind: report\n"),
        "due-form",
        9,
        5,
    ),
    "unknown-agency": (task_text(lead="[Bộ Tài chánh]"), "unknown-agency", 7, 8),
    "split-name": (task_text(lead="[Các bộ, cơ quan ngang bộ]"), "split-name", 7, 8),
    "anchor": (task_text(lead="&who [Bộ Tài chính]", extra="support: *who\n"), "yaml-anchor", 7, 7),
    "python-tag": (
        GOOD + "notes: !!python/object/apply:os.system [echo hacked]\n",
        "yaml-tag",
        12,
        8,
    ),
    "include-tag": (GOOD + "notes: !include other.yaml\n", "yaml-tag", 12, 8),
    "unknown-obligation": (
        task_text(progress="\n  - on: 2025-06-05\n    fulfils: repport\n"),
        "unknown-obligation",
        13,
        14,
    ),
    "not-an-occurrence": (
        task_text(
            obligations="  - id: report\n    kind: report\n    every: monthly\n",
            progress="\n  - on: 2025-06-05\n    fulfils: report\n    for: 2025-06-15\n",
        ),
        "unknown-occurrence",
        15,
        10,
    ),
    "extend-earlier": (
        task_text(
            progress="\n  - on: 2025-06-05\n    extends: complete\n    to: 2025-06-20\n    evidence: CV 1\n"
        ),
        "extend-earlier",
        14,
        9,
    ),
    "out-of-order": (
        task_text(
            progress="\n  - on: 2025-06-05\n    extends: complete\n    to: 2025-07-20\n"
            "    evidence: CV 1\n  - on: 2025-06-01\n    fulfils: complete\n"
        ),
        "event-order",
        16,
        9,
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_located_and_good_file_still_read(run: Run, repo: Repo, name: str) -> None:
    text, rule, line, col = BAD_FILES[name]
    repo.task("tb/good", GOOD)
    repo.task(f"tb/{name}", text)
    code, diagnostics = check_json(run, repo)
    assert code == 1
    mine = only(diagnostics, f"tasks/tb/{name}.yaml")
    assert any(d["rule"] == rule and d["severity"] == "error" for d in mine), mine
    hit = next(d for d in mine if d["rule"] == rule)
    assert (hit["line"], hit["col"]) == (line, col), hit
    assert only(diagnostics, "tasks/tb/good.yaml") == []
    # a listing still shows the good file and names the bad one on stderr
    listing = run("--root", str(repo.root), "--format", "json", "due", "--before", "2026-01-01")
    assert listing.code == 1
    assert [r["task"] for r in json.loads(listing.out)] == ["tb/good"]
    assert f"tasks/tb/{name}.yaml" in listing.err


def test_text_output_is_path_line_col(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text(lead="[Bộ Tài chánh]"))
    result = run("--root", str(repo.root), "check")
    assert result.code == 1
    assert result.out.strip() == (
        "tasks/tb/x.yaml:7:8: error: unknown agency or group 'Bộ Tài chánh' "
        "(did you mean 'Bộ Tài chính'?) [unknown-agency]"
    )


def test_float_section_hint_quotes_the_text_as_written(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text(section="2.10"))
    _, diagnostics = check_json(run, repo)
    assert diagnostics[0]["hint"] == 'quote it: "2.10"'


def test_dmy_date_message_shows_iso(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text(obligations="  - id: complete\n    by: 15/6/2025\n"))
    _, diagnostics = check_json(run, repo)
    assert "write 2025-06-15" in str(diagnostics[0]["message"])


def test_unknown_key_suggests_the_right_one(run: Run, repo: Repo) -> None:
    repo.task("tb/x", GOOD.replace("    by:", "    dueby:"))
    _, diagnostics = check_json(run, repo)
    assert diagnostics[0]["message"] == "unknown key 'dueby'"


def test_split_name_hint_gives_quoted_form(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text(lead="[Các bộ, cơ quan ngang bộ]"))
    _, diagnostics = check_json(run, repo)
    assert [d["rule"] for d in diagnostics] == ["split-name"]
    assert diagnostics[0]["hint"] == 'quote it: ["Các bộ, cơ quan ngang bộ"], or write a block list'


def test_not_utf8(run: Run, repo: Repo) -> None:
    path = repo.task("tb/x", GOOD)
    path.write_bytes(
        GOOD.encode("utf-8").replace("Ban hành".encode(), "Ban h\xe0nh".encode("latin-1"))
    )
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert diagnostics[0]["rule"] == "encoding"
    assert diagnostics[0]["line"] == 6


def test_file_over_one_mebibyte(run: Run, repo: Repo) -> None:
    repo.task("tb/x", GOOD + "notes: " + "x" * (1024 * 1024) + "\n")
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert diagnostics[0]["rule"] == "file-too-large"


def test_alias_bomb_is_refused_at_once(run: Run, repo: Repo) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    repo.task("tb/bomb", bomb)
    started = time.perf_counter()
    code, diagnostics = check_json(run, repo)
    assert time.perf_counter() - started < 10  # a generous bound; expansion would never end
    assert code == 1
    assert diagnostics[0]["rule"] == "yaml-anchor"


def test_tag_is_never_constructed(run: Run, repo: Repo, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    repo.task("tb/x", GOOD + f"notes: !!python/object/apply:os.system ['touch {marker}']\n")
    code, _ = check_json(run, repo)
    assert code == 1
    assert not marker.exists()


def test_nfd_text_is_a_warning_and_names_still_resolve(run: Run, repo: Repo) -> None:
    import unicodedata

    repo.task("tb/x", unicodedata.normalize("NFD", GOOD))
    code, diagnostics = check_json(run, repo)
    assert code == 0
    assert {d["rule"] for d in diagnostics} == {"not-nfc"}
    assert all(d["severity"] == "warning" for d in diagnostics)


def test_undated_and_future_event_warnings(run: Run, repo: Repo) -> None:
    repo.task(
        "tb/x",
        task_text(
            obligations="  - id: complete\n    undated: true\n",
            progress="\n  - on: 2025-07-01\n    fulfils: complete\n",
        ),
    )
    code, diagnostics = check_json(run, repo)
    assert code == 0
    # fulfilled: the undated warning is not repeated (its own test is below)
    assert [(d["rule"], d["line"]) for d in diagnostics] == [("future-event", 12)]


def test_notice_number_with_two_dates(run: Run, repo: Repo) -> None:
    repo.task("tb/a", GOOD.replace("number: null", "number: 47-TB/TGV"))
    repo.task(
        "tb/b",
        GOOD.replace("number: null", "number: 47-TB/TGV").replace("2025-06-06", "2025-06-07"),
    )
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert [(d["path"], d["rule"], d["line"]) for d in diagnostics] == [
        ("tasks/tb/b.yaml", "notice-conflict", 4)
    ]


def test_registry_duplicates_are_errors(run: Run, repo: Repo) -> None:
    text = (repo.root / "agencies.yaml").read_text(encoding="utf-8")
    (repo.root / "agencies.yaml").write_text(
        text.replace("aliases: [Bộ KH&CN, Bộ KHCN]", "aliases: [Bộ KH&CN, Bộ TC]"), encoding="utf-8"
    )
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert diagnostics[0]["rule"] == "duplicate-name"
    assert diagnostics[0]["path"] == "agencies.yaml"


def test_bad_task_id(run: Run, repo: Repo) -> None:
    repo.task("tb/Bad_ID", GOOD)
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert diagnostics[0]["rule"] == "bad-id"


def test_check_limited_to_paths(run: Run, repo: Repo) -> None:
    repo.task("a/x", task_text(lead="[Bộ Tài chánh]"))
    repo.task("b/y", task_text(lead="[Bộ Tài chánh]"))
    code, diagnostics = check_json(run, repo, str(repo.root / "tasks" / "b"))
    assert code == 1
    assert [d["path"] for d in diagnostics] == ["tasks/b/y.yaml"]


def test_no_root_is_a_usage_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.code == 2
    assert "tbtrack init" in result.err
    assert "Traceback" not in result.err


MORE_BAD = {
    "bad-rule": (task_text(obligations="  - id: o\n    every: FREQ=SOMETIMES\n"), "recurrence"),
    "until-before-start": (
        task_text(
            obligations="  - id: o\n    every: monthly\n    start: 2025-09-01\n    until: 2025-08-01\n"
        ),
        "until-before-start",
    ),
    "start-without-every": (
        task_text(obligations="  - id: o\n    by: 2025-07-01\n    start: 2025-06-01\n"),
        "bad-value",
    ),
    "bad-within": (task_text(obligations="  - id: o\n    within: 2025-13\n"), "within"),
    "bad-obligation-id": (
        task_text(obligations="  - id: Report_1\n    by: 2025-07-01\n"),
        "bad-id",
    ),
    "duplicate-obligation": (
        task_text(obligations="  - id: o\n    by: 2025-07-01\n  - id: o\n    by: 2025-08-01\n"),
        "duplicate-obligation",
    ),
    "missing-title": (GOOD.replace("title: Ban hành", "titel: Ban hành"), "missing-key"),
    "empty-lead": (task_text(lead="[]"), "missing-value"),
    "lead-not-a-list": (task_text(lead="Bộ Tài chính"), "type"),
    "not-an-assignee": (
        task_text(progress="\n  - on: 2025-06-05\n    fulfils: complete\n    by: Bộ Nội vụ\n"),
        "not-assignee",
    ),
    "for-on-one-off": (
        task_text(progress="\n  - on: 2025-06-05\n    fulfils: complete\n    for: 2025-07-01\n"),
        "unknown-occurrence",
    ),
    "unknown-event-agency": (
        task_text(progress="\n  - on: 2025-06-05\n    fulfils: complete\n    by: Bộ Tài chánh\n"),
        "unknown-agency",
    ),
    "extends-without-to": (
        task_text(progress="\n  - on: 2025-06-05\n    extends: complete\n"),
        "event-shape",
    ),
    "two-shapes": (
        task_text(progress="\n  - on: 2025-06-05\n    fulfils: complete\n    cancels: complete\n"),
        "event-shape",
    ),
    "fulfilled-twice": (
        task_text(
            progress="\n  - on: 2025-06-05\n    fulfils: complete\n  - on: 2025-06-06\n    fulfils: complete\n"
        ),
        "already-fulfilled",
    ),
    "inactive-without-reason": (task_text(extra="state: cancelled\n"), "bad-value"),
    "bad-state": (task_text(extra="state: paused\n"), "bad-value"),
    "two-documents": (GOOD + "---\ntitle: x\n", "yaml-multiple-documents"),
    "multi-line-title": (GOOD.replace("title: Ban hành", "title: |\n  Ban\n  hành"), "bad-value"),
    "datetime": (task_text(obligations="  - id: o\n    by: 2025-07-01 10:00:00\n"), "date"),
}


@pytest.mark.parametrize("name", sorted(MORE_BAD))
def test_more_bad_files(run: Run, repo: Repo, name: str) -> None:
    text, rule = MORE_BAD[name]
    repo.task(f"tb/{name}", text)
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert rule in {d["rule"] for d in diagnostics if d["severity"] == "error"}, diagnostics


def test_registry_unknown_successor_and_member(run: Run, repo: Repo) -> None:
    path = repo.root / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("successor: Bộ Khoa học và Công nghệ", "successor: Bộ Khoa học Công nghệ")
    text = text.replace("      - Bộ Tư pháp\n", "      - Bộ Tư phap\n      - Bộ Ngoại giao\n")
    path.write_text(text, encoding="utf-8")
    code, diagnostics = check_json(run, repo)
    assert code == 1
    found = [(d["rule"], d["line"], d["hint"]) for d in diagnostics]
    # "Bộ Tư phap" resolves without diacritics; Bộ Ngoại giao is not in this small registry
    assert found == [
        ("unknown-agency", 13, "did you mean 'Bộ Khoa học và Công nghệ'?"),
        ("unknown-agency", 34, "did you mean 'Bộ Nội vụ'?"),
    ]


def test_registry_that_does_not_parse_stops_with_its_error(run: Run, repo: Repo) -> None:
    (repo.root / "agencies.yaml").write_text("agencies: [\n", encoding="utf-8")
    repo.task("tb/x", GOOD)
    result = run("--root", str(repo.root), "check")
    assert result.code == 1
    assert result.out.startswith("agencies.yaml:2:1: error:")
    listing = run("--root", str(repo.root), "due")
    assert listing.code == 1
    assert "agencies.yaml" in listing.err


def test_registry_split_alias_is_a_warning(run: Run, repo: Repo) -> None:
    path = repo.root / "agencies.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    aliases:\n      - Các bộ, ngành\n", "    aliases: [Các bộ, ngành]\n"
    )
    path.write_text(text, encoding="utf-8")
    code, diagnostics = check_json(run, repo)
    assert code == 0
    assert [(d["rule"], d["severity"]) for d in diagnostics] == [("split-name", "warning")]


def test_stray_file_in_tasks_is_reported(run: Run, repo: Repo) -> None:
    repo.task("tb/x", GOOD)
    repo.write("tasks/tb/y.yml", GOOD)
    code, diagnostics = check_json(run, repo)
    assert code == 0
    assert [(d["path"], d["rule"]) for d in diagnostics] == [("tasks/tb/y.yml", "not-a-task-file")]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("within = -1\n", "within must be a whole number"),
        ("colour = true\n", "unknown setting(s) colour"),
        ("lang = 'fr'\n", "lang must be 'vi' or 'en'"),
        ("holidays = ['2025-09-01']\n", "holidays must be a list of dates"),
        ("within = [\n", "tbtrack.toml: error:"),
        ("workdays = 'yes'\n", "workdays must be true or false"),
    ],
)
def test_bad_config_is_a_usage_error(run: Run, repo: Repo, config: str, message: str) -> None:
    (repo.root / "tbtrack.toml").write_text(config, encoding="utf-8")
    result = run("--root", str(repo.root), "due")
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_config_sets_window_and_language(run: Run, repo: Repo) -> None:
    repo.task("tb/x", task_text(obligations="  - id: o\n    by: 2025-06-12\n"))
    (repo.root / "tbtrack.toml").write_text("within = 1\nlang = 'vi'\n", encoding="utf-8")
    result = run("--root", str(repo.root), "--no-color", "due")
    assert result.out == "Không có nhiệm vụ nào.\n"  # 12/6 is two days off: not due soon
    assert "Sắp đến hạn" in run("--root", str(repo.root), "--within", "2", "due").out


def test_root_from_environment_and_from_a_subfolder(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.task("tb/x", GOOD)
    monkeypatch.setenv("TBTRACK_ROOT", str(repo.root))
    assert run("check").code == 0
    monkeypatch.delenv("TBTRACK_ROOT")
    monkeypatch.chdir(repo.root / "tasks" / "tb")
    assert run("check").code == 0
    missing = run("--root", str(repo.root / "nowhere"), "check")
    assert missing.code == 2
    assert "tbtrack init" in missing.err


# --- the rules (schema) and the records (model) -----------------------------------------------


def test_each_record_has_the_fields_of_its_rules_in_order() -> None:
    from tbtrack.files import records as model
    from tbtrack.files import schema

    for record in model.RECORDS:
        rules = schema.model_of(record).model_fields
        assert tuple(rules) == record._fields, record.__name__
        aliases = {name: info.alias for name, info in rules.items() if info.alias}
        assert aliases == {n: a for n, a in model.ALIASES.items() if n in rules}, record.__name__


def test_a_validated_task_is_records_all_the_way_down() -> None:
    import datetime as dt

    from tbtrack.files import records as model
    from tbtrack.files import schema
    from tbtrack.files.yamlread import load

    text = task_text(
        obligations="  - id: a\n    every: monthly\n  - id: b\n    by: 2025-07-01\n",
        progress="\n  - on: 2025-06-30\n    fulfils: a\n    for: 2025-06-30",
    )
    value, _ = load(text)
    task = schema.validate(model.Task, value)
    assert type(task) is model.Task
    assert type(task.source) is model.Source
    assert [type(o) for o in task.obligations] == [model.Obligation, model.Obligation]
    assert [type(e) for e in task.progress] == [model.Event]
    assert task.progress[0].for_ == dt.date(2025, 6, 30)
    assert task.progress[0].shape == "fulfils"
    assert task.obligation("b") is task.obligations[1]
    # as the file says it, with what it left out left out
    assert model.dump(task.progress[0], json=True) == {
        "on": "2025-06-30",
        "fulfils": "a",
        "for": "2025-06-30",
    }


# --- every problem of a file at once, each at its place, in plain words ------------------------

MANY_PROBLEMS = (
    "source:\n"
    "  notice: Thông báo\n"
    "  number: null\n"
    "  date: 15/6/2025\n"
    '  section: "1"\n'
    "title: Một nhiệm vụ\n"
    "lead: [Bộ Tài chính, Các bộ, ngành, Bộ Nông]\n"
    "obligations:\n"
    "  - id: complete\n"
    "    kind: reprot\n"
    "    by: 2025-07-01\n"
    "    before: 2025-06-01\n"
    "    to: [Bộ Tài chính, Bộ Nội vụ]\n"
    "    as_writen: x\n"
    "progress: []\n"
)


def test_a_schema_error_hides_no_other_problem_and_each_is_at_its_place(
    run: Run, repo: Repo
) -> None:
    repo.task("tb/x", MANY_PROBLEMS)
    code, diagnostics = check_json(run, repo)
    assert code == 1
    found = [(d["line"], d["col"], d["rule"], d["message"], d["hint"]) for d in diagnostics]
    assert found == [
        (4, 9, "date", "dates are written YYYY-MM-DD: write 2025-06-15, not 15/6/2025", None),
        (
            7,
            22,
            "split-name",
            "the flow list split 'Các bộ, cơ quan ngang bộ' at its commas into 'Các bộ', 'ngành'",
            'quote it: ["Các bộ, ngành"], or write a block list',
        ),
        (7, 37, "unknown-agency", "unknown agency or group 'Bộ Nông'", "did you mean 'Bộ Nội vụ'?"),
        (
            9,
            5,
            "due-form",
            "an obligation has exactly one due form of by, before, within, every, ongoing, "
            "undated (given: by, before)",
            None,
        ),
        (
            10,
            11,
            "bad-value",
            "unknown kind 'reprot' (did you mean 'report'?)",
            "kind is one of: complete, report, submit, milestone",
        ),
        (
            13,
            9,
            "type",
            "'to' names one recipient only",
            "to give the obligation to several agencies, list them under who:",
        ),
        (14, 5, "unknown-key", "unknown key 'as_writen'", "did you mean 'as_written'?"),
    ]


@pytest.mark.parametrize(
    ("event", "warned"),
    [
        ("", True),
        ("\n  - on: 2025-06-09\n    fulfils: complete\n", False),
        ("\n  - on: 2025-06-09\n    cancels: complete\n    evidence: CV\n", False),
        (
            "\n  - on: 2025-06-09\n    extends: complete\n    to: 2025-08-01\n    evidence: CV\n",
            False,
        ),
    ],
)
def test_no_date_warning_only_while_nothing_happened(
    run: Run, repo: Repo, event: str, warned: bool
) -> None:
    repo.task(
        "tb/x",
        task_text(obligations="  - id: complete\n    undated: true\n", progress=event or "[]"),
    )
    code, diagnostics = check_json(run, repo)
    assert code == 0
    assert [d["rule"] for d in diagnostics] == (["undated"] if warned else [])


def test_nfd_text_is_one_warning_per_file_and_fix_rewrites_it_in_nfc(run: Run, repo: Repo) -> None:
    import unicodedata

    text = GOOD.replace("title: Ban hành", "title: " + unicodedata.normalize("NFD", "Ban hành"))
    text = text.replace(
        "lead: [Bộ Tài chính]", unicodedata.normalize("NFD", "lead: [Bộ Tài chính]")
    )
    path = repo.task("tb/x", text)
    code, diagnostics = check_json(run, repo)
    assert code == 0
    assert [(d["rule"], d["line"]) for d in diagnostics] == [("not-nfc", 6)]
    assert "(and 1 more value(s) in this file)" in str(diagnostics[0]["message"])
    assert "tbtrack check --fix" in str(diagnostics[0]["hint"])
    result = run("--root", str(repo.root), "check", "--fix")
    assert result.code == 0
    assert "rewrote tasks/tb/x.yaml in Unicode NFC" in result.err
    assert "0 error(s), 0 warning(s)" in result.err
    assert path.read_text(encoding="utf-8") == unicodedata.normalize("NFC", text) == GOOD


def test_a_valid_file_s_findings_stand_where_a_read_of_the_whole_file_places_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its warnings are placed from the lines of the keys they are under alone: the same
    lines and columns, in the same order, as from the whole file read with places."""
    from helpers import bench_generator
    from tbtrack.checking import check
    from tbtrack.files.yamlread import decode, load
    from tbtrack.loading.dataset import read_registry

    bench_generator().generate(tmp_path / "data", 150, 5, None)
    registry, _ = read_registry(tmp_path / "data")
    assert registry is not None
    files = [
        (path.relative_to(tmp_path / "data").as_posix(), path.read_bytes())
        for path in sorted((tmp_path / "data" / "tasks").rglob("*.yaml"))
    ]
    by_blocks = [check.analyse_task(rel, data, registry) for rel, data in files]
    monkeypatch.setattr(
        check, "_places", lambda report, data: load(decode(data), positions=True)[1]
    )
    whole = [check.analyse_task(rel, data, registry) for rel, data in files]
    assert by_blocks == whole
    warned = [found for task, found in by_blocks if task is not None and found]
    assert len(warned) >= 10  # not a test that passes for want of warnings
    assert {d.rule for found in warned for d in found} >= {"undated", "agency-not-existing"}
    assert any(d.line > 1 for found in warned for d in found)


def _shipped_registry() -> Any:
    from tbtrack.files.registry import Registry
    from tbtrack.loading.dataset import read_registry

    registry, _ = read_registry(Path(__file__).resolve().parents[2])
    assert isinstance(registry, Registry)
    return registry


def _bent(text: str, bend: Callable[[str], str]) -> str:
    return bend(text)


def _names_split_and_bent() -> Any:
    """Items of a flow list: pieces of the shipped registry's names with commas, whole names,
    and each spelt otherwise (upper case, NFD, doubled spaces, without diacritics)."""
    import unicodedata

    from hypothesis import strategies as st

    from tbtrack.files.text import strip_diacritics

    registry = _shipped_registry()
    spellings = [a.name for a in registry.source.agencies] + [
        alias for a in registry.source.agencies for alias in a.aliases
    ]
    pieces = sorted({p.strip() for name in spellings for p in name.split(",")})
    pieces += ["Bộ Tài chính", "x", "2025-06-06", "Các bộ", "cơ quan ngang bộ", ""]
    bends = [
        lambda t: t,
        str.upper,
        lambda t: unicodedata.normalize("NFD", t),
        lambda t: t.replace(" ", "  "),
        strip_diacritics,
        lambda t: f" {t} ",
        lambda t: t.replace("ộ", "ỗ").replace("ó", "ò"),  # other tones: a loose match only
    ]
    bend = st.sampled_from(bends)
    one = st.tuples(st.sampled_from(pieces), bend).map(lambda pb: [pb[1](pb[0])])
    # a name with commas as a flow list splits it: its pieces in a row, each spelt its way
    with_commas = [name.split(",") for name in spellings if "," in name]

    def spelt(parts: list[str]) -> Any:
        return st.tuples(*(bend.map(functools.partial(_bent, part.strip())) for part in parts))

    split = st.sampled_from(with_commas).flatmap(spelt)
    chunk = st.one_of(one, split.map(list))
    return st.lists(chunk, min_size=1, max_size=4).map(
        lambda chunks: [item for chunk in chunks for item in chunk]
    )


def test_a_flow_list_s_split_names_are_found_looking_only_after_items_that_may_begin_one() -> None:
    """`Registry.may_begin_split` skips the runs of items that cannot join to a known name:
    the findings are those of trying every run, on lists made of the shipped names' pieces."""
    from hypothesis import given, settings

    from tbtrack.checking import check
    from tbtrack.checking.findings import Report
    from tbtrack.files.marks import Locations
    from tbtrack.files.registry import Registry

    registry = _shipped_registry()
    every_run = _shipped_registry()

    class TryingEveryRun(Registry):
        __slots__ = ()

        def may_begin_split(self, piece: str) -> bool:
            return True

    every_run.__class__ = TryingEveryRun
    found_any: list[bool] = []

    @settings(max_examples=max(150, settings().max_examples), deadline=None)
    @given(_names_split_and_bent())
    def same(items: list[str]) -> None:
        reports = [Report("tasks/x.yaml"), Report("tasks/x.yaml")]
        covered = []
        for report, asked in zip(reports, (registry, every_run), strict=True):
            report.locations = Locations(flow_lists={("support",)})
            covered.append(check._split_names(report, {"support": items}, asked))
        assert covered[0] == covered[1]
        assert reports[0].items == reports[1].items
        found_any.append(bool(covered[0]))

    same()
    assert any(found_any)  # lists that split a name were among them


@pytest.mark.parametrize(
    ("items", "name"),
    [
        (["Ban A ", "Ban B"], "Ban A , Ban B"),  # a space before the name's comma
        (["ban a", "BAN B"], "Ban A, Ban B"),
        (["Bàn Ă", "Ban B"], "Ban A, Ban B"),  # other marks: the key without diacritics
    ],
)
def test_a_name_split_at_its_comma_is_found_however_its_first_piece_is_written(
    items: list[str], name: str
) -> None:
    from tbtrack.checking import check
    from tbtrack.checking.findings import Report
    from tbtrack.files.marks import Locations
    from tbtrack.files.records import AgencyEntry, RegistryFile
    from tbtrack.files.registry import Registry

    entry = AgencyEntry(name, None, [], "ministry", None, None, None, None)
    registry = Registry.build(RegistryFile([entry], []))
    report = Report("tasks/x.yaml")
    report.locations = Locations(flow_lists={("lead",)})
    assert check._split_names(report, {"lead": [*items, "x"]}, registry) == {
        ("lead", 0),
        ("lead", 1),
    }
    assert [d.rule for d in report.items] == ["split-name"]
    assert registry.may_begin_split(items[0]) and not registry.may_begin_split("x")
