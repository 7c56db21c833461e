"""Text in terminal cells: measured once per distinct text, cut to a width with an ellipsis,
and lines broken between items; what the table formatter lays its tables out with.

`cell_len` measures a text as Rich does, importing Rich's measure only for a text of other
than narrow characters; every measure here is `cell_len`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from ..files.text import shorten

T = TypeVar("T")

# characters a terminal shows one cell wide, Vietnamese letters included (Latin Extended
# Additional): a text of them alone is as wide as it is long, and Rich's measure of each
# character, a tenth of a second for a long listing's titles, is not needed
NARROW = frozenset(
    chr(code)
    for first, last in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x1E00, 0x1EFF))
    for code in range(first, last + 1)
) | frozenset("–—…←→·✓✗")


def cell_len(text: str) -> int:
    """How many terminal cells a text takes, as `rich.cells.cell_len` finds."""
    if NARROW.issuperset(text):
        return len(text)
    from rich.cells import cell_len as measure

    return measure(text)


def each_once(keys: list[str], made: Callable[[str], T]) -> list[T]:
    """What `made` makes of each key, made once per distinct key (a long listing's rows share
    their tasks' titles, their agencies, a few words)."""
    found = {key: made(key) for key in set(keys)}
    return list(map(found.__getitem__, keys))


def cell_sizes(column: list[str]) -> list[int]:
    """How many terminal cells each text takes; measured once per distinct text."""
    if "".join(column).isascii():
        return list(map(len, column))
    return each_once(column, cell_len)


def one_line(column: list[str]) -> list[str]:
    """Each text on one line, its runs of white space collapsed; once per distinct text."""
    return each_once(column, lambda text: shorten(text, len(text)))


def shortened(column: list[str], sizes: list[int], width: int) -> tuple[list[str], list[int]]:
    """The texts cut to `width` cells, ending in an ellipsis when cut, and their new sizes."""
    from rich.cells import set_cell_size

    cut: dict[str, tuple[str, int]] = {}
    texts, cut_sizes = [], []
    for text, size in zip(column, sizes, strict=True):
        if size > width:
            if text not in cut:
                if size == len(text):  # a cell a character: cut by characters
                    short = text[: max(width - 1, 0)].rstrip() + "…"
                else:
                    short = set_cell_size(text, max(width - 1, 0)).rstrip() + "…"
                cut[text] = short, cell_len(short)
            text, size = cut[text]
        texts.append(text)
        cut_sizes.append(size)
    return texts, cut_sizes


class Drawn(NamedTuple):
    """A rows table ready to draw: its kept columns' headers, cells and cells' sizes."""

    headers: list[str]
    cells: list[list[str]]  # a list per column
    sizes: list[list[int]]  # the terminal cells each text takes
    right: list[bool]
    status: int  # the column styled by the row's status

    def widths(self) -> list[int]:
        return [
            max(cell_len(header), *size)
            for header, size in zip(self.headers, self.sizes, strict=True)
        ]


def wrap_items(items: Sequence[str], separator: str, width: int) -> list[str]:
    """The items joined by `separator` into lines of at most `width` cells, broken only
    between two items."""
    lines: list[str] = []
    line, size = "", 0
    for item in items:
        n = cell_len(item)
        if line and size + len(separator) + n > width:
            lines.append(line)
            line, size = "", 0
        line, size = (line + separator + item, size + len(separator) + n) if line else (item, n)
    if line:
        lines.append(line)
    return lines
