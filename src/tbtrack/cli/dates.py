"""Dates typed on the command line (SPEC 5) and ``$TBTRACK_TODAY`` (SPEC 4.4).

Accepted by :func:`parse_cli_date` (surrounding spaces ignored, case-insensitive):

* ``2025-06-15`` (ISO; ``2025-6-5`` too);
* ``15/6/2025``, ``15/06/2025`` (day first, the Vietnamese order; ``-`` or ``.`` may
  stand for ``/``: ``15-6-2025``, ``15.06.2025``);
* ``today``, ``tomorrow``, ``yesterday``, and in Vietnamese ``hôm nay``, ``ngày mai``,
  ``hôm qua`` (also typed without diacritics: ``hom nay``, ``ngay mai``, ``hom qua``);
* an offset from today, sign required: ``+7d`` / ``-7d`` days, ``+2w`` / ``-2w`` weeks,
  ``+1m`` / ``-1m`` calendar months, ``+1y`` / ``-1y`` years.  Months and years are
  added with :class:`dateutil.relativedelta.relativedelta`, which keeps the day of the
  month and clamps it to the month's end: 31/1/2025 ``+1m`` is 28/2/2025.

A date that does not exist (``31/6/2025``, ``2025-02-29``) is an error saying so, never
moved to a neighbouring day.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta

from ..errors import UsageError
from ..messages import Message, plain

ACCEPTED_FORMS = (
    "2025-06-15",
    "15/6/2025",
    "15/06/2025",
    "today",
    "tomorrow",
    "yesterday",
    "+7d",
    "-2w",
    "+1m",
)
ENV_TODAY = "TBTRACK_TODAY"

_WORDS: dict[str, int] = {
    "today": 0,
    "tomorrow": 1,
    "yesterday": -1,
    "hôm nay": 0,
    "ngày mai": 1,
    "hôm qua": -1,
    "hom nay": 0,
    "ngay mai": 1,
    "hom qua": -1,
}
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_RE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_OFFSET_RE = re.compile(r"([+-])\s*(\d{1,6})\s*([dwmy])")


class DateInputError(ValueError):
    """A date typed by a person that cannot be read; the message says which forms work."""

    def __init__(
        self, text: str, reason: Message | None = None, *, forms: tuple[str, ...] = ACCEPTED_FORMS
    ) -> None:
        self.text = text
        self.reason = reason
        self.forms = forms
        args = {"text": repr(text), "forms": ", ".join(forms)}
        self.message = (
            Message("bad-date", {**args, "reason": reason})
            if reason
            else Message("not-a-date", args)
        )
        super().__init__(self.message.text())


def date_message(exc: ValueError) -> Message:
    """What a date that could not be read says, in the catalogue's terms."""
    return exc.message if isinstance(exc, DateInputError) else plain(str(exc))


def _make_date(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise DateInputError(text, Message("no-month", {"month": month}))
    if year < 1:
        raise DateInputError(text, Message("no-year", {"year": year}))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateInputError(
            text,
            Message("no-such-day", {"month": f"{month:02d}", "year": f"{year:04d}", "days": last}),
        )
    return date(year, month, day)


def _shift(text: str, today: date, sign: int, amount: int, unit: str) -> date:
    try:
        if unit == "d":
            return today + timedelta(days=sign * amount)
        if unit == "w":
            return today + timedelta(weeks=sign * amount)
        from dateutil.relativedelta import relativedelta

        if unit == "m":
            result: date = today + relativedelta(months=sign * amount)
        else:
            result = today + relativedelta(years=sign * amount)
        return result
    except (OverflowError, ValueError):
        raise DateInputError(text, Message("outside-calendar")) from None


def parse_cli_date(text: str, today: date) -> date:
    """The date ``text`` means, relative to ``today`` where it is relative.

    See the module docstring for the accepted forms; anything else raises
    :class:`DateInputError`, whose message lists them.
    """
    cleaned = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    if not cleaned:
        raise DateInputError(text, Message("no-date"))
    if cleaned in _WORDS:
        return _shift(text, today, 1, _WORDS[cleaned], "d")
    if (m := _ISO_RE.fullmatch(cleaned)) is not None:
        return _make_date(text, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if (m := _DMY_RE.fullmatch(cleaned)) is not None:
        return _make_date(text, int(m.group(4)), int(m.group(3)), int(m.group(1)))
    if (m := _OFFSET_RE.fullmatch(cleaned)) is not None:
        sign = 1 if m.group(1) == "+" else -1
        return _shift(text, today, sign, int(m.group(2)), m.group(3))
    raise DateInputError(text)


def today_from_env(environ: Mapping[str, str], today: date) -> date | None:
    """``$TBTRACK_TODAY`` as a date, or None when unset or empty.

    It takes every form ``--as-of`` takes (a relative one counts from ``today``, the clock's);
    anything else raises :class:`DateInputError`, naming the variable.
    """
    raw = environ.get(ENV_TODAY)
    if raw is None or not raw.strip():
        return None
    try:
        return parse_cli_date(raw, today)
    except DateInputError as exc:
        reason = exc.reason or Message("not-a-date-reason")
        raise DateInputError(
            raw, Message("env-date", {"variable": ENV_TODAY, "reason": reason})
        ) from None


# the days a run may be computed as of: a "today" outside them is a typing error, and the
# engine's date arithmetic (today plus the window, the occurrences up to it) stays in range
AS_OF_YEARS = (1900, 2200)


def check_as_of(day: date, source: str) -> date:
    """``day`` when it can stand for today; else a usage error naming ``source``."""
    first, last = AS_OF_YEARS
    if not first <= day.year <= last:
        raise UsageError(
            Message(
                "as-of-range",
                {"source": source, "day": day.isoformat(), "first": first, "last": last},
            )
        )
    return day
