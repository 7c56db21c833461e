"""Tests for tbtrack.files.schedule: within/before bounds and recurrence rules."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

from tbtrack.files.schedule import (
    SHORTHANDS,
    ScheduleError,
    before_last_day,
    next_occurrence_after,
    normalize_rule,
    occurrences,
    within_bounds,
)

D = date


# --------------------------------------------------------------------------- within


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2025-07", D(2025, 7, 1), D(2025, 7, 31)),
        ("2025-02", D(2025, 2, 1), D(2025, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2025-04", D(2025, 4, 1), D(2025, 4, 30)),
        ("2025-12", D(2025, 12, 1), D(2025, 12, 31)),
        ("2025-Q1", D(2025, 1, 1), D(2025, 3, 31)),
        ("2025-Q2", D(2025, 4, 1), D(2025, 6, 30)),
        ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30)),
        ("2025-q4", D(2025, 10, 1), D(2025, 12, 31)),
        ("2025-H1", D(2025, 1, 1), D(2025, 6, 30)),
        ("2025-H2", D(2025, 7, 1), D(2025, 12, 31)),
        ("2025-h1", D(2025, 1, 1), D(2025, 6, 30)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        (2025, D(2025, 1, 1), D(2025, 12, 31)),
        (" 2025-07 ", D(2025, 7, 1), D(2025, 7, 31)),
    ],
)
def test_within_bounds(value: str | int, first: date, last: date) -> None:
    assert within_bounds(value) == (first, last)


@pytest.mark.parametrize(
    "value",
    [
        "2025-13",
        "2025-00",
        "2025-7",
        "2025-Q0",
        "2025-Q5",
        "2025-H0",
        "2025-H3",
        "25",
        "0000",
        "2025-06-15",
        "Q3-2025",
        "quý III/2025",
        "",
        0,
        -2025,
        10000,
        True,
        2025.0,
        None,
    ],
)
def test_within_bounds_rejects(value: object) -> None:
    with pytest.raises(ScheduleError, match="2025-Q3"):
        within_bounds(value)  # type: ignore[arg-type]


def test_before_last_day() -> None:
    assert before_last_day(D(2025, 6, 15)) == D(2025, 6, 14)
    assert before_last_day(D(2025, 3, 1)) == D(2025, 2, 28)
    assert before_last_day(D(2025, 1, 1)) == D(2024, 12, 31)
    with pytest.raises(ScheduleError):
        before_last_day(date.min)


# --------------------------------------------------------------------------- normalize


def test_shorthands_are_the_spec_rules() -> None:
    assert SHORTHANDS == {
        "weekly": "FREQ=WEEKLY;BYDAY=FR",
        "monthly": "FREQ=MONTHLY;BYMONTHDAY=-1",
        "quarterly": "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
        "half-yearly": "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
        "yearly": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
    }
    for name, rule in SHORTHANDS.items():
        assert normalize_rule(name) == rule
        assert normalize_rule(name.upper()) == rule
        assert normalize_rule(rule) == rule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("rrule:freq=monthly;bymonthday=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("  FREQ=MONTHLY ; BYMONTHDAY=-1 ; ", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20251231", "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20251231"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        ("FREQ=DAILY", "FREQ=DAILY"),
    ],
)
def test_normalize_rule(text: str, expected: str) -> None:
    assert normalize_rule(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("RRULE:", "empty"),
        ("BYDAY=FR", "FREQ is missing"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY"),
        ("FREQ=HOURLY", "FREQ=HOURLY"),
        ("FREQ=DAILY;BYHOUR=9", "whole days"),
        ("FREQ=MONTHLY;BYMONTHDAY", "NAME=VALUE"),
        ("FREQ=MONTHLY;BYMONTHDAY=", "no value"),
        ("FREQ=MONTHLY;BYMONTHDAY=1;BYMONTHDAY=2", "twice"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "out of range"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "out of range"),
        ("FREQ=YEARLY;BYMONTH=13", "out of range"),
        ("FREQ=YEARLY;BYMONTH=x", "not a whole number"),
        ("FREQ=MONTHLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=MONTHLY;INTERVAL=-1", "INTERVAL"),
        ("FREQ=MONTHLY;COUNT=0", "COUNT"),
        ("FREQ=MONTHLY;COUNT=2;UNTIL=20251231", "COUNT and UNTIL"),
        ("FREQ=MONTHLY;UNTIL=20251231T000000Z", "UNTIL"),
        ("FREQ=MONTHLY;UNTIL=2025-12-31", "UNTIL"),
        ("FREQ=MONTHLY;UNTIL=20251301", "not a valid rule"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a valid rule"),
        ("FREQ=MONTHLY;X-FOO=1", "unknown rule part"),
        ("FREQ=DAILY;DTSTART=20250101", "DTSTART"),
        ("DTSTART:20250101\nRRULE:FREQ=DAILY", "one line"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never falls on a real date"),
        ("FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "never falls on a real date"),
        ("hằng tháng", "NAME=VALUE"),
    ],
)
def test_normalize_rule_rejects(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        normalize_rule(text)


def test_dateutil_message_is_included() -> None:
    with pytest.raises(ScheduleError, match="invalid 'BYDAY': XX"):
        normalize_rule("FREQ=WEEKLY;BYDAY=XX")


def test_rule_that_never_occurs_is_rejected_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(ScheduleError):
        normalize_rule("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31")
    assert time.perf_counter() - started < 2


def test_normalize_rule_with_start_checks_day_taken_from_start() -> None:
    # With no BYMONTHDAY, dateutil takes the day from start: the 30th of February never is.
    assert normalize_rule("FREQ=YEARLY;BYMONTH=2", D(2025, 1, 1)) == "FREQ=YEARLY;BYMONTH=2"
    with pytest.raises(ScheduleError, match="2025-01-30"):
        normalize_rule("FREQ=YEARLY;BYMONTH=2", D(2025, 1, 30))
    with pytest.raises(ScheduleError, match="2025-01-30"):
        occurrences("FREQ=YEARLY;BYMONTH=2", D(2025, 1, 30), None, D(2026, 1, 1))


def test_normalize_rule_rejects_non_string() -> None:
    with pytest.raises(ScheduleError):
        normalize_rule(12)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- occurrences


def test_monthly_last_day_without_drift() -> None:
    assert occurrences("monthly", D(2025, 1, 1), None, D(2025, 5, 31)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 4, 30),
        D(2025, 5, 31),
    ]


def test_monthly_last_day_leap_year() -> None:
    assert occurrences("monthly", D(2024, 2, 1), None, D(2024, 3, 31)) == [
        D(2024, 2, 29),
        D(2024, 3, 31),
    ]


def test_bymonthday_31_skips_short_months() -> None:
    assert occurrences("FREQ=MONTHLY;BYMONTHDAY=31", D(2025, 1, 1), None, D(2025, 8, 31)) == [
        D(2025, 1, 31),
        D(2025, 3, 31),
        D(2025, 5, 31),
        D(2025, 7, 31),
        D(2025, 8, 31),
    ]


def test_quarterly() -> None:
    assert occurrences("quarterly", D(2025, 1, 1), None, D(2026, 3, 31)) == [
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
        D(2026, 3, 31),
    ]


def test_half_yearly() -> None:
    assert occurrences("half-yearly", D(2025, 6, 6), None, D(2026, 12, 31)) == [
        D(2025, 6, 30),
        D(2025, 12, 31),
        D(2026, 6, 30),
        D(2026, 12, 31),
    ]


def test_yearly() -> None:
    assert occurrences("yearly", D(2025, 6, 6), None, D(2027, 12, 30)) == [
        D(2025, 12, 31),
        D(2026, 12, 31),
    ]


def test_weekly_is_fridays() -> None:
    found = occurrences("weekly", D(2025, 6, 1), None, D(2025, 6, 30))
    assert found == [D(2025, 6, 6), D(2025, 6, 13), D(2025, 6, 20), D(2025, 6, 27)]
    assert all(d.weekday() == 4 for d in found)


def test_rrule_prefix_accepted() -> None:
    assert occurrences("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", D(2025, 1, 1), None, D(2025, 2, 28)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
    ]


def test_until_cuts() -> None:
    assert occurrences("monthly", D(2025, 1, 1), D(2025, 3, 30), D(2025, 12, 31)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
    ]
    assert occurrences("monthly", D(2025, 1, 1), D(2025, 3, 31), D(2025, 12, 31))[-1] == D(
        2025, 3, 31
    )


def test_until_inside_rule_and_count() -> None:
    rule = "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20250331"
    assert occurrences(rule, D(2025, 1, 1), None, D(2025, 12, 31)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
    ]
    rule = "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2"
    assert occurrences(rule, D(2025, 1, 1), None, D(2025, 12, 31)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
    ]


def test_start_excludes_earlier_and_is_included_when_it_matches() -> None:
    assert occurrences("monthly", D(2025, 2, 1), None, D(2025, 3, 31)) == [
        D(2025, 2, 28),
        D(2025, 3, 31),
    ]
    assert occurrences("monthly", D(2025, 1, 31), None, D(2025, 2, 28)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
    ]


def test_through_excludes_later() -> None:
    assert occurrences("monthly", D(2025, 1, 1), None, D(2025, 3, 30)) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
    ]
    assert occurrences("monthly", D(2025, 1, 1), None, D(2025, 1, 30)) == []
    assert occurrences("monthly", D(2025, 6, 1), None, D(2025, 1, 1)) == []
    assert occurrences("monthly", D(2025, 6, 1), D(2025, 5, 1), D(2025, 12, 31)) == []


def test_yearly_from_2027() -> None:
    # "trước ngày 30 tháng 6 hằng năm, kể từ năm 2027"
    found = occurrences("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29", D(2027, 1, 1), None, D(2029, 12, 31))
    assert found == [D(2027, 6, 29), D(2028, 6, 29), D(2029, 6, 29)]


def test_rule_without_by_parts_takes_pattern_from_start() -> None:
    assert occurrences("FREQ=MONTHLY", D(2025, 1, 15), None, D(2025, 3, 31)) == [
        D(2025, 1, 15),
        D(2025, 2, 15),
        D(2025, 3, 15),
    ]


def test_bad_rule_raises() -> None:
    with pytest.raises(ScheduleError):
        occurrences("FREQ=SOMETIMES", D(2025, 1, 1), None, D(2025, 12, 31))
    with pytest.raises(ScheduleError):
        occurrences("", D(2025, 1, 1), None, D(2025, 12, 31))


def test_far_through_and_cache_are_consistent() -> None:
    first = occurrences("monthly", D(2025, 1, 1), None, D(2025, 12, 31))
    longer = occurrences("monthly", D(2025, 1, 1), None, D(2124, 12, 31))
    assert len(first) == 12
    assert len(longer) == 1200
    assert longer[:12] == first
    # The result is a fresh list every time: mutating it does not poison the cache.
    first.clear()
    assert len(occurrences("monthly", D(2025, 1, 1), None, D(2025, 12, 31))) == 12


def test_many_calls_are_fast() -> None:
    started = time.perf_counter()
    for day in range(1, 29):
        for month in range(1, 13):
            occurrences("monthly", D(2025, month, day), None, D(2025, 12, 31))
    for _ in range(20_000):
        occurrences("monthly", D(2025, 1, 1), None, D(2025, 12, 31))
    assert time.perf_counter() - started < 2


# --------------------------------------------------------------------------- next occurrence


def test_next_occurrence_after() -> None:
    start = D(2025, 1, 1)
    assert next_occurrence_after("monthly", start, None, D(2025, 1, 31)) == D(2025, 2, 28)
    assert next_occurrence_after("monthly", start, None, D(2025, 1, 30)) == D(2025, 1, 31)
    assert next_occurrence_after("monthly", start, None, D(2020, 1, 1)) == D(2025, 1, 31)
    assert next_occurrence_after("monthly", start, D(2025, 2, 27), D(2025, 1, 31)) is None
    assert next_occurrence_after("FREQ=MONTHLY;COUNT=1", start, None, D(2025, 1, 1)) is None
    assert next_occurrence_after("monthly", start, None, date.max) is None


# --------------------------------------------------------------------------- issue 16: bounds


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=MONTHLY;BYDAY=+53MO", "a month has at most 5 of a weekday"),
        ("FREQ=MONTHLY;BYDAY=-6FR", "a month has at most 5 of a weekday"),
        ("FREQ=YEARLY;BYMONTH=12;BYDAY=+6MO", "a month has at most 5 of a weekday"),
        ("FREQ=YEARLY;BYDAY=+54MO", "the number is 1 to 53"),
        ("FREQ=WEEKLY;BYDAY=+100MO", "the number is 1 to 53"),
        ("FREQ=YEARLY;BYEASTER=400", "BYEASTER=400 is out of range (-80 to 249"),
        ("FREQ=YEARLY;BYEASTER=-81", "BYEASTER=-81 is out of range"),
        ("FREQ=DAILY;UNTIL=00010101", "UNTIL=00010101: the year is 1900 to 2200"),
        ("FREQ=DAILY;UNTIL=99991231", "UNTIL=99991231: the year is 1900 to 2200"),
    ],
)
def test_rule_parts_dateutil_would_fail_on_are_refused(rule: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=re.escape(message)):
        normalize_rule(rule)


@pytest.mark.parametrize(
    ("rule", "first"),
    [
        ("FREQ=MONTHLY;BYDAY=+5MO", D(2025, 6, 30)),
        ("FREQ=MONTHLY;BYDAY=-5MO", D(2025, 6, 2)),
        ("FREQ=YEARLY;BYDAY=+53MO", D(2029, 12, 31)),
        ("FREQ=YEARLY;BYEASTER=-80", D(2026, 1, 15)),
        ("FREQ=YEARLY;BYEASTER=249", D(2025, 12, 25)),
    ],
)
def test_the_largest_allowed_parts_expand(rule: str, first: date) -> None:
    assert normalize_rule(rule)
    assert occurrences(rule, D(2025, 6, 1), None, D(2030, 12, 31))[0] == first


def test_a_dateutil_failure_while_expanding_is_a_schedule_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dateutil.rrule import rrule

    def broken(*args: object, **kwargs: object) -> object:
        raise IndexError("list index out of range")

    monkeypatch.setattr(rrule, "between", broken)
    monkeypatch.setattr(rrule, "after", broken)
    with pytest.raises(ScheduleError, match="cannot be expanded: list index out of range"):
        occurrences("FREQ=WEEKLY;BYDAY=MO;INTERVAL=3", D(2025, 1, 1), None, D(2025, 12, 31))
    with pytest.raises(ScheduleError, match="cannot be expanded"):
        next_occurrence_after("FREQ=WEEKLY;BYDAY=TU;INTERVAL=3", D(2025, 1, 1), None, D(2025, 6, 1))


@pytest.mark.parametrize(
    "rule", ["monthly", "weekly", "FREQ=WEEKLY;BYDAY=MO;INTERVAL=2", "FREQ=MONTHLY;COUNT=20"]
)
def test_occurrences_since_are_the_tail_of_all_occurrences(rule: str) -> None:
    start, through = D(2024, 1, 10), D(2025, 12, 31)
    every = occurrences(rule, start, None, through)
    for since in (D(2023, 1, 1), start, D(2025, 3, 15), D(2025, 12, 31), D(2026, 1, 1)):
        assert occurrences(rule, start, None, through, since=since) == [
            d for d in every if d >= since
        ]


def test_a_listing_range_bounds_the_dates_kept() -> None:
    # a daily rule from the earliest allowed start: only the range asked for is returned
    started = time.perf_counter()
    found = occurrences("FREQ=DAILY", D(1900, 1, 1), None, D(2025, 6, 30), since=D(2025, 6, 1))
    assert found == [D(2025, 6, day) for day in range(1, 31)]
    assert time.perf_counter() - started < 5  # 46,000 days walked, 30 kept
