"""`show ID`, `done ID` and `log ID` read the registry and that task, not the repository, and
print what they printed when they read everything: run both ways on the same repositories.

The plain way is the code as it was: `show` through the whole dataset, `done` and `log`
matching the ID against the listing of every file (and every file of the revision).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tbtrack.editing.taskfile as taskfile
import tbtrack.loading.cache as cache_module
import tbtrack.loading.one_task as one_task
import tbtrack.review.history as review_history
from helpers import REGISTRY, Repo, Result, git, task_text
from tbtrack.files.store import list_tasks

Run = Callable[..., Result]

IDS = ("tb/2c", "tb/x", "tb-a/2c", "2c")
CONTENTS = {
    "plain": task_text(),
    "numbered": task_text().replace("number: null", "number: 1/TB"),
    "conflicting": task_text()
    .replace("number: null", "number: 1/TB")
    .replace("date: 2025-06-06", "date: 2025-06-07"),
    "two": task_text(
        obligations="  - id: complete\n    by: 2025-07-01\n"
        "  - id: report\n    kind: report\n    before: 2025-06-12\n",
        progress="\n  - on: 2025-06-09\n    fulfils: report\n    evidence: Báo cáo số 1\n",
    ),
    "group": task_text(lead="[Nhóm ba bộ]"),
    "unknown-agency": task_text(lead="[Bộ Không Có]"),
    "bad-yaml": "title: [unclosed\n",
}
THOROUGH = os.environ.get("TBTRACK_HYPOTHESIS") == "thorough"
QUERIES = ("2c", "x", "tb/2c", "tasks/tb/x.yaml", "TB/X", "nope", "")


@contextmanager
def plain_way(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every one-task answer as it was: from the whole dataset, the ID among every file."""
    with monkeypatch.context() as m:
        m.setattr(one_task, "load_one", lambda *args, **kwargs: None)
        m.setattr(one_task, "load_one_at", lambda *args, **kwargs: None)
        m.setattr(taskfile, "files_matching", lambda root, text: list_tasks(root).tasks)
        m.setattr(review_history, "files_matching", lambda root, text: list_tasks(root).tasks)
        m.setattr(review_history, "sought_id", lambda text: "\0")  # the revision's IDs always asked
        yield


def both_ways(run: Run, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Result, Result]:
    shortcut = run(*args)
    with plain_way(monkeypatch):
        plain = run(*args)
    assert "Traceback" not in shortcut.err + plain.err
    return shortcut, plain


def assert_show_as_before(shortcut: Result, plain: Result) -> None:
    """The same answer; what the plain way adds is only the other files' errors (SPEC 5.2):
    a one-task answer reads no other file, so it has none to report."""
    assert shortcut.out == plain.out
    if shortcut != plain:
        assert (shortcut.code, shortcut.err) == (0, "")
        assert plain.code == 1
        assert plain.err.startswith("tbtrack: ") and "could not be read" in plain.err


def _write(root: Path, files: dict[str, str]) -> Repo:
    repo = Repo(root)
    repo.write("agencies.yaml", REGISTRY)
    (root / "tasks").mkdir(exist_ok=True)
    for identifier, kind in files.items():
        repo.task(identifier, CONTENTS[kind])
    return repo


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # each example is eight runs of the program: few by default, many in the long run
    max_examples=1000 if THOROUGH else 10,
)
@given(
    files=st.dictionaries(st.sampled_from(IDS), st.sampled_from(sorted(CONTENTS)), min_size=1),
    text=st.sampled_from(QUERIES + IDS),
    fmt=st.sampled_from(["table", "json"]),
    warm=st.booleans(),
)
@example(files={"tb/2c": "plain", "tb-a/2c": "two"}, text="2c", fmt="table", warm=True)
@example(files={"tb/2c": "bad-yaml", "tb-a/2c": "two"}, text="2c", fmt="table", warm=False)
@example(files={"tb/x": "numbered", "2c": "conflicting"}, text="2c", fmt="json", warm=True)
@example(files={"tb/x": "group", "tb/2c": "unknown-agency"}, text="tb/x", fmt="json", warm=False)
def test_show_and_done_print_what_they_printed(
    files: dict[str, str],
    text: str,
    fmt: str,
    warm: bool,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, files)
        common = ("--root", folder, "--as-of", "2025-06-20", "--format", fmt, "--no-color")
        if warm:
            time.sleep(0.02)  # past the clock's tick: the cache may keep the files
            run(*common, "summary")
        assert_show_as_before(*both_ways(run, monkeypatch, *common, "show", text))
        done = (*common, "done", text, "--on", "2025-06-09", "--evidence", "Báo cáo số 2")
        shortcut, plain = both_ways(run, monkeypatch, *done, "--dry-run")
        assert shortcut == plain


