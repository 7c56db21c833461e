"""Calendar arithmetic of due forms (SPEC 4.1): ``before:``, ``within:`` and ``every:``.

Pure functions, no I/O.  Recurrence rules are RFC 5545 ``RRULE`` values expanded with
:mod:`dateutil.rrule`; all occurrences are whole days (sub-daily rules are refused).

Notes on dateutil semantics that matter here:

* The rule is expanded with ``dtstart`` = the obligation's ``start``.  Unlike RFC 5545,
  dateutil does not make ``dtstart`` itself an occurrence unless it matches the rule,
  which is exactly "occurrences before ``start`` do not exist".
* Parts the rule leaves out are taken from ``start`` (``FREQ=MONTHLY`` alone recurs on
  ``start``'s day of the month; ``FREQ=YEARLY`` on its month and day), and ``INTERVAL``
  and ``COUNT`` count from ``start``.
* A rule that can never produce a date (``BYMONTH=2;BYMONTHDAY=30``) would make dateutil
  search up to the year 9999, and ``INTERVAL=0`` would make it loop forever, so both
  are rejected here.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "SHORTHANDS",
    "ScheduleError",
    "before_last_day",
    "next_occurrence_after",
    "normalize_rule",
    "occurrences",
    "within_bounds",
]

SHORTHANDS: dict[str, str] = {
    "weekly": "FREQ=WEEKLY;BYDAY=FR",
    "monthly": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "quarterly": "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    "half-yearly": "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
    "yearly": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
}


class ScheduleError(ValueError):
    """A due form that cannot be understood; the message is meant for a person."""


# The calendar the file formats cover: every date a task file writes falls in these years
# (SPEC 4). Notices are from this century; the bound keeps a rule from being expanded over
# millennia (`FREQ=DAILY` from 0001-01-01 is 740,000 dates) and keeps dates away from the
# ends of Python's calendar, where `before: 0001-01-01` has no day before it.
FIRST_YEAR = 1900
LAST_YEAR = 2200


@contextlib.contextmanager
def _dateutil_errors(rule: str) -> Iterator[None]:
    """dateutil's own failures while expanding a rule, as a ScheduleError: a rule that gets
    past `normalize_rule` and still trips it must be a located error, not a crash."""
    try:
        yield
    except (IndexError, ValueError, OverflowError, TypeError) as exc:
        if isinstance(exc, ScheduleError):
            raise
        raise ScheduleError(f"every: {rule!r} cannot be expanded: {exc}") from None


# --------------------------------------------------------------------------- within / before

_WITHIN_FORMS = (
    "a month (2025-07), a quarter (2025-Q3), a half-year (2025-H1 or 2025-H2) or a year (2025)"
)
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE = re.compile(r"(\d{4})-[Qq]([0-9])")
_HALF_RE = re.compile(r"(\d{4})-[Hh]([0-9])")
_YEAR_RE = re.compile(r"\d{4}")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def within_bounds(value: str | int) -> tuple[date, date]:
    """First and last day of the period a ``within:`` names.

    ``2025-07`` is a month, ``2025-Q3`` (or ``2025-q3``) a quarter, ``2025-H1`` /
    ``2025-H2`` (or lowercase h) a half-year, ``2025`` (a string or an int) a year.
    Anything else raises :class:`ScheduleError`.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ScheduleError(f"within: {value!r} is not a period; use {_WITHIN_FORMS}")
    if isinstance(value, int):
        if not 1 <= value <= 9999:
            raise ScheduleError(f"within: {value} is not a year; use {_WITHIN_FORMS}")
        return date(value, 1, 1), date(value, 12, 31)
    text = value.strip()
    if (m := _MONTH_RE.fullmatch(text)) is not None:
        year, month = int(m.group(1)), int(m.group(2))
        if year == 0 or not 1 <= month <= 12:
            raise ScheduleError(
                f"within: {value!r}: there is no month {month:02d}; use {_WITHIN_FORMS}"
            )
        return date(year, month, 1), _month_end(year, month)
    if (m := _QUARTER_RE.fullmatch(text)) is not None:
        year, quarter = int(m.group(1)), int(m.group(2))
        if year == 0 or not 1 <= quarter <= 4:
            raise ScheduleError(f"within: {value!r}: quarters are Q1 to Q4; use {_WITHIN_FORMS}")
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if (m := _HALF_RE.fullmatch(text)) is not None:
        year, half = int(m.group(1)), int(m.group(2))
        if year == 0 or half not in (1, 2):
            raise ScheduleError(f"within: {value!r}: half-years are H1 and H2; use {_WITHIN_FORMS}")
        return date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
    if _YEAR_RE.fullmatch(text) is not None and int(text) != 0:
        return date(int(text), 1, 1), date(int(text), 12, 31)
    raise ScheduleError(f"within: {value!r} is not a period; use {_WITHIN_FORMS}")


