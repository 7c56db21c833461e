"""What the cache stores, as plain values that `marshal` writes and reads (SPEC 8).

Nothing here can run code when it reads: a record is `marshal` of tuples, lists, strings,
integers and None, and each decoder rebuilds tbtrack's records from exactly the shape its
encoder wrote, raising `ValueError` (or `TypeError`) on anything else, so that the cache treats
a malformed record as missing and reads the file itself. Dates are stored as their ordinals.
"""

from __future__ import annotations

import datetime as dt
import itertools
import marshal
import sys
from collections.abc import Callable, Iterable
from typing import Any

from ..engine.facts import TaskFacts
from ..engine.settled import STATES, Heads, PairGroup, RowHead, Settled
from ..files.diagnostics import Diagnostic
from ..files.records import AgencyEntry, Event, GroupEntry, Obligation, RegistryFile, Source, Task
from ..files.registry import Registry
from ..files.vocab import AGENCY_KINDS, OBLIGATION_KINDS

# marshal's version 4 shares repeated strings within one dump
MARSHAL_VERSION = 4

_new = tuple.__new__  # a named tuple without the call of its Python-level constructor


class Malformed(ValueError):
    """A stored value that is not what its encoder writes."""


def ordinal(value: dt.date | None) -> int | None:
    return None if value is None else value.toordinal()


def _texts(value: Any) -> list[str]:
    if type(value) is not list or any(type(item) is not str for item in value):
        raise Malformed("a list of strings")
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise Malformed("a string")
    return value


