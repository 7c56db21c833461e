"""The notice's outline: sections, items, bullets (SPEC 10)."""

from __future__ import annotations

from tbtrack.importing.structure import outline

BODY = [
    "THÔNG BÁO KẾT LUẬN",
    "Ngày 06/6/2025, họp.",
    "1. Về hoàn thiện dự thảo Luật",
    "- Bộ Tài chính nghiên cứu.",
    "- Bộ Tư pháp rà soát.",
    "2. Về dịch vụ công",
    "a) Văn phòng Chính phủ",
    "- Tăng cường đôn đốc.",
    "đ) Các bộ rà soát.",
    "Hoàn thành trong tháng 7/2025.",
    "3. Bộ Tài chính hoàn thiện Đề án. Trong đó chú ý:",
    "- Về nội dung trao đổi:",
    "Bộ Tài chính nghiên cứu kỹ.",
    "Văn phòng Chính phủ thông báo để các Bộ biết, thực hiện./.",
    "Nơi nhận:",
    "- Thủ tướng Chính phủ;",
]


def test_preamble_body_and_closing() -> None:
    result = outline(BODY)
    assert result.preamble == BODY[:2]
    assert [n.label for n in result.sections] == ["1", "2", "3"]
    assert result.closing[0].startswith("Văn phòng Chính phủ thông báo để")
    assert "- Thủ tướng Chính phủ;" in result.closing


def test_bullets_belong_to_their_section_and_items_to_theirs() -> None:
    first, second, _ = outline(BODY).sections
    assert [(n.kind, n.text) for n in first.children] == [
        ("bullet", "Bộ Tài chính nghiên cứu."),
        ("bullet", "Bộ Tư pháp rà soát."),
    ]
    item_a, item_dd = second.children
    assert item_a.children[0].text == "Tăng cường đôn đốc."
    assert (item_a.children[0].section, item_a.children[0].key) == ("2.a", "2a")
    assert (item_dd.section, item_dd.key) == ("2.đ", "2dd")


def test_a_deadline_line_after_an_item_closes_that_item() -> None:
    item_dd = outline(BODY).sections[1].children[1]
    assert item_dd.text == "Các bộ rà soát. Hoàn thành trong tháng 7/2025."
    assert item_dd.children == []


def test_a_paragraph_without_a_marker_belongs_to_the_bullet_above_it() -> None:
    third = outline(BODY).sections[2]
    bullet = third.children[0]
    assert [(c.kind, c.text) for c in bullet.children] == [("plain", "Bộ Tài chính nghiên cứu kỹ.")]
    assert (bullet.children[0].section, bullet.children[0].key) == ("3", "3")


def test_a_letter_without_a_number_above_it() -> None:
    result = outline(["Kính gửi: Bộ Tài chính", "a) Rà soát.", "b) Báo cáo."])
    assert [(n.section, n.key) for n in result.sections] == [("a", "a"), ("b", "b")]


def test_a_standing_duty_line_closes_the_item_above_it() -> None:
    item = outline(["1. Bộ Tài chính đôn đốc.", "Nhiệm vụ thường xuyên."]).sections[0]
    assert (item.text, item.children) == ("Bộ Tài chính đôn đốc. Nhiệm vụ thường xuyên.", [])
