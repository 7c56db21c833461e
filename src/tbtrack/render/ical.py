"""Calendar feeds (SPEC 5.4): an RFC 5545 calendar of open deadlines, with `icalendar`.

One all-day event on L per open (occurrence, assignee) pair, or a to-do due on L. An export
is reproducible: the UID comes from what the pair is, and DTSTAMP from the day it is as of,
never from the clock, so the same data as of the same day gives the same bytes, and a
calendar that re-imports a later export updates its events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..queries.report_data import PairLine, pair_line
from .report_labels import day_text, kind_word, report_word, status_word

if TYPE_CHECKING:
    from ..engine.status import Row

PRODID = "-//tbtrack//tbtrack calendar feed//VI"
ALARM_BEFORE = dt.timedelta(days=7)


def uid(item: PairLine) -> str:
    """The pair's identity, the same in every export: task, obligation, occurrence and
    assignee (not L, which an extension moves: the event moves with it)."""
    occurrence = item.occurrence.isoformat() if item.occurrence else ""
    key = "\x1f".join((item.task, item.obligation, occurrence, item.assignee))
    return hashlib.sha1(key.encode("utf-8")).hexdigest() + "@tbtrack"


def calendar_item(row: Row) -> PairLine | None:
    """A listing row as a calendar item, with the notice's words; None for a row with no L
    (ongoing, undated). The event falls on L as the files give it (after extensions), not on
    the working day --workdays moves it to: a reminder is better early than late."""
    return pair_line(row, with_text=True)


def describe(item: PairLine, lang: str) -> str:
    """The description: the title, the section, the deadline as written, L, the status and
    the assignment as the notice words it."""

    def w(key: str) -> str:
        return report_word(key, lang)

    due = day_text(item.due, lang)
    if item.original_due != item.due:
        due += f" ({w('extended_from')} {day_text(item.original_due, lang)})"
    lines = [
        item.title,
        f"{w('section')}: {item.section} · {w('notice')}: {item.notice}",
        f"{w('kind')}: {kind_word(item.kind, lang)} · {w('agency')}: {item.assignee}",
    ]
    if item.as_written:
        lines.append(f"{w('as_written')}: {item.as_written}")
    lines.append(f"{w('due')}: {due}")
    lines.append(f"{w('status')}: {status_word(item.status, lang)}")
    lines.append(f"{w('task')}: {item.task}")
    if item.text:
        lines += ["", f"{w('text')}:", item.text]
    return "\n".join(lines)


def build_calendar(
    pairs: Iterable[PairLine],
    *,
    todo: bool = False,
    as_of: dt.date,
    lang: str,
    name: str | None = None,
) -> bytes:
    """The calendar as bytes (CRLF lines, UTF-8): VEVENTs, or VTODOs with DUE when `todo`."""
    import icalendar  # a listing never pays for the calendar library

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    for item in pairs:
        component = icalendar.Todo() if todo else icalendar.Event()
        component.add("uid", uid(item))
        component.add("dtstamp", stamp)
        component.add("summary", f"{item.title} — {item.assignee}")
        component.add("description", describe(item, lang))
        component.add("categories", [kind_word(item.kind, lang)])
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{item.title} — {day_text(item.due, lang)}")
        if todo:
            component.add("due", item.due)
            component.add("status", "NEEDS-ACTION")
            # a to-do has no DTSTART here, so its alarm counts back from DUE (RFC 5545 3.8.6.3)
            alarm.add("trigger", -ALARM_BEFORE, parameters={"RELATED": "END"})
        else:
            component.add("dtstart", item.due)
            component.add("dtend", item.due + dt.timedelta(days=1))
            component.add("transp", "TRANSPARENT")
            alarm.add("trigger", -ALARM_BEFORE)
        component.add_component(alarm)
        calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data