def _text_or_none(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise Malformed("a string or nothing")
    return value


# --- a task ------------------------------------------------------------------------------------


def encode_task(task: Task) -> bytes:
    source = task.source
    return marshal.dumps(
        (
            _encode_source(source),
            task.title,
            task.text,
            _shared_all(task.lead),
            _shared_all(task.support),
            _shared(task.report_to),
            _shared_all(task.tags),
            _shared(task.state),
            task.state_reason,
            ordinal(task.state_on),
            [
                (
                    _shared(o.id),
                    _shared(o.kind),
                    ordinal(o.by),
                    ordinal(o.before),
                    o.within,
                    o.every,
                    o.ongoing,
                    o.undated,
                    ordinal(o.start),
                    ordinal(o.until),
                    o.as_written,
                    _shared(o.to),
                    None if o.who is None else _shared_all(o.who),
                )
                for o in task.obligations
            ],
            list(map(encode_event, task.progress)),
            task.notes,
        ),
        MARSHAL_VERSION,
    )


def encode_event(e: Event) -> tuple[Any, ...]:
    """An event as plain values (`decode_event` undoes it)."""
    return (
        e.on.toordinal(),
        _shared(e.fulfils),
        _shared(e.extends),
        _shared(e.cancels),
        _shared(e.by),
        ordinal(e.for_),
        ordinal(e.to),
        e.evidence,
        e.note,
    )


class _Days(dict[int, dt.date]):
    """ordinal -> date: the same few thousand days, 100,000 times; a new one made once.

    Only ever indexed with a value whose type was checked to be int (a float or True equal
    to an ordinal would find that ordinal's date)."""

    def __missing__(self, key: int) -> dt.date:
        value = self[key] = dt.date.fromordinal(key)
        return value


DAYS = _Days()
_TEXT = frozenset({str})
_OPTIONAL_TEXT = frozenset({str, type(None)})
_OPTIONAL_DAY = frozenset({int, type(None)})


def day(value: Any) -> dt.date:
    """The date of an ordinal; `Malformed` for anything but an integer."""
    if type(value) is not int:
        raise Malformed("a day is an integer")
    return DAYS[value]


def _day_or_none(value: Any) -> dt.date | None:
    return None if value is None else day(value)


def _encode_source(source: Source) -> tuple[str | None, str | None, int, str]:
    return (_shared(source.notice), source.number, source.date.toordinal(), source.section)


# The texts many tasks repeat (a notice's name, agencies, kinds, obligation ids) are written
# interned: marshal writes an interned string as such and interns it again when it loads it,
# so the tasks a query decodes share one copy of each (a listing at 100,000 tasks decodes a
# third of them, and each would hold its own copy of its notice's 200-character name).
def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def _shared_all(texts: Iterable[str]) -> list[str]:
    return [sys.intern(text) for text in texts]


def _source(value: Any) -> Source:
    """`_encode_source` undone (a task's record and its settled pairs both hold one)."""
    if type(value) is not tuple or len(value) != 4:
        raise Malformed("not a source")
    notice, number, date, section = value
    if (
        type(notice) is not str
        or type(section) is not str
        or (number is not None and type(number) is not str)
    ):
        raise Malformed("not a source")
    return _new(Source, (notice, number, day(date), section))


def decode_task(record: bytes) -> Task:
    """A task from its record; `Malformed` (or another ValueError) if it is not one.

    A listing decodes thousands of these: the checks are by sets of types, in bulk.
    """
    value = marshal.loads(record)
    if type(value) is not tuple or len(value) != 13:
        raise Malformed("not a task")
    (
        source,
        title,
        text,
        lead,
        support,
        report_to,
        tags,
        state,
        reason,
        state_on,
        obligations,
        progress,
        notes,
    ) = value
    if not (
        _OPTIONAL_TEXT.issuperset(map(type, (text, report_to, reason, notes)))
        and _TEXT.issuperset(map(type, (title, state)))
        and type(lead) is list
        and type(support) is list
        and type(tags) is list
        and _TEXT.issuperset(map(type, lead))
        and _TEXT.issuperset(map(type, support))
        and _TEXT.issuperset(map(type, tags))
        and (state_on is None or type(state_on) is int)
        and type(obligations) is list
        and type(progress) is list
    ):
        raise Malformed("not a task")
    return _new(
        Task,
        (
            _source(source),
            title,
            text,
            lead,
            support,
            report_to,
            tags,
            state,
            reason,
            _day_or_none(state_on),
            [_obligation(o) for o in obligations],
            list(map(decode_event, progress)),
            notes,
        ),
    )


def _obligation(value: Any) -> Obligation:
    if type(value) is not tuple or len(value) != 13:
        raise Malformed("not an obligation")
    id_, kind, by, before, within, every, ongoing, undated, start, until, written, to, who = value
    if not (
        type(id_) is str
        and type(kind) is str
        and _OPTIONAL_TEXT.issuperset(map(type, (every, written, to)))
        and _OPTIONAL_DAY.issuperset(map(type, (by, before, start, until)))
        and (within is None or type(within) is str or type(within) is int)
        and (ongoing is None or ongoing is True)
        and (undated is None or undated is True)
        and (who is None or (type(who) is list and _TEXT.issuperset(map(type, who))))
    ):
        raise Malformed("not an obligation")
    days = DAYS  # each day's type was checked just above: an int, or None
    return _new(
        Obligation,
        (
            id_,
            kind,
            None if by is None else days[by],
            None if before is None else days[before],
            within,
            every,
            ongoing,
            undated,
            None if start is None else days[start],
            None if until is None else days[until],
            written,
            to,
            who,
        ),
    )


# the types an event's fields may have, as a record lists them: one lookup checks them all
_EVENT_SHAPES = frozenset(
    itertools.product(
        (int,), *[(str, type(None))] * 4, *[(int, type(None))] * 2, *[(str, type(None))] * 2
    )
)


def decode_event(value: Any) -> Event:
    # a listing decodes tens of thousands of these: every type in one lookup, the days
    # looked up in place (their types are among those checked)
    if type(value) is not tuple or tuple(map(type, value)) not in _EVENT_SHAPES:
        raise Malformed("not an event")
    on, fulfils, extends, cancels, by, for_, to, evidence, note = value
    days = DAYS
    return _new(
        Event,
        (
            days[on],
            fulfils,
            extends,
            cancels,
            by,
            None if for_ is None else days[for_],
            None if to is None else days[to],
            evidence,
            note,
        ),
    )


# --- what is known of a task before any query ---------------------------------------------------


def encode_facts(facts: TaskFacts) -> tuple[Any, ...]:
    """Facts as ordinals (0: None; no date has ordinal 0), then the names."""
    return (
        _zero(facts.closed_from),
        facts.earliest_due.toordinal(),
        _zero(facts.last_event),
        facts.begins.toordinal(),
        _zero(facts.settled),
        facts.names,
        facts.supports,
    )


def decode_facts(value: Any) -> TaskFacts:
    if type(value) is not tuple or len(value) != 7:
        raise Malformed("not facts")
    closed, earliest, last, begins, settled, names, supports = value
    # checked in few expressions: a warm listing decodes the facts of every task
    if not (
        type(closed) is type(earliest) is type(last) is type(begins) is type(settled) is int
        and is_texts(names)
        and is_texts(supports)
    ):
        raise Malformed("not facts")
    return facts_from(closed, earliest, last, begins, settled, names, supports)


def is_texts(value: Any) -> bool:
    """Whether `value` is a tuple of strings."""
    return type(value) is tuple and _TEXT.issuperset(map(type, value))


def facts_from(
    closed: int,
    earliest: int,
    last: int,
    begins: int,
    settled: int,
    names: tuple[str, ...],
    supports: tuple[str, ...],
) -> TaskFacts:
    """The facts `encode_facts` gave these values of, known to be of their types; ValueError
    for an ordinal of no day."""
    return _new(
        TaskFacts,
        (
            DAYS[closed] if closed else None,
            DAYS[earliest],
            DAYS[last] if last else None,
            DAYS[begins],
            DAYS[settled] if settled else None,
            names,
            supports,
        ),
    )


def _zero(value: dt.date | None) -> int:
    return 0 if value is None else value.toordinal()


def encode_settled(settled: Settled) -> bytes:
    heads = settled.heads
    if heads is None:  # pragma: no cover - only pairs the engine made are written
        raise ValueError("settled pairs without their rows' heads")
    return marshal.dumps(
        (
            _encode_source(settled.source),
            settled.rows,
            [
                (
                    tuple(_shared_all(g.agencies)),
                    _shared(g.state),
                    ordinal(g.due),
                    ordinal(g.done_on),
                    g.extended,
                    g.row,
                )
                for g in settled.groups
            ],
            # marshalled apart: decoded only when the report asks for them
            marshal.dumps(
                (
                    heads.title,
                    [
                        (
                            _shared(h.obligation),
                            _shared(h.kind),
                            h.as_written,
                            _shared(h.assignee),
                            ordinal(h.due),
                            ordinal(h.original_due),
                        )
                        for h in heads.rows
                    ],
                ),
                MARSHAL_VERSION,
            ),
        ),
        MARSHAL_VERSION,
    )


def decode_settled(record: bytes, damaged: Callable[[], None]) -> Settled:
    """A task's settled pairs; their rows' heads are decoded when first asked for, and if
    they are found malformed then, `damaged` is called and the heads are None."""
    value = marshal.loads(record)
    if type(value) is not tuple or len(value) != 4:
        raise Malformed("not settled pairs")
    source, rows, groups, heads = value
    if type(rows) is not int or type(groups) is not list or type(heads) is not bytes:
        raise Malformed("not settled pairs")

    def decode_heads() -> Heads | None:
        try:
            return _heads(heads, rows)
        except Exception:  # a record of another shape
            damaged()
            return None

    return Settled(_source(source), rows, _groups(groups, rows), decode_heads)


def _heads(record: bytes, rows: int) -> Heads:
    value = marshal.loads(record)
    if type(value) is not tuple or len(value) != 2:
        raise Malformed("not settled rows")
    title, heads = value
    if type(title) is not str or type(heads) is not list or len(heads) != rows:
        raise Malformed("not settled rows")
    return Heads(title, tuple(map(_head, heads)))


def _head(value: Any) -> RowHead:
    if type(value) is not tuple or len(value) != 6:
        raise Malformed("not a settled row")
    obligation, kind, as_written, assignee, due, original_due = value
    if not (
        type(obligation) is str
        and kind in OBLIGATION_KINDS
        and _OPTIONAL_TEXT.issuperset((type(as_written),))
        and type(assignee) is str
        and _OPTIONAL_DAY.issuperset((type(due), type(original_due)))
    ):
        raise Malformed("not a settled row")
    return _new(
        RowHead,
        (obligation, kind, as_written, assignee, _day_or_none(due), _day_or_none(original_due)),
    )


def _groups(value: list[Any], rows: int) -> tuple[PairGroup, ...]:
    out = []
    for group in value:
        if type(group) is not tuple or len(group) != 6:
            raise Malformed("not a group of pairs")
        agencies, state, due, done_on, extended, row = group
        if not (
            type(agencies) is tuple
            and _TEXT.issuperset(map(type, agencies))
            and type(state) is str
            and state in STATES
            and _OPTIONAL_DAY.issuperset((type(due), type(done_on)))
            and type(extended) is bool
            and (done_on is not None) == (state == "done")
            and (due is not None or state != "open")
            and type(row) is int
            and 0 <= row < rows
        ):
            raise Malformed("not a group of pairs")
        out.append(
            _new(
                PairGroup,
                (agencies, state, _day_or_none(due), _day_or_none(done_on), extended, row),
            )
        )
    return tuple(out)


# --- diagnostics and notices ------------------------------------------------------------------


def encode_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        (d.path, d.line, d.col, d.severity, d.message, d.rule, d.hint) for d in diagnostics
    )


