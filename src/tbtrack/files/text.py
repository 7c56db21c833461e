"""Comparing Vietnamese names: NFC, case-folding, white space, and a diacritics-free key.

Editors hand us both NFC and NFD text; every comparison goes through these functions so the two
forms can never be treated as different names.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The key a name is compared under: NFC, case-folded, white space collapsed."""
    return _SPACES.sub(" ", nfc(text).casefold()).strip()


# the combining marks of the Combining Diacritical Marks block: every Vietnamese tone and
# vowel mark is one of them (U+034F, the grapheme joiner, is in the block but no mark)
_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]"
)


def strip_diacritics(text: str) -> str:
    """`Bộ Tài chính` -> `Bo Tai chinh`; đ/Đ are letters of their own, so they are mapped by hand."""
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")
    if not bare.isascii():  # a mark from another block, or another script: look at each
        bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    return bare


def loose_key(text: str) -> str:
    """The fallback key: folded and without diacritics (`bo tai chinh`)."""
    return fold(strip_diacritics(fold(text)))


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, ending in an ellipsis when cut."""
    # printable text has no white space but " ": only runs of it need collapsing (most cells
    # of a long listing have none, and the regex would cost more than the rest of the cell)
    line = (
        text.strip() if text.isprintable() and "  " not in text else _SPACES.sub(" ", text).strip()
    )
    if len(line) <= width:
        return line
    return line[: max(width - 1, 0)].rstrip() + "…"
