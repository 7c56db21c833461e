"""Fixtures: small data roots built in temporary folders, and a runner for the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import REGISTRY, Repo, Result
from tbtrack.__main__ import main


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
