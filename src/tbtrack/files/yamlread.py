"""Reading YAML safely and fast, with the line and column of every value.

Task files are read from ruamel.yaml's C parser as a stream of events and built into plain
Python values here (or, when they take only the few shapes task files take, line by line by
`yamlquick`, to the same values and places), so that:
- anchors, aliases and tags are refused at the first event that carries one: an alias bomb is
  never expanded and a `!!python/...` tag is never constructed;
- duplicate keys and non-scalar keys are caught with their position;
- every value's position is known (`Locations`) so any later error can point at it;
- plain scalars resolve exactly as ruamel.yaml itself resolves them (YAML 1.2), because the
  resolver and constructor used are ruamel.yaml's own.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .marks import Locations, Mark, Path, Scalar
from .scalars import plain_value, scalar_machinery, typed_first_characters, typed_value

MAX_BYTES = 1024 * 1024
# Deeper than any task file or agencies.yaml needs (they nest four levels); the builder
# recurses once per level, so a file of 500 `[` would otherwise exhaust Python's stack.
MAX_DEPTH = 32
# What YAML 1.2 lets a stream hold (its `c-printable`), less the tab, which `_check_tabs`
# refuses with a hint of its own. ruamel's reader raises an unlocated error on the rest.


@functools.cache
def _not_printable() -> re.Pattern[str]:
    # compiled on first use: this class of ranges over all of Unicode takes re ~7 ms to
    # compile, and a warm run, which parses nothing, should not pay for it
    return re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class YamlProblem(Exception):
    def __init__(self, message: str, mark: Mark, rule: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.rule = rule
        self.hint = hint


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


def _position(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    return Mark(line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _check_characters(text: str) -> None:
    """Refuse a control character (NUL, BEL, ESC, DEL...) or a non-character (U+FFFE)
    wherever it is, comments included, at its own line and column."""
    # what str.isprintable refuses takes in every character YAML refuses (controls,
    # surrogates, non-characters) and more, besides the line break: most files pass it in
    # one pass in C, and only the others are searched
    if text.replace("\n", "").isprintable():
        return
    found = _not_printable().search(text)
    if found is None:
        return
    code = ord(found.group())
    what = "control character" if code < 0xA0 else "non-character"
    raise YamlProblem(
        f"{what} U+{code:04X} is not allowed in a YAML file",
        _position(text, found.start()),
        "control-character",
        "delete it; write line breaks and spaces only",
    )


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
def _parser_class() -> Any:
    # the C parser alone: `YAML.parse` builds a loader class and records a DocInfo per call,
    # which costs more than parsing a small task file
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

    return CParser


@functools.cache
def _event_classes() -> tuple[Any, ...]:
    from ruamel.yaml import events as ev

    return (
        ev.ScalarEvent,
        ev.SequenceStartEvent,
        ev.SequenceEndEvent,
        ev.MappingStartEvent,
        ev.MappingEndEvent,
        ev.AliasEvent,
        ev.DocumentStartEvent,
        ev.StreamEndEvent,
    )


def _mark(event_mark: Any) -> Mark:
    return Mark(event_mark.line + 1, event_mark.column + 1)


def load(text: str, *, positions: bool = True) -> tuple[Any, Locations]:
    """Parse one YAML document into plain values and their positions.

    With `positions=False` only the values and `Locations.flow_lists` (which `check` reads as
    data, not as a place) are recorded: the same value, the same problems raised at the same
    marks, for less time. Use it to learn whether a file is good, and parse it again with
    positions to locate what is wrong with it. A text of the shapes task files take is read
    by `yamlquick`, any other by ruamel.yaml's parser (`parse`): the same values and places.
    """
    # most task files take a few shapes that are read faster line by line than parsed;
    # imported here, as the parser is: a warm run, which reads no file, compiles neither
    from . import yamlquick

    _check_characters(text)
    _check_tabs(text)
    quick = yamlquick.read(text, positions)
    return quick if quick is not None else _parsed(text, positions)


def places_under(text: str, keys: set[str]) -> Locations:
    """The places `load(text)` gives of the keys and values under the top-level keys `keys`
    (those of the others perhaps left out), for a text `load` read without error: from those
    keys' lines alone when the quick reader reads them (`yamlquick.read_blocks`), else from
    the whole text."""
    from . import yamlquick

    found = yamlquick.read_blocks(text, keys)
    return found if found is not None else load(text, positions=True)[1]


def parse(text: str, *, positions: bool = True) -> tuple[Any, Locations]:
    """`load` by ruamel.yaml's parser alone, never the quick reader: what that is held to."""
    _check_characters(text)
    _check_tabs(text)
    return _parsed(text, positions)


def _parsed(text: str, positions: bool) -> tuple[Any, Locations]:
    scalar_machinery()
    from ruamel.yaml.error import MarkedYAMLError

    locations = Locations()
    parser = _parser_class()(text)
    try:
        value = _Builder(parser.get_event, locations, positions).document()
    except MarkedYAMLError as exc:
        # libyaml's parser refuses a few things YAML 1.2 and ruamel's own parser accept (a
        # plain `10:00` in a flow list): read what the round-trip loader would read, and when
        # that fails too, report libyaml's finding as always
        try:
            locations = Locations()
            events = _pure_parser().parse(text)
            value = _Builder(events.__next__, locations, positions).document()
        except MarkedYAMLError:
            raise _syntax_problem(exc) from None
    finally:
        parser.dispose()
    return value, locations


