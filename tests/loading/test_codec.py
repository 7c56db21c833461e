"""loading.codec: what the cache stores of a task, and a stored value of another shape refused."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any, cast

import pytest

from helpers import read_one_task, task_text
from tbtrack.loading.codec import MARSHAL_VERSION, Malformed, decode_task, encode_task

PROGRESS = (
    "\n  - on: 2025-06-20\n    extends: complete\n    to: 2025-07-15\n    by: Bộ Tài chính\n"
    "  - on: 2025-07-02\n    fulfils: complete\n    evidence: CV 12\n    note: đủ\n"
)


def _stored(tmp_path: Path) -> tuple[Any, ...]:
    _, task = read_one_task(tmp_path, task_text(progress=PROGRESS))
    value = marshal.loads(encode_task(task))
    assert decode_task(marshal.dumps(value, MARSHAL_VERSION)) == task
    return tuple(value)


def _with_event(stored: tuple[Any, ...], index: int, field: int, new: Any) -> bytes:
    events = list(stored[11])
    event = list(events[index])
    event[field] = new
    events[index] = tuple(event)
    return marshal.dumps((*stored[:11], events, stored[12]), MARSHAL_VERSION)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (0, "2025-06-20"),  # the day as text, not its ordinal
        (0, None),
        (0, True),  # equal to 1, but not a day
        (1, 3),
        (4, ["Bộ Tài chính"]),
        (5, 739000.0),
        (6, "2025-07-15"),
        (7, b"CV 12"),
        (8, 0),
    ],
)
def test_an_event_with_a_field_of_another_type_is_refused(
    tmp_path: Path, field: int, value: Any
) -> None:
    stored = _stored(tmp_path)
    with pytest.raises(Malformed):
        decode_task(_with_event(stored, 0, field, value))


def test_an_event_of_another_length_is_refused(tmp_path: Path) -> None:
    stored = _stored(tmp_path)
    events = list(stored[11])
    for wrong in (events[0][:8], (*events[0], None), list(events[0])):
        record = marshal.dumps((*stored[:11], [wrong, events[1]], stored[12]), MARSHAL_VERSION)
        with pytest.raises(Malformed):
            decode_task(record)


def _new_copy(text: str) -> str:
    """An equal string that is another object."""
    return (text + ".")[:-1]


def test_tasks_decoded_apart_share_the_texts_they_repeat(tmp_path: Path) -> None:
    _, first = read_one_task(tmp_path, task_text(progress=PROGRESS))
    # the same task as a file read apart would give it: equal texts, each its own string
    first_ob, first_report = first.obligations[0], first.progress[1]
    second = first._replace(
        source=first.source._replace(notice=_new_copy(first.source.notice)),
        text=_new_copy(first.text or ""),
        lead=[_new_copy(name) for name in first.lead],
        obligations=[
            first_ob._replace(id=_new_copy(first_ob.id), kind=cast(Any, _new_copy(first_ob.kind))),
            *first.obligations[1:],
        ],
        progress=[
            first.progress[0]._replace(by=_new_copy(first.progress[0].by or "")),
            first_report._replace(fulfils=_new_copy(first_report.fulfils or "")),
        ],
    )
    assert second.source.notice is not first.source.notice and second.lead[0] is not first.lead[0]
    a, b = decode_task(encode_task(first)), decode_task(encode_task(second))
    assert a == first and b == second
    assert a.source.notice is b.source.notice
    assert a.lead[0] is b.lead[0]
    assert a.obligations[0].id is b.obligations[0].id
    assert a.obligations[0].kind is b.obligations[0].kind
    assert a.progress[0].by is b.progress[0].by
    assert a.progress[1].fulfils is b.progress[1].fulfils
    assert a.text is not b.text  # a task's own texts are its own