def before_last_day(d: date) -> date:
    """The last allowed day of ``before: d`` ("trước ngày d"): the day before ``d``."""
    if d == date.min:
        raise ScheduleError(f"before: {d.isoformat()} has no day before it")
    return d - timedelta(days=1)


# --------------------------------------------------------------------------- recurrence rules

_ALLOWED_FREQ = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_ALLOWED_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "WKST",
        "BYMONTH",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYDAY",
        "BYWEEKDAY",
        "BYSETPOS",
        "BYEASTER",
    }
)
# Numeric BY parts: (lowest absolute value, highest absolute value, negatives allowed).
_NUMERIC_RANGES: dict[str, tuple[int, int, bool]] = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
}
_UNTIL_RE = re.compile(r"\d{8}(T\d{6})?")
_WEEKDAY_RE = re.compile(r"([+-]?\d{1,3})?(MO|TU|WE|TH|FR|SA|SU)")
# Days from Easter Sunday that stay in its year (it falls from the 81st to the 116th day):
# dateutil indexes a table of the year's days with the offset, and fails past it.
_EASTER_OFFSETS = (-80, 249)
_SHORTHAND_LIST = ", ".join(SHORTHANDS)
# A leap year near the end of the calendar, from which dateutil's search for a first
# date gives up quickly (at the year 9999) when a rule has none.  The Gregorian
# calendar repeats every 400 years, so 403 years are enough to find one if any exists.
_PROBE_YEAR = 9596


def _rule_error(text: str, why: str) -> ScheduleError:
    return ScheduleError(f"every: {text!r}: {why}")


def _int_list(text: str, name: str, value: str) -> list[int]:
    out: list[int] = []
    for item in value.split(","):
        try:
            out.append(int(item))
        except ValueError:
            raise _rule_error(text, f"{name}: {item!r} is not a whole number") from None
    return out