def _syntax_problem(exc: Any) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "YAML does not parse"
    if exc.context and exc.problem:
        message = f"{exc.problem} ({exc.context})"
    return YamlProblem(message, _mark(mark) if mark else Mark(1, 1), "yaml-syntax")


@functools.cache
def _pure_parser() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)


class _Builder:
    """Plain values from the parser's events; refuses anchors, aliases, tags, duplicate keys.

    It runs once per event of every file read afresh, so the common case (a scalar without
    anchor or tag, no positions wanted) is written out in `_value` rather than dispatched."""

    def __init__(self, get_event: Any, loc: Locations, positions: bool) -> None:
        self.get = get_event
        self.loc = loc
        self.positions = positions
        self.typed = typed_first_characters()
        (
            self.scalar,
            self.seq_start,
            self.seq_end,
            self.map_start,
            self.map_end,
            self.alias,
            self.doc_start,
            self.stream_end,
        ) = _event_classes()

    def document(self) -> Any:
        document: Any = _NO_DOCUMENT
        get = self.get
        while True:
            event = get()
            kind = type(event)
            if kind is self.stream_end:
                break
            if kind is self.doc_start:
                if document is not _NO_DOCUMENT:
                    raise YamlProblem(
                        "more than one YAML document in the file",
                        _mark(event.start_mark),
                        "yaml-multiple-documents",
                    )
                document = self._value(get(), ())
        return None if document is _NO_DOCUMENT else document

    def _value(self, event: Any, path: Path) -> Any:
        if type(event) is self.scalar and not self.positions:
            # `!` is the tag of a quoted scalar that has none written: anything else is written
            if event.anchor or ((tag := event.tag) and tag != "!"):
                _refuse_anchor_and_tag(event)
            text = event.value
            if event.implicit[0] and not event.style:  # plain: typed as ruamel would type it
                return text if text and text[0] not in self.typed else typed_value(text)
            return text
        return self.node(event, path)

    def node(self, event: Any, path: Path) -> Any:
        kind = type(event)
        if kind is self.scalar:
            _refuse_anchor_and_tag(event)
            plain = bool(event.implicit[0]) and not event.style
            if self.positions:
                self.loc.values[path] = _mark(event.start_mark)
                self.loc.scalars[path] = Scalar(event.value, plain)
            return plain_value(event.value) if plain else event.value
        if kind is self.map_start:
            return self.mapping(event, path)
        if kind is self.seq_start:
            _refuse_anchor_and_tag(event)
            if len(path) >= MAX_DEPTH:
                _too_deep(event)
            if self.positions:
                self.loc.values[path] = _mark(event.start_mark)
            if event.flow_style:
                self.loc.flow_lists.add(path)
            items: list[Any] = []
            get, seq_end, value = self.get, self.seq_end, self._value
            while True:
                item = get()
                if type(item) is seq_end:
                    return items
                items.append(value(item, (*path, len(items))))
        if kind is self.alias:
            _refuse_anchor_and_tag(event)
        raise YamlProblem("unexpected YAML structure", _mark(event.start_mark), "yaml-syntax")

    def mapping(self, event: Any, path: Path) -> dict[str, Any]:
        _refuse_anchor_and_tag(event)
        if len(path) >= MAX_DEPTH:
            _too_deep(event)
        loc = self.loc
        positions = self.positions
        if positions:
            loc.values[path] = _mark(event.start_mark)
        mapping: dict[str, Any] = {}
        get, scalar, map_end, value = self.get, self.scalar, self.map_end, self._value
        while True:
            key_event = get()
            kind = type(key_event)
            if kind is map_end:
                return mapping
            if kind is not scalar or key_event.anchor or key_event.tag not in (None, "!"):
                _refuse_anchor_and_tag(key_event)
            if kind is not scalar:
                raise YamlProblem(
                    "a key must be a plain word", _mark(key_event.start_mark), "yaml-complex-key"
                )
            key = key_event.value
            key_path = (*path, key)
            if key in mapping:
                first = loc.keys.get(key_path)
                where = f" (first at line {first.line})" if first else ""
                raise YamlProblem(
                    f"duplicate key '{key}'{where}",
                    _mark(key_event.start_mark),
                    "duplicate-key",
                    "keep one of them",
                )
            if positions:
                loc.keys[key_path] = _mark(key_event.start_mark)
            mapping[key] = value(get(), key_path)


_NO_DOCUMENT = object()


def _too_deep(event: Any) -> None:
    raise YamlProblem(
        f"lists and mappings nested more than {MAX_DEPTH} levels deep",
        _mark(event.start_mark),
        "yaml-too-deep",
        "task files nest a few levels at most",
    )


def _refuse_anchor_and_tag(event: Any) -> None:
    alias: Any = _event_classes()[5]
    if type(event) is alias:
        raise YamlProblem(
            f"YAML alias *{event.anchor} is not allowed",
            _mark(event.start_mark),
            "yaml-alias",
            "write the value out in full",
        )
    if event.anchor:
        raise YamlProblem(
            f"YAML anchor &{event.anchor} is not allowed",
            _mark(event.start_mark),
            "yaml-anchor",
            "write the value out in full",
        )
    tag = event.tag
    # `!` marks a quoted or non-plain scalar without a tag of its own; any other tag is written
    if tag and tag != "!":
        raise YamlProblem(
            f"YAML tag {str(tag).replace('tag:yaml.org,2002:', '!!')} is not allowed",
            _mark(event.start_mark),
            "yaml-tag",
            "remove the tag; task files hold plain values",
        )
