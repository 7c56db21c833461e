"""The one labels table: every status, kind and word in both languages."""

from __future__ import annotations

from tbtrack.files.vocab import OBLIGATION_KINDS, STATUSES
from tbtrack.render.labels import STATUS, STATUS_SYMBOL, WORDS, status_label, status_symbol, word


def test_both_languages_have_the_same_words() -> None:
    assert set(WORDS["vi"]) == set(WORDS["en"])
    assert set(STATUS["vi"]) == set(STATUS["en"]) == set(STATUSES)


def test_every_status_has_a_label_and_a_symbol() -> None:
    assert [status_label(s, "en") for s in STATUSES] == [
        "Done on time",
        "Done late",
        "Overdue",
        "Due soon",
        "Upcoming",
        "Ongoing",
        "No date",
        "Cancelled",
    ]
    assert status_label("overdue", "vi") == "Quá hạn"
    assert [status_symbol(s) for s in STATUSES] == ["✓", "✓!", "✗", "!", "·", "~", "?", "-"]
    assert set(STATUS_SYMBOL) == set(STATUSES)
    assert status_symbol("unknown") == "?"


def test_kinds_and_words() -> None:
    assert [word(k, "vi") for k in OBLIGATION_KINDS] == [
        "hoàn thành",
        "báo cáo",
        "trình/gửi",
        "mốc",
    ]
    assert word("diff-title", "en") == "tbtrack diff"
    assert word("title", "en") == "Title"
    assert word("no-such-key", "vi") == "no-such-key"
