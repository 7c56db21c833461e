"""The monthly report as CSV: part 2 only, headers in the report's language, an optional BOM."""

from __future__ import annotations

import csv
import io

from report_fixture import build_report
from tbtrack.render.report_csv import report_csv


def test_csv_is_part_2_with_vietnamese_headers_and_the_total_row() -> None:
    text = report_csv(build_report(compare=False), "vi")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
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
    assert rows[1] == ["Bộ Tài chính", "5", "3", "0", "2", "0", "0", "1.0", "1", "0"]
    assert len(rows) == 1 + 37 + 1
    assert rows[-1][0] == "Tổng cộng"
    assert int(rows[-1][1]) == sum(int(r[1]) for r in rows[1:-1])


def test_csv_bom_english_and_compare() -> None:
    text = report_csv(build_report(), "en", bom=True)
    assert text.startswith("\ufeffAgency,Total,Done on time,Done late,")
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[10:12] == ["Total (Before)", "Done on time (Before)"]
    assert len(header) == 19
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