def _check_part(text: str, name: str, value: str) -> None:
    if name == "DTSTART":
        raise _rule_error(text, "DTSTART cannot be part of the rule; write start: instead")
    if name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        raise _rule_error(text, f"{name} is not allowed: due dates are whole days")
    if name not in _ALLOWED_PARTS:
        raise _rule_error(text, f"unknown rule part {name!r}")
    if name == "FREQ" and value not in _ALLOWED_FREQ:
        raise _rule_error(
            text, f"FREQ={value} is not allowed; use one of {', '.join(_ALLOWED_FREQ)}"
        )
    if name in ("INTERVAL", "COUNT"):
        numbers = _int_list(text, name, value)
        if len(numbers) != 1 or numbers[0] < 1:
            raise _rule_error(text, f"{name} must be a whole number of at least 1")
    if name == "UNTIL" and _UNTIL_RE.fullmatch(value) is None:
        raise _rule_error(
            text, f"UNTIL={value}: write a date such as 20261231 (no dashes, no time zone)"
        )
    if name == "UNTIL" and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise _rule_error(text, f"UNTIL={value}: the year is {FIRST_YEAR} to {LAST_YEAR}")
    if name == "BYEASTER":
        low, high = _EASTER_OFFSETS
        for number in _int_list(text, name, value):
            if not low <= number <= high:
                raise _rule_error(
                    text, f"BYEASTER={number} is out of range ({low} to {high} days from Easter)"
                )
    if name in ("BYDAY", "BYWEEKDAY"):
        for item in value.split(","):
            found = _WEEKDAY_RE.fullmatch(item.strip())  # dateutil words what is no day
            if (
                found is not None
                and found.group(1) is not None
                and not 1 <= abs(int(found.group(1))) <= 53
            ):
                raise _rule_error(text, f"{name}={item}: the number is 1 to 53 or -53 to -1")
    if name in _NUMERIC_RANGES:
        low, high, negative = _NUMERIC_RANGES[name]
        for number in _int_list(text, name, value):
            if not (low <= abs(number) <= high and (negative or number > 0)):
                allowed = f"{low} to {high}" + (f" or -{high} to -{low}" if negative else "")
                raise _rule_error(text, f"{name}={number} is out of range ({allowed})")


def _check_ordinals(text: str, parts: dict[str, str]) -> None:
    """`+5MO` (the fifth Monday) counts within a month when the rule recurs by month or names
    months, and within a year otherwise: a month has at most 5 of a weekday (dateutil fails
    on `FREQ=MONTHLY;BYDAY=+53MO` rather than finding no date)."""
    if parts["FREQ"] != "MONTHLY" and not (parts["FREQ"] == "YEARLY" and "BYMONTH" in parts):
        return
    for name in ("BYDAY", "BYWEEKDAY"):
        for item in parts.get(name, "").split(","):
            found = _WEEKDAY_RE.fullmatch(item.strip())
            if found and found.group(1) is not None and abs(int(found.group(1))) > 5:
                raise _rule_error(
                    text, f"{name}={item}: a month has at most 5 of a weekday (1 to 5 or -5 to -1)"
                )


def _build(canonical: str, start: datetime) -> rrule:
    # imported when first needed: a warm listing of shorthand and monthly rules (`_fast_dates`)
    # never builds one, and dateutil.rrule is a few ms of every run's start
    from dateutil.rrule import rrule, rrulestr

    try:
        built = rrulestr(canonical, dtstart=start, cache=True)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ScheduleError(f"every: {canonical!r} is not a valid rule: {exc}") from None
    if not isinstance(built, rrule):  # pragma: no cover - single-line text gives an rrule
        raise ScheduleError(f"every: {canonical!r} is not a single rule")
    return built


def _check_has_dates(canonical: str, built: rrule, start: date | None) -> None:
    # Same month and day as start (the probe year is a leap year, so 29/2 exists), with
    # COUNT, UNTIL and INTERVAL left out: does the pattern ever fall on a real date?
    probe_start = datetime(_PROBE_YEAR, *((start.month, start.day) if start else (1, 1)))
    with _dateutil_errors(canonical):
        probe = built.replace(dtstart=probe_start, count=None, until=None, interval=1, cache=False)
        found = probe.after(probe_start, inc=True)
    if found is None:
        raise ScheduleError(
            f"every: {canonical!r} never falls on a real date"
            + (f" when it starts on {start.isoformat()}" if start else "")
            + "; write BYMONTHDAY=-1 for the last day of a month"
        )


