"""A task's one-line title, from the words of its assignment (SPEC 10, `title`).

The first clause of the assignment, less who does it ("Bộ Tài chính chủ trì, phối hợp với
..."), less words of manner ("Khẩn trương", "Tập trung"), stopped where its deadline or its
report begins, and cut to a width before a comma or a joining word, else at a whole word. The words are data
(`phrases.toml`, `[task_title]`); a person rewrites the title at review if it says too little.
"""

from __future__ import annotations

import re

from .agents import NameScanner
from .phrases import phrases

WIDTH = 100  # at most, in characters
_SHORTEST = 40  # a cut that would leave less than this cuts at the last word instead

_LEAD_IN = re.compile(r"^[\s,:]*(?:(?:cùng\s+)?chủ trì\s*,?\s*)?", re.IGNORECASE)
_ITEM = re.compile(r"^\(\d+\)\s*")
_CUT = re.compile(r"[.;:]\s|[.;:]$|\s\(\d+\)\s")


def task_title(text: str, subject_end: int, section: str, scanner: NameScanner) -> str:
    """The title of the assignment `text`, whose subject ends at `subject_end`."""
    rest = text.split("\n", 1)[0][subject_end:].lstrip(" ,:")
    rest = _ITEM.sub("", rest)
    rest = _LEAD_IN.sub("", rest, count=1)
    support = phrases().support.match(rest)
    if support is not None:
        listed = scanner.list_at(rest, support.end())
        if listed.names:
            rest = rest[listed.end :]
    rest = _ITEM.sub("", rest.lstrip(" ,:"))
    cut = _CUT.search(rest)
    if cut is not None and len(rest[: cut.start()].split()) < 3 and rest[cut.start()] == ":":
        # "Thành ủy Hà Nội bảo đảm: (1) Cung cấp ...": the first item says more
        rest = _ITEM.sub("", rest[cut.end() :].lstrip())
        cut = _CUT.search(rest)
    if cut is not None:
        rest = rest[: cut.start()]
    rest = _without_fillers(rest)
    rest = _before_deadline(rest)
    rest = _fitted(rest.strip(" ,"))
    if not rest:
        return f"Nhiệm vụ tại mục {section}"
    return rest[:1].upper() + rest[1:]


def _without_fillers(text: str) -> str:
    while True:
        match = phrases().title_filler.match(text)
        if match is None or match.end() == len(text):  # never the whole title
            return text
        text = text[match.end() :]


def _before_deadline(text: str) -> str:
    """`text` up to its first deadline phrase or report, when words come before it."""
    ends = [m.start() for m in [phrases().title_cut.search(text)] if m is not None]
    ends += [m.start() for due in phrases().due if (m := due.regex.search(text)) is not None]
    for end in sorted(ends):
        head = text[:end].rstrip(" ,")
        if len(head.split()) >= 3:
            return head
    return text


def _fitted(text: str) -> str:
    """At most WIDTH characters: cut before the last comma or joining word ("để", "của",
    "theo") that leaves enough, else after the last whole word that fits."""
    if len(text) <= WIDTH:
        return text
    joints = [m.start() for m in phrases().title_joint.finditer(text, _SHORTEST, WIDTH + 1)]
    if joints:
        return text[: joints[-1]].rstrip(" ,")
    return text[: WIDTH + 1].rsplit(" ", 1)[0].rstrip(" ,")
