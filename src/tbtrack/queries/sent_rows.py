"""Rows as a forked child sends them, and the rows made again of what it sent (SPEC 8).

A listing of many tasks makes its rows on two cores (`listings._task_rows`): a child makes
the rows of the second half of the tasks and sends them as `marshal` of plain values through a
pipe (`split.in_two_parts`). A row's task and obligation travel as what a row tells of them
(`RowTask`, `RowObligation`), so this process never decodes the tasks of the child's half:
their rows hold a `TaskHead` and an `ObligationHead` where the engine's hold the records.

What rows share is packed once: a task's head, an obligation, a tuple of members (the engine
shares one for every occurrence nobody has reported for); each is rebuilt once here too. The
rows are sent a column at a time, their numbers in one array and the tasks' texts in one
string, since marshal writes and reads one object at a time, and would spend more time on
them than the child spends packing. The answer comes from no file; one cut short or of
another shape raises as it is unpacked (a column of another length, an index or a day out of
range), and this process then makes that half itself.
"""

from __future__ import annotations

import array
import datetime as dt
from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..engine.status import MemberStatus, Row
from ..files.records import Event, Source
from ..files.vocab import ObligationKind
from ..loading.codec import DAYS, decode_event, encode_event, ordinal

if TYPE_CHECKING:
    from ..loading.dataset import LoadedTask

T = TypeVar("T")
_new = tuple.__new__  # a named tuple without the call of its Python-level constructor


class TaskHead(NamedTuple):
    """What a row tells of its task (`RowTask`), for a row the child made: its text as the
    child sent it, or, when the rows were not asked for with their texts (`packed`), as the
    task has it (decoded then: only a calendar's items show a task's text)."""

    title: str
    source: Source
    sent_text: str | None
    loaded: LoadedTask | None = None  # the task, when its text was not sent

    @property
    def text(self) -> str | None:
        return self.sent_text if self.loaded is None else self.loaded.task.text


class ObligationHead(NamedTuple):
    """What a row tells of its obligation (`RowObligation`), for a row the child made."""

    id: str
    kind: ObligationKind
    as_written: str | None


# a row's numbers, a column at a time, in one array for all the rows: marshal writes and
# reads an object at a time (19,000 rows as tuples: 55 ms to write, 40 to read)
_NUMBERS = (
    "head",  # the index of the task's head in the heads
    "obligation",  # of the obligation's head in the obligations
    "members",  # of the members' tuple in the members
    "occurrence",  # a day: its ordinal, 0 for None
    "due",
    "original_due",
    "effective_due",
    "done_on",
    "days_left",  # NO_NUMBER for None
    "is_group",
)
# a task's head: its texts (ID, title, text, section) in the one string of texts, and these
_HEAD_NUMBERS = ("notice", "number", "date")  # two indexes in the words, and a day
NO_NUMBER = -(2**63)  # days left of a row that has none: no count of days is this far


def packed(rows: Sequence[Row], texts: bool = False) -> tuple[Any, ...]:
    """The rows as plain values, in order (`unpacked` makes them again): their numbers a
    column at a time in one array (`_NUMBERS`), what rows share in tables they index, each
    kept once, the tasks' texts in one string (`_joined`), and the rows' short texts (an
    agency, a status: the same few objects, which marshal writes once) in lists. Without
    `texts`, the tasks' own texts (the longest) are not sent: `TaskHead.text` reads them."""
    heads: dict[str, int] = {}
    obligations: dict[int, int] = {}
    obligation_list: list[tuple[Any, ...]] = []
    members_of: dict[int, int] = {}
    member_list: list[tuple[tuple[Any, ...], ...]] = []
    words: dict[str | None, int] = {}
    ids: list[str] = []
    titles: list[str] = []
    task_texts: list[str | None] = []
    sections: list[str] = []
    notices: list[int] = []
    numbers_of: list[int] = []
    dates: list[int] = []
    indexes: list[int] = []  # head, obligation, members: three per row
    word = words.setdefault  # word(text, len(words)): the text's index, a new one added
    for row in rows:
        head = heads.get(row.task_id)
        if head is None:
            task = row.task
            source = task.source
            head = heads[row.task_id] = len(heads)
            ids.append(row.task_id)
            titles.append(task.title)
            task_texts.append(task.text if texts else None)
            sections.append(source.section)
            notices.append(word(source.notice, len(words)))
            numbers_of.append(word(source.number, len(words)))
            dates.append(source.date.toordinal())
        obligation = obligations.get(id(row.obligation))
        if obligation is None:
            owed = row.obligation
            obligation = obligations[id(owed)] = len(obligation_list)
            obligation_list.append((owed.id, owed.kind, owed.as_written))
        members = members_of.get(id(row.members))
        if members is None:
            members = members_of[id(row.members)] = len(member_list)
            member_list.append(
                tuple(
                    (m.agency, m.status, ordinal(m.done_on), m.evidence, ordinal(m.due))
                    for m in row.members
                )
            )
        indexes += (head, obligation, members)
    numbers = array.array("q", indexes[0::3])
    numbers.extend(indexes[1::3])
    numbers.extend(indexes[2::3])
    for field in ("occurrence", "due", "original_due", "effective_due", "done_on"):
        numbers.extend([day.toordinal() if day else 0 for day in map(attrgetter(field), rows)])
    numbers.extend([NO_NUMBER if n is None else n for n in (row.days_left for row in rows)])
    numbers.extend([row.is_group for row in rows])
    short = [[row.assignee for row in rows], [row.status for row in rows]]
    short += [[row.evidence for row in rows], [row.role for row in rows]]
    extensions = {
        index: tuple(map(encode_event, row.extensions))
        for index, row in enumerate(rows)
        if row.extensions
    }
    return (
        *_joined([*ids, *titles, *task_texts, *sections]),
        array.array("q", [*notices, *numbers_of, *dates]).tobytes(),
        list(words),
        obligation_list,
        member_list,
        numbers.tobytes(),
        short,
        extensions,
        texts,
    )


