"""Who a paragraph assigns: lead and support (SPEC 10), on short texts."""

from __future__ import annotations

import pytest

from tbtrack.importing import RegistryResolver
from tbtrack.importing.agents import NameScanner, find_agents, recipient_at


@pytest.fixture(scope="module")
def scanner(resolver: RegistryResolver) -> NameScanner:
    return NameScanner(resolver, None)


def _who(text: str, scanner: NameScanner) -> tuple[list[str | None], list[str | None]]:
    agents = find_agents(text, scanner)
    return [n.canonical for n in agents.lead], [n.canonical for n in agents.support]


def test_lead_chairs_and_partners_coordinate(scanner: NameScanner) -> None:
    text = "Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp, Bộ Công an rà soát quy định."
    assert _who(text, scanner) == (["Bộ Tài chính"], ["Bộ Tư pháp", "Bộ Công an"])


def test_two_that_chair_together_both_lead(scanner: NameScanner) -> None:
    text = "Bộ Công an cùng Bộ Nông nghiệp và Môi trường chủ trì xây dựng quy chế."
    assert _who(text, scanner) == (["Bộ Công an", "Bộ Nông nghiệp và Môi trường"], [])


def test_cùng_without_chủ_trì_joins_a_partner(scanner: NameScanner) -> None:
    text = "Bộ Xây dựng, Bộ Nông nghiệp và Môi trường cùng các cơ quan liên quan đẩy nhanh."
    assert _who(text, scanner) == (
        ["Bộ Xây dựng", "Bộ Nông nghiệp và Môi trường"],
        ["Các cơ quan liên quan"],
    )


def test_a_sentence_that_starts_with_an_agency(scanner: NameScanner) -> None:
    assert _who("Bộ Tư pháp nghiên cứu, đề xuất sửa đổi Luật.", scanner) == (["Bộ Tư pháp"], [])


def test_yêu_cầu_before_the_subject_is_not_part_of_it(scanner: NameScanner) -> None:
    text = "Yêu cầu các bộ, ngành, địa phương đẩy nhanh tiến độ số hoá."
    assert _who(text, scanner) == (["Các bộ, ngành, địa phương"], [])


def test_a_shared_head_with_a_colon(scanner: NameScanner) -> None:
    text = "Các Bộ: Tư pháp, Tài chính rà soát các văn bản."
    assert _who(text, scanner) == (["Bộ Tư pháp", "Bộ Tài chính"], [])


def test_a_shared_head_without_a_colon_and_names_holding_và(scanner: NameScanner) -> None:
    text = (
        "Bộ Tài chính chủ trì, phối hợp chặt chẽ với các Bộ Tài nguyên và Môi trường, "
        "Nông nghiệp và Phát triển nông thôn, Tư pháp để hoàn thiện Đề án."
    )
    assert _who(text, scanner)[1] == [
        "Bộ Tài nguyên và Môi trường",
        "Bộ Nông nghiệp và Phát triển nông thôn",
        "Bộ Tư pháp",
    ]


