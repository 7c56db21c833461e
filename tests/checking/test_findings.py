"""`check`'s findings in plain words: what the YAML parser and the schema find, said as a
secretariat reads it, with what to do, never the libraries' own English."""

from __future__ import annotations

import json

import pytest

from helpers import Repo, Run, task_text

GOOD = task_text()


def check_json(run: Run, repo: Repo) -> tuple[int, list[dict[str, object]]]:
    result = run("--root", str(repo.root), "--format", "json", "check")
    assert "Traceback" not in result.err
    return result.code, json.loads(result.out)


def test_parser_findings_are_never_the_parsers_english() -> None:
    from tbtrack.checking.findings import Report, parse

    report = Report("tasks/x.yaml")
    assert parse(report, b"title: [unclosed\n") is None
    (found,) = report.items
    assert (found.line, found.rule) == (2, "yaml-syntax")
    assert "flow" not in found.message and "expected" not in found.message
    assert found.hint


def test_a_plain_value_holding_colon_space_says_to_quote_it(run: Run, repo: Repo) -> None:
    repo.task("tb/x", GOOD + "notes: Ghi chú: một\n")
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert [(d["line"], d["rule"]) for d in diagnostics] == [(12, "yaml-syntax")]
    assert diagnostics[0]["message"] == (
        "this value holds ': ', which YAML reads as the start of a key"
    )
    assert "quote the value" in str(diagnostics[0]["hint"]) and ">-" in str(diagnostics[0]["hint"])
    assert "mapping values" not in json.dumps(diagnostics)


@pytest.mark.parametrize(
    ("obligation", "message"),
    [
        ("    ongoing: false\n", "'ongoing' is written `ongoing: true`"),
        ("    within: [2025-07]\n", "'within' is one value, not a list"),
        ("    by: 2025-07-01\n    kind: [report]\n", "'kind' is one value, not a list"),
    ],
)
def test_a_bad_value_is_one_plain_error(
    run: Run, repo: Repo, obligation: str, message: str
) -> None:
    repo.task("tb/x", task_text(obligations="  - id: complete\n" + obligation))
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert [d["message"] for d in diagnostics] == [message]
    assert "Input should" not in json.dumps(diagnostics)
