"""loading.codec: what the cache stores of a task, and a stored value of another shape refused."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

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
