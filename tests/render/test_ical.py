"""Calendar feeds (SPEC 5.4), parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from helpers import REGISTRY
from report_fixture import provinces
from tbtrack.checking.check import analyse_registry
from tbtrack.engine.status import Settings, task_rows
from tbtrack.files.records import Task
from tbtrack.files.schema import validate
from tbtrack.queries.report_data import PairLine
from tbtrack.render.ical import build_calendar, calendar_item

AS_OF = dt.date(2025, 7, 1)


def _items() -> list[PairLine]:
    items = [
        PairLine(
            task="tgv-2025-06-06/2c",
            obligation="complete",
            kind="submit",
            occurrence=None,
            assignee="Bộ Tài chính",
            due=dt.date(2025, 7, 31),
            original_due=dt.date(2025, 7, 1),
            title="Ban hành bảng danh mục và mã số các đơn vị hành chính Việt Nam",
            section="2.c",
            as_written="Hoàn thành chậm nhất ngày 01/7/2025",
            text="Bộ Tài chính nghiên cứu, xây dựng, trình Thủ tướng Chính phủ ban hành",
            days_left=30,
            status="upcoming",
            notice="Thông báo kết luận cuộc họp ngày 06/6/2025",
            notice_date=dt.date(2025, 6, 6),
        )
    ]
    for day, name in enumerate(provinces(), start=1):
        items.append(
            PairLine(
                task="tgv-2025-06-06/4",
                obligation="monthly",
                kind="report",
                occurrence=dt.date(2025, 7, 31),
                assignee=name,
                due=dt.date(2025, 7, 31),
                original_due=dt.date(2025, 7, 31),
                title=f"Báo cáo tháng <{day}> & tiến độ",
                section="4",
                as_written=None,
                text=None,
                days_left=30,
                status="upcoming",
                notice="Thông báo kết luận cuộc họp ngày 06/6/2025",
                notice_date=dt.date(2025, 6, 6),
            )
        )
    return items


def _components(data: bytes, name: str) -> list[Any]:
    """The components of one kind, their properties read as they are (icalendar's union of
    property types says nothing a test could check more)."""
    calendar = icalendar.Calendar.from_ical(data)
    return [c for c in calendar.walk() if c.name == name]


def test_one_all_day_event_per_pair_with_an_alarm_a_week_before() -> None:
    data = build_calendar(_items(), as_of=AS_OF, lang="vi")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//tbtrack//")
    events = _components(data, "VEVENT")
    assert len(events) == 1 + 34
    first = events[0]
    start = first["dtstart"]
    assert start.params.get("VALUE") == "DATE"
    assert type(start.dt) is dt.date and start.dt == dt.date(2025, 7, 31)
    assert first["dtend"].dt == dt.date(2025, 8, 1)
    assert first["dtstamp"].dt == dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    assert str(first["summary"]) == (
        "Ban hành bảng danh mục và mã số các đơn vị hành chính Việt Nam — Bộ Tài chính"
    )
    description = str(first["description"])
    for part in (
        "Ban hành bảng danh mục",
        "Mục: 2.c",
        "Thời hạn theo văn bản: Hoàn thành chậm nhất ngày 01/7/2025",
        "Hạn: 31/07/2025 (gia hạn từ 01/07/2025)",
        "Tình trạng: Chưa đến hạn",
        "Bộ Tài chính nghiên cứu, xây dựng, trình Thủ tướng",
    ):
        assert part in description
    alarms = [c for c in first.subcomponents if c.name == "VALARM"]
    assert len(alarms) == 1
    assert str(alarms[0]["action"]) == "DISPLAY"
    assert alarms[0]["trigger"].dt == -dt.timedelta(days=7)
    assert b"TRIGGER:-P7D" in data
    # the text of a task file is data, never markup, in a calendar too
    assert str(events[1]["summary"]) == "Báo cáo tháng <1> & tiến độ — " + provinces()[0]


def test_uids_are_unique_and_stable_across_exports() -> None:
    first = build_calendar(_items(), as_of=AS_OF, lang="vi")
    again = build_calendar(_items(), as_of=AS_OF, lang="vi")
    assert first == again  # no clock in it: the same data on the same day, the same bytes
    uids = [str(e["uid"]) for e in _components(first, "VEVENT")]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@tbtrack") for uid in uids)
    # a month later, the deadline extended: the same pair keeps its UID, so it updates
    moved = [_items()[0]._replace(due=dt.date(2025, 8, 15), status="upcoming")]
    later = build_calendar(moved, as_of=dt.date(2025, 8, 1), lang="vi")
    (event,) = _components(later, "VEVENT")
    assert str(event["uid"]) == uids[0]
    assert event["dtstart"].dt == dt.date(2025, 8, 15)
    assert event["dtstamp"].dt > _components(first, "VEVENT")[0]["dtstamp"].dt


def test_todo_items_are_due_on_l() -> None:
    data = build_calendar(_items(), todo=True, as_of=AS_OF, lang="en")
    assert _components(data, "VEVENT") == []
    todos = _components(data, "VTODO")
    assert len(todos) == 35
    due = todos[0]["due"]
    assert due.params.get("VALUE") == "DATE" and due.dt == dt.date(2025, 7, 31)
    assert "dtstart" not in todos[0]
    assert str(todos[0]["status"]) == "NEEDS-ACTION"
    (alarm,) = todos[0].subcomponents
    assert alarm["trigger"].dt == -dt.timedelta(days=7)
    assert alarm["trigger"].params.get("RELATED") == "END"  # counted back from DUE
    assert "Deadline as written: Hoàn thành chậm nhất ngày 01/7/2025" in str(
        todos[0]["description"]
    )
    assert "Status: Upcoming" in str(todos[0]["description"])


def test_engine_rows_become_calendar_items() -> None:
    registry, diagnostics = analyse_registry("agencies.yaml", REGISTRY.encode())
    assert registry is not None, diagnostics
    task = validate(
        Task,
        {
            "source": {"notice": "Thông báo", "date": dt.date(2025, 6, 6), "section": "2.c"},
            "title": "Ban hành bảng danh mục",
            "text": "Bộ Tài chính nghiên cứu, xây dựng",
            "lead": ["Bộ Tài chính"],
            "obligations": [
                {"id": "report", "kind": "report", "before": dt.date(2025, 7, 15)},
                {"id": "always", "ongoing": True},
            ],
            "progress": [
                {"on": dt.date(2025, 6, 20), "extends": "report", "to": dt.date(2025, 7, 31)}
            ],
        },
    )
    rows = task_rows("tgv/2c", task, registry, Settings(as_of=AS_OF))
    items = [item for item in map(calendar_item, rows) if item is not None]
    assert len(items) == 1  # an ongoing obligation has no day to put in a calendar
    (item,) = items
    assert (item.task, item.obligation, item.assignee) == ("tgv/2c", "report", "Bộ Tài chính")
    assert (item.due, item.original_due) == (dt.date(2025, 7, 31), dt.date(2025, 7, 14))
    assert item.status == "upcoming"
    assert item.text == "Bộ Tài chính nghiên cứu, xây dựng"
    (event,) = _components(build_calendar(items, as_of=AS_OF, lang="vi"), "VEVENT")
    assert event["dtstart"].dt == dt.date(2025, 7, 31)
    assert "gia hạn từ 14/07/2025" in str(event["description"])
