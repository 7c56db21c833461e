"""done, extend, cancel: byte-exact appends, every refusal, atomic and guarded writes."""

from __future__ import annotations

import difflib
import os
import shutil
import stat
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text
from tbtrack.editing import plan, render, writer, yamltext

Run = Callable[..., Result]

MONTHLY = "  - id: monthly\n    kind: report\n    every: monthly\n"
TWO = (
    "  - id: complete\n    by: 2025-07-01\n"
    "  - id: report\n    kind: report\n    before: 2025-06-15\n"
)

NFD_TITLE = unicodedata.normalize("NFD", "Báo cáo tình hình thực hiện")

RICH = f"""\
# tasks/n/rich.yaml — a file written by hand, with everything an editor may leave
source:
  notice: >-
    Thông báo kết luận cuộc họp của lãnh đạo Ban Chỉ đạo Trung ương về phát triển
    khoa học, công nghệ
  number: "47-TB/TGV"          # quoted on purpose
  date: 2025-06-06             # the meeting's date
  section: '2.c'
title: {NFD_TITLE}
text: |
  Bộ Tài chính nghiên cứu, xây dựng.
    An indented line, kept as it is.
lead: [Bộ Tài chính, "Bộ Nội vụ"]   # a flow list
support:
- Bộ Tư pháp                    # an indentless block list
tags: [a,  b]
state: active
obligations:
  # the notice's wording decides the due form
  - id: complete
    kind: submit
    by: 2025-07-01
    as_written: Hoàn thành chậm nhất ngày 01/7/2025
  - {{id: report, kind: report, before: 2025-06-15}}
progress:
    -   on: 2025-06-05
        fulfils: report
        by: Bộ Nội vụ
        evidence: "Công văn số 1"   # inline comment on the last event
        note: >-
          folded
          note

    # a comment after the list, at its indentation
# a comment before notes
notes: |-
  free text
"""


