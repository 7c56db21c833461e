"""Text as copied from a PDF or a web page, to one string per paragraph (SPEC 10).

Copies break lines mid-sentence, repeat page numbers, lay the header out in two columns or
as a table, and mix NFC with NFD and runs of spaces. What comes out is NFC, one paragraph
per item, single spaces, the motto and rule lines gone; nothing else in the words changes.
"""

from __future__ import annotations

import re

from ..files.text import nfc
from .phrases import phrases

# "1. ", "a) ", "đ) ", "- ", "+ ", "• ", "II. ": a paragraph that the notice numbers
MARKER = re.compile(r"^(?:\d{1,2}\.(?=\s)|[a-zđ]\)(?=\s)|[-–•+](?=\s)|[IVX]{1,4}\.(?=\s))")

# lines that always begin a paragraph of the header or the opening
_HEADER_START = re.compile(
    r"^(?:Số\s*:|Số\s+\d|Kính gửi|Nơi nhận|V/v\b|THÔNG BÁO|Ngày\s+\d|"
    r"[A-ZĐ][^\W\d_]*(?:\s[A-ZĐ][^\W\d_]*){0,3},\s*ngày\s+\d)"
)
_PAGE_NUMBER = re.compile(r"^(?:Trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?$", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^(?:https?://\S+|Nguồn(?: tra cứu)?\s*:.*)$", re.IGNORECASE)
_RULE = re.compile(r"^[-–_=*\s|]*$")  # "-------", "| --- | --- |"
_TRAILING_RULE = re.compile(r"\s+[-–_]{3,}\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_ITEM = re.compile(r"^\(\d+\)\s")
# a text whose lines are all shorter than this may be wrapped at a fixed width
_WRAP_LIMIT = 160
_ENDS_SENTENCE = re.compile(r"[.:;!?]\s*$")


def physical_lines(raw: str) -> list[str]:
    """The text's lines, cleaned: an empty string marks a blank line (a paragraph break)."""
    text = nfc(raw.lstrip("\ufeff")).replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    after_page_break = False
    for line in text.split("\n"):
        for cell in _cells(line):
            cell = _SPACES.sub(" ", cell).strip()
            cell = _TRAILING_RULE.sub("", cell)
            if _PAGE_NUMBER.fullmatch(cell):
                # a page break: the blank lines around it are the page's margins, not the
                # end of a paragraph, which may well run on to the next page
                while out and not out[-1]:
                    out.pop()
                after_page_break = True
            elif not cell or _RULE.fullmatch(cell):
                # a rule line ("-------", a lone "|") parts two cells of a header
                if not after_page_break:
                    out.append("")
            elif not _noise(cell):
                out.append(cell)
                after_page_break = False
    return out


def _noise(cell: str) -> bool:
    """The copy's source address, the motto."""
    return bool(
        _RULE.fullmatch(cell) or _SOURCE_LINE.fullmatch(cell) or phrases().motto.search(cell)
    )


def _cells(line: str) -> list[str]:
    """A markdown table row ("| a | b |", how web copies lay out the header) as its cells."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return [cell.replace("*", "").strip() for cell in stripped[1:-1].split("|")]
    return [line]


def paragraphs(raw: str) -> list[str]:
    """One string per paragraph: broken lines rejoined with a single space."""
    lines = physical_lines(raw)
    full = _full_width(lines)
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            _flush(out, current)
            continue
        if current and _starts_paragraph(current[-1], line, full):
            _flush(out, current)
        current.append(line)
    _flush(out, current)
    return out


def _full_width(lines: list[str]) -> int | None:
    """The length of a full line when the text is wrapped at a fixed width (a PDF's text
    layer, a copy of one), else None (one line per paragraph, as web pages give it)."""
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 10:
        return None
    width = lengths[int(len(lengths) * 0.95)]
    if width > _WRAP_LIMIT or lengths[-1] > 1.5 * width:
        return None
    near = sum(1 for n in lengths if n >= 0.7 * width)
    return width if near >= len(lengths) / 2 else None


def _flush(out: list[str], current: list[str]) -> None:
    if current:
        paragraph = " ".join(current)
        # the motto may come broken over two lines ("CỘNG HÒA XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM")
        if not phrases().motto.search(paragraph):
            out.append(paragraph)
        current.clear()


def _starts_paragraph(previous: str, line: str, full: int | None) -> bool:
    if MARKER.match(line) or _HEADER_START.match(line):
        return True
    if _is_capitals(previous) != _is_capitals(line):  # a title in capitals ends
        return True
    if _ITEM.match(line):  # "(2) ...": items run on inside their paragraph
        return False
    if full is not None and len(previous) >= 0.85 * full:  # a full line wraps
        return False
    # a wrapped line goes on mid-sentence; a line after a full stop that starts with a
    # capital begins the next paragraph
    return bool(_ENDS_SENTENCE.search(previous) and _starts_upper(line))


def _starts_upper(line: str) -> bool:
    first = line.lstrip('"“(')[:1]
    return first.isupper() or first.isdigit()


def _is_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
