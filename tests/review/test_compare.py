"""The meaning of a change, compared directly on parsed versions (no git involved)."""

from __future__ import annotations

from helpers import task_text
from tbtrack.review.compare import compare, compare_tasks, parse

TWO = (
    "  - id: complete\n    by: 2025-07-01\n"
    "  - id: report\n    kind: report\n    before: 2025-08-15\n"
)
EARLY = "  - on: 2025-07-30\n    fulfils: complete\n"
LATE = "  - on: 2025-08-03\n    fulfils: report\n    evidence: BC 2\n"
REL = "tasks/n/a.yaml"


def _task(progress: str, **extra: str) -> bytes:
    return task_text(
        obligations=TWO, progress="\n" + progress if progress else "[]", **extra
    ).encode()


def test_an_event_inserted_at_its_date_is_an_addition_without_a_flag() -> None:
    old, new = parse(REL, _task(LATE)), parse(REL, _task(EARLY + LATE))
    assert old.task is not None and new.task is not None
    details, flags = compare_tasks(old.task, new.task)
    assert flags == []
    assert [d.as_json() for d in details] == [
        {
            "what": "event-inserted",
            "index": 0,
            "shape": "fulfils",
            "obligation": "complete",
            "event": {"on": "2025-07-30", "fulfils": "complete"},
        }
    ]


def test_an_appended_event_and_an_edited_one() -> None:
    old = parse(REL, _task(EARLY)).task
    appended = parse(REL, _task(EARLY + LATE)).task
    edited = parse(REL, _task(EARLY.replace("07-30", "07-29"))).task
    assert old is not None and appended is not None and edited is not None
    details, flags = compare_tasks(old, appended)
    assert [d.what for d in details] == ["event-appended"] and flags == []
    details, flags = compare_tasks(old, edited)
    assert [d.what for d in details] == ["event-edited"]
    assert [f.rule for f in flags] == ["event-edited"]


def test_state_on_is_a_field_change() -> None:
    old = parse(REL, _task(""))
    new = parse(
        REL, _task("", extra="state: cancelled\nstate_reason: TB 10\nstate_on: 2025-06-08\n")
    )
    change = compare(old, new)
    assert change is not None
    fields = {d.data["field"]: d.data["new"] for d in change.details if d.what == "field-changed"}
    assert fields == {"state": "cancelled", "state_reason": "TB 10", "state_on": "2025-06-08"}


def test_a_file_that_does_not_parse_has_a_problem_and_no_meaning() -> None:
    broken = parse(REL, b"source: [\n")
    assert broken.task is None and broken.problem
