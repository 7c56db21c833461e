"""Results of every kind, computed from a small data root, for the formatters to render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from helpers import REGISTRY, Repo, task_text
from tbtrack.engine.status import Row, Settings
from tbtrack.files.diagnostics import Diagnostic
from tbtrack.loading.dataset import WorkingTree, load_dataset
from tbtrack.queries import listings
from tbtrack.review.compare import Change, Detail, Flag
from tbtrack.review.gitio import Commit
from tbtrack.review.history import Diff, LogEntry, TaskLog

AS_OF = dt.date(2025, 7, 5)

TWO = """\
  - id: complete
    kind: submit
    by: 2025-07-01
    as_written: Hoàn thành chậm nhất ngày 01/7/2025
  - id: report
    kind: report
    before: 2025-06-15
"""
GROUP_PROGRESS = """
  - on: 2025-06-09
    fulfils: report
    by: Bộ Tài chính
    evidence: Báo cáo số 123/BC-BTC
  - on: 2025-06-10
    extends: report
    to: 2025-07-10
    evidence: Công văn 45/VPCP
"""


@dataclass
class Results:
    rows: list[Row]
    agency: listings.AgencyView
    summary: list[listings.SummaryRow]
    notices: list[listings.SummaryRow]
    task: listings.TaskView
    grid: listings.Grid
    diagnostics: list[Diagnostic]
    diff: Diff
    empty_diff: Diff
    log: TaskLog


def _data_root(root: Path) -> None:
    repo = Repo(root)
    root.mkdir()
    (root / "agencies.yaml").write_text(REGISTRY, encoding="utf-8")
    repo.task("tb-a/2c", task_text(obligations=TWO))
    repo.task(
        "tb-a/2d",
        task_text(
            lead='["Nhóm ba bộ"]',
            obligations="  - id: report\n    kind: report\n    before: 2025-06-15\n",
            progress=GROUP_PROGRESS,
            section='"2.d"',
            extra="support: [Bộ Nội vụ]\n",
        ),
    )
    repo.task(
        "tb-b/monthly",
        task_text(
            lead="[Bộ Thông tin và Truyền thông]",
            obligations="  - id: report\n    kind: report\n    every: monthly\n",
            section='"3"',
        ),
    )


COMMIT = Commit(
    sha="0123456789abcdef0123456789abcdef01234567",
    parents=("89abcdef0123456789abcdef0123456789abcdef",),
    author="Nguyễn Văn A",
    email="a@example.vn",
    date="2025-06-12T09:30:00+07:00",
    message="Ghi nhận báo cáo của Bộ Tài chính\n\nChi tiết",
    path="tasks/tb-a/2d.yaml",
    from_path="tasks/tb-a/2d.yaml",
)
CHANGE = Change(
    task="tb-a/2d",
    path="tasks/tb-a/2d.yaml",
    change="modified",
    from_path=None,
    title="Ban hành *bảng* danh mục",
    details=(
        Detail(
            "event-appended",
            {
                "index": 0,
                "event": {
                    "on": "2025-06-09",
                    "fulfils": "report",
                    "by": "Bộ Tài chính",
                    "evidence": "Báo cáo số 123/BC-BTC",
                },
            },
        ),
        Detail("field-changed", {"field": "title", "old": "Cũ", "new": "Mới"}),
    ),
    flags=(Flag("evidence-missing", "no evidence for an extension"),),
)
ADDED = Change(
    task="tb-c/new",
    path="tasks/tb-c/new.yaml",
    change="renamed",
    from_path="tasks/tb-c/old.yaml",
    title=None,
)


def build_results(root: Path) -> Results:
    """Every kind of result, from a data root made at `root`."""
    _data_root(root)
    data = load_dataset(root, WorkingTree(root, use_cache=False))
    settings = Settings(as_of=AS_OF)
    none = listings.Filters()
    return Results(
        rows=listings.due(data, settings, none, before=dt.date(2025, 8, 1)),
        agency=listings.agency(data, settings, "Bộ Tài chính", none),
        summary=listings.summary(data, settings, "agency", none),
        notices=listings.summary(data, settings, "notice", none),
        task=listings.show(data, settings, "2d"),
        grid=listings.recurring(data, settings, dt.date(2025, 5, 1), dt.date(2025, 8, 31), none),
        diagnostics=[
            Diagnostic("tasks/tb-a/2c.yaml", 3, 5, "error", "unknown agency 'X\nY'", "agency"),
            Diagnostic("tasks/tb-a/2d.yaml", 7, 1, "warning", "no date", "undated", "add one"),
        ],
        diff=Diff("HEAD", "working tree", (CHANGE, ADDED)),
        empty_diff=Diff("0123456789abcdef0123456789abcdef01234567", "working tree", ()),
        log=TaskLog(
            "tb-a/2d",
            "tasks/tb-a/2d.yaml",
            (LogEntry(COMMIT, CHANGE), LogEntry(COMMIT, None)),
        ),
    )


@dataclass
class Rendered:
    out: str
    err: str
