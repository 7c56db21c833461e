"""The monthly report as xlsx, opened back with openpyxl: values AND types, frozen bold
headers, autofilter, the total row."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from report_fixture import HOSTILE_TITLE, build_report
from tbtrack.render.report_xlsx import write_xlsx

HEADER = 4  # the row of the column headers, below the title and the day


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "bao-cao.xlsx"
    write_xlsx(build_report(), "vi", path)
    return openpyxl.load_workbook(path)


def _value(sheet: Worksheet, row: int, column: int) -> Any:
    """A cell's value as openpyxl read it (its type is what the tests assert)."""
    return sheet.cell(row, column).value


def _column(sheet: Worksheet, header: str) -> int:
    names = [c.value for c in sheet[HEADER]]
    return names.index(header) + 1


def test_a_sheet_per_part_named_in_the_language(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Tổng hợp", "So sánh", "Quá hạn", "Đôn đốc", "Văn bản"]
    target = io.BytesIO()
    write_xlsx(build_report(compare=False), "en", target)
    english = openpyxl.load_workbook(io.BytesIO(target.getvalue()))
    assert english.sheetnames == ["Summary", "Overdue", "Chase", "Notices"]


def test_every_sheet_has_a_frozen_bold_header_and_an_autofilter(
    book: openpyxl.Workbook,
) -> None:
    for sheet in book.worksheets:
        assert sheet["A1"].value == "Báo cáo tình hình thực hiện Thông báo kết luận tháng 7/2025"
        assert sheet["A2"].value == "Tính đến ngày 01/07/2025 · So sánh với ngày 01/06/2025"
        assert sheet.freeze_panes == f"B{HEADER + 1}"
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A{HEADER}:{last}{sheet.max_row}"
        for cell in sheet[HEADER]:
            assert cell.font.b, (sheet.title, cell.coordinate)
            assert isinstance(cell.value, str)
        # widths fit the text: no column left at the default, none wider than the cap
        for letter, dimension in sheet.column_dimensions.items():
            assert 6 <= dimension.width <= 70, (sheet.title, letter, dimension.width)


def test_counts_are_numbers_and_the_total_row_is_bold(book: openpyxl.Workbook) -> None:
    sheet = book["Tổng hợp"]
    assert [c.value for c in sheet[HEADER]] == [
        "Cơ quan",
        "Tổng số",
        "Đã hoàn thành đúng hạn",
        "Đã hoàn thành quá hạn",
        "Chưa hoàn thành trong hạn",
        "Chưa hoàn thành quá hạn",
        "trong đó được gia hạn",
        "Tỷ lệ đúng hạn",
        "Thường xuyên",
        "Chưa có hạn",
    ]
    first = [c.value for c in sheet[HEADER + 2]]
    assert first == ["Bộ Khoa học và Công nghệ", 9, 4, 1, 3, 1, 1, pytest.approx(4 / 6), 1, 1]
    assert all(type(v) is int for v in first[1:7] + first[8:])
    assert sheet.cell(HEADER + 2, 8).number_format == "0%"
    names = [_value(sheet, r, 1) for r in range(HEADER + 1, sheet.max_row + 1)]
    assert len(names) == 3 + 34 + 1
    assert "Ủy ban nhân dân tỉnh An Giang" in names
    total = sheet.max_row
    assert _value(sheet, total, 1) == "Tổng cộng"
    assert sheet.cell(total, 1).font.b and sheet.cell(total, 2).font.b
    assert _value(sheet, total, 2) == sum(_value(sheet, r, 2) for r in range(HEADER + 1, total))
    assert type(_value(sheet, total, 2)) is int


def test_overdue_lines_hold_real_dates_and_days(book: openpyxl.Workbook) -> None:
    sheet = book["Quá hạn"]
    due, original = _column(sheet, "Hạn"), _column(sheet, "Hạn ban đầu")
    late = _column(sheet, "Số ngày quá hạn")
    row = HEADER + 1
    assert _value(sheet, row, 1) == "Bộ Khoa học và Công nghệ"
    assert _value(sheet, row, 4) == HOSTILE_TITLE  # text stays text, markup and all
    assert _value(sheet, row, due) == dt.datetime(2025, 6, 11)
    assert sheet.cell(row, due).number_format == "dd/mm/yyyy"
    assert _value(sheet, row, original) == dt.datetime(2025, 5, 28)  # extended
    assert _value(sheet, row + 1, original) is None  # not extended: left blank
    assert type(_value(sheet, row, late)) is int
    assert _value(sheet, row, late) == 20
    days = [_value(sheet, r, late) for r in range(HEADER + 1, sheet.max_row + 1)]
    assert all(type(d) is int and d > 0 for d in days)


def test_chase_and_notices(book: openpyxl.Workbook) -> None:
    sheet = book["Đôn đốc"]
    left, status = _column(sheet, "Còn (ngày)"), _column(sheet, "Tình trạng")
    assert _value(sheet, HEADER + 1, left) == -3
    assert _value(sheet, HEADER + 1, status) == "Quá hạn"
    assert isinstance(sheet.cell(HEADER + 2, _column(sheet, "Kỳ")).value, dt.datetime)
    notices = book["Văn bản"]
    assert [c.value for c in notices[HEADER + 2]] == [
        "467/TB-VPCP",
        dt.datetime(2025, 5, 20),
        "Kết luận của Thủ tướng",
        5,
    ]


def test_comparison_sheet(book: openpyxl.Workbook) -> None:
    sheet = book["So sánh"]
    headers = [c.value for c in sheet[HEADER]]
    assert headers[:4] == ["Cơ quan", "Tổng số", "Tổng số (Kỳ trước)", "Tổng số (Thay đổi)"]
    assert [c.value for c in sheet[HEADER + 1]][:4] == ["Bộ Tài chính", 5, 9, -4]


def test_write_to_a_path_given_as_text(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(build_report(), "vi", str(path))
    assert path.read_bytes()[:2] == b"PK"


def test_an_empty_report_still_has_its_headers(tmp_path: Path) -> None:
    report = replace(build_report(compare=False), notices=[], counts=[], overdue=[], chase=[])
    path = tmp_path / "empty.xlsx"
    write_xlsx(report, "vi", path)
    book = openpyxl.load_workbook(path)
    overdue = book["Quá hạn"]
    assert _value(overdue, HEADER, 1) == "Cơ quan"
    assert overdue.auto_filter.ref == f"A{HEADER}:K{HEADER + 1}"
    assert _value(book["Tổng hợp"], HEADER + 1, 1) == "Tổng cộng"
