"""A notice's text to drafts (SPEC 10): assignments, IDs, source, review notes."""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest

from helpers import NOTICES, SEED_NOTICE
from tbtrack.files.registry import Registry
from tbtrack.importing import NoticeDraft, RegistryResolver, TaskDraft, parse_notice

from .agreement import drafted_tasks
from .conftest import DATA

HEAD = """VĂN PHÒNG CHÍNH PHỦ
Số: 999/TB-VPCP
Hà Nội, ngày 05 tháng 11 năm 2024
THÔNG BÁO
KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ VỀ ĐỀ ÁN
Ngày 01 tháng 11 năm 2024, Phó Thủ tướng Chính phủ chủ trì cuộc họp. Kết luận như sau:
"""
TAIL = "Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.\nNơi nhận:\n- Như trên;\n"


def _parse(body: str, resolver: RegistryResolver) -> NoticeDraft:
    return parse_notice(HEAD + body + TAIL, resolver)


def _task(draft: NoticeDraft, task_id: str) -> TaskDraft:
    return next(t for t in draft.tasks if t.id == task_id)


def _forms(task: TaskDraft) -> list[tuple[str, object]]:
    forms = ("by", "before", "within", "every", "ongoing", "undated")
    return [(k, o[k]) for o in task.data["obligations"] for k in forms if k in o]


def test_source_number_date_title_and_folder(resolver: RegistryResolver) -> None:
    draft = _parse("1. Bộ Tài chính rà soát.\n", resolver)
    assert draft.source.number == "999/TB-VPCP"
    assert draft.source.date == dt.date(2024, 11, 5)
    assert draft.source.title == "Thông báo kết luận của Phó Thủ tướng Chính phủ về Đề án"
    assert draft.folder == "999-tb-vpcp-2024-11-05"
    assert draft.review == []


def test_a_number_in_the_opening_and_the_meeting_date_when_no_date_of_issue(
    resolver: RegistryResolver,
) -> None:
    text = "THÔNG BÁO SỐ 47-TB/TGV\nNgày 06/6/2025, lãnh đạo họp.\n1. Bộ Tài chính rà soát.\n"
    draft = parse_notice("Thông báo số 47-TB/TGV\n" + text, resolver)
    assert (draft.source.number, draft.source.date) == ("47-TB/TGV", dt.date(2025, 6, 6))
    assert draft.folder == "47-tb-tgv-2025-06-06"
    assert any("meeting's date" in note for note in draft.review)


def test_no_number_no_date(resolver: RegistryResolver) -> None:
    draft = parse_notice("THÔNG BÁO KẾT LUẬN\n1. Bộ Tài chính rà soát.\n", resolver)
    assert (draft.source.number, draft.source.date, draft.folder) == (None, None, "thong-bao")
    assert any("set source.date" in note for note in draft.review)


def test_one_task_per_section_and_numbered_ids_when_a_section_holds_several(
    resolver: RegistryResolver,
) -> None:
    body = (
        "1. Về thủ tục\n- Bộ Tư pháp rà soát.\n- Bộ Công an rà soát.\n"
        "2. Bộ Tài chính trình Đề án.\n"
        "3. Về địa phương\na) Văn phòng Chính phủ\n- Đôn đốc.\n- Theo dõi.\nđ) Bộ Y tế rà soát.\n"
    )
    draft = _parse(body, resolver)
    assert [(t.id, t.data["source"]["section"]) for t in draft.tasks] == [
        ("1-1", "1"),
        ("1-2", "1"),
        ("2", "2"),
        ("3a-1", "3.a"),
        ("3a-2", "3.a"),
        ("3dd", "3.đ"),
    ]
    assert _task(draft, "3a-2").data["lead"] == ["Văn phòng Chính phủ"]


def test_a_heading_agency_leads_together_with_cùng(resolver: RegistryResolver) -> None:
    body = "1. Về cổng\na) Văn phòng Chính phủ\n- Cùng Bộ Công an chủ trì, phối hợp với các bộ, ngành, địa phương thực hiện.\n"
    task = _parse(body, resolver).tasks[0]
    assert task.data["lead"] == ["Văn phòng Chính phủ", "Bộ Công an"]
    assert task.data["support"] == ["Các bộ, ngành, địa phương"]


