"""Fixtures: small data roots built in temporary folders, and a runner for the CLI."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import REGISTRY, Repo, Result
from tbtrack.__main__ import main

# With PYTHONDONTWRITEBYTECODE set, every test module would be rewritten for its asserts, and
# tbtrack compiled again, in each process of every run (seconds of each run): the suite keeps
# its bytecode, in the __pycache__ folders git ignores, for itself and the commands it starts.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# property tests run a few examples from a fixed seed by default; TBTRACK_HYPOTHESIS=thorough
# runs each with many more, from fresh seeds, for the long run
settings.register_profile("default", max_examples=25, derandomize=True, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("TBTRACK_HYPOTHESIS", "default"))


@pytest.fixture(autouse=True)
def user_cache(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test's own cache, state and temporary folders: the cache lives in the user's,
    never in a data root, and a crash log a test provokes stays inside the test's folder."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("user-state")))
    temporary = tmp_path_factory.mktemp("tmp")
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "data"
    root.mkdir()
    (root / "agencies.yaml").write_text(REGISTRY, encoding="utf-8")
    (root / "tasks").mkdir()
    return Repo(root)


@pytest.fixture
def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """Run `tbtrack ARGS` in-process through the real entry point, as a user would."""
    monkeypatch.setenv("TBTRACK_TODAY", "2025-06-10")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("TBTRACK_ROOT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
