"""The monthly report as one self-contained HTML page, checked as text and in a real browser
(headless Chromium takes a screenshot and prints it to PDF)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from report_fixture import HOSTILE_TITLE, build_report, provinces
from tbtrack.render.report_html import render_html


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(build_report(), "vi")


def test_text_from_task_files_is_escaped(page: str) -> None:
    assert "<script" not in page
    assert "<b>" not in page
    assert (
        "Báo cáo &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
        "đề xuất &lt;b&gt;giải pháp&lt;/b&gt;" in page
    )
    assert HOSTILE_TITLE not in page


def test_self_contained_phone_and_print(page: str) -> None:
    # nothing to fetch: no links, scripts, images, fonts or imports
    for needle in ("<link", "src=", "href=", "url(", "@import", "<img", "<iframe"):
        assert needle not in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page
    assert "@page { size: A4;" in page
    assert "break-before: page" in page
    assert "display: table-header-group" in page
    assert "overflow-x: auto" in page
    assert '<html lang="vi">' in page


def test_the_parts_in_order(page: str) -> None:
    marks = [
        "<h1>Báo cáo tình hình thực hiện Thông báo kết luận tháng 7/2025</h1>",
        "Tính đến ngày 01/07/2025",
        "<h2>Các văn bản theo dõi</h2>",
        "<h2>Tổng hợp kết quả thực hiện</h2>",
        "<svg",
        "<h2>Danh sách nhiệm vụ quá hạn</h2>",
        "<h2>Danh sách đôn đốc</h2>",
        "<h2>So sánh với kỳ trước</h2>",
    ]
    positions = [page.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert "<th>Tổng cộng</th>" in page
    assert "trong đó được gia hạn" in page


def test_the_comparison_marks_good_and_bad_news(page: str) -> None:
    part = page[page.index('id="compare"') :]
    row = part[part.index("<td>Bộ Tài chính</td>") :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="n">(.*?)</td>', row)
    assert len(cells) == 6  # total, the four-way count, the rate
    assert cells[0] == '5<span class="then">Kỳ trước: 9 · <span class="">-4</span></span>'
    assert cells[4] == '0<span class="then">Kỳ trước: 1 · <span class="up">-1</span></span>'
    assert 'Kỳ trước: 67% · <span class="up">+33 điểm %</span>' in cells[5]
    assert '<span class="down">+3</span>' in part  # more overdue than before
    totals = part[part.index('<tr class="totals">') :]
    assert 'Kỳ trước: 64% · <span class="">0</span>' in totals  # +0.6 points is no change


def test_the_chart_has_a_stacked_bar_per_row_and_a_legend(page: str) -> None:
    svg = page[page.index("<svg") : page.index("</svg>")]
    bars = re.findall(r"<g><title>([^<]*): (\d+)</title>", svg)
    assert len(bars) == 3 + 34
    assert [name for name, _ in bars][3:] == provinces()
    assert bars[0] == ("Bộ Tài chính", "5")
    for key in ("done", "done-late", "open", "overdue"):
        assert f'<rect class="{key}" x=' in svg
    legend = ["Đã hoàn thành đúng hạn", "Đã hoàn thành quá hạn", "Chưa hoàn thành trong hạn"]
    for text in [*legend, "Chưa hoàn thành quá hạn"]:
        assert f">{text}</text>" in svg


def test_overdue_list_grouped_most_days_late_first(page: str) -> None:
    part = page[page.index('id="overdue"') : page.index('id="chase"')]
    group = part[part.index("Bộ Công an") :]
    group = group[: group.index("</tbody>")]
    days = [int(d) for d in re.findall(r'<td class="n late">(\d+)</td>', group)]
    assert days == [30, 21, 12]
    assert "gia hạn từ 28/05/2025" in part  # the original date of an extended deadline
    assert "Hoàn thành trước ngày 15/6/2025" in part  # the deadline as written


def test_english_labels() -> None:
    page = render_html(build_report(compare=False), "en")
    assert "<h2>Overdue tasks</h2>" in page
    assert "<h2>Chase list</h2>" in page
    assert "Change since" not in page  # no comparison without --compare
    assert "As of 2025-07-01" in page


# --- in a real browser -----------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="module")
def browser_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A screenshot and a PDF print of the 34-province report, taken once for the module."""
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine: apt-get install chromium to run this test")
    folder = tmp_path_factory.mktemp("browser")
    html = folder / "bao-cao.html"
    html.write_text(render_html(build_report(), "vi"), encoding="utf-8")
    png, pdf = folder / "page.png", folder / "page.pdf"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            "--window-size=1200,1600",
            f"--screenshot={png}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {"png": png.read_bytes(), "pdf": pdf.read_bytes()}


def test_chromium_takes_a_screenshot(browser_output: dict[str, bytes]) -> None:
    png = browser_output["png"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 1600)
    assert len(png) > 50_000  # a page of text and a chart, not a blank screen


def test_chromium_prints_to_a_pdf_of_several_a4_pages(browser_output: dict[str, bytes]) -> None:
    pdf = browser_output["pdf"]
    assert pdf[:5] == b"%PDF-"
    assert len(pdf) > 50_000
    # A4 in points, on every page
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert len(boxes) >= 4  # heading and counts, chart, overdue, chase, comparison
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}


def test_an_empty_report_says_so() -> None:
    report = replace(build_report(compare=False), notices=[], counts=[], overdue=[], chase=[])
    page = render_html(report, "vi")
    assert "Chưa có văn bản nào." in page
    assert "Không có nhiệm vụ quá hạn." in page
    assert "Không có nhiệm vụ cần đôn đốc." in page
    assert "<svg" not in page  # no chart without rows
    assert "<th>Tổng cộng</th>" in page


def test_a_row_with_nothing_in_the_four_way_count_has_no_bar() -> None:
    from tbtrack.queries.report_data import CountRow, Counts
    from tbtrack.render.report_html import build_chart

    report = build_report(compare=False)
    only_undated = CountRow("Tỉnh ủy Lai Châu", Counts(undated=2))
    report = replace(report, counts=[*report.counts, only_undated])
    chart = build_chart(report, "vi")
    assert len(chart.bars) == len(report.counts) - 1
    assert "Tỉnh ủy Lai Châu" not in [bar.name for bar in chart.bars]
    assert "Tỉnh ủy Lai Châu" in render_html(report, "vi")  # still a row of the table