def decode_diagnostics(value: Any) -> tuple[Diagnostic, ...]:
    if value == ():
        return ()
    if type(value) is not tuple:
        raise Malformed("not diagnostics")
    out = []
    for item in value:
        if type(item) is not tuple or len(item) != 7:
            raise Malformed("not a diagnostic")
        path, line, col, severity, message, rule, hint = item
        if type(line) is not int or type(col) is not int or severity not in ("error", "warning"):
            raise Malformed("not a diagnostic")
        out.append(
            Diagnostic(
                _text(path), line, col, severity, _text(message), _text(rule), _text_or_none(hint)
            )
        )
    return tuple(out)


Notice = tuple[str, dt.date, str]  # a source's number, date and notice, when it is numbered


def encode_notice(notice: Notice | None) -> tuple[str, int, str] | None:
    return None if notice is None else (notice[0], notice[1].toordinal(), notice[2])


def decode_notice(value: Any) -> Notice | None:
    if value is None:
        return None
    if type(value) is not tuple or len(value) != 3:
        raise Malformed("not a notice")
    return (_text(value[0]), day(value[1]), _text(value[2]))


# --- the registry -------------------------------------------------------------------------------
# The registry is stored as what agencies.yaml says (its records) and rebuilt by
# `Registry.build`, a few milliseconds: its indexes are the registry's business, not the cache's.


