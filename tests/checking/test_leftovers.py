"""Temporary files an interrupted write left: named by `check`, with the fix."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from helpers import Repo, Result, git, task_text
from tbtrack.checking.leftovers import STALE_AFTER, stale_temporaries
from tbtrack.files.store import list_tasks

Run = Callable[..., Result]


def test_check_names_a_stale_temporary_file(repo: Repo, run: Run) -> None:
    repo.task("n/a", task_text())
    stale = repo.root / "tasks" / "n" / ".a.yaml.k2j4h1.tmp"
    stale.write_text("source:\n", encoding="utf-8")
    old = time.time() - STALE_AFTER - 5
    os.utime(stale, (old, old))
    fresh = repo.root / "tasks" / "n" / ".a.yaml.zzzz.tmp"  # a write still under way
    fresh.write_text("", encoding="utf-8")
    (repo.root / "tasks" / "n" / ".notes.tmp").write_text("", encoding="utf-8")  # not ours
    result = run("--root", str(repo.root), "check")
    assert result.code == 0, result.out  # a warning
    assert (
        "tasks/n/.a.yaml.k2j4h1.tmp:1:1: warning: a temporary file left by an interrupted "
        "write; the task file beside it holds the old or the new version, never a torn one "
        "(delete it: rm 'tasks/n/.a.yaml.k2j4h1.tmp') [stale-temporary]"
    ) in result.out
    assert "zzzz" not in result.out and ".notes.tmp" not in result.out
    # the listings never read it
    assert ".tmp" not in run("--root", str(repo.root), "due").err


def test_stale_temporaries_direct(repo: Repo) -> None:
    folder = repo.root / "tasks" / "a" / "b"
    folder.mkdir(parents=True)
    (folder / ".x.yaml.1.tmp").write_text("", encoding="utf-8")
    (folder / ".y.yaml.2.tmp").mkdir()  # a folder so named is no temporary file
    (folder / ".z.yaml.3.tmp").symlink_to(folder / ".x.yaml.1.tmp")  # nor a link
    hidden = list_tasks(repo.root).hidden
    assert hidden == [
        "tasks/a/b/.x.yaml.1.tmp",
        "tasks/a/b/.y.yaml.2.tmp",
        "tasks/a/b/.z.yaml.3.tmp",
    ]
    now = time.time()
    assert stale_temporaries(repo.root, hidden, now) == []
    found = stale_temporaries(
        repo.root, [*hidden, "tasks/a/b/.gone.yaml.4.tmp"], now + STALE_AFTER + 1
    )
    assert [(d.path, d.severity, d.rule) for d in found] == [
        ("tasks/a/b/.x.yaml.1.tmp", "warning", "stale-temporary")
    ]


def test_a_revision_has_no_temporaries_of_the_working_tree(repo: Repo, run: Run) -> None:
    repo.task("n/a", task_text())
    git(repo.root, "init", "-q")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "one task")
    stale = repo.root / "tasks" / "n" / ".a.yaml.k2j4h1.tmp"
    stale.write_text("source:\n", encoding="utf-8")
    old = time.time() - STALE_AFTER - 5
    os.utime(stale, (old, old))
    assert "[stale-temporary]" in run("--root", str(repo.root), "check").out
    at_head = run("--root", str(repo.root), "--rev", "HEAD", "check")
    assert at_head.code == 0, at_head.err
    assert "stale-temporary" not in at_head.out + at_head.err
