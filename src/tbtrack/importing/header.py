"""The notice's title, number and date, from the paragraphs before its body (SPEC 10)."""

from __future__ import annotations

import datetime as dt
import re

from ..files.text import fold, strip_diacritics
from .agents import Name, NameScanner
from .draft import NoticeSource
from .phrases import phrases

_NUMBER = re.compile(r"^Số\s*:?\s*(\d+\s*[/-]\s*[A-ZĐ][\w/.-]*)")
_NUMBER_IN_TEXT = re.compile(
    r"(?:^|\bcó\s)Thông báo(?: kết luận)? số\s+(\d+\s*[/-]\s*[A-ZĐ][\w/.-]*)", re.IGNORECASE
)
_PLACE_DATE = re.compile(
    r"^[^\W\d_][^,]{0,40},\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
)
_MEETING_DATE = re.compile(
    r"^Ngày\s+(\d{1,2})\s*(?:/|\s+tháng\s+)\s*(\d{1,2})\s*(?:/|\s+năm\s+)\s*(\d{4})"
)
_TITLE_START = re.compile(r"^(?:THÔNG BÁO|KẾT LUẬN|CÔNG VĂN|BÁO CÁO)")
_SUBJECT_LINE = re.compile(r"^V/v\s+", re.IGNORECASE)
_ADDRESSEE = re.compile(r"^Kính gửi\s*:?\s*", re.IGNORECASE)

NO_ISSUE_DATE = "no date of issue in the text: source.date is the meeting's date"
NO_DATE = "no date in the text: set source.date by hand"
NO_DATE_NOTES = (NO_ISSUE_DATE, NO_DATE)  # what a date given by hand answers


def _is_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _day(groups: tuple[str | None, ...]) -> dt.date | None:
    try:
        return dt.date(int(groups[2] or 0), int(groups[1] or 0), int(groups[0] or 0))
    except ValueError:
        return None


def read_source(preamble: list[str], scanner: NameScanner) -> tuple[NoticeSource, list[str]]:
    """The source of every task, and review notes on what the text did not give."""
    review: list[str] = []
    number = None
    for paragraph in preamble:
        match = _NUMBER.match(paragraph) or _NUMBER_IN_TEXT.search(paragraph)
        if match:
            number = re.sub(r"\s+", "", match.group(1)).rstrip(".")
            break
    date = None
    for paragraph in preamble:
        match = _PLACE_DATE.match(paragraph)
        if match:
            date = _day(match.groups())
            break
    if date is None:
        for paragraph in preamble:
            match = _MEETING_DATE.match(paragraph)
            if match:
                date = _day(match.groups())
                review.append(NO_ISSUE_DATE)
                break
    if date is None:
        review.append(NO_DATE)
    title = _title(preamble, scanner, number, date)
    return NoticeSource(title, number, date), review


def _title(
    preamble: list[str], scanner: NameScanner, number: str | None, date: dt.date | None
) -> str:
    for index, paragraph in enumerate(preamble):
        if _TITLE_START.match(paragraph) and _is_capitals(paragraph):
            # "THÔNG BÁO" on a line of its own, a blank line, then "KẾT LUẬN ...": one title
            parts = [paragraph]
            for following in preamble[index + 1 :]:
                if not _is_capitals(following):
                    break
                parts.append(following)
            return sentence_case(" ".join(parts), scanner)
    for paragraph in preamble:
        match = _SUBJECT_LINE.match(paragraph)
        if match:
            return "Công văn về việc " + paragraph[match.end() :]
    if number:
        return f"Thông báo số {number}"
    return f"Thông báo ngày {date:%d/%m/%Y}" if date else "Thông báo"


def sentence_case(title: str, scanner: NameScanner) -> str:
    """An all-capitals title in sentence case, with registry names and proper nouns restored."""
    text = title.lower()
    text = text[:1].upper() + text[1:]
    for proper in phrases().proper:
        text = re.sub(
            r"(?<!\w)" + re.escape(proper.lower()) + r"(?!\w)", proper, text, flags=re.IGNORECASE
        )
    pos = 0
    while pos < len(text):
        found = scanner.name_at(text, pos)
        if found is not None and len(found[1]) == 1 and found[1][0].canonical:
            end = found[0]
            text = text[:pos] + _cased_like(text[pos:end], found[1][0]) + text[end:]
            pos = end
            continue
        nxt = re.search(r"\s\S", text[pos:])
        if nxt is None:
            break
        pos += nxt.end() - 1
    return text


def _cased_like(span: str, name: Name) -> str:
    """`span` with the capitals of the registry name it matched, word by word."""
    assert name.canonical is not None
    words = span.split(" ")
    model = name.canonical.split(" ")
    out = []
    for index, word in enumerate(words):
        if index == 0 and fold(word) == "các":  # "các cơ quan ..." stays lower mid-sentence
            out.append(word)
        elif index < len(model) and fold(model[index]) == fold(word):
            out.append(model[index])
        else:
            out.append(word)
    return " ".join(out)


def addressee(preamble: list[str], scanner: NameScanner) -> list[Name]:
    """Who a letter assigns by default: "Kính gửi: Ủy ban nhân dân các tỉnh, ..."."""
    for paragraph in preamble:
        match = _ADDRESSEE.match(paragraph)
        if match:
            listed = scanner.list_at(paragraph, match.end())
            return [name for name, _ in listed.names]
    return []


def folder_name(number: str | None, date: dt.date | None) -> str:
    """The default folder: "467/TB-VPCP" of 14/10/2024 -> "467-tb-vpcp-2024-10-14"."""
    stem = _slug(number) if number else "thong-bao"
    return f"{stem}-{date.isoformat()}" if date else stem


def _slug(text: str) -> str:
    ascii_text = strip_diacritics(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "thong-bao"
