"""Tests for tbtrack.files.store: what the listing of tasks/ reads, and what it refuses."""

from __future__ import annotations

import json
import marshal
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import Repo, Result, task_text
from tbtrack.errors import UsageError
from tbtrack.files import store
from tbtrack.files.store import list_tasks

Run = Callable[..., Result]
GOOD = task_text()
HINT = "(give this user read permission, or move it out of tasks/)"


def check(run: Run, repo: Repo) -> Result:
    result = run("--root", str(repo.root), "check", "--no-cache")
    assert "Traceback" not in result.err
    return result


@pytest.fixture
def another_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission bits as an ordinary user sees them, even when the tests run as root."""
    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    monkeypatch.setattr(os, "getegid", lambda: 4242)
    monkeypatch.setattr(os, "getgroups", lambda: [4242])


@pytest.fixture
def chmod_back(repo: Repo) -> Iterator[None]:
    yield
    for folder, _, files in os.walk(repo.root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def test_an_unreadable_task_file_is_a_located_error_and_the_rest_is_listed(
    run: Run, repo: Repo, another_user: None, chmod_back: None
) -> None:
    repo.task("tb/good", GOOD)
    secret = repo.task("tb/secret", GOOD)
    secret.chmod(0o000)
    result = check(run, repo)
    assert result.code == 1
    assert result.out == (
        f"tasks/tb/secret.yaml:1:1: error: cannot read: permission denied {HINT} [cannot-read]\n"
    )
    due = run("--root", str(repo.root), "due", "--before", "2025-07-02", "--no-cache")
    assert due.code == 1
    assert "tb/good" in due.out
    assert "tb/secret" not in due.out
    assert "tasks/tb/secret.yaml:1:1: error: cannot read" in due.err


def test_a_file_readable_by_its_owner_or_group_is_read(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo.task("tb/mine", GOOD)
    path.chmod(0o400)
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner)
    assert list(list_tasks(repo.root).tasks) == ["tasks/tb/mine.yaml"]
    path.chmod(0o040)
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1 if owner else 4242)
    monkeypatch.setattr(os, "getgroups", lambda: [path.stat().st_gid])
    assert list(list_tasks(repo.root).tasks) == ["tasks/tb/mine.yaml"]
    monkeypatch.setattr(os, "getgroups", lambda: [])
    monkeypatch.setattr(os, "getegid", lambda: path.stat().st_gid + 1)
    listing = list_tasks(repo.root)
    assert (list(listing.tasks), [d.rule for d in listing.problems]) == ([], ["cannot-read"])


def test_an_unreadable_folder_is_a_located_error_and_the_rest_is_listed(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, chmod_back: None
) -> None:
    repo.task("tb/good", GOOD)
    repo.task("locked/a", GOOD)
    locked = repo.root / "tasks" / "locked"
    locked.chmod(0o000)
    if os.geteuid() == 0:  # root reads any folder: refuse it as the kernel would refuse a user
        scandir = os.scandir

        def refusing(path: str) -> object:
            if os.path.samefile(path, locked):
                raise PermissionError(13, "Permission denied", path)
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refusing)
    result = check(run, repo)
    assert result.code == 1
    assert result.out == (
        f"tasks/locked:1:1: error: cannot read: permission denied {HINT} [cannot-read]\n"
    )


def test_tasks_linked_outside_the_data_root_is_refused_and_never_read(
    run: Run, repo: Repo, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "tb").mkdir(parents=True)
    (outside / "tb" / "x.yaml").write_text("secret: the content of a file outside\n")
    (repo.root / "tasks").rmdir()
    (repo.root / "tasks").symlink_to(outside, target_is_directory=True)
    result = run("--root", str(repo.root), "--format", "json", "check", "--no-cache")
    assert result.code == 1
    assert json.loads(result.out) == [
        {
            "path": "tasks",
            "line": 1,
            "col": 1,
            "severity": "error",
            "message": "tasks/ is a link to a folder outside the data root; it is not read",
            "rule": "outside-root",
            "hint": "make tasks/ a folder of the data repository",
        }
    ]
    assert "secret" not in result.out + result.err
    due = run("--root", str(repo.root), "due", "--no-cache")
    assert due.code == 1
    assert "secret" not in due.out + due.err


def test_tasks_linked_to_a_folder_inside_the_data_root_is_read(repo: Repo) -> None:
    (repo.root / "tasks").rmdir()
    repo.task("tb/x", GOOD)
    (repo.root / "tasks").rename(repo.root / "kept")
    (repo.root / "tasks").symlink_to(repo.root / "kept", target_is_directory=True)
    listing = list_tasks(repo.root)
    assert (list(listing.tasks), listing.problems) == (["tasks/tb/x.yaml"], [])


def test_links_fifos_and_devices_are_never_read(run: Run, repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret: outside\n")
    repo.task("tb/good", GOOD)
    folder = repo.root / "tasks" / "tb"
    (folder / "link.yaml").symlink_to(outside)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.yaml")  # opening it would block for ever
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    listing = list_tasks(repo.root)
    assert list(listing.tasks) == ["tasks/tb/good.yaml"]
    assert sorted(listing.strays) == [
        "tasks/tb/link.yaml",
        "tasks/tb/linked",
        "tasks/tb/pipe.yaml",
        "tasks/tb/zero.yaml",
    ]
    result = check(run, repo)
    assert result.code == 0
    assert "secret" not in result.out


def test_the_listing_is_in_path_order_and_skips_hidden_entries(repo: Repo) -> None:
    for name in ("tb/b", "tb/a", "tb-2/a", ".hidden/a", "tb/.x"):
        repo.task(name, GOOD)
    assert list(list_tasks(repo.root).tasks) == [
        "tasks/tb-2/a.yaml",
        "tasks/tb/a.yaml",
        "tasks/tb/b.yaml",
    ]


def test_a_listing_walked_in_parts_is_the_listing_walked_at_once(
    repo: Repo, another_user: None, chmod_back: None
) -> None:
    """Split anywhere among tasks/'s entries, each part listed alone and sent as a forked
    child sends it (`Listing.packed`, marshal, `Listing.unpacked`), the parts added up give
    the listing of one walk: its files in order, strays, problems and hidden entries."""
    for name in ("a/1", "a/2", "b/x/1", "c/1", "top", "z/1", "a/.hidden", ".git/x"):
        repo.task(name, GOOD)
    repo.write("tasks/b/notes.txt", "a stray\n")
    repo.write("tasks/stray.md", "a stray\n")
    repo.task("c/secret", GOOD).chmod(0o000)
    whole = list_tasks(repo.root)
    assert len(whole.tasks) == 6
    assert (whole.strays, whole.hidden) == (
        ["tasks/b/notes.txt", "tasks/stray.md"],
        ["tasks/.git", "tasks/a/.hidden.yaml"],
    )
    assert [d.path for d in whole.problems] == ["tasks/c/secret.yaml"]
    for at in range(7):  # tasks/ holds six entries and .git

        def in_parts(
            entries: Sequence[Any], walk: Callable[..., store.Listing], at: int = at
        ) -> list[Any]:
            first, second = walk(entries[:at]), walk(entries[at:])
            sent = marshal.loads(marshal.dumps(second.packed()))
            return [first, store.Listing.unpacked(sent)]

        parts = list_tasks(repo.root, in_parts)
        assert parts == whole
        assert list(parts.tasks) == list(whole.tasks)


@pytest.mark.parametrize(
    "value",
    [
        None,
        ("", b"", [], []),
        ("tasks/a.yaml", b"", [], [], []),  # a path without its stat
        ("", b"", None, [], []),
        ("", b"", [], [("tasks/a.yaml",)], []),  # a problem without its fields
        ("tasks/a.yaml\0tasks/b.yaml", bytes(32), [], [], []),  # two paths, one stat
        ("tasks/a.yaml", bytes(40), [], [], []),  # a stat and a part of one
        ("tasks/a.yaml", "x" * 32, [], [], []),  # stats that are no bytes
    ],
)
def test_what_is_not_a_packed_listing_is_refused(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        store.Listing.unpacked(value)
    with pytest.raises((ValueError, TypeError)):
        store.Listing.unpacked_apart(value)  # as a warm run takes it, checked as well


def test_ids_and_paths() -> None:
    assert store.task_id("tasks/tgv-2025-06-06/2c.yaml") == "tgv-2025-06-06/2c"
    assert store.task_path("tgv-2025-06-06/2c") == "tasks/tgv-2025-06-06/2c.yaml"
    assert store.id_problem("tb/ok-1.2_x") is None
    for bad in ("", "../x", "tb/../x", "Tb/x", "tb//x", "tb/\u0430", "tb/x y"):
        assert store.id_problem(bad) is not None, bad


# --- files_matching: the files an ID could name, without listing every file ---------------

FOLDERS = ("tb", "tb-a", "Tb", "x.yaml", ".h", "tb/sub", "tb-a/tb")
NAMES = ("2c", "2C", "a", "b.c", ".h", "tb")
# how a name is made: a task file, a stray, a link to a file, a link to a folder, a folder
KINDS = ("task", "stray", "link", "linked-folder", "folder")


def _outcome(text: str, ids: list[str]) -> tuple[str, str]:
    try:
        return ("id", store.match_id(text, ids))
    except UsageError as exc:
        return ("error", str(exc))


def _queries(ids: list[str]) -> list[str]:
    asked = ["", "/", "nope", "..", "../agencies", "tb//2c", ".h", "tb/.h", "a/", " a "]
    for identifier in ids:
        last = identifier.rsplit("/", 1)[-1]
        asked += [identifier, last, identifier.upper(), f"tasks/{identifier}.yaml"]
        asked += [f"/{identifier}/", identifier.split("/", 1)[-1]]
    return asked


def _assert_same_choice(root: Path, texts: list[str]) -> None:
    listed = list_tasks(root).tasks
    every = [store.task_id(rel) for rel in listed]
    for text in texts:
        found = store.files_matching(root, text)
        assert found.items() <= listed.items(), text
        assert _outcome(text, [store.task_id(rel) for rel in found]) == _outcome(text, every), text


@given(
    st.lists(
        st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES), st.sampled_from(KINDS)),
        max_size=8,
    )
)
def test_files_matching_picks_as_the_whole_listing_does(
    layout: list[tuple[str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "agencies.yaml").write_text("agencies: []\n")
        tasks = root / "tasks"
        tasks.mkdir()
        (root / "elsewhere").mkdir()
        (root / "elsewhere" / "2c.yaml").write_text(GOOD)
        for parent, name, kind in layout:
            where = tasks / parent
            if (where.exists() and not where.is_dir()) or where.is_symlink():
                continue
            where.mkdir(parents=True, exist_ok=True)
            path = where / f"{name}.yaml"
            if os.path.lexists(path) or os.path.lexists(where / name):
                continue
            if kind == "task":
                path.write_text(GOOD)
            elif kind == "stray":
                (where / name).write_text(GOOD)
            elif kind == "link":
                path.symlink_to(root / "elsewhere" / "2c.yaml")
            elif kind == "linked-folder":
                (where / name).symlink_to(root / "elsewhere", target_is_directory=True)
            else:
                path.mkdir()
        ids = [store.task_id(rel) for rel in list_tasks(root).tasks]
        # and the IDs through links, which must not be found
        others = [f"{parent}/{name}" for parent, name, kind in layout if kind != "task"]
        through = [*others, *(f"{other}/2c" for other in others)]
        _assert_same_choice(root, _queries([*ids, *through, "tb/2c", "x.yaml/a"]))


def test_files_matching_skips_what_the_listing_cannot_read(
    repo: Repo, another_user: None, chmod_back: None
) -> None:
    repo.task("tb/x", GOOD)
    repo.task("tb-2/x", GOOD)
    repo.task("locked/x", GOOD)
    (repo.root / "tasks" / "tb" / "x.yaml").chmod(0o000)
    assert store.files_matching(repo.root, "tb/x") == {}
    assert list(store.files_matching(repo.root, "x")) == [
        "tasks/locked/x.yaml",
        "tasks/tb-2/x.yaml",
    ]
    _assert_same_choice(repo.root, ["x", "tb/x", "tb-2/x", "locked/x"])


def test_files_matching_skips_a_folder_the_listing_cannot_read(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.task("tb/x", GOOD)
    repo.task("locked/x", GOOD)
    locked = repo.root / "tasks" / "locked"
    scandir = os.scandir

    def refusing(path: str) -> object:  # as the kernel refuses a folder without read access
        if os.path.samefile(path, locked):
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert store.files_matching(repo.root, "locked/x") == {}
    assert list(store.files_matching(repo.root, "x")) == ["tasks/tb/x.yaml"]
    _assert_same_choice(repo.root, ["x", "locked/x", "tb/x"])


def test_files_matching_under_a_tasks_link(repo: Repo, tmp_path: Path) -> None:
    repo.task("tb/x", GOOD)
    (repo.root / "tasks").rename(repo.root / "kept")
    (repo.root / "tasks").symlink_to(repo.root / "kept", target_is_directory=True)
    assert list(store.files_matching(repo.root, "tb/x")) == ["tasks/tb/x.yaml"]
    (repo.root / "tasks").unlink()
    (repo.root / "tasks").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "outside" / "tb").mkdir(parents=True)
    (tmp_path / "outside" / "tb" / "x.yaml").write_text(GOOD)
    assert store.files_matching(repo.root, "tb/x") == {}
    assert store.files_matching(repo.root, "x") == {}


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 65_537, 200_000])
def test_read_file_gives_the_bytes_read_bytes_gives(tmp_path: Path, size: int) -> None:
    from tbtrack.files.store import read_file

    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "a.yaml").write_bytes(data)
    assert read_file(tmp_path, "tasks/a.yaml") == data


def test_read_file_raises_what_read_bytes_raises(tmp_path: Path) -> None:
    from tbtrack.files.store import read_file

    with pytest.raises(FileNotFoundError) as missing:
        read_file(tmp_path, "tasks/gone.yaml")
    assert missing.value.strerror == "No such file or directory"
    with pytest.raises(IsADirectoryError):
        read_file(tmp_path, "")
