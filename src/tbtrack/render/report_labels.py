"""The monthly report's words, in Vietnamese (the default for `report`) and English.

Every heading and column of every report format reads from here; statuses and obligation
kinds keep the words of `labels`, which listings use too.
"""

from __future__ import annotations

import datetime as dt

from ..queries.report_data import COUNT_FIELDS
from .labels import status_label, word

REPORT_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo tình hình thực hiện nhiệm vụ",
        "as_of": "Tính đến ngày",
        "compared_with": "So sánh với ngày",
        "notices": "Các văn bản theo dõi",
        "notice_ref": "Số / thư mục",
        "notice_date": "Ngày",
        "notice_title": "Trích yếu",
        "tasks": "Số nhiệm vụ",
        "counts": "Tổng hợp kết quả thực hiện",
        "agency": "Cơ quan",
        "notice": "Văn bản",
        "total": "Tổng số",
        "done": "Đã hoàn thành đúng hạn",
        "done-late": "Đã hoàn thành quá hạn",
        "open": "Chưa hoàn thành trong hạn",
        "overdue": "Chưa hoàn thành quá hạn",
        "extended": "trong đó được gia hạn",
        "on_time_rate": "Tỷ lệ đúng hạn",
        "ongoing": "Thường xuyên",
        "undated": "Chưa có hạn",
        "totals": "Tổng cộng",
        "overdue_list": "Danh sách nhiệm vụ quá hạn",
        "chase_list": "Danh sách đôn đốc",
        "chase_range": "Các nhiệm vụ đến hạn từ {start} đến {end}, kể cả quá hạn",
        "comparison": "So sánh với kỳ trước",
        "previous": "Kỳ trước",
        "change": "Thay đổi",
        "task": "Nhiệm vụ",
        "section": "Mục",
        "content": "Nội dung",
        "kind": "Loại",
        "occurrence": "Kỳ",
        "as_written": "Thời hạn theo văn bản",
        "due": "Hạn",
        "original_due": "Hạn ban đầu",
        "days_late": "Số ngày quá hạn",
        "days_left": "Còn (ngày)",
        "status": "Tình trạng",
        "via": "Giao cho",
        "extended_from": "gia hạn từ",
        "items": "nhiệm vụ",
        "nothing_overdue": "Không có nhiệm vụ quá hạn.",
        "nothing_to_chase": "Không có nhiệm vụ cần đôn đốc.",
        "no_notices": "Chưa có văn bản nào.",
        "chart": "Biểu đồ kết quả thực hiện theo cơ quan",
        "chart_notice": "Biểu đồ kết quả thực hiện theo văn bản",
        "generated": "Lập bằng tbtrack",
        "sheet_counts": "Tổng hợp",
        "sheet_overdue": "Quá hạn",
        "sheet_chase": "Đôn đốc",
        "sheet_notices": "Văn bản",
        "sheet_compare": "So sánh",
        "points": "điểm %",
        "text": "Nội dung giao",
    },
    "en": {
        "title": "Report on the implementation of tasks",
        "as_of": "As of",
        "compared_with": "Compared with",
        "notices": "Notices covered",
        "notice_ref": "Number / folder",
        "notice_date": "Date",
        "notice_title": "Title",
        "tasks": "Tasks",
        "counts": "Results by row",
        "agency": "Agency",
        "notice": "Notice",
        "total": "Total",
        "done": "Done on time",
        "done-late": "Done late",
        "open": "Open, not yet due",
        "overdue": "Open, overdue",
        "extended": "of which extended",
        "on_time_rate": "On-time rate",
        "ongoing": "Ongoing",
        "undated": "No date",
        "totals": "Total",
        "overdue_list": "Overdue tasks",
        "chase_list": "Chase list",
        "chase_range": "Tasks due from {start} to {end}, overdue included",
        "comparison": "Change since the previous report",
        "previous": "Before",
        "change": "Change",
        "task": "Task",
        "section": "Sec.",
        "content": "Title",
        "kind": "Kind",
        "occurrence": "Occurrence",
        "as_written": "Deadline as written",
        "due": "Due",
        "original_due": "Original due",
        "days_late": "Days late",
        "days_left": "Days left",
        "status": "Status",
        "via": "Assigned to",
        "extended_from": "extended from",
        "items": "tasks",
        "nothing_overdue": "Nothing is overdue.",
        "nothing_to_chase": "Nothing to chase.",
        "no_notices": "No notices.",
        "chart": "Results by agency",
        "chart_notice": "Results by notice",
        "generated": "Made with tbtrack",
        "sheet_counts": "Summary",
        "sheet_overdue": "Overdue",
        "sheet_chase": "Chase",
        "sheet_notices": "Notices",
        "sheet_compare": "Change",
        "points": "pp",
        "text": "As the notice words it",
    },
}

# the four parts of the four-way count, as the chart stacks them
FOUR_WAY = ("done", "done-late", "open", "overdue")
# the counts part 5 sets beside their values as of D0
COMPARED = ("total", *FOUR_WAY, "on_time_rate")


def report_word(key: str, lang: str) -> str:
    return REPORT_WORDS[lang][key]


def meta_text(as_of: dt.date, compare: dt.date | None, lang: str) -> str:
    """The line under the report's title: its day, and the day it is compared with."""
    meta = f"{report_word('as_of', lang)} {day_text(as_of, lang)}"
    if compare is not None:
        meta += f" · {report_word('compared_with', lang)} {day_text(compare, lang)}"
    return meta


def notice_headers(lang: str) -> list[str]:
    """Part 1's column headers: the notices followed."""
    return [
        report_word(key, lang) for key in ("notice_ref", "notice_date", "notice_title", "tasks")
    ]


def count_headers(by: str, lang: str) -> list[str]:
    """Part 2's column headers: the row's name, then every count of `COUNT_FIELDS`."""
    return [report_word(by, lang), *(report_word(name, lang) for name in COUNT_FIELDS)]


def kind_word(kind: str, lang: str) -> str:
    return word(kind, lang)


def status_word(status: str, lang: str) -> str:
    return status_label(status, lang)


def day_text(day: dt.date | None, lang: str) -> str:
    """A date as its readers write it: 01/07/2025 in Vietnamese, ISO in English."""
    if day is None:
        return ""
    if lang != "vi":
        return day.isoformat()
    # strftime("%d/%m/%Y") without its cost: a report writes ten thousand dates
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def change_text(change: int | float | None, lang: str, *, rate: bool = False) -> str:
    """A change since D0 with its sign; a rate's in percentage points."""
    if change is None:
        return "—"
    if rate:
        points = round(change * 100)
        return f"{points:+d} {report_word('points', lang)}" if points else "0"
    return f"{int(change):+d}" if change else "0"