def encode_registry(
    analysed: tuple[Registry | None, list[Diagnostic]],
) -> tuple[Any, tuple[tuple[Any, ...], ...]]:
    registry, diagnostics = analysed
    state = None
    if registry is not None:
        source = registry.source
        state = (
            [
                (
                    a.name,
                    a.code,
                    a.aliases,
                    a.kind,
                    a.successor,
                    a.note,
                    ordinal(a.since),
                    ordinal(a.until),
                )
                for a in source.agencies
            ],
            [(g.name, g.aliases, g.kinds, g.members, g.note) for g in source.groups],
        )
    return state, encode_diagnostics(tuple(diagnostics))


def decode_registry(value: Any) -> tuple[Registry | None, list[Diagnostic]]:
    if type(value) is not tuple or len(value) != 2:
        raise Malformed("not a registry")
    state, diagnostics = value
    found = list(decode_diagnostics(diagnostics))
    if state is None:  # agencies.yaml could not be used: it said why
        if not any(d.severity == "error" for d in found):
            raise Malformed("a registry refused without an error")
        return None, found
    if type(state) is not tuple or len(state) != 2 or type(state[0]) is not list:
        raise Malformed("not a registry")
    agencies, groups = state
    if type(groups) is not list:
        raise Malformed("not a registry")
    records = RegistryFile([_agency(a) for a in agencies], [_group(g) for g in groups])
    return Registry.build(records), found


def _agency(value: Any) -> AgencyEntry:
    if type(value) is not tuple or len(value) != 8:
        raise Malformed("not an agency")
    name, code, aliases, kind, successor, note, since, until = value
    if not (_OPTIONAL_DAY.issuperset(map(type, (since, until))) and kind in AGENCY_KINDS):
        raise Malformed("not an agency")
    return AgencyEntry(
        _text(name),
        _text_or_none(code),
        _texts(aliases),
        kind,
        _text_or_none(successor),
        _text_or_none(note),
        _day_or_none(since),
        _day_or_none(until),
    )


def _group(value: Any) -> GroupEntry:
    if type(value) is not tuple or len(value) != 5:
        raise Malformed("not a group")
    name, aliases, kinds, members, note = value
    if type(kinds) is not list or any(kind not in AGENCY_KINDS for kind in kinds):
        raise Malformed("not a group")
    return GroupEntry(_text(name), _texts(aliases), kinds, _texts(members), _text_or_none(note))
