"""Reading YAML safely and fast, with the line and column of every value.

Task files are read from ruamel.yaml's C parser as a stream of events and built into plain
Python values here, so that:
- anchors, aliases and tags are refused at the first event that carries one: an alias bomb is
  never expanded and a `!!python/...` tag is never constructed;
- duplicate keys and non-scalar keys are caught with their position;
- every value's position is known (`Locations`) so any later error can point at it;
- plain scalars resolve exactly as ruamel.yaml itself resolves them (YAML 1.2), because the
  resolver and constructor used are ruamel.yaml's own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

Path = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    col: int  # 1-based


class YamlProblem(Exception):
    def __init__(self, message: str, mark: Mark, rule: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.rule = rule
        self.hint = hint


@dataclass
class Scalar:
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


def decode(data: bytes) -> str:
    """UTF-8 text of a file, or a YamlProblem at the first byte that is not UTF-8."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            f"file is {len(data):,} bytes, over the limit of {MAX_BYTES:,}",
            Mark(1, 1),
            "file-too-large",
            "split it into several task files",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            Mark(line, col),
            "encoding",
            "save the file as UTF-8",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _check_tabs(text: str) -> None:
    index = text.find("\t")
    if index < 0:
        return
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    raise YamlProblem(
        "tab character", Mark(line, col), "tab", "indent and separate with spaces, not tabs"
    )


@functools.cache
def _machinery() -> tuple[Any, Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    yaml = YAML(typ="safe", pure=False)
    return yaml, ScalarNode, yaml.resolver


@dataclass(frozen=True)
class InvalidScalar:
    """A plain scalar that looks like a typed value but is not one, e.g. `2025-06-31`."""

    text: str
    tag: str


@functools.lru_cache(maxsize=4096)
def _plain_value(text: str) -> Any:
    """The value of a plain (unquoted) scalar, as ruamel.yaml would construct it."""
    yaml, scalar_node, resolver = _machinery()
    tag = resolver.resolve(scalar_node, text, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return text
    try:
        return yaml.constructor.construct_object(scalar_node(tag, text))
    except ValueError:
        # `2025-06-31` looks like a date but is none: keep the text, the model rejects it
        return InvalidScalar(text, str(tag))


def _mark(event_mark: Any) -> Mark:
    return Mark(event_mark.line + 1, event_mark.column + 1)


def load(text: str) -> tuple[Any, Locations]:
    """Parse one YAML document into plain values and their positions."""
    yaml, _, _ = _machinery()
    _check_tabs(text)
    from ruamel.yaml.error import MarkedYAMLError

    locations = Locations()
    try:
        value = _build(iter(yaml.parse(text)), locations)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "YAML does not parse"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        raise YamlProblem(message, _mark(mark) if mark else Mark(1, 1), "yaml-syntax") from None
    return value, locations


_NO_DOCUMENT = object()


def _build(events: Any, loc: Locations) -> Any:
    from ruamel.yaml import events as ev

    document: Any = _NO_DOCUMENT
    for event in events:
        if isinstance(event, ev.DocumentStartEvent):
            if document is not _NO_DOCUMENT:
                raise YamlProblem(
                    "more than one YAML document in the file",
                    _mark(event.start_mark),
                    "yaml-multiple-documents",
                )
            document = _node(events, next(events), (), loc, ev)
    return None if document is _NO_DOCUMENT else document


def _refuse_anchor_and_tag(event: Any, ev: Any) -> None:
    if isinstance(event, ev.AliasEvent):
        raise YamlProblem(
            f"YAML alias *{event.anchor} is not allowed",
            _mark(event.start_mark),
            "yaml-alias",
            "write the value out in full",
        )
    if getattr(event, "anchor", None):
        raise YamlProblem(
            f"YAML anchor &{event.anchor} is not allowed",
            _mark(event.start_mark),
            "yaml-anchor",
            "write the value out in full",
        )
    tag = getattr(event, "tag", None)
    if tag and tag != "!":
        implicit = getattr(event, "implicit", None)
        # a non-plain scalar's implicit flag is (False, True) with no tag; a real tag is written
        if not (isinstance(implicit, tuple) and implicit[0] and tag is None):
            raise YamlProblem(
                f"YAML tag {str(tag).replace('tag:yaml.org,2002:', '!!')} is not allowed",
                _mark(event.start_mark),
                "yaml-tag",
                "remove the tag; task files hold plain values",
            )


def _node(events: Any, event: Any, path: Path, loc: Locations, ev: Any) -> Any:
    _refuse_anchor_and_tag(event, ev)
    loc.values[path] = _mark(event.start_mark)
    if isinstance(event, ev.ScalarEvent):
        plain = bool(event.implicit[0]) and not event.style
        loc.scalars[path] = Scalar(event.value, plain)
        return _plain_value(event.value) if plain else event.value
    if isinstance(event, ev.SequenceStartEvent):
        if event.flow_style:
            loc.flow_lists.add(path)
        items: list[Any] = []
        for item in events:
            if isinstance(item, ev.SequenceEndEvent):
                return items
            items.append(_node(events, item, (*path, len(items)), loc, ev))
    if isinstance(event, ev.MappingStartEvent):
        mapping: dict[str, Any] = {}
        for key_event in events:
            if isinstance(key_event, ev.MappingEndEvent):
                return mapping
            _refuse_anchor_and_tag(key_event, ev)
            if not isinstance(key_event, ev.ScalarEvent):
                raise YamlProblem(
                    "a key must be a plain word", _mark(key_event.start_mark), "yaml-complex-key"
                )
            key = key_event.value
            key_path = (*path, key)
            if key in mapping:
                first = loc.keys[key_path]
                raise YamlProblem(
                    f"duplicate key '{key}' (first at line {first.line})",
                    _mark(key_event.start_mark),
                    "duplicate-key",
                    "keep one of them",
                )
            loc.keys[key_path] = _mark(key_event.start_mark)
            mapping[key] = _node(events, next(events), key_path, loc, ev)
    raise YamlProblem("unexpected YAML structure", _mark(event.start_mark), "yaml-syntax")
