"""A notice file to plain text: PDF with a text layer, .docx, or UTF-8 text (SPEC 10)."""

from __future__ import annotations

from pathlib import Path

from .errors import NeedsOcr, NoticeReadError, NotUtf8, UnsupportedFormat

SUFFIXES = (".pdf", ".docx", ".txt")

# a page with fewer letters than this is counted as having no text layer: a scanned page
# often carries a few stray characters (a page number, a stamp read as text)
_MIN_LETTERS = 20


def extract_text(path: Path) -> str:
    """The text of the notice at `path`; raises a NoticeReadError subclass when it cannot."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(
            f"{path.name}: cannot import a '{suffix or 'suffix-less'}' file; "
            f"give a {', '.join(SUFFIXES)} file"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NoticeReadError(f"cannot read {path}: {exc.strerror}") from None
    if suffix == ".txt":
        return _text(path, data)
    if suffix == ".docx":
        return _docx(path, data)
    return _pdf(path, data)


def _text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark from Windows editors is fine
    except UnicodeDecodeError as exc:
        raise NotUtf8(
            f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and import again"
        ) from None


def _docx(path: Path, data: bytes) -> str:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NoticeReadError(f"{path.name} is not a readable .docx file ({exc})") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    # the header of an official letter (issuer, motto, number, place and date) is often a
    # two-column table: its cells, row by row, before the body
    header: list[str] = []
    for table in document.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                    continue
                seen.add(id(cell._tc))
                header.extend(p.text for p in cell.paragraphs)
    return "\n".join(header + lines)


def _pdf(path: Path, data: bytes) -> str:
    import io
    import logging

    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # layout mode keeps the gaps between paragraphs as blank lines
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise NoticeReadError(f"{path.name} is not a readable PDF file ({exc})") from None
    # layout mode pads each page with blank lines: a paragraph that runs on over a page
    # break must not look as if it ended there
    text = "\n".join(page.strip("\n") for page in pages)
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS * max(len(pages), 1):
        raise NeedsOcr(
            f"{path.name} has no text layer (a scanned PDF?); run it through OCR first "
            "(e.g. ocrmypdf -l vie) and import the result"
        )
    return text