def _only_inserted(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`; fails when any line of `old` changed or went away."""
    matcher = difflib.SequenceMatcher(None, old.splitlines(True), new.splitlines(True))
    added: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), (tag, old.splitlines()[i1:i2], new.splitlines()[j1:j2])
        if tag == "insert":
            added += new.splitlines(True)[j1:j2]
    return added


def _root(repo: Repo) -> tuple[str, str]:
    return "--root", str(repo.root)


# --- byte-exact appends --------------------------------------------------------------------


def test_done_on_a_rich_file_inserts_exactly_one_event(repo: Repo, run: Run) -> None:
    path = repo.write("tasks/n/rich.yaml", RICH)
    old = path.read_bytes()
    result = run(
        *_root(repo),
        "done",
        "rich",
        "complete",
        "--on",
        "2025-06-09",
        "--evidence",
        "Tờ trình số 5/TTr-BTC: kèm dự thảo",
        "--note",
        "đã gửi",
    )
    assert result.code == 0, result.err
    new = path.read_bytes()
    anchor = "        note: >-\n          folded\n          note\n"
    event = (
        "    -   on: 2025-06-09\n"
        "        fulfils: complete\n"
        "        evidence: 'Tờ trình số 5/TTr-BTC: kèm dự thảo'\n"
        "        note: đã gửi\n"
    )
    assert new == old.replace(anchor.encode(), (anchor + event).encode())
    assert _only_inserted(old.decode(), new.decode()) == event.splitlines(True)
    # the NFD title is untouched, byte for byte
    assert NFD_TITLE.encode() in new
    # the diff printed is the added lines
    assert "+    -   on: 2025-06-09" in result.out
    assert run(*_root(repo), "check").code == 0


def test_empty_flow_progress_becomes_a_block_list(repo: Repo, run: Run) -> None:
    text = task_text(progress="[]    # the log") + "notes: x\n"
    path = repo.task("n/a", text)
    assert run(*_root(repo), "done", "n/a", "--on", "2025-06-09").code == 0
    expected = text.replace(
        "progress: []    # the log\n",
        "progress:    # the log\n  - on: 2025-06-09\n    fulfils: complete\n",
    )
    assert path.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("value", ["", " null", " ~", "  # nothing yet", " []", " [\n  ]"])
@pytest.mark.parametrize("after", ["", "notes: x\n"])
def test_null_progress_becomes_a_block_list(value: str, after: str) -> None:
    # a null progress is refused by `check`; the splice itself still handles it
    import datetime as dt

    text = task_text(progress="@").replace("progress: @", f"progress:{value}") + after
    new = yamltext.append_event(text, {"on": dt.date(2025, 6, 9), "fulfils": "complete"})
    comment = "  # nothing yet" if "#" in value else ""
    expected = text.replace(
        f"progress:{value}\n",
        f"progress:{comment}\n  - on: 2025-06-09\n    fulfils: complete\n",
    )
    assert new == expected


def test_absent_progress_is_added_at_the_end(repo: Repo, run: Run) -> None:
    text = task_text().replace("progress: []\n", "notes: x   # last\n")
    path = repo.task("n/a", text)
    assert run(*_root(repo), "done", "n/a", "--on", "2025-06-09").code == 0
    added = "progress:\n  - on: 2025-06-09\n    fulfils: complete\n"
    assert path.read_text(encoding="utf-8") == text + added


def test_the_files_own_list_style_is_followed(repo: Repo, run: Run) -> None:
    obligations = "- id: complete\n  by: 2025-07-01\n"  # indentless, dash at column 0
    text = task_text(obligations=obligations)
    path = repo.task("n/a", text)
    assert run(*_root(repo), "done", "n/a", "--on", "2025-06-09").code == 0
    assert path.read_text(encoding="utf-8").endswith(
        "progress:\n- on: 2025-06-09\n  fulfils: complete\n"
    )


def test_crlf_and_bom_and_no_final_newline_are_kept(repo: Repo, run: Run) -> None:
    text = task_text(progress="\n  - on: 2025-06-01\n    fulfils: complete\n    by: Bộ Tài chính")
    text = text.replace("lead: [Bộ Tài chính]", "lead: [Bộ Tài chính, Bộ Nội vụ]")
    body = text.rstrip("\n").replace("\n", "\r\n")
    path = repo.root / "tasks" / "n" / "a.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09", "--by", "Bộ Nội vụ")
    assert result.code == 0, result.err
    added = "\r\n  - on: 2025-06-09\r\n    fulfils: complete\r\n    by: Bộ Nội vụ\r\n"
    assert path.read_bytes() == b"\xef\xbb\xbf" + (body + added).encode()


def test_agency_names_are_written_canonical_and_text_in_nfc(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(lead="[Nhóm ba bộ]"))
    nfd = unicodedata.normalize("NFD", "Báo cáo số 7")
    assert (
        run(
            *_root(repo), "done", "n/a", "--by", "btc", "--evidence", nfd, "--on", "2025-06-09"
        ).code
        == 0
    )
    text = path.read_text(encoding="utf-8")
    assert "    by: Bộ Tài chính\n    evidence: Báo cáo số 7\n" in text
    assert unicodedata.is_normalized("NFC", text)


def test_strings_that_need_quotes_are_quoted(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text())
    note = "2025-06-30"  # would read back as a date unquoted
    assert (
        run(
            *_root(repo), "done", "n/a", "--note", note, "--evidence", "# 5", "--on", "2025-06-09"
        ).code
        == 0
    )
    from tbtrack.files.yamlread import decode, load

    value, _ = load(decode(path.read_bytes()))
    assert value["progress"][-1]["note"] == "2025-06-30"
    assert value["progress"][-1]["evidence"] == "# 5"


def test_on_defaults_to_today_and_as_of(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(obligations=TWO))
    assert run(*_root(repo), "done", "n/a", "report").code == 0
    assert "  - on: 2025-06-10\n" in path.read_text(encoding="utf-8")  # TBTRACK_TODAY
    assert run(*_root(repo), "--as-of", "2025-06-12", "done", "n/a", "complete").code == 0
    assert "  - on: 2025-06-12\n    fulfils: complete\n" in path.read_text(encoding="utf-8")


# --- recurring obligations -----------------------------------------------------------------


def test_done_on_a_recurring_obligation_writes_the_earliest_open_occurrence(
    repo: Repo, run: Run
) -> None:
    path = repo.task("n/a", task_text(lead="[Bộ Tài chính, Bộ Nội vụ]", obligations=MONTHLY))
    assert run(*_root(repo), "done", "n/a", "--by", "BTC", "--on", "2025-06-09").code == 0
    assert run(*_root(repo), "done", "n/a", "--by", "BTC", "--on", "2025-06-10").code == 0
    assert run(*_root(repo), "done", "n/a", "--on", "2025-06-10").code == 0
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "  - on: 2025-06-09\n    fulfils: monthly\n    by: Bộ Tài chính\n    for: 2025-06-30\n"
        "  - on: 2025-06-10\n    fulfils: monthly\n    by: Bộ Tài chính\n    for: 2025-07-31\n"
        # without --by: the earliest occurrence anyone still owes (Bộ Nội vụ, June)
        "  - on: 2025-06-10\n    fulfils: monthly\n    for: 2025-06-30\n"
    )
    assert run(*_root(repo), "check").code == 0


def test_a_second_fulfilment_of_one_occurrence_is_refused(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(obligations=MONTHLY))
    assert run(*_root(repo), "done", "n/a", "--for", "2025-06-30", "--on", "2025-06-09").code == 0
    before = path.read_bytes()
    result = run(*_root(repo), "done", "n/a", "--for", "2025-06-30", "--on", "2025-06-10")
    assert result.code == 1
    assert "already fulfilled for 2025-06-30" in result.err
    assert path.read_bytes() == before


def test_extend_a_recurring_occurrence(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(obligations=MONTHLY))
    result = run(
        *_root(repo),
        "extend",
        "n/a",
        "monthly",
        "--to",
        "2025-07-05",
        "--evidence",
        "CV 9",
        "--on",
        "2025-06-09",
    )
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8").endswith(
        "  - on: 2025-06-09\n    extends: monthly\n    for: 2025-06-30\n    to: 2025-07-05\n"
        "    evidence: CV 9\n"
    )


# --- extend and cancel ---------------------------------------------------------------------


def test_extend_and_cancel_an_obligation_only_add_lines(repo: Repo, run: Run) -> None:
    path = repo.write("tasks/n/rich.yaml", RICH)
    old = path.read_text(encoding="utf-8")
    assert (
        run(
            *_root(repo),
            "extend",
            "rich",
            "complete",
            "--to",
            "31/7/2025",
            "--evidence",
            "Công văn số 456-CV/VPTW",
            "--on",
            "2025-06-09",
        ).code
        == 0
    )
    assert (
        run(
            *_root(repo),
            "cancel",
            "rich",
            "report",
            "--for",
            "2025-06-14",
            "--evidence",
            "x",
            "--on",
            "2025-06-09",
        ).code
        == 1
    )  # report does not recur
    assert (
        run(
            *_root(repo),
            "cancel",
            "rich",
            "report",
            "--evidence",
            "Thông báo số 9",
            "--on",
            "2025-06-10",
        ).code
        == 0
    )
    added = _only_inserted(old, path.read_text(encoding="utf-8"))
    assert added == [
        "    -   on: 2025-06-09\n",
        "        extends: complete\n",
        "        to: 2025-07-31\n",
        "        evidence: Công văn số 456-CV/VPTW\n",
        "    -   on: 2025-06-10\n",
        "        cancels: report\n",
        "        evidence: Thông báo số 9\n",
    ]


def test_cancel_a_whole_task_edits_state_in_place(repo: Repo, run: Run) -> None:
    text = task_text(extra="state: active        # live\nstate_reason: null\n")
    path = repo.task("n/a", text)
    result = run(*_root(repo), "cancel", "n/a", "--reason", "Đã hoàn thành: lồng ghép")
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8") == text.replace(
        "state: active        # live\nstate_reason: null\n",
        "state: cancelled        # live\nstate_reason: 'Đã hoàn thành: lồng ghép'\n"
        "state_on: 2025-06-10\n",  # TBTRACK_TODAY
    )
    again = run(*_root(repo), "cancel", "n/a", "--reason", "x")
    assert again.code == 1 and "already cancelled" in again.err


def test_cancel_a_whole_task_adds_the_keys_when_absent(repo: Repo, run: Run) -> None:
    text = task_text().replace("obligations:\n", "# about the obligations\nobligations:\n")
    path = repo.task("n/a", text)
    assert run(*_root(repo), "cancel", "n/a", "--evidence", "TB 10").code == 0
    assert path.read_text(encoding="utf-8") == text.replace(
        "# about the obligations\n",
        "state: cancelled\nstate_reason: TB 10\nstate_on: 2025-06-10\n# about the obligations\n",
    )
    assert run(*_root(repo), "check").code == 0


def test_cancel_after_state_adds_only_the_reason(repo: Repo, run: Run) -> None:
    text = task_text(extra="state: active\n")
    path = repo.task("n/a", text)
    assert run(*_root(repo), "cancel", "n/a", "--evidence", "TB 10").code == 0
    assert path.read_text(encoding="utf-8") == text.replace(
        "state: active\n", "state: cancelled\nstate_reason: TB 10\nstate_on: 2025-06-10\n"
    )


def test_cancel_needs_evidence(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text())
    before = path.read_bytes()
    assert run(*_root(repo), "cancel", "n/a").code == 2
    assert path.read_bytes() == before


# --- refusals: the file stays as it was ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["done", "n/a", "nope"], 2, "no obligation 'nope'"),
        (["done", "n/a"], 2, "say which obligation"),
        (["done", "n/a", "report", "--by", "Bộ Không Có"], 2, "unknown agency"),
        (["done", "n/a", "report", "--by", "Bộ Tư pháp"], 1, "does not owe"),
        # an older date is inserted at its place (see below), where it meets the rules too
        (["done", "n/a", "report", "--on", "2025-06-01"], 1, "already fulfilled"),
        (["done", "n/a", "complete", "--for", "2025-06-30"], 1, "does not recur"),
        (["done", "n/a", "report", "--on", "2025-06-09"], 1, "already fulfilled"),
        (
            ["extend", "n/a", "complete", "--to", "2025-06-20", "--evidence", "x"],
            1,
            "must move the deadline later",
        ),
        (["extend", "n/a", "complete", "--to", "2025-07-20"], 2, "--evidence"),
        (["done", "n/a", "report", "--on", "32/6/2025"], 2, "--on"),
        (["done", "nothing/here"], 2, "no task"),
        (
            ["cancel", "n/a", "report", "--evidence", "x", "--on", "2025-06-09"],
            1,
            "already cancelled",
        ),
    ],
)
def test_refusals_leave_the_file_unchanged(
    repo: Repo, run: Run, args: list[str], code: int, message: str
) -> None:
    progress = (
        "\n  - on: 2025-06-05\n    fulfils: report\n"
        "  - on: 2025-06-06\n    extends: complete\n    to: 2025-07-10\n    evidence: CV\n"
    )
    if "already cancelled" in message:
        progress += "  - on: 2025-06-07\n    cancels: report\n"
    path = repo.task("n/a", task_text(obligations=TWO, progress=progress))
    before = path.read_bytes()
    result = run(*_root(repo), *args)
    assert result.code == code, result
    assert message in result.err
    assert "Traceback" not in result.err
    assert path.read_bytes() == before


def test_a_recurring_obligation_refuses_an_occurrence_that_does_not_exist(
    repo: Repo, run: Run
) -> None:
    path = repo.task("n/a", task_text(obligations=MONTHLY))
    before = path.read_bytes()
    result = run(*_root(repo), "done", "n/a", "--for", "2025-06-15")
    assert result.code == 1 and "not an occurrence" in result.err
    assert path.read_bytes() == before


def test_a_file_with_errors_is_not_edited(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(section="2.10"))
    before = path.read_bytes()
    result = run(*_root(repo), "done", "n/a")
    assert result.code == 1 and 'quote it: "2.10"' in result.err
    assert path.read_bytes() == before
    path.write_text(task_text() + "dueby: 2025-07-01\n", encoding="utf-8")
    before = path.read_bytes()
    result = run(*_root(repo), "done", "n/a")
    assert result.code == 1 and "has errors" in result.err and "dueby" in result.err
    assert path.read_bytes() == before


def test_a_flow_list_of_events_is_refused(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text(progress="[{on: 2025-06-01, fulfils: complete}]"))
    before = path.read_bytes()
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09")
    assert result.code == 1 and "block list" in result.err
    assert path.read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text())
    before = path.read_bytes()
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09", "--dry-run")
    assert result.code == 0
    assert "-progress: []\n+progress:\n+  - on: 2025-06-09\n+    fulfils: complete\n" in result.out
    assert "dry run" in result.err
    assert path.read_bytes() == before


def test_json_output(repo: Repo, run: Run) -> None:
    import json

    repo.task("n/a", task_text())
    result = run(*_root(repo), "--format", "json", "done", "n/a", "--on", "2025-06-09")
    payload = json.loads(result.out)
    assert payload["written"] is True and payload["path"] == "tasks/n/a.yaml"
    assert "+    fulfils: complete" in payload["diff"]


def test_a_future_event_is_written_with_a_warning(repo: Repo, run: Run) -> None:
    repo.task("n/a", task_text())
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-20")
    assert result.code == 0
    assert "after today" in result.err


# --- IDs that could escape -----------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["../x", "../../etc/passwd", "/etc/passwd", "tasks/../agencies", "n/../../x", "N/A", ""]
)
def test_ids_that_escape_are_refused(repo: Repo, run: Run, bad: str) -> None:
    repo.task("n/a", task_text())
    result = run(*_root(repo), "done", bad, "--on", "2025-06-09")
    assert result.code == 2
    assert "bad task ID" in result.err


def test_a_symlinked_task_file_is_refused(repo: Repo, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(task_text(), encoding="utf-8")
    before = outside.read_bytes()
    (repo.root / "tasks" / "n").mkdir()
    (repo.root / "tasks" / "n" / "a.yaml").symlink_to(outside)
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09")
    assert result.code == 1 and "symbolic link" in result.err
    assert outside.read_bytes() == before


def test_a_symlinked_folder_is_refused(repo: Repo, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.yaml").write_text(task_text(), encoding="utf-8")
    before = (outside / "a.yaml").read_bytes()
    (repo.root / "tasks" / "n").symlink_to(outside, target_is_directory=True)
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09")
    assert result.code in (1, 2)
    assert (outside / "a.yaml").read_bytes() == before


def test_a_unique_suffix_names_the_task_and_an_ambiguous_one_is_refused(
    repo: Repo, run: Run
) -> None:
    a = repo.task("n1/2c", task_text())
    b = repo.task("n2/2c", task_text())
    c = repo.task("n2/2d", task_text())
    result = run(*_root(repo), "done", "2c", "--on", "2025-06-09")
    assert result.code == 2 and "n1/2c" in result.err and "n2/2c" in result.err
    assert run(*_root(repo), "done", "2d", "--on", "2025-06-09").code == 0
    assert "fulfils" in c.read_text(encoding="utf-8")
    assert "fulfils" not in a.read_text(encoding="utf-8") + b.read_text(encoding="utf-8")


# --- the write itself ----------------------------------------------------------------------


def test_a_concurrent_edit_is_detected_and_kept(
    repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo.task("n/a", task_text())

    def other_editor(target: Path) -> None:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write("notes: written by someone else\n")

    monkeypatch.setattr(writer, "_before_replace", other_editor)
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09")
    assert result.code == 1
    assert "changed on disk since it was read" in result.err
    assert path.read_text(encoding="utf-8") == task_text() + "notes: written by someone else\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.yaml"]  # no temporary left


def test_a_file_replaced_by_a_symlink_meanwhile_is_not_written(
    repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = repo.task("n/a", task_text())
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(path.read_bytes())

    def swap(target: Path) -> None:
        target.unlink()
        target.symlink_to(outside)

    monkeypatch.setattr(writer, "_before_replace", swap)
    assert run(*_root(repo), "done", "n/a", "--on", "2025-06-09").code == 1
    assert outside.read_bytes() == task_text().encode()
    assert path.is_symlink()


def test_the_file_mode_is_kept_and_no_temporary_is_left(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text())
    path.chmod(0o640)
    inode = path.stat().st_ino
    assert run(*_root(repo), "done", "n/a", "--on", "2025-06-09").code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.yaml"]


def test_a_splice_that_would_not_read_back_is_refused(
    repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo.task("n/a", task_text())
    before = path.read_bytes()
    monkeypatch.setattr(plan, "insert_event", lambda text, event, index: text + "notes: oops\n")
    result = run(*_root(repo), "done", "n/a", "--on", "2025-06-09")
    assert result.code == 1 and "would not read back" in result.err
    assert path.read_bytes() == before


# --- pure functions ------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["|+", ">+", "|", ">-", "|2-"])
def test_append_event_after_a_block_scalar_keeps_its_value(style: str) -> None:
    import datetime as dt

    from tbtrack.files.yamlread import load

    text = f"a: 1\nprogress:\n  - on: 2025-06-01\n    note: {style}\n      kept\n\n\nb: 2\n"
    event = {"on": dt.date(2025, 6, 2), "fulfils": "x"}
    new = yamltext.append_event(text, event)
    old_value, new_value = load(text)[0], load(new)[0]
    assert new_value["progress"] == [*old_value["progress"], event]
    assert _only_inserted(text, new) == ["  - on: 2025-06-02\n", "    fulfils: x\n"]


def test_render_value_keeps_a_value_on_one_line() -> None:
    from tbtrack.files.yamlread import load

    for value in ("two\nlines", "a: b", "null", "'quoted'", "Bộ Tài chính"):
        rendered = render.render_value("state_reason", value)
        assert "\n" not in rendered
        assert load(f"state_reason: {rendered}\n")[0] == {"state_reason": value}


# --- the repository's own data -------------------------------------------------------------

DATA = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA / "tasks", root / "tasks")
    shutil.copyfile((DATA / "agencies.yaml").resolve(), root / "agencies.yaml")
    return root


def test_edits_on_the_repositorys_data_only_add_lines(data_copy: Path, run: Run) -> None:
    root = ("--root", str(data_copy))
    files = {p: p.read_text(encoding="utf-8") for p in (data_copy / "tasks").rglob("*.yaml")}
    assert run(*root, "check").code == 0
    c2 = data_copy / "tasks" / "tgv-2025-06-06" / "2c.yaml"
    result = run(
        *root,
        "done",
        "tgv-2025-06-06/2c",
        "report",
        "--on",
        "2025-06-12",
        "--evidence",
        "Báo cáo số 123/BC-BTC",
    )
    assert result.code == 0, result.err
    first = c2.read_text(encoding="utf-8")
    assert first == files[c2].replace(
        "progress: []\n",
        "progress:\n  - on: 2025-06-12\n    fulfils: report\n    evidence: Báo cáo số 123/BC-BTC\n",
    )
    assert (
        run(
            *root,
            "extend",
            "2c",
            "complete",
            "--to",
            "2025-07-31",
            "--on",
            "2025-06-20",
            "--evidence",
            "Công văn số 456-CV/VPTW đồng ý gia hạn",
        ).code
        == 0
    )
    assert (
        run(
            *root, "done", "2c", "complete", "--on", "2025-07-30", "--evidence", "Tờ trình số 9"
        ).code
        == 0
    )
    assert len(_only_inserted(first, c2.read_text(encoding="utf-8"))) == 7
    monthly = data_copy / "tasks" / "tgv-2025-06-06" / "2a-2.yaml"
    assert run(*root, "done", "2a-2", "monthly-report", "--on", "2025-06-30").code == 0
    assert (
        run(*root, "cancel", "2a-2", "ongoing", "--evidence", "TB 2", "--on", "2025-07-01").code
        == 0
    )
    assert "    for: 2025-06-30\n" in monthly.read_text(encoding="utf-8")
    one_one = data_copy / "tasks" / "tgv-2025-06-06" / "1-1.yaml"
    assert run(*root, "cancel", "1-1", "--reason", "Đã lồng ghép").code == 0
    assert run(*root, "--as-of", "2025-08-01", "check").code == 0
    for path, old in files.items():
        new = path.read_text(encoding="utf-8")
        removed = [
            line
            for line in difflib.ndiff(old.splitlines(), new.splitlines())
            if line.startswith("- ")
        ]
        allowed = {"- progress: []", "- state: active"} if path == one_one else {"- progress: []"}
        assert set(removed) <= allowed, (path, removed)
        assert (new == old) == (path not in (c2, monthly, one_one))


# --- the installed command -----------------------------------------------------------------


def test_the_installed_tbtrack_records_done(repo: Repo) -> None:
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    command = shutil.which("tbtrack", path=search)
    assert command is not None, "tbtrack is not installed in this environment"
    path = repo.task("tgv-2025-06-06/2c", task_text(obligations=TWO))
    env = {**os.environ, "TBTRACK_TODAY": "2025-06-12", "LANG": "C.UTF-8"}
    env.pop("TBTRACK_ROOT", None)
    done = subprocess.run(
        [command, "done", "2c", "report", "--evidence", "Báo cáo số 123/BC-BTC"],
        cwd=repo.root / "tasks",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "+  - on: 2025-06-12" in done.stdout
    assert path.read_text(encoding="utf-8").endswith(
        "progress:\n  - on: 2025-06-12\n    fulfils: report\n    evidence: Báo cáo số 123/BC-BTC\n"
    )
    check = subprocess.run(
        [command, "check"], cwd=repo.root, env=env, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
