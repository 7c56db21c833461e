"""A task's one-line title from its assignment (SPEC 10, `title`)."""

from __future__ import annotations

import pytest

from tbtrack.importing import RegistryResolver
from tbtrack.importing.agents import NameScanner, find_agents
from tbtrack.importing.title import WIDTH, task_title


def _title(text: str, resolver: RegistryResolver) -> str:
    scanner = NameScanner(resolver, None)
    return task_title(text, find_agents(text, scanner).subject_end, "2.a", scanner)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # who does it is left out, partners included
        (
            "Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp rà soát các quy định về thuế.",
            "Rà soát các quy định về thuế",
        ),
        # words of manner before the verb, one after the other
        (
            "Bộ Tư pháp khẩn trương phối hợp hoàn thành số hoá dữ liệu hộ tịch.",
            "Hoàn thành số hoá dữ liệu hộ tịch",
        ),
        (
            "Bộ Tài chính theo chức năng, nhiệm vụ được giao có trách nhiệm đề xuất giải pháp.",
            "Đề xuất giải pháp",
        ),
        # the deadline and the report are obligations, not the title
        (
            "Bộ Tài chính xây dựng quy chế chia sẻ dữ liệu, trình Thủ tướng Chính phủ chậm "
            "nhất ngày 15/12/2025.",
            "Xây dựng quy chế chia sẻ dữ liệu",
        ),
        (
            "Bộ Tài chính hoàn thành số hoá hồ sơ địa chính trong 6 tháng cuối năm 2025.",
            "Hoàn thành số hoá hồ sơ địa chính",
        ),
        (
            "Bộ Tài chính rà soát việc thí điểm 4 thủ tục, Báo cáo Thủ tướng Chính phủ.",
            "Rà soát việc thí điểm 4 thủ tục",
        ),
        # a deadline that opens the sentence stays: nothing would be left
        (
            "Bộ Tài chính định kỳ hằng quý báo cáo tiến độ.",
            "Định kỳ hằng quý báo cáo tiến độ",
        ),
        # nothing but words of manner: kept rather than an empty title
        ("Bộ Tài chính khẩn trương.", "Khẩn trương"),
    ],
)
def test_the_title_is_the_work_itself(text: str, title: str, resolver: RegistryResolver) -> None:
    assert _title(text, resolver) == title


def test_a_long_title_is_cut_before_a_joining_word(resolver: RegistryResolver) -> None:
    text = (
        "Bộ Tài chính nghiên cứu, đề xuất mô hình số hoá, quản lý tài liệu lưu trữ theo hướng "
        "kế thừa kinh nghiệm triển khai Cơ sở dữ liệu quốc gia về dân cư của các địa phương."
    )
    # the last joint within the width is "theo": "Cơ sở dữ liệu" is never cut in two
    assert _title(text, resolver) == "Đề xuất mô hình số hoá, quản lý tài liệu lưu trữ"


def test_a_long_title_without_a_joint_is_cut_at_a_whole_word(resolver: RegistryResolver) -> None:
    words = "rà soát hồ sơ địa chính " * 10
    title = _title(f"Bộ Tài chính {words.strip()}.", resolver)
    assert len(title) <= WIDTH
    assert words.startswith(title.lower() + " ")
