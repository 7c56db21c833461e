"""Rows as a forked child sends them, and the rows made again of what it sent (SPEC 8).

A listing of many tasks makes its rows on two cores (`listings._task_rows`): a child makes
the rows of the second half of the tasks and sends them as `marshal` of plain values through a
pipe (`split.in_two_parts`). A row's task and obligation travel as what a row tells of them
(`RowTask`, `RowObligation`), so this process never decodes the tasks of the child's half:
their rows hold a `TaskHead` and an `ObligationHead` where the engine's hold the records.

What rows share is packed once: a task's head, an obligation, a tuple of members (the engine
shares one for every occurrence nobody has reported for). marshal writes an object it has met
before as a reference to it, so each is rebuilt once here too. The answer comes from no file;
one cut short or of another shape raises as it is unpacked (a tuple of the wrong length fails
to unpack), and this process then makes that half itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..engine.status import MemberStatus, Row
from ..files.records import Source
from ..files.vocab import ObligationKind
from ..loading.codec import DAYS, decode_event, encode_event, ordinal

_new = tuple.__new__  # a named tuple without the call of its Python-level constructor


class TaskHead(NamedTuple):
    """What a row tells of its task (`RowTask`), for a row the child made."""

    title: str
    source: Source
    text: str | None


class ObligationHead(NamedTuple):
    """What a row tells of its obligation (`RowObligation`), for a row the child made."""

    id: str
    kind: ObligationKind
    as_written: str | None


def packed(rows: Sequence[Row]) -> list[tuple[Any, ...]]:
    """The rows as plain values, in order (`unpacked` makes them again)."""
    heads: dict[str, tuple[Any, ...]] = {}
    obligations: dict[int, tuple[Any, ...]] = {}
    members_of: dict[int, tuple[tuple[Any, ...], ...]] = {}
    out = []
    for row in rows:
        head = heads.get(row.task_id)
        if head is None:
            task = row.task
            source = task.source
            head = heads[row.task_id] = (
                row.task_id,
                task.title,
                task.text,
                source.notice,
                source.number,
                source.date.toordinal(),
                source.section,
            )
        obligation = obligations.get(id(row.obligation))
        if obligation is None:
            owed = row.obligation
            obligation = obligations[id(owed)] = (owed.id, owed.kind, owed.as_written)
        members = members_of.get(id(row.members))
        if members is None:
            members = members_of[id(row.members)] = tuple(
                (m.agency, m.status, ordinal(m.done_on), m.evidence, ordinal(m.due))
                for m in row.members
            )
        out.append(
            (
                head,
                obligation,
                ordinal(row.occurrence),
                row.assignee,
                row.is_group,
                ordinal(row.due),
                ordinal(row.original_due),
                ordinal(row.effective_due),
                row.days_left,
                row.status,
                ordinal(row.done_on),
                members,
                row.evidence,
                row.role,
                tuple(map(encode_event, row.extensions)),
            )
        )
    return out


def unpacked(value: Any, tasks: Sequence[object]) -> list[Row]:
    """The rows `packed` gave this value of (`tasks`, the part they were made of, is not
    needed: each row says its task)."""
    if type(value) is not list:
        raise ValueError("not rows")
    days = DAYS
    heads: dict[int, tuple[str, TaskHead]] = {}
    obligations: dict[int, ObligationHead] = {}
    members_of: dict[int, tuple[MemberStatus, ...]] = {}
    out: list[Row] = []
    append = out.append
    for (
        head,
        obligation,
        occurrence,
        assignee,
        is_group,
        due,
        original_due,
        effective_due,
        days_left,
        status,
        done_on,
        members,
        evidence,
        role,
        extensions,
    ) in value:
        task = heads.get(id(head))
        if task is None:
            task_id, title, text, notice, number, date, section = head
            source = _new(Source, (notice, number, days[date], section))
            task = heads[id(head)] = (task_id, _new(TaskHead, (title, source, text)))
        owed = obligations.get(id(obligation))
        if owed is None:
            owed = obligations[id(obligation)] = _new(ObligationHead, tuple(obligation))
            if len(owed) != 3:
                raise ValueError("not an obligation's head")
        statuses = members_of.get(id(members))
        if statuses is None:
            statuses = members_of[id(members)] = tuple(
                _new(MemberStatus, (agency, state, _day(on), said, _day(own)))
                for agency, state, on, said, own in members
            )
        append(
            _new(
                Row,
                (
                    task[0],
                    task[1],
                    owed,
                    _day(occurrence),
                    assignee,
                    is_group,
                    _day(due),
                    _day(original_due),
                    _day(effective_due),
                    days_left,
                    status,
                    _day(done_on),
                    statuses,
                    evidence,
                    role,
                    tuple(map(decode_event, extensions)),
                ),
            )
        )
    return out


def _day(value: int | None) -> dt.date | None:
    return None if value is None else DAYS[value]
