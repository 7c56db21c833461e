"""Tests for tbtrack.engine.workdays: Vietnamese working days.

Facts asserted for 2025 are as the ``holidays`` package gives them and as the
Government announced: Tết Ất Tỵ Monday 27/1 to Friday 31/1, Giỗ Tổ Hùng Vương Monday
7/4, 30/4 and 1/5 with Friday 2/5 off in exchange for Saturday 26/4, and Quốc khánh
Monday 1/9 and Tuesday 2/9.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from tbtrack.engine.workdays import EXTRA_HOLIDAY_NAME, WorkCalendar

D = date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(language="vi")


def brute_days_between(cal: WorkCalendar, a: date, b: date) -> int:
    if b < a:
        return -brute_days_between(cal, b, a)
    return sum(cal.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def test_plain_weekdays_and_weekends(cal: WorkCalendar) -> None:
    assert cal.is_workday(D(2025, 6, 13))  # Friday
    assert not cal.is_workday(D(2025, 6, 14))  # Saturday
    assert not cal.is_workday(D(2025, 6, 15))  # Sunday
    assert cal.is_workday(D(2025, 6, 16))  # Monday


def test_saturday_rolls_to_monday(cal: WorkCalendar) -> None:
    assert cal.roll_forward(D(2025, 6, 14)) == D(2025, 6, 16)
    assert cal.roll_forward(D(2025, 6, 15)) == D(2025, 6, 16)
    assert cal.roll_forward(D(2025, 6, 16)) == D(2025, 6, 16)


def test_reunification_and_labour_day_2025(cal: WorkCalendar) -> None:
    for day in (D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)):
        assert not cal.is_workday(day)
    # Friday 2/5/2025 was given off in exchange for Saturday 26/4/2025, so both roll to
    # Monday 5/5/2025, not to Friday 2/5.
    assert cal.roll_forward(D(2025, 4, 30)) == D(2025, 5, 5)
    assert cal.roll_forward(D(2025, 5, 1)) == D(2025, 5, 5)
    assert cal.is_workday(D(2025, 4, 26))  # the swapped Saturday
    assert cal.days_between(D(2025, 4, 29), D(2025, 5, 5)) == 1


def test_tet_2025(cal: WorkCalendar) -> None:
    for offset in range(5):
        assert not cal.is_workday(D(2025, 1, 27) + timedelta(days=offset))
    assert cal.is_workday(D(2025, 1, 24))
    assert cal.roll_forward(D(2025, 1, 25)) == D(2025, 2, 3)
    assert cal.days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1


def test_hung_kings_and_national_day_2025(cal: WorkCalendar) -> None:
    assert not cal.is_workday(D(2025, 4, 7))
    assert cal.roll_forward(D(2025, 4, 5)) == D(2025, 4, 8)
    assert not cal.is_workday(D(2025, 9, 1))
    assert not cal.is_workday(D(2025, 9, 2))
    assert cal.roll_forward(D(2025, 8, 30)) == D(2025, 9, 3)
    assert cal.is_workday(D(2025, 1, 2))
    assert not cal.is_workday(D(2025, 1, 1))


def test_swap_across_new_year(cal: WorkCalendar) -> None:
    # Friday 2/1/2015 off, worked on Saturday 27/12/2014 instead.
    assert cal.is_workday(D(2014, 12, 27))
    assert not cal.is_workday(D(2015, 1, 2))
    assert cal.roll_forward(D(2015, 1, 1)) == D(2015, 1, 5)


def test_days_between_over_a_weekend(cal: WorkCalendar) -> None:
    friday, monday = D(2025, 6, 13), D(2025, 6, 16)
    assert cal.days_between(friday, monday) == 1
    assert cal.days_between(monday, friday) == -1
    assert cal.days_between(friday, D(2025, 6, 14)) == 0
    assert cal.days_between(D(2025, 6, 14), monday) == 1
    assert cal.days_between(monday, monday) == 0
    assert cal.days_between(monday, D(2025, 6, 23)) == 5
    assert cal.days_between(D(2025, 6, 23), monday) == -5


def test_days_between_a_whole_year(cal: WorkCalendar) -> None:
    # 261 weekdays in 2025, less 1/1 (excluded as the start), less 11 weekday holidays
    # (27-31/1, 7/4, 30/4, 1/5, 2/5, 1/9, 2/9), plus Saturday 26/4.
    assert cal.days_between(D(2025, 1, 1), D(2025, 12, 31)) == 250
    assert cal.days_between(D(2025, 12, 31), D(2025, 1, 1)) == -250


def test_days_between_matches_counting_day_by_day(cal: WorkCalendar) -> None:
    start = D(2013, 11, 3)
    for step in range(0, 4000, 37):
        a = start + timedelta(days=step)
        for span in (-400, -61, -8, -1, 0, 1, 3, 9, 45, 370):
            b = a + timedelta(days=span)
            assert cal.days_between(a, b) == brute_days_between(cal, a, b), (a, b)


def test_add_workdays(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D(2025, 6, 13), 0) == D(2025, 6, 13)
    assert cal.add_workdays(D(2025, 6, 13), 1) == D(2025, 6, 16)
    assert cal.add_workdays(D(2025, 4, 29), 1) == D(2025, 5, 5)
    assert cal.add_workdays(D(2025, 6, 16), -1) == D(2025, 6, 13)
    for n in range(15):
        assert cal.days_between(D(2025, 4, 27), cal.add_workdays(D(2025, 4, 27), n)) == n


def test_extra_holidays() -> None:
    cal = WorkCalendar(extra_holidays=[D(2025, 6, 16)])
    assert not cal.is_workday(D(2025, 6, 16))
    assert cal.roll_forward(D(2025, 6, 14)) == D(2025, 6, 17)
    assert cal.days_between(D(2025, 6, 13), D(2025, 6, 17)) == 1
    assert cal.holidays_between(D(2025, 6, 1), D(2025, 6, 30)) == [
        (D(2025, 6, 16), EXTRA_HOLIDAY_NAME)
    ]


def test_extra_holidays_with_names() -> None:
    cal = WorkCalendar(extra_holidays={D(2025, 6, 16): "Nghỉ bù"})
    assert cal.holidays_between(D(2025, 6, 16), D(2025, 6, 16)) == [(D(2025, 6, 16), "Nghỉ bù")]


def test_extra_workdays() -> None:
    cal = WorkCalendar(extra_workdays=[D(2025, 6, 14), D(2025, 9, 2)])
    assert cal.is_workday(D(2025, 6, 14))  # a Saturday swapped to work
    assert cal.roll_forward(D(2025, 6, 14)) == D(2025, 6, 14)
    assert cal.days_between(D(2025, 6, 13), D(2025, 6, 16)) == 2
    assert cal.is_workday(D(2025, 9, 2))  # overrides the package
    assert not cal.is_workday(D(2025, 9, 1))
    names = cal.holidays_between(D(2025, 9, 1), D(2025, 9, 2))
    assert [d for d, _ in names] == [D(2025, 9, 1)]


def test_date_in_both_extra_lists_is_refused() -> None:
    with pytest.raises(ValueError, match="2025-06-14"):
        WorkCalendar(extra_holidays=[D(2025, 6, 14)], extra_workdays=[D(2025, 6, 14)])


def test_holidays_between_names(cal: WorkCalendar) -> None:
    found = cal.holidays_between(D(2025, 8, 1), D(2025, 9, 30))
    assert found == [(D(2025, 9, 1), "Quốc khánh"), (D(2025, 9, 2), "Quốc khánh")]
    assert cal.holidays_between(D(2025, 9, 30), D(2025, 9, 1)) == []
    english = WorkCalendar(language="en_US").holidays_between(D(2025, 9, 2), D(2025, 9, 2))
    assert english == [(D(2025, 9, 2), "National Day")]
    # Holidays on a weekend are listed too (Giỗ Tổ Hùng Vương on Sunday 26/4/2026).
    days = [d for d, _ in cal.holidays_between(D(2026, 4, 25), D(2026, 4, 27))]
    assert days == [D(2026, 4, 26), D(2026, 4, 27)]


def test_years_outside_the_package_are_plain_weekdays() -> None:
    cal = WorkCalendar()
    assert cal.days_between(D(1800, 1, 1), D(1800, 1, 8)) == 5
    assert cal.roll_forward(D(9999, 12, 24)) == D(9999, 12, 24)
    assert cal.days_between(D(1, 1, 1), D(1, 1, 8)) == 5


def test_importing_the_module_does_not_import_holidays() -> None:
    code = "import sys, tbtrack.engine.workdays; print('holidays' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