def test_bullets_that_detail_one_assignment_are_part_of_its_text(
    resolver: RegistryResolver,
) -> None:
    body = (
        "1. Về cổng\na) Bộ Khoa học và Công nghệ chủ trì, phối hợp các cơ quan liên quan hoàn "
        "thiện Cổng. Đồng thời, bảo đảm thêm một số yêu cầu sau:\n- Rà soát quy định.\n"
        "- Bổ sung chức năng.\n"
    )
    (task,) = _parse(body, resolver).tasks
    assert task.id == "1a"
    assert task.data["text"].endswith("yêu cầu sau:\n- Rà soát quy định.\n- Bổ sung chức năng.")


def test_paragraphs_under_topic_bullets_inherit_the_deadline_with_a_review_note(
    resolver: RegistryResolver,
) -> None:
    body = (
        "2. Bộ Tài chính chủ trì hoàn thiện Đề án, trình Thủ tướng Chính phủ trước ngày 20 "
        "tháng 11 năm 2024. Trong đó chú ý một số nội dung sau:\n- Về phân công:\n"
        "Bộ Tài chính làm việc, thống nhất với Bộ Tư pháp.\n"
        "Bộ Tư pháp khẩn trương có văn bản gửi Bộ Tài chính.\n"
    )
    draft = _parse(body, resolver)
    assert [t.id for t in draft.tasks] == ["2-1", "2-2", "2-3"]
    inherited = draft.tasks[1]
    assert _forms(inherited) == [("before", dt.date(2024, 11, 20))]
    assert any("inherited" in m for m in inherited.review[("obligations", 0)])
    assert _forms(draft.tasks[2]) == [("undated", True)]  # its own "khẩn trương"
    assert draft.tasks[2].data["obligations"][0]["to"] == "Bộ Tài chính"


def test_a_paragraph_that_assigns_no_one_is_no_task(resolver: RegistryResolver) -> None:
    body = "1. Thị trường các-bon là công cụ kinh tế.\nTuy nhiên, đây là vấn đề mới.\n2. Bộ Tài chính rà soát.\n"
    assert [t.id for t in _parse(body, resolver).tasks] == ["2"]


def test_the_addressee_of_a_letter_is_the_default_lead(resolver: RegistryResolver) -> None:
    text = (
        "Số: 12/BNNMT-BĐKH\nHà Nội, ngày 20 tháng 11 năm 2025\n"
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n"
        "1. Về khí nhà kính\na) Phối hợp với Bộ Tài chính xây dựng sàn giao dịch.\n"
    )
    (task,) = parse_notice(text, resolver).tasks
    assert task.data["lead"] == ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]
    assert task.data["support"] == ["Bộ Tài chính"]


def test_an_unknown_name_is_kept_in_notes_and_a_review_note(resolver: RegistryResolver) -> None:
    body = "1. Bộ Tài chính chủ trì, phối hợp với Trung tâm Dữ liệu Tài chính hướng dẫn.\n"
    draft = _parse(body, resolver)
    (task,) = draft.tasks
    assert "support" not in task.data
    assert "Trung tâm Dữ liệu Tài chính" in task.data["notes"]
    assert any("Trung tâm Dữ liệu Tài chính" in m for m in task.review[("support",)])
    assert draft.unknown_names == ["Trung tâm Dữ liệu Tài chính"]


def test_an_unknown_lead_falls_back_to_no_lead_with_a_review_note(
    resolver: RegistryResolver,
) -> None:
    (task,) = _parse("1. Sở Dữ liệu Miền Bắc hướng dẫn chuẩn hoá.\n", resolver).tasks
    assert task.data["lead"] == []
    assert ("lead",) in task.review
    assert task.unknown_names == ["Sở Dữ liệu Miền Bắc"]