@lru_cache(maxsize=1024)
def _normalize(text: str) -> str:
    stripped = text.strip()
    shorthand = SHORTHANDS.get(stripped.lower())
    if shorthand is not None:
        return shorthand
    body = stripped[6:] if stripped[:6].upper() == "RRULE:" else stripped
    if "\n" in body or "\r" in body:
        raise _rule_error(text, "write one rule on one line (no DTSTART, EXDATE or RDATE lines)")
    parts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in body.split(";"):
        if not raw.strip():
            continue
        if "=" not in raw:
            raise _rule_error(text, f"{raw.strip()!r} is not of the form NAME=VALUE")
        name, value = (s.strip().upper() for s in raw.split("=", 1))
        if not value:
            raise _rule_error(text, f"{name} has no value")
        if name in seen:
            raise _rule_error(text, f"{name} is given twice")
        _check_part(text, name, value)
        seen.add(name)
        parts.append((name, value))
    if not parts:
        raise ScheduleError(
            f"every: {text!r} is empty; give an RFC 5545 rule such as "
            f"FREQ=MONTHLY;BYMONTHDAY=-1 or one of {_SHORTHAND_LIST}"
        )
    if "FREQ" not in seen:
        raise _rule_error(text, f"FREQ is missing; or use one of {_SHORTHAND_LIST}")
    if "COUNT" in seen and "UNTIL" in seen:
        raise _rule_error(text, "COUNT and UNTIL cannot both be given (RFC 5545)")
    _check_ordinals(text, dict(parts))
    canonical = ";".join(f"{name}={value}" for name, value in parts)
    built = _build(canonical, datetime(_PROBE_YEAR, 1, 1))
    _check_has_dates(canonical, built, None)
    return canonical


@lru_cache(maxsize=4096)
def _compiled(rule: str, start: date) -> rrule:
    canonical = _normalize(rule)
    built = _build(canonical, datetime(start.year, start.month, start.day))
    _check_has_dates(canonical, built, start)
    return built


def normalize_rule(text: str, start: date | None = None) -> str:
    """The canonical rule text for an ``every:`` value, validated.

    Shorthands (``weekly``, ``monthly``, ``quarterly``, ``half-yearly``, ``yearly``; any
    case) give their rule; otherwise an optional ``RRULE:`` prefix is dropped, parts are
    upper-cased and stripped of spaces, and empty parts (a trailing ``;``) are dropped.
    ``COUNT`` and ``UNTIL`` (a date, ``20261231``) are allowed, not both.  Refused with
    :class:`ScheduleError`: an empty rule, a missing or sub-daily ``FREQ``, ``BYHOUR``,
    ``BYMINUTE``, ``BYSECOND``, ``DTSTART``, several lines, a repeated part, ``INTERVAL``
    or ``COUNT`` below 1, BY values out of range, a rule that can never produce a date,
    and anything dateutil rejects (its message is included).  With ``start``, also
    checks that the rule produces dates when expanded from that day (``FREQ=YEARLY;
    BYMONTH=2`` takes the day of the month from ``start`` and never occurs from a 30th).
    """
    if not isinstance(text, str):
        raise ScheduleError(f"every: {text!r} is not a rule; give a text such as 'monthly'")
    if start is None:
        return _normalize(text)
    _compiled(text, start)
    return _normalize(text)


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


# Most rules name days of months: the shorthands but `weekly`, and rules such as
# FREQ=MONTHLY;BYMONTHDAY=15 or FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=10. Their dates come by
# plain arithmetic here, as dateutil gives them (a test compares the two): expanding each
# task's rule from its own start with dateutil was most of what a listing of 10,000 tasks cost.
_FRIDAY = 4


