"""Vietnamese working days (SPEC 4.4, ``--workdays``).

A working day is Monday to Friday, less the public holidays of Vietnam that the
``holidays`` package knows (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, observed
days and the days off the Government swaps in, e.g. Friday 2/5/2025), less any extra
holidays; plus the Saturdays the Government swaps to work (the package's
``weekend_workdays``, e.g. Saturday 26/4/2025) and any extra working days.

The ``holidays`` package is imported, and each year's holidays computed, only when a
date of that year is first asked about, so importing this module is cheap.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

EXTRA_HOLIDAY_NAME = "Ngày nghỉ bổ sung"
"""Display name of an extra holiday given without a name."""

_ONE_DAY = timedelta(days=1)


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays among the proleptic ordinals 1..ordinal (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


class _Year:
    """One year's exceptions to "Monday to Friday", as proleptic ordinals."""

    __slots__ = ("off", "off_sorted", "on", "on_sorted")

    def __init__(self, off: set[int], on: set[int]) -> None:
        self.off = frozenset(off)  # Mondays..Fridays that are not working days
        self.on = frozenset(on)  # Saturdays and Sundays that are working days
        self.off_sorted = tuple(sorted(off))
        self.on_sorted = tuple(sorted(on))


class WorkCalendar:
    """Vietnamese working days, with local additions.

    ``extra_holidays``: more days off (a mapping date → name gives display names).
    ``extra_workdays``: days that are working days whatever the package or the weekday
    says (a Saturday swapped to work, or a correction of the package).  A date cannot be
    in both (``ValueError``).  ``language`` is passed to the ``holidays`` package for
    holiday names (``"vi"``, ``"en_US"``); None lets the package choose from the locale.
    """

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        *,
        language: str | None = None,
    ) -> None:
        if isinstance(extra_holidays, Mapping):
            self._extra_names: dict[date, str] = {
                d: str(name) if name else EXTRA_HOLIDAY_NAME for d, name in extra_holidays.items()
            }
        else:
            self._extra_names = dict.fromkeys(extra_holidays, EXTRA_HOLIDAY_NAME)
        self._extra_holidays = frozenset(self._extra_names)
        self._extra_workdays = frozenset(extra_workdays)
        both = self._extra_holidays & self._extra_workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"listed both as a holiday and as a working day: {listed}")
        self._language = language
        self._package: Any = None
        self._populated: set[int] = set()
        self._years: dict[int, _Year] = {}

    # ----------------------------------------------------------------- package data

    def _vn(self, *years: int) -> Any:
        """The package's Vietnam holidays, populated for ``years`` (those that exist)."""
        if self._package is None:
            import holidays  # slow to import: only when a working day is asked about

            self._package = holidays.country_holidays("VN", language=self._language, years=())
        for year in years:
            if year not in self._populated and 1 <= year <= 9999:
                self._populated.add(year)
                # expand=True: looking up a date populates its year.
                _ = date(year, 1, 1) in self._package
        return self._package

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is not None:
            return found
        # A swap can cross a year boundary (Saturday 27/12/2014 worked for Friday
        # 2/1/2015), so take the neighbouring years' data into account as well.
        package = self._vn(year - 1, year, year + 1)
        off: set[int] = set()
        on: set[int] = set()
        for day in package:
            if day.year == year and day.weekday() < 5 and day not in self._extra_workdays:
                off.add(day.toordinal())
        for day in package.weekend_workdays:
            if day.year == year and day.weekday() >= 5 and day not in self._extra_holidays:
                on.add(day.toordinal())
        for day in self._extra_holidays:
            if day.year == year and day.weekday() < 5:
                off.add(day.toordinal())
        for day in self._extra_workdays:
            if day.year == year and day.weekday() >= 5:
                on.add(day.toordinal())
        found = _Year(off, on)
        self._years[year] = found
        return found

    # ----------------------------------------------------------------- public API

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        data = self._year(d.year)
        if d.weekday() < 5:
            return d.toordinal() not in data.off
        return d.toordinal() in data.on

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day (BLDS 2015 Điều 148.5)."""
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def add_workdays(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (the ``-n``-th before it when ``n`` < 0).

        ``d`` itself when ``n`` is 0.  For ``n`` >= 0, ``days_between(d, add_workdays(d,
        n)) == n``: the look-ahead horizon "A + W working days".
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        for _ in range(abs(n)):
            d += step
            while not self.is_workday(d):
                d += step
        return d

    def _count(self, a: date, b: date) -> int:
        """Working days d with a < d <= b, for a <= b."""
        lo, hi = a.toordinal(), b.toordinal()
        count = _weekdays_through(hi) - _weekdays_through(lo)
        for year in range(a.year, b.year + 1):
            data = self._year(year)
            if data.off_sorted:
                off = data.off_sorted
                count -= bisect_right(off, hi) - bisect_right(off, lo)
            if data.on_sorted:
                on = data.on_sorted
                count += bisect_right(on, hi) - bisect_right(on, lo)
        return count

    def days_between(self, a: date, b: date) -> int:
        """Signed count of working days from ``a`` to ``b``.

        For ``b >= a``: the working days d with a < d <= b; otherwise minus the working
        days d with b < d <= a (like ``(b - a).days`` on a calendar of working days).
        """
        if b >= a:
            return self._count(a, b)
        return -self._count(b, a)

    def holidays_between(self, a: date, b: date) -> list[tuple[date, str]]:
        """Holidays (with their names) from ``a`` to ``b`` inclusive, by date.

        Includes holidays falling on a weekend and extra holidays; leaves out dates
        listed as extra working days.  A date with two names gets both ("; ").
        """
        if b < a:
            return []
        package = self._vn(*range(a.year, b.year + 1))
        found: dict[date, str] = {}
        for day, name in package.items():
            if a <= day <= b and day not in self._extra_workdays:
                found[day] = str(name)
        for day, name in self._extra_names.items():
            if a <= day <= b:
                found[day] = f"{found[day]}; {name}" if day in found else name
        return sorted(found.items())
