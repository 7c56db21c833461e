"""Fixtures of the formatter tests: every kind of result, and a renderer writing to strings."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from render.results import Rendered, Results, build_results
from tbtrack.render.output import Output


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return build_results(tmp_path_factory.mktemp("render") / "data")


@pytest.fixture
def render(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Rendered]:
    """Render with a fresh Output of a format: `render("json", "rows", rows)`."""
    monkeypatch.setenv("COLUMNS", "100")

    def draw(fmt: str, kind: str, *args: Any, lang: str = "en", **kwargs: Any) -> Rendered:
        out, err = io.StringIO(), io.StringIO()
        output = Output(fmt, lang, color=False, stdout=out, stderr=err)
        getattr(output.formatter, kind)(*args, **kwargs)
        return Rendered(out.getvalue(), err.getvalue())

    return draw
