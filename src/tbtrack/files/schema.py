"""The rules of the file formats (SPEC 3 and 4), as pydantic models: one per record of `model`.

Models are strict: unknown keys are errors, strings are never coerced from numbers, dates are
ISO. Everything that needs more than one file (agency names, obligation references) is checked
in `check`, not here. `validate` turns plain data read from YAML into `model`'s records; only
reading a file afresh needs this module (and pydantic): the cache keeps records.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import os
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, get_origin

# pydantic runs the plugins of every package installed beside it inside each validation, and
# finds them by reading every installed package's metadata as the first model is built (a few
# ms of each run that reads a file): tbtrack validates with its own rules alone. Set before
# pydantic builds a model, as pydantic documents.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..files import records as model
from ..files.schedule import FIRST_YEAR, LAST_YEAR, ScheduleError, normalize_rule, within_bounds
from ..files.vocab import DUE_FORMS, OBLIGATION_ID, AgencyKind, ObligationKind, TaskState
from .scalars import InvalidScalar

R = TypeVar("R")  # one of `model`'s records
V = TypeVar("V")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _iso_date(value: Any) -> Any:
    """Accept a YAML date or a quoted ISO string; say what the ISO form is for `15/6/2025`."""
    if isinstance(value, InvalidScalar):
        raise ValueError(f"'{value.text}' is not a date that exists")
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is expected (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"'{text}' is not a date that exists") from None
        found = DMY_DATE.match(text)
        if found:
            day, month, year = (int(part) for part in found.groups())
            try:
                iso = dt.date(year, month, day).isoformat()
            except ValueError:
                raise ValueError(f"'{text}' is not a date that exists") from None
            raise ValueError(f"dates are written YYYY-MM-DD: write {iso}, not {text}")
        raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD")
    raise ValueError("a date is expected (YYYY-MM-DD)")


def _in_calendar(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            f"{value.isoformat()} is out of range: dates are from {FIRST_YEAR}-01-01 "
            f"to {LAST_YEAR}-12-31"
        )
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_in_calendar)]

# A recurring obligation starts at the earliest on 1 January of the year before its notice's
# (a notice may confirm a report already made monthly since last year): an earlier start is a
# typo, and would have every listing expand the rule over the years in between.
START_YEARS_BEFORE_NOTICE = 1


def earliest_start(notice_date: dt.date) -> dt.date:
    """The first day a recurring obligation of a notice of `notice_date` may start."""
    return dt.date(notice_date.year - START_YEARS_BEFORE_NOTICE, 1, 1)


def _one_line(value: Any) -> Any:
    if isinstance(value, str) and "\n" in value.strip():
        raise ValueError("a title is one line")
    return value


def _scheduled(check: Callable[[Any], object], value: V) -> V:
    """`value` once the schedule accepts it; its ScheduleError is a ValueError to pydantic."""
    if value is not None:
        try:
            check(value)
        except ScheduleError as exc:
            raise ValueError(str(exc)) from None
    return value


class _Strict(BaseModel):
    # defer_build: the validators are built on first use, by the first file read afresh
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, populate_by_name=True, defer_build=True
    )


# --- agencies.yaml -------------------------------------------------------------------------


class AgencyEntry(_Strict):
    name: str = Field(min_length=1)
    code: str | None = None
    aliases: list[str] = []
    kind: AgencyKind
    successor: str | None = None
    note: str | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None


class GroupEntry(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    kinds: list[AgencyKind] = []
    members: list[str] = []
    note: str | None = None


class RegistryFile(_Strict):
    agencies: list[AgencyEntry] = []
    groups: list[GroupEntry] = []


# --- task files ----------------------------------------------------------------------------


class Source(_Strict):
    notice: str = Field(min_length=1)
    number: str | None = None
    date: IsoDate
    section: str = Field(min_length=1)


class Obligation(_Strict):
    id: str = Field(pattern=OBLIGATION_ID)
    kind: ObligationKind = "complete"
    by: IsoDate | None = None
    before: IsoDate | None = None
    within: str | int | None = None
    every: str | None = None
    ongoing: Literal[True] | None = None
    undated: Literal[True] | None = None
    start: IsoDate | None = None
    until: IsoDate | None = None
    as_written: str | None = None
    to: str | None = None
    who: list[str] | None = None

    @field_validator("within")
    @classmethod
    def _period(cls, value: str | int | None) -> str | int | None:
        _scheduled(within_bounds, value)
        if value is not None and not FIRST_YEAR <= within_bounds(value)[0].year <= LAST_YEAR:
            raise ValueError(
                f"within: {value!r} is out of range: years are {FIRST_YEAR} to {LAST_YEAR}"
            )
        return value

    @field_validator("every")
    @classmethod
    def _rule(cls, value: str | None) -> str | None:
        return _scheduled(normalize_rule, value)

    @field_validator("start")
    @classmethod
    def _not_long_before_notice(cls, value: dt.date | None, info: ValidationInfo) -> Any:
        notice = (info.context or {}).get("notice_date")
        if value is not None and isinstance(notice, dt.date) and value < earliest_start(notice):
            raise ValueError(
                f"start {value.isoformat()} is long before the notice's date "
                f"({notice.isoformat()}); a recurring obligation starts on "
                f"{earliest_start(notice).isoformat()} or later"
            )
        return value

    @model_validator(mode="after")
    def _one_due_form(self) -> Obligation:
        forms = [name for name in DUE_FORMS if getattr(self, name) is not None]
        if len(forms) != 1:
            given = ", ".join(forms) if forms else "none"
            raise ValueError(
                f"an obligation has exactly one due form of {', '.join(DUE_FORMS)} (given: {given})"
            )
        if self.every is None and (self.start is not None or self.until is not None):
            raise ValueError("start and until belong to recurring obligations (every:)")
        if self.start and self.until and self.until < self.start:
            raise ValueError(f"until ({self.until}) is before start ({self.start})")
        return self


class Event(_Strict):
    on: IsoDate
    fulfils: str | None = None
    extends: str | None = None
    cancels: str | None = None
    by: str | None = None
    for_: IsoDate | None = Field(default=None, alias="for")
    to: IsoDate | None = None
    evidence: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Event:
        shapes = [s for s in ("fulfils", "extends", "cancels") if getattr(self, s) is not None]
        if len(shapes) > 1:
            raise ValueError(
                f"an event is one of fulfils, extends or cancels (given: {', '.join(shapes)})"
            )
        if self.extends is not None and self.to is None:
            raise ValueError("an extends event needs to: (the new last day)")
        if self.extends is None and self.to is not None:
            raise ValueError("to: belongs to an extends event")
        return self


class Task(_Strict):
    source: Source
    title: Annotated[str, BeforeValidator(_one_line)] = Field(min_length=1)
    text: str | None = None
    lead: list[str] = Field(min_length=1)
    support: list[str] = []
    report_to: str | None = None
    tags: list[str] = []
    state: TaskState = "active"
    state_reason: str | None = None
    state_on: IsoDate | None = None
    obligations: list[Obligation] = Field(min_length=1)
    progress: list[Event] = []
    notes: str | None = None

    @model_validator(mode="after")
    def _reason_when_inactive(self) -> Task:
        if self.state != "active" and not self.state_reason:
            raise ValueError(f"state_reason is required when state is {self.state}")
        if self.state != "active" and self.state_on is None:
            raise ValueError(
                f"state_on is required when state is {self.state}: add `state_on: YYYY-MM-DD`, "
                "the day it took effect (before it the task is active)"
            )
        return self


# --- from validated models to records ------------------------------------------------------

_MODELS: dict[type[Any], type[_Strict]] = {
    model.AgencyEntry: AgencyEntry,
    model.GroupEntry: GroupEntry,
    model.RegistryFile: RegistryFile,
    model.Source: Source,
    model.Obligation: Obligation,
    model.Event: Event,
    model.Task: Task,
}


def model_of(record: type[Any]) -> type[BaseModel]:
    """The pydantic model that holds the rules of one of `model`'s records."""
    return _MODELS[record]


