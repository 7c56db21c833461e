"""Splicing: an event inserted at any place, state set in place; every other byte kept."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest

from tbtrack.editing.yamltext import append_event, insert_event, set_state
from tbtrack.files.yamlread import load

D = dt.date
HEAD = "title: T\n"
PROGRESS = (
    "progress:\n"
    "  - on: 2025-06-01\n    fulfils: a\n"
    "  # about the second event\n"
    "  - on: 2025-06-05\n    fulfils: b\n"
    "notes: kept\n"
)
EVENT = {"on": D(2025, 6, 3), "fulfils": "c"}


def _inserted(old: str, new: str) -> list[str]:
    matcher = difflib.SequenceMatcher(None, old.splitlines(True), new.splitlines(True))
    added: list[str] = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert")
        if tag == "insert":
            added += new.splitlines(True)[j1:j2]
    return added


@pytest.mark.parametrize("index", [0, 1, 2, None])
def test_insert_event_at_each_place(index: int | None) -> None:
    text = HEAD + PROGRESS
    new = insert_event(text, EVENT, index)
    events = load(text)[0]["progress"]
    events.insert(len(events) if index is None else index, EVENT)
    assert load(new)[0]["progress"] == events
    assert _inserted(text, new) == ["  - on: 2025-06-03\n", "    fulfils: c\n"]


def test_an_inserted_event_goes_above_the_comments_of_the_next_one() -> None:
    new = insert_event(HEAD + PROGRESS, EVENT, 1)
    assert "    fulfils: a\n  - on: 2025-06-03\n    fulfils: c\n  # about the second" in new


def test_insert_before_an_item_whose_dash_stands_alone() -> None:
    text = "progress:\n  -\n    on: 2025-06-05\n    fulfils: b\n"
    new = insert_event(text, EVENT, 0)
    assert new == "progress:\n  - on: 2025-06-03\n    fulfils: c\n" + text[len("progress:\n") :]


def test_insert_keeps_crlf_and_a_missing_final_newline() -> None:
    text = (HEAD + PROGRESS).replace("\n", "\r\n").removesuffix("\r\n")
    new = insert_event(text, EVENT, 1)
    assert "\r\n  - on: 2025-06-03\r\n    fulfils: c\r\n" in new
    assert new.replace("  - on: 2025-06-03\r\n    fulfils: c\r\n", "", 1) == text
    assert append_event(text, EVENT).endswith("notes: kept")


def test_set_state_writes_state_reason_and_state_on_in_order() -> None:
    text = "title: T\nstate: active   # live\nobligations: []\n"
    values = {"state": "cancelled", "state_reason": "TB 10", "state_on": "2025-06-10"}
    assert set_state(text, values) == (
        "title: T\nstate: cancelled   # live\nstate_reason: TB 10\nstate_on: 2025-06-10\n"
        "obligations: []\n"
    )
    # keys the file has are set where they stand; a missing one follows the one before it
    text = "state: active\nstate_reason: null\nobligations: []\n"
    assert set_state(text, values) == (
        "state: cancelled\nstate_reason: TB 10\nstate_on: 2025-06-10\nobligations: []\n"
    )
    # without state: above obligations, with the comments that belong to it
    text = "title: T\n# the deadlines\nobligations: []\n"
    assert set_state(text, values) == (
        "title: T\nstate: cancelled\nstate_reason: TB 10\nstate_on: 2025-06-10\n"
        "# the deadlines\nobligations: []\n"
    )


def test_set_state_after_a_last_line_without_a_newline() -> None:
    text = "title: T\nstate: active"
    new = set_state(text, {"state": "cancelled", "state_reason": "R", "state_on": "2025-06-10"})
    assert new == "title: T\nstate: cancelled\nstate_reason: R\nstate_on: 2025-06-10"
