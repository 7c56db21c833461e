"""The notice's own outline: numbered sections, lettered items, bullets (SPEC 10).

"1.", "2." open sections; "a)" ... "đ)" items inside them; "-" bullets below those; a
paragraph without a marker belongs to the item above it. The body runs from the first
numbered paragraph to the closing formula ("... thông báo để ... biết, thực hiện./.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..files.text import strip_diacritics
from .cleanup import MARKER
from .phrases import phrases

_LEVELS = {"roman": 0, "number": 1, "letter": 2, "bullet": 3, "plain": 4}
_ROMAN = re.compile(r"^[IVX]{1,4}\.$")


@dataclass
class Node:
    kind: str  # roman | number | letter | bullet | plain
    label: str  # "2", "đ", "-", ""
    text: str  # the paragraph without its marker
    number: str | None = None  # the section number in force ("2")
    letter: str | None = None  # the item letter in force ("đ")
    children: list[Node] = field(default_factory=list)

    @property
    def level(self) -> int:
        return _LEVELS[self.kind]

    @property
    def section(self) -> str:
        """The task file's `section`: "2.đ", "1"; the notice's own labels."""
        parts = [p for p in (self.number, self.letter) if p]
        return ".".join(parts) if parts else "0"

    @property
    def key(self) -> str:
        """The file ID's stem: "2dd", "1" (path segments are ASCII, SPEC 2)."""
        letter = "" if self.letter is None else ("dd" if self.letter == "đ" else self.letter)
        stem = f"{self.number or ''}{letter}"
        return strip_diacritics(stem).lower() or "0"

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Outline:
    preamble: list[str]  # the paragraphs before the body: header, title, opening
    sections: list[Node]  # the body's top-level nodes
    closing: list[str]  # the closing formula, "Nơi nhận" and signature


def _classify(paragraph: str) -> tuple[str, str, str]:
    match = MARKER.match(paragraph)
    if match is None:
        return "plain", "", paragraph
    marker = match.group(0)
    rest = paragraph[match.end() :].strip()
    if marker[0].isdigit():
        return "number", marker.rstrip("."), rest
    if _ROMAN.match(marker):
        return "roman", marker.rstrip("."), rest
    if marker.endswith(")"):
        return "letter", marker[:-1], rest
    return "bullet", "-", rest


def outline(paragraphs: list[str]) -> Outline:
    """Split the paragraphs into preamble, body tree and closing."""
    kinds = [_classify(p) for p in paragraphs]
    start = next((i for i, k in enumerate(kinds) if k[0] in ("number", "roman")), None)
    if start is None:  # no numbering: every paragraph after the opening is an item
        start = next((i for i, k in enumerate(kinds) if k[0] == "letter"), len(paragraphs))
    end = len(paragraphs)
    for index in range(start, len(paragraphs)):
        if kinds[index][0] == "plain" and phrases().closing.search(paragraphs[index]):
            end = index
            break
    sections: list[Node] = []
    stack: list[Node] = []
    for kind, label, text in kinds[start:end]:
        if kind == "plain" and stack and phrases().closing_deadline.match(text):
            # "Hoàn thành trong quý IV/2025." on a line of its own: the end of the
            # paragraph above, as the notice printed it
            stack[-1].text = f"{stack[-1].text} {text}"
            continue
        node = Node(kind, label, text)
        while stack and stack[-1].level >= node.level:
            stack.pop()
        parent = stack[-1] if stack else None
        node.number = parent.number if parent else None
        node.letter = parent.letter if parent and node.level > 2 else None
        if kind == "number":
            node.number = label
        elif kind == "letter":
            node.letter = label
        (parent.children if parent else sections).append(node)
        stack.append(node)
    return Outline(paragraphs[:start], sections, paragraphs[end:])
