"""Where things stand in a YAML document: the line and column of its keys and values.

Both readers of task files (`yamlread`, the parser's events; `yamlquick`, the lines) record
them here, so that any later error can point at what it is about.
"""

from __future__ import annotations

from typing import Any, NamedTuple

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


class Locations:
    """Positions of keys and values in one document, by path (`("obligations", 0, "by")`).

    A plain class, filled by the readers: a dataclass costs every run a millisecond to make."""

    __slots__ = ("flow_lists", "keys", "scalars", "values")

    def __init__(
        self,
        values: dict[Path, Mark] | None = None,
        keys: dict[Path, Mark] | None = None,
        scalars: dict[Path, Scalar] | None = None,
        flow_lists: set[Path] | None = None,
    ) -> None:
        self.values = {} if values is None else values
        self.keys = {} if keys is None else keys
        self.scalars = {} if scalars is None else scalars
        self.flow_lists = set() if flow_lists is None else flow_lists

    def _fields(self) -> tuple[Any, ...]:
        return (self.values, self.keys, self.scalars, self.flow_lists)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Locations) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # changed while a document is read

    def __repr__(self) -> str:
        values, keys, scalars, flow_lists = self._fields()
        return f"Locations({values=}, {keys=}, {scalars=}, {flow_lists=})"

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