def test_group_names_with_commas_joined_by_và(scanner: NameScanner) -> None:
    text = (
        "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh, "
        "thành phố trực thuộc Trung ương tổng hợp kết quả."
    )
    assert _who(text, scanner)[0] == [
        "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    ]


def test_the_longest_group_name_wins(scanner: NameScanner) -> None:
    text = "Bộ Công an chủ trì, phối hợp với các bộ, ngành, địa phương tập trung thực hiện."
    assert _who(text, scanner)[1] == ["Các bộ, ngành, địa phương"]


def test_an_alias_resolves_to_its_canonical_name(scanner: NameScanner) -> None:
    text = "Ủy ban nhân dân các địa phương khẩn trương phối hợp hoàn thành số hoá."
    assert _who(text, scanner) == (
        ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"],
        [],
    )


def test_a_partner_in_a_numbered_item(scanner: NameScanner) -> None:
    text = (
        "Bộ Nông nghiệp và Môi trường chủ trì, phối hợp với Văn phòng Chính phủ: (1) Rà soát. "
        "(2) Chủ trì, phối hợp với Ủy ban nhân dân thành phố Hà Nội đề xuất thí điểm."
    )
    assert _who(text, scanner)[1] == ["Văn phòng Chính phủ", "Ủy ban nhân dân thành phố Hà Nội"]


def test_thống_nhất_với_names_a_partner(scanner: NameScanner) -> None:
    text = "Bộ Tài chính trao đổi, thống nhất với Bộ Tư pháp và Bộ Công an để xác định rõ."
    assert _who(text, scanner) == (["Bộ Tài chính"], ["Bộ Tư pháp", "Bộ Công an"])


def test_phối_hợp_with_no_name_after_it_names_no_partner(scanner: NameScanner) -> None:
    assert _who("Bộ Tư pháp khẩn trương phối hợp hoàn thành số hoá.", scanner) == (
        ["Bộ Tư pháp"],
        [],
    )


def test_an_unknown_partner_is_kept_verbatim(scanner: NameScanner) -> None:
    text = (
        "Bộ Tài chính chủ trì, phối hợp với Trung tâm Dữ liệu Tài chính hướng dẫn các địa phương."
    )
    agents = find_agents(text, scanner)
    assert [(n.canonical, n.surface) for n in agents.support] == [
        (None, "Trung tâm Dữ liệu Tài chính")
    ]


def test_an_unknown_lead_is_kept_verbatim(scanner: NameScanner) -> None:
    agents = find_agents("Sở Dữ liệu Miền Bắc hướng dẫn chuẩn hoá dữ liệu.", scanner)
    assert [(n.canonical, n.surface) for n in agents.lead] == [(None, "Sở Dữ liệu Miền Bắc")]


def test_a_verb_that_looks_like_an_agency_word_is_no_name(scanner: NameScanner) -> None:
    assert find_agents("Ban hành quy chế phối hợp trong năm 2025.", scanner).lead == []


def test_a_paragraph_of_nothing_but_names_is_a_heading(scanner: NameScanner) -> None:
    assert find_agents("Văn phòng Chính phủ", scanner).heading_only
    assert find_agents("Các bộ, ngành, địa phương:", scanner).heading_only
    assert not find_agents("Văn phòng Chính phủ theo dõi, đôn đốc.", scanner).heading_only


def test_cùng_at_the_start_joins_the_heading_agency(scanner: NameScanner) -> None:
    agents = find_agents("Cùng Bộ Công an chủ trì, phối hợp với các bộ, ngành thực hiện.", scanner)
    assert agents.joins_heading
    assert [n.canonical for n in agents.lead] == ["Bộ Công an"]
    assert [n.canonical for n in agents.support] == ["Các bộ, cơ quan ngang bộ"]


def test_the_recipient_after_a_verb(scanner: NameScanner) -> None:
    text = "Báo cáo sớm đồng chí Thường trực Ban Bí thư xem xét."
    assert recipient_at(text, len("Báo cáo"), scanner) == (
        "Thường trực Ban Bí thư, Trưởng Ban Chỉ đạo Chuyển đổi số trong các cơ quan đảng"
    )
    text = "gửi về Văn phòng Trung ương Đảng - Cơ quan Thường trực Ban Chỉ đạo trước ngày"
    assert recipient_at(text, len("gửi"), scanner) == "Văn phòng Trung ương Đảng"


def test_a_later_sentence_naming_the_lead_with_others_makes_them_partners(
    scanner: NameScanner,
) -> None:
    text = (
        "Bộ Tư pháp khẩn trương có văn bản gửi Bộ Tài chính. Bộ Tài chính, Bộ Tư pháp thống "
        "nhất về nội dung này. Bộ Công an chủ trì thực hiện việc khác."
    )
    assert _who(text, scanner) == (["Bộ Tư pháp"], ["Bộ Tài chính"])