def test_done_writes_the_same_bytes_both_ways(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write(repo.root, {"tb/2c": "two", "tb/x": "plain", "tb-a/x": "bad-yaml"})
    copy = tmp_path / "copy"
    shutil.copytree(repo.root, copy)
    args = ("done", "2c", "complete", "--on", "2025-06-09", "--evidence", "Báo cáo số 2")
    shortcut = run("--root", str(repo.root), *args)
    with plain_way(monkeypatch):
        plain = run("--root", str(copy), *args)
    assert shortcut == plain
    assert shortcut.code == 0
    written = (repo.root / "tasks/tb/2c.yaml").read_bytes()
    assert written == (copy / "tasks/tb/2c.yaml").read_bytes() != CONTENTS["two"].encode()
    assert b"fulfils: complete" in written
    # refused both ways alike: the file with errors is not edited, the ambiguous ID is asked
    for refused in (("done", "tb-a/x"), ("done", "x")):
        again = both_ways(run, monkeypatch, "--root", str(repo.root), *refused, "--dry-run")
        assert again[0] == again[1]
        assert again[0].code in (1, 2) and again[0].err.startswith("tbtrack: ")


def test_show_of_a_task_with_errors_or_an_unknown_id_says_so_as_before(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo.root, {"tb/2c": "plain", "tb/x": "unknown-agency", "tb-a/x": "plain"})
    root = ("--root", str(repo.root))
    shortcut, plain = both_ways(run, monkeypatch, *root, "show", "tb/x")
    assert shortcut == plain
    assert shortcut.code == 2
    assert (
        shortcut.err
        == "tbtrack: error: tasks/tb/x.yaml has errors; run `tbtrack check tasks/tb/x.yaml`\n"
    )
    shortcut, plain = both_ways(run, monkeypatch, *root, "show", "nope")
    assert shortcut == plain == Result(2, "", "tbtrack: error: no task with ID 'nope'\n")
    # another file's errors are not this answer's: the task is shown, and the run succeeds
    shortcut, plain = both_ways(run, monkeypatch, *root, "show", "tb/2c")
    assert shortcut.out == plain.out and "tb/2c" in shortcut.out
    assert (shortcut.code, shortcut.err) == (0, "")
    assert plain.code == 1 and "tasks/tb/x.yaml" in plain.err
    # agencies.yaml with errors: the full load says what it always said
    (repo.root / "agencies.yaml").write_text("agencies: [\n", encoding="utf-8")
    shortcut, plain = both_ways(run, monkeypatch, *root, "show", "tb/2c")
    assert shortcut == plain
    assert shortcut.code == 2


def test_a_warm_show_loads_neither_pydantic_nor_the_yaml_parser(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    _write(repo.root, {"tb/2c": "two", "tb/x": "plain"})
    time.sleep(0.03)
    assert run("--root", str(repo.root), "summary").code == 0  # fills the cache
    code = (
        "import json, sys\n"
        "from tbtrack.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ['pydantic', 'ruamel.yaml', 'tbtrack.files.schema']\n"
        "sys.stderr.write(json.dumps([m for m in heavy if m in sys.modules]))\n"
        "sys.exit(code)\n"
    )
    args = ["--root", str(repo.root), "--format", "json", "show", "2c"]
    env = dict(os.environ, TBTRACK_TODAY="2025-06-10")
    warm = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    assert warm.returncode == 0, warm.stderr
    assert json.loads(warm.stdout) == json.loads(run(*args).out)
    assert json.loads(warm.stderr) == []


# --- log, and show --rev ---------------------------------------------------------------------


@pytest.fixture
def history(repo: Repo) -> Repo:
    """Tasks committed, renamed, deleted and edited, and some only in the working tree."""
    git(repo.root, "init", "-q")
    _write(repo.root, {"tb/2c": "plain", "tb/x": "plain", "tb/gone": "plain", "tb/old": "two"})
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "Thêm nhiệm vụ")
    git(repo.root, "mv", "tasks/tb/old.yaml", "tasks/tb/new.yaml")
    git(repo.root, "rm", "-q", "tasks/tb/gone.yaml")
    repo.task("tb/x", CONTENTS["two"])
    repo.task("tb-a/2c", CONTENTS["group"])
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "Đổi tên, xoá, ghi nhận")
    (repo.root / "tasks/tb/x.yaml").unlink()  # deleted in the working tree only
    repo.task("tb/fresh", CONTENTS["plain"])  # not committed yet
    repo.task("tb-a/x", CONTENTS["bad-yaml"])
    return repo


@pytest.mark.parametrize(
    ("text", "rev"),
    [
        ("x", ()),  # deleted in the working tree, in HEAD
        ("2c", ()),  # ambiguous: tb/2c and tb-a/2c
        ("tb/2c", ("--rev", "HEAD~1")),
        ("new", ()),  # renamed from tb/old: the history follows
        ("gone", ("--rev", "HEAD~1")),  # only in the first commit
        ("fresh", ()),  # not committed
        ("tb-a/x", ()),  # in the working tree, with errors
        ("nope", ()),
    ],
)
def test_log_prints_what_it_printed(
    run: Run, history: Repo, monkeypatch: pytest.MonkeyPatch, text: str, rev: tuple[str, ...]
) -> None:
    args = ("--root", str(history.root), "--format", "json", *rev, "log", text)
    shortcut, plain = both_ways(run, monkeypatch, *args)
    assert shortcut == plain
    assert shortcut.code in (0, 2)


@pytest.mark.parametrize(
    ("text", "rev"),
    [("2c", "HEAD"), ("tb/x", "HEAD~1"), ("old", "HEAD~1"), ("new", "HEAD"), ("fresh", "HEAD")],
)
def test_show_at_a_revision_prints_what_it_printed(
    run: Run, history: Repo, monkeypatch: pytest.MonkeyPatch, text: str, rev: str
) -> None:
    args = ("--root", str(history.root), "--as-of", "2025-06-20", "--rev", rev, "show", text)
    assert_show_as_before(*both_ways(run, monkeypatch, *args))


def test_show_at_a_revision_reads_the_revision(run: Run, history: Repo) -> None:
    root = ("--root", str(history.root), "--format", "json")
    then = json.loads(run(*root, "--rev", "HEAD~1", "show", "tb/x").out)
    now = json.loads(run(*root, "--rev", "HEAD", "show", "tb/x").out)
    assert then != now
    assert run(*root, "show", "tb/x").code == 2  # gone from the working tree