@lru_cache(maxsize=1024)
def _monthly_days(canonical: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(months, days of the month) of a rule made of FREQ=MONTHLY|YEARLY, BYMONTHDAY and
    BYMONTH only; None for any other rule."""
    parts = dict(part.split("=", 1) for part in canonical.split(";"))
    if parts.get("FREQ") not in ("MONTHLY", "YEARLY") or "BYMONTHDAY" not in parts:
        return None
    if set(parts) - {"FREQ", "BYMONTH", "BYMONTHDAY"}:
        return None
    days = tuple(int(day) for day in parts["BYMONTHDAY"].split(","))
    months = (
        tuple(sorted({int(m) for m in parts["BYMONTH"].split(",")}))
        if "BYMONTH" in parts
        else tuple(range(1, 13))
    )
    return months, days


@lru_cache(maxsize=1024)
def _days_of_month(days: tuple[int, ...], length: int) -> list[int]:
    """BYMONTHDAY values as days of a month this long, in order; a day the month lacks (31 in
    June, -31 in February) is no occurrence (RFC 5545)."""
    return sorted({d if d > 0 else length + 1 + d for d in days if abs(d) <= length})


def _fast_dates(canonical: str, start: date, last: date) -> tuple[date, ...] | None:
    """The dates of a simple rule from start through last, as dateutil gives them; None for
    a rule this does not cover."""
    # the dates from any start are a tail of those from 1 January of its year, which the
    # obligations of a thousand notices of one or two years share
    dates = _dates_from_new_year(canonical, start.year, last)
    return None if dates is None else dates[bisect_left(dates, start) :]


@lru_cache(maxsize=4096)
def _dates_from_new_year(canonical: str, year: int, last: date) -> tuple[date, ...] | None:
    """The dates of a simple rule from 1 January of `year` through `last`; None for a rule
    `_fast_dates` does not cover."""
    start = date(year, 1, 1)
    if canonical == SHORTHANDS["weekly"]:
        out: list[date] = []
        day = start + timedelta(days=(_FRIDAY - start.weekday()) % 7)
        try:
            while day <= last:
                out.append(day)
                day += timedelta(days=7)
        except OverflowError:  # past 9999-12-31
            pass
        return tuple(out)
    found = _monthly_days(canonical)
    if found is None:
        return None
    months, days = found
    dates: list[date] = []
    for each in range(year, last.year + 1):
        for month in months:
            for number in _days_of_month(days, calendar.monthrange(each, month)[1]):
                day = date(each, month, number)
                if start <= day <= last:
                    dates.append(day)
    return tuple(dates)


@lru_cache(maxsize=65536)
def _occurrences(
    rule: str, start: date, until: date | None, through: date, since: date | None
) -> tuple[date, ...]:
    last = through if until is None or through <= until else until
    first = start if since is None or since <= start else since
    fast = _fast_dates(_normalize(rule), first, last) if last >= first else None
    if fast is not None:
        return fast
    compiled = _compiled(rule, start)
    if last < first:
        return ()
    # dateutil counts COUNT and INTERVAL from start, so it walks from there; only the dates
    # from `first` on are kept
    with _dateutil_errors(rule):
        found = compiled.between(_midnight(first), _midnight(last), inc=True)
    return tuple(dt.date() for dt in found)


def occurrences(
    rule: str, start: date, until: date | None, through: date, since: date | None = None
) -> list[date]:
    """The dates ``d`` of ``rule`` with ``start <= d <= through`` and ``d <= until``, in order;
    with ``since``, only those with ``since <= d`` (a listing asks for its range only).

    ``rule`` is anything :func:`normalize_rule` accepts.  The compiled rule is cached per
    (rule text, start) and so are results, so calling this for many obligations that
    share a rule is cheap; dates past ``through`` are never generated, nor kept before
    ``since``.  Raises :class:`ScheduleError` for a bad rule.
    """
    return list(_occurrences(rule, start, until, through, since))


def next_occurrence_after(rule: str, start: date, until: date | None, after: date) -> date | None:
    """The first date of ``rule`` later than ``after`` (and not before ``start``, not after
    ``until``), or None when the rule has no more dates."""
    compiled = _compiled(rule, start)
    if after == date.max:
        return None
    with _dateutil_errors(rule):
        if after < start:
            found = compiled.after(_midnight(start), inc=True)
        else:
            found = compiled.after(_midnight(after), inc=False)
    if found is None:
        return None
    day = found.date()
    if until is not None and day > until:
        return None
    return day
