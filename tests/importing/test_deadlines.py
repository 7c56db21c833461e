"""Deadline phrases to due forms (SPEC 4.1), on short texts."""

from __future__ import annotations

import datetime as dt

import pytest

from tbtrack.importing.deadlines import find_dues, sentences

D = dt.date


def _forms(text: str, year: int = 2025) -> list[tuple[str, object]]:
    return [(d.form, d.value) for d in find_dues(text, year).dues]


@pytest.mark.parametrize(
    ("text", "form", "value"),
    [
        ("Hoàn thành chậm nhất ngày 01/7/2025.", "by", D(2025, 7, 1)),
        ("Trình Thủ tướng chậm nhất là ngày 30/9/2025.", "by", D(2025, 9, 30)),
        ("Hoàn thành ngày 10/8/2025.", "by", D(2025, 8, 10)),
        ("Báo cáo trước ngày 15/6/2025.", "before", D(2025, 6, 15)),
        ("Trình trước ngày 20 tháng 10 năm 2024.", "before", D(2024, 10, 20)),
        ("Báo cáo Thủ tướng Chính phủ trước ngày 15/9.", "before", D(2025, 9, 15)),
        ("Hoàn thành trong tháng 7/2025.", "within", "2025-07"),
        ("Ban hành kế hoạch trong tháng 02 năm 2025.", "within", "2025-02"),
        ("Hoàn thành trong quý IV/2025.", "within", "2025-Q4"),
        ("Hoàn thành trong quý III năm 2025.", "within", "2025-Q3"),
        ("Hoàn thành trong 6 tháng đầu năm 2026.", "within", "2026-H1"),
        ("Hoàn thành trong 6 tháng cuối năm 2025.", "within", "2025-H2"),
        ("Hoàn thành trong năm 2025.", "within", "2025"),
        ("Định kỳ hằng tháng báo cáo kết quả.", "every", "monthly"),
        ("Hàng tháng báo cáo kết quả.", "every", "monthly"),
        ("Định kỳ hằng quý báo cáo kết quả.", "every", "quarterly"),
        ("Báo cáo định kỳ 6 tháng một lần.", "every", "half-yearly"),
        ("Định kỳ hằng năm gửi báo cáo.", "every", "yearly"),
        ("Báo cáo trước ngày 15 hằng tháng.", "every", "FREQ=MONTHLY;BYMONTHDAY=14"),
        ("Báo cáo trước ngày 1 hằng tháng.", "every", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("Báo cáo vào ngày 25 hằng tháng.", "every", "FREQ=MONTHLY;BYMONTHDAY=25"),
        (
            "Hằng năm tổng hợp, gửi Bộ Tài chính trước ngày 20 tháng 12.",
            "every",
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=19",
        ),
        ("Gửi trước ngày 30 tháng 6 hằng năm.", "every", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29"),
        ("Gửi trước ngày 1 tháng 7 hằng năm.", "every", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=-1"),
        ("Định kỳ hằng tháng, báo cáo trước ngày 25.", "every", "FREQ=MONTHLY;BYMONTHDAY=24"),
        ("Hoàn thành trong tháng 7.", "within", "2025-07"),
        ("Hoàn thành trong quý 4/2025.", "within", "2025-Q4"),
        ("Hoàn thành chậm nhất trong tháng 8/2025.", "within", "2025-08"),
        ("Nhiệm vụ thường xuyên.", "ongoing", True),
        ("Khẩn trương rà soát các quy định.", "undated", True),
        ("Báo cáo sớm Thủ tướng Chính phủ.", "undated", True),
    ],
)
def test_phrase_gives_its_due_form(text: str, form: str, value: object) -> None:
    assert _forms(text) == [(form, value)]


def test_a_year_after_the_day_is_kept_out_of_a_yearly_rule() -> None:
    # "hằng năm ... trước ngày 20 tháng 12 năm 2025" names one day, not a yearly one
    found = _forms("Hằng năm rà soát; báo cáo trước ngày 20 tháng 12 năm 2025.")
    assert ("before", D(2025, 12, 20)) in found


def test_kể_từ_năm_gives_the_start_of_a_recurring_obligation() -> None:
    due = find_dues("Gửi Bộ trước ngày 30 tháng 6 hằng năm kể từ năm 2027.", 2025).dues[0]
    assert (due.form, due.value, due.first) == (
        "every",
        "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29",
        D(2027, 1, 1),
    )
    assert due.as_written.endswith("kể từ năm 2027")


def test_every_few_years_without_a_day_is_a_rule_with_a_review_note() -> None:
    due = find_dues("Định kỳ hai năm một lần rà soát số liệu.", 2025).dues[0]
    assert due.value == "FREQ=YEARLY;INTERVAL=2;BYMONTH=12;BYMONTHDAY=31"
    assert due.doubts


def test_a_yearly_report_with_no_day_gets_a_review_note() -> None:
    due = find_dues("Cung cấp thông tin định kỳ hằng năm gửi về Bộ.", 2025).dues[0]
    assert (due.value, due.kind) == ("yearly", "submit")
    assert any("gives no day" in note for note in due.doubts)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Báo cáo Thường trực Ban Chỉ đạo trước ngày 15/6/2025.", "report"),
        ("Trình Thủ tướng Chính phủ trước ngày 15/6/2025.", "submit"),
        ("Gửi về Văn phòng Trung ương Đảng trước ngày 15/6/2025.", "submit"),
        ("Hoàn thành trước ngày 15/6/2025.", "complete"),
        ("Rà soát các quy định trước ngày 15/6/2025.", "complete"),
        ("Định kỳ hằng tháng báo cáo Thường trực Ban Chỉ đạo.", "report"),
    ],
)
def test_the_verb_gives_the_kind(text: str, kind: str) -> None:
    assert [d.kind for d in find_dues(text, 2025).dues] == [kind]


def test_từ_ngày_is_a_milestone_read_as_by_with_a_review_note() -> None:
    due = find_dues("Cổng trở thành một cửa duy nhất từ ngày 01/7/2025.", 2025).dues[0]
    assert (due.form, due.value, due.kind) == ("by", D(2025, 7, 1), "milestone")
    assert due.doubts
    assert due.as_written == "từ ngày 01/7/2025"


def test_a_reference_date_is_no_deadline() -> None:
    assert _forms("Theo Thông báo số 19-TB/TGV, ngày 09/5/2025, rà soát quy trình.") == []
    assert _forms("Nghị định số 99/2022/NĐ-CP, ngày 30/11/2022 của Chính phủ.") == []
    assert _forms("Số liệu tính đến ngày 30/6/2025.") == []


def test_an_impossible_date_makes_no_obligation_and_says_so() -> None:
    found = find_dues("Báo cáo trước ngày 31/2/2025.", 2025)
    assert found.dues == []
    assert any("not a date" in note for note in found.doubts)


def test_a_date_without_a_year_in_a_notice_without_a_date_is_only_a_review_note() -> None:
    found = find_dues("Báo cáo trước ngày 15/9. Hoàn thành trong tháng 10.", None)
    assert found.dues == []
    assert len(found.doubts) == 2


def test_urgency_with_a_date_in_the_same_sentence_adds_nothing() -> None:
    text = "Khẩn trương hoàn thành, gửi về Bộ trước ngày 15/6/2025."
    assert _forms(text) == [("before", D(2025, 6, 15))]


def test_urgency_in_another_sentence_is_its_own_undated_obligation() -> None:
    text = "(1) Khẩn trương rà soát. (2) Sửa đổi quy định. Báo cáo trước ngày 15/6/2025."
    dues = find_dues(text, 2025).dues
    assert [(d.form, d.kind) for d in dues] == [("undated", "complete"), ("before", "report")]
    assert dues[0].as_written == "Khẩn trương rà soát"


def test_a_closing_completion_date_covers_the_urgent_work() -> None:
    text = "Các Bộ khẩn trương phối hợp hoàn thành số hoá. Hoàn thành trong tháng 6/2025."
    assert _forms(text) == [("within", "2025-06")]


def test_a_deadline_tied_to_an_event_is_undated_when_it_is_the_only_one() -> None:
    found = find_dues("Hoàn thiện dự thảo Luật trước khi trình Quốc hội xem xét.", 2025)
    assert [(d.form, d.as_written) for d in found.dues] == [
        ("undated", "trước khi trình Quốc hội xem xét")
    ]
    assert any("another event" in note for note in found.doubts)


def test_a_deadline_tied_to_an_event_beside_a_date_is_only_a_review_note() -> None:
    found = find_dues("Báo cáo trong tháng 6/2025 trước khi triển khai nhân rộng.", 2025)
    assert _forms("Báo cáo trong tháng 6/2025 trước khi triển khai nhân rộng.") == [
        ("within", "2025-06")
    ]
    assert found.doubts


def test_a_condition_is_noted_on_the_obligation_it_governs() -> None:
    found = find_dues("Trường hợp có vướng mắc thì khẩn trương báo cáo Thủ tướng.", 2025)
    assert [(d.form, d.kind) for d in found.dues] == [("undated", "report")]
    assert any("condition" in note for note in found.dues[0].doubts)


def test_no_deadline_phrase_gives_nothing_here() -> None:
    # the task gets its undated obligation from the parser, which also notes it
    assert _forms("Tổ chức phổ biến, tuyên truyền về thị trường các-bon.") == []


def test_sentences_split_at_full_stops_semicolons_and_items() -> None:
    text = "A làm. B làm; C: (1) một. (2) hai"
    parts = [text[s:e] for s, e in sentences(text)]
    assert parts == ["A làm.", "B làm;", "C:", "(1) một.", "(2) hai"]
