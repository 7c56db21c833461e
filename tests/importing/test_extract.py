"""Notice files to text: .txt, .docx, PDF with a text layer; clear errors otherwise."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from helpers import NOTICES, SEED_NOTICE
from tbtrack.errors import TbtrackError, UsageError
from tbtrack.importing import (
    NeedsOcr,
    NoticeReadError,
    NotUtf8,
    RegistryResolver,
    UnsupportedFormat,
    extract_text,
    parse_notice,
)
from tbtrack.importing.cleanup import paragraphs

from .conftest import DATA

# Debian's fonts-dejavu-core: a font with every Vietnamese letter
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

TEXTS = {
    "seed": SEED_NOTICE,
    "467": NOTICES / "467-TB-VPCP.txt",
    "9389": NOTICES / "9389-BNNMT-BDKH.txt",
    "held-out": DATA / "heldout-215-TB-VPCP.txt",
}


def _pdf(paragraph_texts: list[str], path: Path) -> Path:
    """A PDF as a word processor prints a notice: justified paragraphs, space between
    them, a page number at the foot of each page."""

    class Notice(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Notice()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for text in paragraph_texts:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def _docx(paragraph_texts: list[str], path: Path) -> Path:
    document = docx.Document()
    # the header of an official letter as a two-column table, as offices write it
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = paragraph_texts[0]
    table.cell(0, 1).text = paragraph_texts[1]
    for text in paragraph_texts[2:]:
        document.add_paragraph(text)
    document.save(str(path))
    return path


# typesetting a PDF takes a few tenths of a second: the seed notice (section headings,
# bullets, "(1) ... (2)" items) and the letter (lettered items, recurring deadlines) cover
# every construct; every notice goes through .docx
@pytest.mark.parametrize(
    ("name", "build"),
    [("seed", "pdf"), ("9389", "pdf")] + [(name, "docx") for name in TEXTS],
)
def test_a_pdf_or_docx_of_a_notice_gives_the_same_drafts_as_its_text(
    name: str, build: str, resolver: RegistryResolver, tmp_path: Path
) -> None:
    text = TEXTS[name].read_text(encoding="utf-8")
    maker = _pdf if build == "pdf" else _docx
    # the file is made from the notice's paragraphs, as a word processor lays them out
    path = maker(paragraphs(text), tmp_path / f"notice.{build}")
    from_text = parse_notice(text, resolver)
    from_file = parse_notice(extract_text(path), resolver)
    assert from_file.source == from_text.source
    assert [(t.id, t.data) for t in from_file.tasks] == [(t.id, t.data) for t in from_text.tasks]


def test_a_text_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes("\ufeffSố: 1/TB-VPCP\n".encode())
    assert extract_text(path) == "Số: 1/TB-VPCP\n"


def test_a_text_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes("Bộ Tài chính".encode("utf-16"))
    with pytest.raises(NotUtf8, match="not UTF-8"):
        extract_text(path)


def test_an_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "notice.odt"
    path.write_bytes(b"x")
    with pytest.raises(UnsupportedFormat, match=r"\.pdf, \.docx, \.txt"):
        extract_text(path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NoticeReadError, match="cannot read"):
        extract_text(tmp_path / "absent.txt")


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_file_that_is_not_what_its_suffix_says(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"notice{suffix}"
    path.write_bytes(b"this is plain text, not a document")
    with pytest.raises(NoticeReadError, match="not a readable"):
        extract_text(path)


def test_a_scanned_pdf_needs_ocr_first(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")  # a page that is a picture, no text
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(NeedsOcr, match="OCR"):
        extract_text(path)


def test_read_errors_are_usage_errors_for_the_command_line() -> None:
    for error in (NoticeReadError, UnsupportedFormat, NeedsOcr, NotUtf8):
        assert issubclass(error, UsageError)
        assert issubclass(error, TbtrackError)
