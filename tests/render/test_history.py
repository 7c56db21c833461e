"""The words of diff and log, shared by every formatter."""

from __future__ import annotations

from tbtrack.render.history import (
    change_record,
    describe,
    event_text,
    side,
    unreadable_changes,
)
from tbtrack.review.compare import Change, Detail

EVENT = {"on": "2025-06-10", "extends": "report", "to": "2025-07-10", "evidence": "CV 45"}


def test_event_text() -> None:
    assert event_text("en", EVENT) == "2025-06-10 extended report to 2025-07-10 — CV 45"
    assert event_text("vi", {**EVENT, "note": "ghi chú"}) == (
        "2025-06-10 gia hạn report to 2025-07-10 — CV 45 (ghi chú)"
    )


def test_describe() -> None:
    edited = Detail("event-edited", {"old_index": 1, "old": EVENT, "new": {**EVENT, "to": "x"}})
    assert describe("en", edited) == (
        "event 2 edited: 2025-06-10 extended report to 2025-07-10 — CV 45"
        " ⇒ 2025-06-10 extended report to x — CV 45"
    )
    due = Detail(
        "due-edited",
        {
            "obligation": "report",
            "old": "before 2025-06-15",
            "new": "by 2025-07-01",
            "old_last_day": "2025-06-14",
            "new_last_day": "2025-07-01",
        },
    )
    assert (
        describe("en", due)
        == "obligation report: due before 2025-06-15 (L 2025-06-14) → by 2025-07-01"
    )
    multi = Detail("field-changed", {"field": "title", "old": "one\ntwo", "new": None})
    assert describe("vi", multi) == "title: one … → —"
    # a detail this version cannot word is shown as it is
    assert describe("en", Detail("field-changed", {"field": "x"})) == "field-changed: field=x"
    assert describe("en", Detail("something-new", {"a": 1})) == "something-new"


def test_side_and_records() -> None:
    assert side("0123456789abcdef0123456789abcdef01234567") == "0123456789"
    assert side("HEAD~1") == "HEAD~1"
    broken = Change(
        "tb/x",
        "tasks/tb/x.yaml",
        "modified",
        None,
        None,
        (Detail("unparseable", {"side": "new", "message": "line 2: bad"}),),
    )
    fine = Change("tb/y", "tasks/tb/y.yaml", "added", None, "Y")
    assert unreadable_changes([broken, fine]) == [("tasks/tb/x.yaml", "line 2: bad")]
    assert change_record("en", broken)["details"] == "does not parse: line 2: bad"
