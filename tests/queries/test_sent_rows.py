"""Rows as a forked child sends them: made again, they tell all the engine's rows tell."""

from __future__ import annotations

import array
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
    """The rows as the child sends them, with their tasks' texts, and this process makes them
    again."""
    value = marshal.loads(marshal.dumps(sent_rows.packed(rows, texts=True), MARSHAL_VERSION))
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


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ('"2.c"', None),  # a task without a text
        ('"2"', 'text: ""\n'),  # an empty text, a one-letter section
        ('"😀 \\0"', 'text: "Bộ\\0 Tài chính 😀\\t"\n'),  # a NUL, a tab, beyond 16 bits
    ],
)
def test_every_text_is_sent_as_it_was(tmp_path: Path, section: str, text: str | None) -> None:
    body = task_text(section=section, extra=text or "")
    registry, task = read_one_task(tmp_path, body)
    rows = task_rows("tb/a", task, registry, Settings(as_of=D(2025, 6, 30)))
    again = through_a_pipe(rows + rows)
    assert [(r.task.title, r.task.text, r.task.source) for r in again] == [
        (task.title, task.text, task.source)
    ] * (2 * len(rows))
    assert shown(again) == shown(rows + rows)


def test_no_rows_sent_are_no_rows() -> None:
    assert through_a_pipe([]) == []


def _with(value: tuple[Any, ...], part: int, new: Any) -> tuple[Any, ...]:
    return (*value[:part], new, *value[part + 1 :])


def _numbers(values: list[int]) -> bytes:
    return array.array("q", values).tobytes()


def test_an_answer_of_another_shape_is_refused(tmp_path: Path) -> None:
    registry, task = read_one_task(tmp_path, BODY)
    rows = task_rows("tb/a", task, registry, Settings(as_of=D(2025, 6, 30)))
    value = marshal.loads(marshal.dumps(sent_rows.packed(rows, texts=True)))
    text, lengths, heads, words, _, _, numbers, short, extensions, _ = value
    count = len(rows)
    row_numbers = list(array.array("q", numbers))
    extended = next(i for i, r in enumerate(rows) if r.extensions)
    bad: list[Any] = [
        None,
        value[:-1],  # a part missing
        (*value, None),  # a part too many
        _with(value, 0, text[:-2]),  # the texts cut short
        _with(value, 1, lengths[:-8]),  # a text's length missing
        _with(value, 1, _numbers([len(text)] * (len(lengths) // 8))),  # lengths of other texts
        _with(value, 2, heads[:-8]),  # a task's head cut short
        _with(value, 2, _numbers([0, 0, -5])),  # a day that is no ordinal
        _with(value, 2, _numbers([0, 0, 10**9])),  # a day past the last one
        _with(value, 2, _numbers([len(words), 0, 739_000])),  # a word that is not there
        _with(value, 3, None),  # no words
        _with(value, 4, [("complete", "complete")]),  # an obligation's head cut short
        _with(value, 5, [(("Bộ Tài chính", "overdue"),)]),  # a member cut short
        _with(value, 6, numbers[:-8]),  # the rows' numbers cut short
        _with(value, 6, _numbers([count, *row_numbers[1:]])),  # a head that is not there
        _with(value, 7, short[:-1]),  # a column of texts missing
        _with(value, 7, [column[:-1] for column in short]),  # texts of a row too few
        _with(value, 8, [(extended, (("2025-06-12",),))]),  # not a dict
        _with(value, 8, {extended: (("2025-06-12",),)}),  # an event of another shape
        _with(value, 8, {count: extensions[extended]}),  # an event of no row
        _with(value, 9, None),  # neither with texts nor without
        _with(value, 9, False),  # without texts, of a task not among those it was made of
    ]
    for each in bad:
        with pytest.raises((ValueError, TypeError, LookupError)):
            sent_rows.unpacked(each, [])