def test_report_to_and_the_recipient_of_a_submission(resolver: RegistryResolver) -> None:
    body = (
        "1. Bộ Tài chính xây dựng Đề án, trình Thủ tướng Chính phủ chậm nhất ngày 30/11/2024. "
        "Báo cáo Thường trực Ban Chỉ đạo kết quả thực hiện trước ngày 15/11/2024.\n"
    )
    (task,) = _parse(body, resolver).tasks
    assert task.data["report_to"] == "Thường trực Ban Chỉ đạo"
    obligations = task.data["obligations"]
    assert [(o["id"], o["kind"], o.get("to")) for o in obligations] == [
        ("submit", "submit", "Thủ tướng Chính phủ"),
        ("report", "report", None),
    ]
    assert obligations[1]["as_written"] == (
        "Báo cáo Thường trực Ban Chỉ đạo kết quả thực hiện trước ngày 15/11/2024"
    )


def test_no_deadline_phrase_is_an_undated_obligation_with_a_review_note(
    resolver: RegistryResolver,
) -> None:
    (task,) = _parse("1. Bộ Tài chính tổ chức phổ biến.\n", resolver).tasks
    assert task.data["obligations"] == [{"id": "complete", "kind": "complete", "undated": True}]
    assert ("obligations", 0, "undated") in task.review


def test_task_data_has_the_task_file_keys_in_order(resolver: RegistryResolver) -> None:
    body = "1. Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp rà soát. Báo cáo Thường trực Ban Chỉ đạo trước ngày 15/11.\n"
    (task,) = _parse(body, resolver).tasks
    assert list(task.data) == [
        "source",
        "title",
        "text",
        "lead",
        "support",
        "report_to",
        "state",
        "obligations",
        "progress",
    ]
    assert list(task.data["source"]) == ["notice", "number", "date", "section"]
    assert task.data["obligations"][0]["before"] == dt.date(2024, 11, 15)  # the notice's year
    assert task.data["progress"] == []
    assert "\n" not in task.data["title"]


def test_counts(resolver: RegistryResolver) -> None:
    body = (
        "1. Bộ Tài chính rà soát. Báo cáo trước ngày 15/11.\n2. Bộ Tư pháp khẩn trương rà soát.\n"
    )
    draft = _parse(body, resolver)
    assert (draft.task_count, draft.obligation_count) == (2, 2)
    assert draft.review_count == sum(len(t.review) for t in draft.tasks)


def test_nfd_text_gives_the_same_drafts(resolver: RegistryResolver) -> None:
    text = (SEED_NOTICE).read_text(encoding="utf-8")
    nfc = parse_notice(text, resolver)
    nfd = parse_notice(unicodedata.normalize("NFD", text), resolver)
    assert [t.data for t in nfd.tasks] == [t.data for t in nfc.tasks]


class _Fake:
    """A resolver that is no Registry: the parser needs only the protocol."""

    def __init__(self) -> None:
        self.days: set[dt.date | None] = set()

    def resolve(self, name: str, on: dt.date | None) -> str | None:
        self.days.add(on)
        return "Bộ Thử nghiệm" if name.casefold() == "bộ thử nghiệm" else None

    def spellings(self) -> Iterable[str]:
        return ["bộ thử nghiệm"]


def test_any_resolver_will_do_and_names_resolve_as_of_the_notice_date() -> None:
    fake = _Fake()
    draft = parse_notice(HEAD + "1. Bộ Thử nghiệm rà soát.\n", fake)
    assert draft.tasks[0].data["lead"] == ["Bộ Thử nghiệm"]
    assert dt.date(2024, 11, 5) in fake.days


@pytest.mark.parametrize(
    "path",
    [
        SEED_NOTICE,
        NOTICES / "467-TB-VPCP.txt",
        NOTICES / "9389-BNNMT-BDKH.txt",
        DATA / "heldout-215-TB-VPCP.txt",
    ],
    ids=["seed", "467", "9389", "held-out"],
)
def test_every_draft_passes_check_and_parsing_is_fast(path: Path, registry: Registry) -> None:
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    draft = parse_notice(text, RegistryResolver(registry))
    assert time.perf_counter() - started < 1.0
    tasks = drafted_tasks(draft, registry)  # rendered, read back by check: no errors
    assert len(tasks) == draft.task_count > 0
    assert all(task.source.date == draft.source.date for task in tasks.values())


