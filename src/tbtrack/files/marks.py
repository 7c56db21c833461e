"""Where things stand in a YAML document: the line and column of its keys and values.

Both readers of task files (`yamlread`, the parser's events; `yamlquick`, the lines) record
them here, so that any later error can point at what it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

Path = tuple[str | int, ...]


class Mark(NamedTuple):
    # a tuple, not a dataclass: a file read afresh makes one per key and value, and a
    # dataclass takes twice as long to make
    line: int  # 1-based
    col: int  # 1-based


class Scalar(NamedTuple):
    """What the file said for one scalar, for messages ("quote it: \"2.10\"")."""

    text: str
    plain: bool


@dataclass
class Locations:
    """Positions of keys and values in one document, by path (`("obligations", 0, "by")`)."""

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)
    scalars: dict[Path, Scalar] = field(default_factory=dict)
    flow_lists: set[Path] = field(default_factory=set)

    def of_value(self, path: Path) -> Mark:
        return self._nearest(self.values, path)

    def of_key(self, path: Path) -> Mark:
        if path in self.keys:
            return self.keys[path]
        return self._nearest(self.values, path)

    @staticmethod
    def _nearest(table: dict[Path, Mark], path: Path) -> Mark:
        for cut in range(len(path), -1, -1):
            mark = table.get(path[:cut])
            if mark is not None:
                return mark
        return Mark(1, 1)
