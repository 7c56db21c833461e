"""Rows as a forked child sends them: made again, they tell all the engine's rows tell."""

from __future__ import annotations

import datetime as dt
import marshal
from pathlib import Path
from typing import Any

import pytest

from helpers import read_one_task, shown, task_text
from tbtrack.engine.status import Row, Settings, task_rows
from tbtrack.loading.codec import MARSHAL_VERSION
from tbtrack.queries import sent_rows

D = dt.date
BODY = task_text(
    lead="[Nhóm ba bộ, Bộ Khoa học và Công nghệ]",
    obligations=(
        "  - id: complete\n"
        "    by: 2025-07-01\n"
        "    as_written: Hoàn thành chậm nhất ngày 01/7/2025\n"
        "  - id: report\n"
        "    kind: report\n"
        "    every: monthly\n"
    ),
    progress=(
        "\n"
        "  - on: 2025-06-10\n"
        "    fulfils: complete\n"
        "    by: Bộ Tài chính\n"
        "    evidence: Công văn 12/BTC\n"
        "  - on: 2025-06-12\n"
        "    extends: complete\n"
        "    by: Bộ Nội vụ\n"
        "    to: 2025-08-01\n"
        "  - on: 2025-06-20\n"
        "    fulfils: report\n"
        "    evidence: Báo cáo tháng 6\n"
    ),
    extra="text: Bộ Tài chính chủ trì, phối hợp với các bộ.\n",
)


def through_a_pipe(rows: list[Row]) -> list[Row]:
    """The rows as the child sends them and this process makes them again."""
    value = marshal.loads(marshal.dumps(sent_rows.packed(rows), MARSHAL_VERSION))
    return sent_rows.unpacked(value, [])


@pytest.mark.parametrize("as_of", [D(2025, 6, 11), D(2025, 6, 30), D(2025, 9, 15)])
def test_rows_sent_tell_what_the_engine_s_rows_tell(tmp_path: Path, as_of: dt.date) -> None:
    registry, task = read_one_task(tmp_path, BODY)
    rows = task_rows("tb/a", task, registry, Settings(as_of=as_of, horizon=D(2025, 12, 31)))
    again = through_a_pipe(rows)
    assert shown(again) == shown(rows)
    # what the rows hold: a group and an agency, fulfilments with evidence, an extension for
    # one agency (from 12/6), occurrences of a monthly report
    assert {r.is_group for r in rows} == {True, False}
    assert any(m.evidence for r in rows for m in r.members)
    extended = any(m.due for r in rows for m in r.members) and any(r.extensions for r in rows)
    assert extended == (as_of >= D(2025, 6, 12))
    assert len({r.occurrence for r in rows}) > 2
    # each task's head made once; members the engine shared, shared again
    assert len({id(r.task) for r in again}) == 1
    assert type(again[0].task) is sent_rows.TaskHead
    assert len({id(r.members) for r in again}) == len({id(r.members) for r in rows})


def test_no_rows_sent_are_no_rows() -> None:
    assert through_a_pipe([]) == []


def _with(value: list[Any], row: int, field: int, new: Any) -> list[Any]:
    changed = list(value[row])
    changed[field] = new
    return [*value[:row], tuple(changed), *value[row + 1 :]]


def test_an_answer_of_another_shape_is_refused(tmp_path: Path) -> None:
    registry, task = read_one_task(tmp_path, BODY)
    rows = task_rows("tb/a", task, registry, Settings(as_of=D(2025, 6, 30)))
    value = marshal.loads(marshal.dumps(sent_rows.packed(rows)))
    head = value[0][0]
    extended = next(i for i, r in enumerate(rows) if r.extensions)
    bad: list[Any] = [
        None,
        (value[0],),  # not a list
        [value[0][:-1]],  # a row cut short
        [(*value[0], None)],  # a row with a field too many
        _with(value, 0, 0, head[:-1]),  # a task's head cut short
        _with(value, 0, 0, (*head[:5], "2025-06-06", head[6])),  # a day that is no ordinal
        _with(value, 0, 1, ("complete", "complete")),  # an obligation's head cut short
        _with(value, 0, 11, (("Bộ Tài chính", "overdue"),)),  # a member cut short
        _with(value, extended, 14, (("2025-06-12",),)),  # an event of another shape
    ]
    for each in bad:
        with pytest.raises((ValueError, TypeError)):
            sent_rows.unpacked(each, [])