def test_a_title_after_a_blank_line_and_group_names_in_it(resolver: RegistryResolver) -> None:
    text = (
        "Số: 47-TB/TGV\nHà Nội, ngày 17 tháng 10 năm 2025\nTHÔNG BÁO\n\n"
        "KẾT LUẬN CUỘC HỌP VỚI THƯỜNG TRỰC TỔ GIÚP VIỆC VÀ CÁC CƠ QUAN CÓ LIÊN QUAN\n"
        "1. Bộ Tài chính rà soát.\n"
    )
    assert parse_notice(text, resolver).source.title == (
        "Thông báo kết luận cuộc họp với Thường trực Tổ Giúp việc và các cơ quan có liên quan"
    )


def test_a_letter_is_titled_by_its_subject_line(resolver: RegistryResolver) -> None:
    text = (
        "Số: 9389 /BNNMT-BĐKH\nHà Nội, ngày 20 tháng 11 năm 2025\n"
        "V/v triển khai thực hiện các quy định\npháp luật về thị trường các-bon\n"
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n"
        "1. Về thị trường\na) Tổ chức phổ biến.\n"
    )
    draft = parse_notice(text, resolver)
    assert draft.source.title == (
        "Công văn về việc triển khai thực hiện các quy định pháp luật về thị trường các-bon"
    )
    assert (draft.source.number, draft.folder) == ("9389/BNNMT-BĐKH", "9389-bnnmt-bdkh-2025-11-20")


def test_a_review_note_on_a_key_the_draft_leaves_out_goes_above_the_next_key(
    resolver: RegistryResolver,
) -> None:
    from tbtrack.importing.preview import render_draft

    body = "1. Bộ Tài chính chủ trì, phối hợp với Trung tâm Dữ liệu Tài chính hướng dẫn.\n"
    rendered = render_draft(_parse(body, resolver).tasks[0])
    lines = rendered.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("# review: support:"))
    assert lines[note + 1] == "state: active"
    assert "# review: notes:" in rendered


@pytest.mark.parametrize(
    "path",
    [
        SEED_NOTICE,
        NOTICES / "467-TB-VPCP.txt",
    ],
    ids=["seed", "467"],
)
def test_a_copy_from_a_pdf_gives_the_same_drafts(path: Path, resolver: RegistryResolver) -> None:
    """Lines broken at 88 columns, a page number every 45 lines, doubled spaces, NFD."""
    import textwrap

    from tbtrack.importing.cleanup import paragraphs

    text = path.read_text(encoding="utf-8")
    lines = [line for p in paragraphs(text) for line in textwrap.wrap(p, 88)]
    copied: list[str] = []
    for index, line in enumerate(lines):
        copied.append(line.replace(", ", ",  ", 1))
        if index and index % 45 == 0:
            copied += ["", f"        {index // 45 + 1}", ""]
    copy = unicodedata.normalize("NFD", "\n".join(copied))
    original, from_copy = parse_notice(text, resolver), parse_notice(copy, resolver)
    assert from_copy.source == original.source
    assert [(t.id, t.data) for t in from_copy.tasks] == [(t.id, t.data) for t in original.tasks]


def test_a_date_given_by_hand_is_the_notices_date(resolver: RegistryResolver) -> None:
    text = "THÔNG BÁO\nKết luận như sau:\n1. Bộ Tài chính rà soát.\n"
    assert any("no date in the text" in note for note in parse_notice(text, resolver).review)
    draft = parse_notice(text, resolver, dt.date(2024, 11, 5))
    assert draft.source.date == dt.date(2024, 11, 5)
    assert draft.folder == "thong-bao-2024-11-05"
    assert draft.review == []
