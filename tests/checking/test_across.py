"""What `check` finds across files and in time (`checking.across`), each located at its line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from helpers import read_one_task, task_text
from tbtrack.checking.across import future_events, notice_conflicts


def _reader(files: dict[str, str]) -> Callable[[str], bytes]:
    def read(rel: str) -> bytes:
        return files[rel].encode()

    return read


def test_a_notice_number_with_two_dates_is_located_in_the_later_file() -> None:
    notice = "Thông báo kết luận cuộc họp ngày 06/6/2025"
    later = task_text().replace("number: null", "number: 47-TB/VPCP")
    found = notice_conflicts(
        [
            ("tasks/a/1.yaml", ("47-TB/VPCP", dt.date(2025, 6, 6), notice)),
            ("tasks/b/1.yaml", (" 47-TB/VPCP ", dt.date(2025, 6, 7), notice)),
            ("tasks/c/1.yaml", ("", dt.date(2025, 6, 8), notice)),  # no number: never compared
        ],
        _reader({"tasks/b/1.yaml": later.replace("2025-06-06", "2025-06-07")}),
    )
    assert [(d.path, d.line, d.col, d.rule, d.severity) for d in found] == [
        ("tasks/b/1.yaml", 4, 9, "notice-conflict", "error")
    ]
    assert found[0].message == (
        "notice 47-TB/VPCP has date '2025-06-07' here but '2025-06-06' in tasks/a/1.yaml"
    )


def test_a_conflict_in_a_file_that_cannot_be_read_again_is_put_at_its_start() -> None:
    def unreadable(rel: str) -> bytes:
        raise OSError("gone")

    found = notice_conflicts(
        [
            ("tasks/a/1.yaml", ("1", dt.date(2025, 6, 6), "Thông báo A")),
            ("tasks/b/1.yaml", ("1", dt.date(2025, 6, 6), "Thông báo B")),
        ],
        unreadable,
    )
    assert [(d.path, d.line, d.col) for d in found] == [("tasks/b/1.yaml", 1, 1)]
    assert "has notice 'Thông báo B' here but 'Thông báo A'" in found[0].message


def test_files_that_share_one_notice_are_each_compared_with_the_first() -> None:
    # the cache gives the tasks of one notice one tuple: b and c share theirs, and both
    # differ from a's; d shares a's, the first one seen
    first = ("1", dt.date(2025, 6, 6), "Thông báo A")
    shared = ("1", dt.date(2025, 6, 7), "Thông báo A")
    found = notice_conflicts(
        [
            ("tasks/a/1.yaml", first),
            ("tasks/b/1.yaml", shared),
            ("tasks/c/1.yaml", shared),
            ("tasks/d/1.yaml", first),
        ],
        _reader({f"tasks/{x}/1.yaml": task_text() for x in "bc"}),
    )
    assert [(d.path, d.rule) for d in found] == [
        ("tasks/b/1.yaml", "notice-conflict"),
        ("tasks/c/1.yaml", "notice-conflict"),
    ]


def test_events_after_today_are_warned_about_at_their_day(tmp_path: Path) -> None:
    progress = (
        "\n  - on: 2025-06-20\n    extends: complete\n    to: 2025-07-15\n"
        "  - on: 2025-07-02\n    fulfils: complete\n"
    )
    text = task_text(progress=progress)
    _, task = read_one_task(tmp_path, text)
    read = _reader({"tasks/tb/a.yaml": text})
    found = future_events("tasks/tb/a.yaml", task, dt.date(2025, 6, 30), read)
    assert [(d.line, d.col, d.rule, d.severity, d.message) for d in found] == [
        (15, 9, "future-event", "warning", "event dated 2025-07-02, after today (2025-06-30)")
    ]
    assert future_events("tasks/tb/a.yaml", task, dt.date(2025, 7, 2), read) == []
