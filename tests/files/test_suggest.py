"""Tests for tbtrack.files.suggest: the suggestions of the exhaustive search, in bounded time."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest

from tbtrack.checking.check import analyse_registry
from tbtrack.files.registry import Registry
from tbtrack.files.suggest import CANDIDATES, suggestion_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry() -> Registry:
    built, problems = analyse_registry("agencies.yaml", (ROOT / "agencies.yaml").read_bytes())
    assert built is not None and not [p for p in problems if p.severity == "error"]
    return built


def misspellings(registry: Registry, count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    spellings = sorted(registry._exact)
    out = []
    for _ in range(count):
        name = chooser.choice(spellings)
        for _ in range(chooser.randrange(1, 4)):
            at = chooser.randrange(len(name) + 1)
            edit = chooser.randrange(3)
            if edit == 0:
                name = name[:at] + chooser.choice("abcxyzđô ") + name[at + 1 :]
            elif edit == 1:
                name = name[:at] + name[at + 1 :]
            else:
                name = name[:at] + chooser.choice("qwe") + name[at:]
        out.append(name)
    return out


def test_the_index_suggests_what_the_exhaustive_search_suggests(registry: Registry) -> None:
    index = suggestion_index(registry._exact.items())
    names = misspellings(registry, 150, seed=16)
    assert [index.suggest(n) for n in names] == [registry.suggest(n) for n in names]
    assert sum(1 for n in names if index.suggest(n)) > 130  # most misspellings have one


def test_known_misspellings(registry: Registry) -> None:
    index = suggestion_index(registry._exact.items())
    assert index.suggest("Bộ Tài chinh x") == ["Bộ Tài chính"]
    assert index.suggest("bo khoa hoc va cong nghe") == ["Bộ Khoa học và Công nghệ"]
    assert index.suggest("zzzzzzzzzzzzzzzz") == []
    assert index.suggest("") == []
    assert index.suggest("Bộ " + "x" * 10_000) == []
    assert index.suggest("Bộ Tài chinh x", count=0) == []


def test_the_work_per_name_is_bounded(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a timing: the exact ratio is computed for at most CANDIDATES spellings a name, and a
    name asked again is answered from memory (check reads a bad file twice)."""
    scored = 0
    ratio = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        nonlocal scored
        scored += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    names = misspellings(registry, 200, seed=1000)
    index = suggestion_index(registry._exact.items())
    answers = [index.suggest(n) for n in names]
    first = scored
    assert first <= CANDIDATES * len(names)
    assert [index.suggest(n) for n in names] == answers
    assert scored == first  # nothing scored twice
    assert len(registry._exact) > CANDIDATES  # so the bound is a bound


def test_suggestions_are_deterministic(registry: Registry) -> None:
    names = misspellings(registry, 50, seed=3)
    one, other = (suggestion_index(registry._exact.items()) for _ in range(2))
    assert [one.suggest(n) for n in names] == [other.suggest(n) for n in names]


def test_ties_go_to_the_registry_order() -> None:
    index = suggestion_index([("Bộ Alpha", "Bộ Alpha"), ("Bộ Alphb", "Bộ Alphb")])
    assert index.suggest("Bộ Alphc") == ["Bộ Alpha", "Bộ Alphb"]
    index = suggestion_index([("Bộ Alphb", "Bộ Alphb"), ("Bộ Alpha", "Bộ Alpha")])
    assert index.suggest("Bộ Alphc") == ["Bộ Alphb", "Bộ Alpha"]
