"""A listing row as people read it, by column name."""

from __future__ import annotations

from render.results import Results
from tbtrack.queries.sent_rows import TaskHead
from tbtrack.render.columns import (
    compact_due_texts,
    due_text,
    position,
    row_columns,
    row_headers,
    rows_cells,
)


def test_columns_by_name() -> None:
    assert [c.key for c in row_columns()] == [
        "task",
        "section",
        "title",
        "assignee",
        "kind",
        "due",
        "days",
        "status",
    ]
    assert [c.key for c in row_columns(with_role=True)][-1] == "role"
    assert [c.key for c in row_columns() if c.shrinks] == ["title", "assignee"]
    assert [c.key for c in row_columns() if c.right] == ["days"]
    assert (position("title"), position("status")) == (2, 7)


def test_headers_in_both_languages() -> None:
    assert row_headers("vi") == [
        "Nhiệm vụ",
        "Mục",
        "Nội dung",
        "Cơ quan",
        "Loại",
        "Hạn",
        "Còn",
        "Tình trạng",
    ]
    assert row_headers("en", with_role=True)[-1] == "Role"


def test_cells_of_an_extended_group_row(results: Results) -> None:
    row = next(r for r in results.rows if r.task_id == "tb-a/2d")
    assert [column[0] for column in rows_cells([row], "en", with_role=True)] == [
        "tb-a/2d",
        "2.d",
        "Ban hành bảng danh mục và mã số các đơn vị hành chính",
        "1/3 done · Nhóm ba bộ",
        "report",
        "2025-07-10 ← 2025-06-14",
        "5",
        "Due soon",
        "lead",
    ]
    assert rows_cells([row], "vi")[3] == ["1/3 xong · Nhóm ba bộ"]
    assert due_text(row, compact=True) == "2025-07-10*"
    plain = results.rows[0]
    assert (due_text(plain), due_text(plain, compact=True)) == ("2025-06-14", "2025-06-14")


def test_cells_made_a_column_at_a_time_are_those_of_each_row(results: Results) -> None:
    # an NFD title is shown NFC, whichever rows share it
    first = results.rows[0]
    nfd = first._replace(task=TaskHead("Ba\u0300n ha\u0300nh", first.task.source, None))
    rows = [*results.rows, nfd]
    columns = rows_cells(rows, "vi", with_role=True)
    for i, row in enumerate(rows):
        assert [column[i] for column in columns] == [
            column[0] for column in rows_cells([row], "vi", with_role=True)
        ]
    assert columns[2][-1] == "Bàn hành"
    assert rows_cells([], "en") == [[] for _ in row_columns()]


def test_a_day_moved_by_workdays_shows_both_days(results: Results) -> None:
    import datetime as dt

    plain = results.rows[0]  # L 2025-06-14, a Saturday
    moved = plain._replace(effective_due=dt.date(2025, 6, 16))
    assert due_text(moved) == "2025-06-14 → 2025-06-16"
    extended = moved._replace(original_due=dt.date(2025, 6, 1))
    assert due_text(extended) == "2025-06-14 → 2025-06-16 (← 2025-06-01)"
    assert due_text(moved, compact=True) == "2025-06-14 → 2025-06-16"
    assert due_text(extended, compact=True) == "2025-06-14 → 2025-06-16*"
    assert due_text(plain._replace(effective_due=plain.due)) == "2025-06-14"
    assert row_headers("en", rows=[plain, moved])[position("due")] == "Due → working day"
    assert row_headers("vi", rows=[moved])[position("due")] == "Hạn → ngày làm việc"
    assert row_headers("en", rows=[plain])[position("due")] == "Due"  # nothing moved


def test_the_compact_due_column_is_each_rows_compact_text(results: Results) -> None:
    import datetime as dt

    plain = results.rows[0]
    moved = plain._replace(effective_due=dt.date(2025, 6, 16))
    rows = [
        *results.rows,
        moved,
        moved._replace(original_due=dt.date(2025, 6, 1)),
        plain._replace(original_due=plain.due),  # an extension to the day it had
    ]
    assert any(r.original_due and r.original_due != r.due for r in results.rows)
    full = [due_text(r) for r in rows]
    assert compact_due_texts(rows, full) == [due_text(r, compact=True) for r in rows]