def unpacked(value: Any, tasks: Sequence[LoadedTask]) -> list[Row]:
    """The rows `packed` gave this value of, made of `tasks` (whose texts they tell when they
    were not sent). ValueError (or TypeError, IndexError, KeyError) for anything else: a
    table or an array cut short, an index or a day out of range, a task not among `tasks`."""
    text, lengths, head_data, words, obligations, members, data, short, extensions, sent = value
    if type(words) is not list or type(short) is not list or type(extensions) is not dict:
        raise ValueError("not rows")
    days = DAYS
    head_numbers = _numbers(head_data, len(_HEAD_NUMBERS))
    ids, titles, task_texts, sections = _columns(_split(text, lengths), 4)
    notices, numbers_of, dates_of = _columns(head_numbers, 3)
    sources = [
        _new(Source, (words[notice], words[number], days[date], section))
        for notice, number, date, section in zip(
            notices, numbers_of, dates_of, sections, strict=True
        )
    ]
    owners: list[LoadedTask | None]
    if sent is True:
        owners = [None] * len(ids)
    elif sent is False:
        loaded: dict[str | None, LoadedTask] = {task.id: task for task in tasks}
        owners = [loaded[task_id] for task_id in ids]
    else:
        raise ValueError("not rows")
    task_heads = list(map(TaskHead._make, zip(titles, sources, task_texts, owners, strict=True)))
    owed = [_new(ObligationHead, (id_, kind, as_written)) for id_, kind, as_written in obligations]
    statuses = [
        tuple(
            _new(MemberStatus, (agency, state, _day(on), said, _day(own)))
            for agency, state, on, said, own in sharing
        )
        for sharing in members
    ]
    head, obligation, sharing, occurrence, due, original, effective, done_on, left, group = (
        _columns(_numbers(data, len(_NUMBERS)), len(_NUMBERS))
    )
    assignees, states, evidence, roles = short
    events: list[tuple[Event, ...]] = [()] * len(head)
    for index, sent in extensions.items():
        events[index] = tuple(map(decode_event, sent))
    fields = zip(
        [ids[i] for i in head],
        [task_heads[i] for i in head],
        [owed[i] for i in obligation],
        _dates(occurrence),
        assignees,
        [n == 1 for n in group],
        _dates(due),
        _dates(original),
        _dates(effective),
        [None if n == NO_NUMBER else n for n in left],
        states,
        _dates(done_on),
        [statuses[i] for i in sharing],
        evidence,
        roles,
        events,
        strict=True,
    )
    return [_new(Row, each) for each in fields]


def _joined(texts: list[str | None]) -> tuple[bytes, bytes]:
    """The texts as one string's UTF-16 (which a string of Vietnamese letters is held as, and
    encodes and decodes twice as fast as UTF-8) and each one's length (-1 for None)."""
    lengths = array.array("q", [-1 if text is None else len(text) for text in texts])
    return "".join(filter(None, texts)).encode("utf-16-le"), lengths.tobytes()


def _split(data: bytes, length_data: bytes) -> list[str | None]:
    """The texts `_joined` gave these bytes of."""
    text = data.decode("utf-16-le")
    lengths = _numbers(length_data, 1)
    texts: list[str | None] = []
    at = 0
    for length in lengths:
        if length < 0:
            texts.append(None)
        else:
            texts.append(text[at : at + length])
            at += length
    if at != len(text):
        raise ValueError("texts of other lengths")
    return texts


def _columns(values: Sequence[T], count: int) -> list[Sequence[T]]:
    """Values written a column at a time as `count` columns of one length."""
    if len(values) % count:
        raise ValueError("columns cut short")
    length = len(values) // count
    return [values[i * length : (i + 1) * length] for i in range(count)]


def _numbers(data: bytes, width: int) -> array.array[int]:
    numbers = array.array("q")
    numbers.frombytes(data)
    if len(numbers) % width:
        raise ValueError("numbers cut short")
    return numbers


def _dates(column: Sequence[int]) -> list[dt.date | None]:
    """The days of ordinals, 0 for None; a negative one raises."""
    days = DAYS
    return [days[n] if n else None for n in column]


def _day(value: int | None) -> dt.date | None:
    return None if value is None else DAYS[value]
