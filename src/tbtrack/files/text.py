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


# --- Vietnamese alphabetical order -------------------------------------------------------------

# the letters in the order of the Vietnamese alphabet, with the Latin letters it lacks (f, j, w,
# z: foreign names) where the Latin alphabet puts them
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: 200 + index for index, letter in enumerate(_ALPHABET)}
# the vowel marks that make letters of their own (ă â ê ô ơ ư), as NFD writes them
_VOWEL_MARKS = {"\u0306", "\u0302", "\u031b"}
# the tones in their dictionary order: none, huyền, hỏi, ngã, sắc, nặng
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The key names sort under in Vietnamese alphabetical order: letters first (a ă â b c d đ
    e ê ...; case and white space aside), then tones (none, huyền, hỏi, ngã, sắc, nặng), so
    "Bộ Nội vụ" comes before "Bộ Nông nghiệp", "Cà Mau" before "Cao Bằng", "Đài" after "Dương"
    and "Ủy ban" among the U. Digits, spaces and punctuation come before letters."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", _SPACES.sub(" ", text.casefold()).strip()):
        if char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
        elif char in _VOWEL_MARKS and letters:
            # the marked letter is the next one in the alphabet but one (a ă â, o ô ơ, u ư)
            base = _ALPHABET[letters[-1] - 200] if letters[-1] >= 200 else ""
            marked = unicodedata.normalize("NFC", base + char)
            letters[-1] = _LETTER.get(marked, letters[-1])
        elif unicodedata.combining(char):
            continue  # a mark from another language: the letter sorts as its base
        else:
            letters.append(_LETTER.get(char, ord(char) if ord(char) < 200 else 10_000 + ord(char)))
            tones.append(0)
    return tuple(letters), tuple(tones)


_DMY = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def dates_as_iso(text: str) -> str:
    """`text` with each day written `6/6/2025`, `06/06/2025` or `6.6.2025` written ISO
    (`2025-06-06`), so a search matches a date however either side writes it."""
    return _DMY.sub(lambda m: f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}", text)
