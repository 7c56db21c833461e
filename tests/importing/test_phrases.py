"""The phrase data file: read once, every pattern compiled, no placeholder left over."""

from __future__ import annotations

import re

from tbtrack.importing.phrases import phrases

READINGS = {
    "every-yearly-before",
    "every-monthly-before",
    "every-monthly-on",
    "every-years",
    "every",
    "within-month",
    "within-quarter",
    "within-h1",
    "within-h2",
    "within-year",
    "by",
    "before",
    "milestone",
    "ongoing",
}


def test_every_due_pattern_has_a_known_reading_and_no_placeholder_left() -> None:
    loaded = phrases()
    assert loaded.due
    for pattern in loaded.due:
        assert pattern.reading in READINGS
        assert re.search(r"\{[a-z]+\}", pattern.regex.pattern) is None
        if pattern.reading == "every":
            assert pattern.rule in {"weekly", "monthly", "quarterly", "half-yearly", "yearly"}


def test_the_phrases_are_read_once() -> None:
    assert phrases() is phrases()
