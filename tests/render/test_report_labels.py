"""render.report_labels: the words every format of the monthly report shares."""

from __future__ import annotations

import datetime as dt

from tbtrack.render.report_labels import day_text, meta_text, notice_headers

D = dt.date


def test_the_line_under_the_title_gives_the_day_and_the_day_compared_with() -> None:
    assert meta_text(D(2025, 6, 30), None, "vi") == "Tính đến ngày 30/06/2025"
    assert meta_text(D(2025, 6, 30), D(2025, 6, 15), "vi") == (
        "Tính đến ngày 30/06/2025 · So sánh với ngày 15/06/2025"
    )
    assert meta_text(D(2025, 6, 30), D(2025, 6, 15), "en").endswith("2025-06-15")


def test_the_notices_part_has_four_columns_in_both_languages() -> None:
    assert len(notice_headers("vi")) == len(notice_headers("en")) == 4
    assert notice_headers("vi")[0] == "Số / thư mục"
    assert day_text(D(2025, 7, 1), "vi") == "01/07/2025"
    assert day_text(None, "en") == ""
