"""The one error handler: exit codes, one line on stderr, the crash log's folder."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result
from tbtrack.cli.failure import crash_log, exit_code, log_folders
from tbtrack.errors import GitError, UsageError, WriteRefused
from tbtrack.render.output import Output


def handled(exc: BaseException) -> tuple[int, str]:
    err = io.StringIO()
    code = exit_code(exc, Output(stdout=io.StringIO(), stderr=err))
    return code, err.getvalue()


def test_errors_for_people_keep_their_exit_code() -> None:
    assert handled(UsageError("--kind: 'x' is not a kind")) == (
        2,
        "tbtrack: error: --kind: 'x' is not a kind\n",
    )
    assert handled(WriteRefused("changed on disk"))[0] == 1
    assert handled(GitError("not a git repository"))[0] == 2
    assert handled(UsageError("a\nforged line")) == (2, "tbtrack: error: a\\nforged line\n")
    assert handled(KeyboardInterrupt()) == (130, "tbtrack: interrupted\n")


def test_anything_else_is_exit_70_with_a_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        code, err = handled(exc)
    assert code == 70
    first, second = err.splitlines()
    assert first == "tbtrack: internal error: RuntimeError: boom"
    path = Path(
        second.removeprefix("tbtrack: the details are in ").removesuffix("; please report them")
    )
    assert path.parent == tmp_path / "state" / "tbtrack"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("tbtrack ")
    assert 'raise RuntimeError("boom")' in text


def test_the_log_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    assert log_folders() == [tmp_path / "state" / "tbtrack", tmp_path / "tmp" / "tbtrack"]
    monkeypatch.setenv("XDG_STATE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert log_folders()[0] == tmp_path / "home" / ".local" / "state" / "tbtrack"


def test_an_unwritable_state_folder_falls_back_to_tmpdir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    (tmp_path / "tmp").mkdir()
    path = Path(crash_log(ValueError("x")))
    assert path.parent == tmp_path / "tmp" / "tbtrack"
    assert "ValueError: x" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("exc", [SystemError("x"), OverflowError("date value out of range")])
def test_every_other_exception_is_internal(
    exc: Exception, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert handled(exc)[0] == 70


def test_a_refused_write_lists_its_diagnostics_on_lines_of_their_own(
    run: Callable[..., Result], repo: Repo
) -> None:
    result = run(
        "--root",
        str(repo.root),
        "new",
        "x/1",
        "--notice",
        "TB",
        "--date",
        "2025-06-06",
        "--section",
        "1",
        "--title",
        "T",
        "--lead",
        "Bộ Tài chính",
        "--before",
        "0001-01-01",
    )
    assert result.code == 1
    assert result.err.splitlines()[1:] == [
        "  tasks/x/1.yaml:14:13: error: 0001-01-01 is out of range: dates are from 1900-01-01 "
        "to 2200-12-31 [date]"
    ]
    assert not (repo.root / "tasks" / "x").exists()