def validate(record: type[R], value: Any) -> R:
    """`value`, plain data read from YAML, as a `record` (one of `model`'s records).

    Raises pydantic's ValidationError, with every rule the value breaks."""
    validated = _MODELS[record].model_validate(value, context=_context(value))
    built: R = _to_record(validated)
    return built


def _context(value: Any) -> dict[str, Any] | None:
    """What an obligation's rules need from the rest of its task file: the notice's date,
    when the file gives a valid one (an invalid one is reported at `source.date`)."""
    if not isinstance(value, dict) or not isinstance(value.get("source"), dict):
        return None
    try:
        return {"notice_date": _in_calendar(_iso_date(value["source"].get("date")))}
    except ValueError:
        return None


_ONE, _LIST = 1, 2


@functools.cache
def _plan(
    cls: type[BaseModel],
) -> tuple[type[Any], Callable[[BaseModel], tuple[Any, ...]], tuple[tuple[int, int], ...]]:
    """The record a model becomes, what gives its fields' values in the record's order (one
    call in C: a cold read converts every file's models), and which of them hold models to
    convert (their place, and whether one or a list)."""
    record = next(r for r, m in _MODELS.items() if m is cls)
    if tuple(cls.model_fields) != record._fields:
        raise TypeError(f"schema.{cls.__name__} and model.{record.__name__} differ in fields")
    nested = []
    for index, info in enumerate(cls.model_fields.values()):
        if inner_model(info.annotation) is not None:
            nested.append((index, _LIST if get_origin(info.annotation) is list else _ONE))
    return record, operator.attrgetter(*cls.model_fields), tuple(nested)


def _to_record(validated: BaseModel) -> Any:
    record, values_of, nested = _plan(type(validated))
    values = values_of(validated)
    if nested:
        out = list(values)
        for index, how in nested:
            value = out[index]
            if value is not None:
                out[index] = _to_record(value) if how == _ONE else [_to_record(v) for v in value]
        values = tuple(out)
    return tuple.__new__(record, values)


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds (`Obligation`, `list[Obligation]`, `Source | None`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
