"""A monthly report as the report query would fill it: three ministries and the 34 provinces of
the shipped registry, for the report renderers' tests (and a large one for timing them)."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from ruamel.yaml import YAML

from tbtrack.files.vocab import Status
from tbtrack.queries.report_data import (
    CountRow,
    Counts,
    MonthlyReport,
    NoticeLine,
    PairGroup,
    PairLine,
)

AS_OF = dt.date(2025, 7, 1)
COMPARE = dt.date(2025, 6, 1)
NOTICE = "Thông báo kết luận cuộc họp ngày 06/6/2025 của lãnh đạo Ban Chỉ đạo Trung ương"
NOTICE_DATE = dt.date(2025, 6, 6)
# a title from a task file with markup in it: every format must show it as text
HOSTILE_TITLE = "Báo cáo <script>alert('x')</script> & đề xuất <b>giải pháp</b>"
MINISTRIES = ["Bộ Tài chính", "Bộ Khoa học và Công nghệ", "Bộ Công an"]


def provinces() -> list[str]:
    """The people's committees of the 34 provinces and cities that exist after 01/7/2025."""
    text = resources.files("tbtrack").joinpath("data/agencies.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    return [
        a["name"]
        for a in data["agencies"]
        if a.get("kind") == "provincial-government" and not a.get("until")
    ]


def _counts(i: int) -> Counts:
    return Counts(
        done=3 + i % 4,
        done_late=i % 3,
        open=2 + i % 5,
        overdue=i % 4,
        extended=i % 2,
        ongoing=1,
        undated=i % 2,
    )


def _overdue(agency: str, i: int, n: int) -> list[PairLine]:
    lines = []
    for k in range(n):
        extended = k == 0 and i % 2 == 1
        due = AS_OF - dt.timedelta(days=1 + 9 * (n - k) + i % 3)
        lines.append(
            PairLine(
                task=f"tgv-2025-06-06/{k + 1}{'abc'[i % 3]}",
                section=f"{k + 1}.{'abc'[i % 3]}",
                title=HOSTILE_TITLE if k == 0 else "Triển khai nền tảng dữ liệu dùng chung",
                obligation="report" if k % 2 else "complete",
                kind="report" if k % 2 else "complete",
                occurrence=None,
                assignee=agency,
                due=due,
                original_due=due - dt.timedelta(days=14) if extended else due,
                as_written="Hoàn thành trước ngày 15/6/2025" if k % 2 == 0 else None,
                days_left=(due - AS_OF).days,
                status="overdue",
                notice=NOTICE,
                notice_date=NOTICE_DATE,
                via="Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
                if agency.startswith("Ủy ban")
                else None,
            )
        )
    lines.sort(key=lambda line: -line.days_late)
    return lines


def _chase(agency: str, i: int, n: int) -> list[PairLine]:
    lines = []
    for k in range(n):
        days_left = -3 + 7 * k + i % 5
        status: Status = (
            "overdue" if days_left < 0 else "due-soon" if days_left <= 7 else "upcoming"
        )
        due = AS_OF + dt.timedelta(days=days_left)
        lines.append(
            PairLine(
                task=f"tgv-2025-06-06/{k + 1}c",
                section=f"{k + 1}.c",
                title=HOSTILE_TITLE if k == 0 else "Báo cáo định kỳ hằng tháng",
                obligation="monthly",
                kind="report",
                occurrence=due if k else None,
                assignee=agency,
                due=due,
                original_due=due,
                as_written="Định kỳ hằng tháng" if k else None,
                days_left=days_left,
                status=status,
                notice=NOTICE,
                notice_date=NOTICE_DATE,
            )
        )
    return lines


def build_report(*, compare: bool = True, agencies: list[str] | None = None) -> MonthlyReport:
    names = agencies if agencies is not None else [*MINISTRIES, *provinces()]
    rows = [
        CountRow(name, _counts(i), _counts(i + 1) if compare else None)
        for i, name in enumerate(names)
    ]
    totals = CountRow(
        "", Counts.sum(r.counts for r in rows), Counts.sum(r.previous for r in rows if r.previous)
    )
    if not compare:
        totals = CountRow("", totals.counts)
    overdue = [
        PairGroup(name, _overdue(name, i, 1 + i % 3)) for i, name in enumerate(names) if i % 4 != 0
    ]
    chase = [PairGroup(name, _chase(name, i, 2)) for i, name in enumerate(names) if i % 3 == 0]
    return MonthlyReport(
        title="Báo cáo tình hình thực hiện Thông báo kết luận tháng 7/2025",
        as_of=AS_OF,
        by="agency",
        next_days=30,
        notices=[
            NoticeLine("tgv-2025-06-06", None, NOTICE_DATE, NOTICE, 12),
            NoticeLine(
                "vpcp-467", "467/TB-VPCP", dt.date(2025, 5, 20), "Kết luận của Thủ tướng", 5
            ),
        ],
        counts=rows,
        totals=totals,
        overdue=overdue,
        chase=chase,
        compare=COMPARE if compare else None,
    )


def build_large_report() -> MonthlyReport:
    """10,000 tasks' worth: 200 agencies, 5,000 overdue lines and 5,000 chase lines."""
    names = [f"Cơ quan số {i:03d} của tỉnh, thành phố" for i in range(200)]
    rows = [CountRow(name, _counts(i), _counts(i + 1)) for i, name in enumerate(names)]
    overdue = [PairGroup(name, _overdue(name, i, 25)) for i, name in enumerate(names)]
    chase = [PairGroup(name, _chase(name, i, 25)) for i, name in enumerate(names)]
    return MonthlyReport(
        title="Báo cáo",
        as_of=AS_OF,
        by="agency",
        next_days=30,
        notices=[NoticeLine("tgv-2025-06-06", None, NOTICE_DATE, NOTICE, 10_000)],
        counts=rows,
        totals=CountRow(
            "",
            Counts.sum(r.counts for r in rows),
            Counts.sum(r.previous for r in rows if r.previous),
        ),
        overdue=overdue,
        chase=chase,
        compare=COMPARE,
    )
