"""Tests for tbtrack.files.text: NFC, folding and the diacritics-free key of names."""

from __future__ import annotations

import unicodedata

from tbtrack.files.text import fold, loose_key, nfc, shorten, strip_diacritics


def test_nfc_and_nfd_fold_to_the_same_key() -> None:
    name = "Bộ Tài chính"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    assert nfc(nfd) == name
    assert fold(nfd) == fold(name) == "bộ tài chính"


def test_fold_collapses_white_space_including_line_separators() -> None:
    assert fold("  Bộ\u2028Tài \t\n chính ") == "bộ tài chính"


def test_the_loose_key_drops_marks_and_maps_d_with_stroke() -> None:
    assert strip_diacritics("Đồng Nai, Bộ Tài chính") == "Dong Nai, Bo Tai chinh"
    assert loose_key("Ủy ban ĐÂN tộc") == "uy ban dan toc"
    assert loose_key(unicodedata.normalize("NFD", "Ủy ban")) == "uy ban"


def test_marks_outside_the_combining_block_are_dropped_too() -> None:
    assert strip_diacritics("a\u1dc0b") == "ab"  # a mark of the supplement block


def test_shorten_cuts_with_an_ellipsis() -> None:
    assert shorten("Ban hành  bảng\ndanh mục", 12) == "Ban hành bả…"
    assert shorten("ngắn", 12) == "ngắn"
    assert shorten("abc", 0) == "…"


def test_collation_key_follows_the_vietnamese_alphabet_then_tones() -> None:
    from tbtrack.files.text import collation_key

    ordered = ["a", "à", "ả", "ã", "á", "ạ", "ă", "â", "b", "d", "đ", "e", "ê", "o", "ô", "ơ"]
    ordered += ["u", "ư", "y"]
    assert sorted(reversed(ordered), key=collation_key) == ordered
    assert collation_key("Bộ  NỘI vụ") == collation_key("bộ nội vụ")
    nfd = unicodedata.normalize("NFD", "Ủy ban")
    assert collation_key(nfd) == collation_key("Ủy ban")
    assert sorted(["Ba Vì", "Bà Rịa", "Bắc Ninh"], key=collation_key) == [
        "Bà Rịa",
        "Ba Vì",
        "Bắc Ninh",
    ]


def test_dates_as_iso_rewrites_day_month_year() -> None:
    from tbtrack.files.text import dates_as_iso

    assert dates_as_iso("ngày 06/6/2025 và 1.12.2024") == "ngày 2025-06-06 và 2024-12-01"
    assert dates_as_iso("số 47-TB/TGV, 2025-06-06") == "số 47-TB/TGV, 2025-06-06"
