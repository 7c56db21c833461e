"""What the files say, as the rest of tbtrack reads it: agencies.yaml and task files (SPEC 3, 4).

These are plain immutable records (named tuples), built only from values `schema` has
validated, or rebuilt by the cache from such records. They carry no validation and import
nothing heavy, so a listing answered from the cache never loads pydantic: the rules of the
file formats live in `schema`, which has one model per record here, field for field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from .vocab import DUE_FORMS, AgencyKind, EventShape, ObligationKind, TaskState

# fields whose key in the file is not a Python name
ALIASES = {"for_": "for"}


# --- agencies.yaml -------------------------------------------------------------------------


class AgencyEntry(NamedTuple):
    name: str
    code: str | None
    aliases: list[str]
    kind: AgencyKind
    successor: str | None
    note: str | None
    since: dt.date | None  # the first day it existed (SPEC 3.1); None: always
    until: dt.date | None  # the last day it existed; None: still exists


class GroupEntry(NamedTuple):
    name: str
    aliases: list[str]
    kinds: list[AgencyKind]
    members: list[str]
    note: str | None


class RegistryFile(NamedTuple):
    agencies: list[AgencyEntry]
    groups: list[GroupEntry]


# --- task files ----------------------------------------------------------------------------


class Source(NamedTuple):
    notice: str
    number: str | None
    date: dt.date
    section: str


class Obligation(NamedTuple):
    id: str
    kind: ObligationKind
    by: dt.date | None
    before: dt.date | None
    within: str | int | None
    every: str | None
    ongoing: Literal[True] | None
    undated: Literal[True] | None
    start: dt.date | None
    until: dt.date | None
    as_written: str | None
    to: str | None
    who: list[str] | None

    @property
    def due_form(self) -> str:
        return due_form(self)

    @property
    def recurring(self) -> bool:
        return self.every is not None

    def assignees(self, task: Task) -> list[str]:
        """The names this obligation is owed by: its own `who`, else the task's leads."""
        return self.who or task.lead

    def first_day(self, task: Task) -> dt.date:
        """The first day occurrences may fall on: `start`, else the notice's date."""
        return self.start or task.source.date


class Event(NamedTuple):
    on: dt.date
    fulfils: str | None
    extends: str | None
    cancels: str | None
    by: str | None
    for_: dt.date | None
    to: dt.date | None
    evidence: str | None
    note: str | None

    @property
    def shape(self) -> EventShape:
        return event_shape(self)

    @property
    def obligation(self) -> str | None:
        return self.extends or self.cancels or self.fulfils


class Task(NamedTuple):
    source: Source
    title: str
    text: str | None
    lead: list[str]
    support: list[str]
    report_to: str | None
    tags: list[str]
    state: TaskState
    state_reason: str | None
    state_on: dt.date | None
    obligations: list[Obligation]
    progress: list[Event]
    notes: str | None

    def obligation(self, obligation_id: str) -> Obligation | None:
        for obligation in self.obligations:  # a loop, not next(): the engine asks per event
            if obligation.id == obligation_id:
                return obligation
        return None

    def obligation_for(self, event: Event) -> Obligation | None:
        """The obligation an event names; an event that names none is about the task's only
        obligation (None when it has several, or names one it does not have)."""
        named = event.obligation
        if named is None:
            return self.obligations[0] if len(self.obligations) == 1 else None
        return self.obligation(named)


RECORDS: tuple[type[Any], ...] = (
    AgencyEntry,
    GroupEntry,
    RegistryFile,
    Source,
    Obligation,
    Event,
    Task,
)


# --- rules shared with `schema`, which checks them on values not yet made records ----------


def due_form(obligation: Any) -> str:
    """The one due form an obligation has (`schema` makes sure there is exactly one)."""
    return next(name for name in DUE_FORMS if getattr(obligation, name) is not None)


def event_shape(event: Any) -> EventShape:
    if event.extends is not None:
        return "extends"
    if event.cancels is not None:
        return "cancels"
    return "fulfils"


# --- records as data -----------------------------------------------------------------------


def dump(value: Any, *, json: bool = False) -> Any:
    """A record as the mapping a file would hold: keys as written in files, fields that are
    None left out, and with `json` dates as ISO text. Other values pass through."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {
            ALIASES.get(name, name): dump(item, json=json)
            for name, item in zip(value._fields, value, strict=True)
            if item is not None
        }
    if isinstance(value, list):
        return [dump(item, json=json) for item in value]
    if isinstance(value, Mapping):
        return {key: dump(item, json=json) for key, item in value.items()}
    if json and isinstance(value, dt.date):
        return value.isoformat()
    return value
