"""Text as copied from PDFs and web pages, to paragraphs (SPEC 10)."""

from __future__ import annotations

import unicodedata

from tbtrack.importing.cleanup import paragraphs, physical_lines


def test_broken_lines_are_rejoined_with_one_space() -> None:
    raw = "a) Chỉ đạo cơ quan chuyên môn trực thuộc có liên quan định kỳ hai năm\n   một lần rà soát số liệu.\n"
    assert paragraphs(raw) == [
        "a) Chỉ đạo cơ quan chuyên môn trực thuộc có liên quan định kỳ hai năm một lần rà soát số liệu."
    ]


def test_a_full_stop_then_a_capital_starts_a_paragraph() -> None:
    assert paragraphs("Câu thứ nhất hết.\nĐoạn thứ hai bắt đầu.") == [
        "Câu thứ nhất hết.",
        "Đoạn thứ hai bắt đầu.",
    ]


def test_a_lowercase_line_after_a_semicolon_runs_on() -> None:
    assert paragraphs("cấp lĩnh vực;\nđồng thời, phục vụ theo dõi.") == [
        "cấp lĩnh vực; đồng thời, phục vụ theo dõi."
    ]


def test_markers_start_paragraphs() -> None:
    raw = "1. Về thị trường\na) Phối hợp với Bộ\n- Rà soát\nđ) Tổ chức"
    assert paragraphs(raw) == ["1. Về thị trường", "a) Phối hợp với Bộ", "- Rà soát", "đ) Tổ chức"]


def test_a_numbered_item_at_a_line_start_stays_in_its_paragraph() -> None:
    assert paragraphs("(1) Rà soát quy định.\n(2) Công bố thủ tục.") == [
        "(1) Rà soát quy định. (2) Công bố thủ tục."
    ]


def test_page_numbers_go_and_a_paragraph_runs_on_over_the_page_break() -> None:
    raw = "bảo vệ và nâng cao tỷ lệ che\n\n                 2\n\nphủ, sinh khối."
    assert paragraphs(raw) == ["bảo vệ và nâng cao tỷ lệ che phủ, sinh khối."]


def test_motto_source_address_and_rule_lines_go() -> None:
    raw = (
        "https://example.org/a.txt\n"
        "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "---------------\n"
        "Số: 12/BNNMT-BĐKH\n"
        "Nguồn tra cứu: vanban.example.vn\n"
    )
    assert paragraphs(raw) == ["Số: 12/BNNMT-BĐKH"]


def test_a_header_table_is_read_cell_by_cell() -> None:
    raw = "| Số: 467/TB-VPCP | *Hà Nội, ngày 14 tháng 10 năm 2024 * |\n| --- | --- |"
    assert paragraphs(raw) == ["Số: 467/TB-VPCP", "Hà Nội, ngày 14 tháng 10 năm 2024"]


def test_a_title_in_capitals_is_one_paragraph_and_ends_at_the_first_normal_line() -> None:
    raw = "THÔNG BÁO\nKẾT LUẬN CUỘC HỌP VỀ CƠ SỞ DỮ LIỆU\nQUỐC GIA VỀ ĐẤT ĐAI\nNgày 12 tháng 8 năm 2025, họp."
    assert paragraphs(raw) == [
        "THÔNG BÁO KẾT LUẬN CUỘC HỌP VỀ CƠ SỞ DỮ LIỆU QUỐC GIA VỀ ĐẤT ĐAI",
        "Ngày 12 tháng 8 năm 2025, họp.",
    ]


def test_nfd_becomes_nfc_and_stray_spaces_collapse() -> None:
    raw = unicodedata.normalize("NFD", "Bộ  Tài\u00a0chính   chủ trì.  ")
    assert paragraphs(raw) == ["Bộ Tài chính chủ trì."]
    assert unicodedata.is_normalized("NFC", paragraphs(raw)[0])


def test_a_byte_order_mark_and_windows_line_ends_go() -> None:
    assert physical_lines("\ufeffDòng một\r\nDòng hai\r\n") == ["Dòng một", "Dòng hai", ""]


def test_a_blank_line_ends_a_paragraph() -> None:
    assert paragraphs("Dòng một không dấu chấm\n\nvà dòng hai") == [
        "Dòng một không dấu chấm",
        "và dòng hai",
    ]


def test_in_text_wrapped_at_a_fixed_width_a_full_line_runs_on_after_a_full_stop() -> None:
    # a PDF's text layer: every line as long as the column, except each paragraph's last
    full = "x" * 70 + " thông tin."
    raw = "\n".join([full] * 12 + ["Báo cáo kết quả thực hiện.", "Đoạn mới."])
    out = paragraphs(raw)
    assert len(out) == 2
    assert out[0].endswith("Báo cáo kết quả thực hiện.")


def test_a_header_broken_over_short_lines() -> None:
    # a web copy of a two-column header: every cell broken over lines
    raw = (
        "VĂN PHÒNG CHÍNH\nPHỦ\n-------\n|\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n|\nSố: 56/TB-VPCP\n|\nHà Nội, ngày 23\ntháng 02 năm 2025\n"
        "THÔNG BÁO\nKẾT\nLUẬN PHIÊN HỌP\n"
    )
    assert paragraphs(raw) == [
        "VĂN PHÒNG CHÍNH PHỦ",
        "Số: 56/TB-VPCP",
        "Hà Nội, ngày 23 tháng 02 năm 2025",
        "THÔNG BÁO KẾT LUẬN PHIÊN HỌP",
    ]
