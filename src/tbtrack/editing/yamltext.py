"""Splicing YAML text: where a task file's keys and list items stand, and pure text edits.

An edit never re-dumps a whole task file. Re-dumping through ruamel.yaml's round-trip mode keeps
most of a file, but not all of it byte for byte (spacing before comments, line breaks inside
flow lists, indentation of block scalars can move), and a reviewer would then see lines change
that nobody meant to change. Instead the new lines are spliced into the original text at a
position taken from the parser's marks; every other byte stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import WriteRefused
from .render import render_event_item, render_list_item

# --- the structure of a document, from the parser's marks ------------------------------------


@dataclass
class _Entry:
    """One top-level key of a task file and where its value stands in the text."""

    key: str
    key_end: int  # index just after the key
    value_start: int
    value_end: int
    kind: Literal["scalar", "seq", "map"]
    flow: bool = False
    empty: bool = False  # a scalar with no text at all (`progress:` alone)
    null: bool = False  # a plain null: empty, `null`, `~`
    items: int = 0
    item_starts: list[int] = field(default_factory=list)  # where each item's node starts
    dash_col: int | None = None  # block sequence: column of the first `-`
    item_col: int | None = None  # block sequence: column where the first item starts
    content_end: int | None = None  # end of the last scalar or flow collection in the value
    kept_lines: int = 0  # blank lines after content_end that belong to it (`|+` chomping)


def _structure(text: str) -> dict[str, _Entry]:
    """The top-level keys of a document whose root is a mapping."""
    from ruamel.yaml import YAML
    from ruamel.yaml import events as ev
    from ruamel.yaml.error import YAMLError

    # the pure parser: its marks are indices into this very str
    try:
        stream = list(YAML(typ="safe", pure=True).parse(text))
    except YAMLError:
        raise WriteRefused("the file does not parse as YAML; run `tbtrack check`") from None
    starts = [i for i, e in enumerate(stream) if isinstance(e, ev.MappingStartEvent)]
    if not starts or not isinstance(stream[starts[0] - 1], ev.DocumentStartEvent):
        raise WriteRefused("the file is not a mapping of keys; run `tbtrack check`")
    if stream[starts[0]].flow_style:
        raise WriteRefused(
            "the file is one flow mapping `{...}`; write it in block style to let tbtrack edit it"
        )
    entries: dict[str, _Entry] = {}
    i = starts[0] + 1
    while not isinstance(stream[i], ev.MappingEndEvent):
        key_event, value_event = stream[i], stream[i + 1]
        key = str(key_event.value)
        if isinstance(value_event, ev.ScalarEvent):
            text_value = value_event.value
            plain = not value_event.style and value_event.implicit[0]
            entries[key] = _Entry(
                key,
                key_event.end_mark.index,
                value_event.start_mark.index,
                value_event.end_mark.index,
                "scalar",
                empty=plain and text_value == "",
                null=plain and text_value in ("", "~", "null", "Null", "NULL"),
            )
            i += 2
            continue
        entry = _Entry(
            key,
            key_event.end_mark.index,
            value_event.start_mark.index,
            value_event.start_mark.index,
            "seq" if isinstance(value_event, ev.SequenceStartEvent) else "map",
            flow=bool(value_event.flow_style),
        )
        if entry.kind == "seq" and not entry.flow:
            entry.dash_col = value_event.start_mark.column
        depth, flow_depth = 1, 1 if entry.flow else 0
        i += 2
        while depth:
            event = stream[i]
            opens = isinstance(event, ev.SequenceStartEvent | ev.MappingStartEvent)
            closes = isinstance(event, ev.SequenceEndEvent | ev.MappingEndEvent)
            if depth == 1 and not closes:
                entry.items += 1
                entry.item_starts.append(event.start_mark.index)
                if entry.items == 1 and entry.dash_col is not None:
                    entry.item_col = event.start_mark.column
            # an empty scalar (`note:` alone) is marked at the next token, maybe lines below
            empty = isinstance(event, ev.ScalarEvent) and event.start_mark == event.end_mark
            if (isinstance(event, ev.ScalarEvent) and not empty) or (closes and flow_depth):
                entry.content_end = max(entry.content_end or 0, event.end_mark.index)
                entry.kept_lines = _kept_lines(event)
            if opens:
                depth += 1
                if event.flow_style or flow_depth:
                    flow_depth += 1
            elif closes:
                depth -= 1
                if flow_depth:
                    flow_depth -= 1
                if depth == 0:
                    entry.value_end = event.end_mark.index
            i += 1
        entries[key] = entry
    return entries


def _kept_lines(event: Any) -> int:
    """Trailing blank lines that a block scalar keeps as its content (`|+`, `>+`)."""
    value = getattr(event, "value", None)
    if getattr(event, "style", None) not in ("|", ">") or not isinstance(value, str):
        return 0
    return max(len(value) - len(value.rstrip("\n")) - 1, 0)


def newline(text: str) -> str:
    """The file's own line break."""
    return "\r\n" if "\r\n" in text else "\n"


def _line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding `index`."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _insert_after_line(text: str, index: int, block: str, nl: str) -> str:
    end = _line_end(text, index)
    if end == len(text) and text and not text.endswith("\n"):
        return text + nl + block
    return text[:end] + block + text[end:]


def _last_content(text: str, end: int) -> int:
    """The index of the last character before `end` that is not white space."""
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    return max(end - 1, 0)


def _colon_after(text: str, entry: _Entry) -> int:
    return text.index(":", entry.key_end)


def _comments_above(text: str, line_start: int) -> int:
    """The start of the comment lines right above a line, which belong to what it holds."""
    while line_start > 0:
        previous = _line_start(text, line_start - 1)
        if not text[previous:line_start].lstrip().startswith("#"):
            break
        line_start = previous
    return line_start


# --- pure edits of text --------------------------------------------------------------------


def append_event(text: str, event: Mapping[str, Any]) -> str:
    """`text` with `event` appended to its `progress` list, every other byte unchanged."""
    return insert_event(text, event, None)


def insert_event(text: str, event: Mapping[str, Any], index: int | None) -> str:
    """`text` with `event` made item `index` of its `progress` list (None: the last one),
    every other byte unchanged."""
    entries = _structure(text)
    nl = newline(text)
    progress = entries.get("progress")
    dash_col, item_col = _default_indent(entries)
    if progress is None:
        # no progress key yet: it goes at the end, where it changes no other line
        return _insert_after_line(text, len(text), "progress:" + nl, nl) + render_event_item(
            event, dash_col, item_col, nl
        )
    if progress.kind == "seq" and not progress.flow and progress.items:
        assert progress.content_end is not None and progress.dash_col is not None
        block = render_event_item(event, progress.dash_col, progress.item_col or 0, nl)
        if index is not None and index < progress.items:
            at = _item_line(text, progress.item_starts[index])
            return text[:at] + block + text[at:]
        at = _last_content(text, progress.content_end)
        for _ in range(progress.kept_lines):
            at = _line_end(text, at)
        return _insert_after_line(text, at, block, nl)
    if (progress.kind == "seq" and progress.items == 0) or (
        progress.kind == "scalar" and progress.null
    ):
        # `progress: []` or a null: drop the value, keep a comment after it, add a block list
        colon = _colon_after(text, progress)
        if not progress.empty:
            cut = progress.value_start
            while cut > colon + 1 and text[cut - 1] == " ":
                cut -= 1
            text = text[:cut] + text[progress.value_end :]
        return _insert_after_line(text, colon, render_event_item(event, dash_col, item_col, nl), nl)
    raise WriteRefused(
        "progress is not a block list tbtrack can add to (a flow list `[...]` with events, "
        "or not a list); rewrite it as a block list, one `- on: ...` item per event"
    )


def append_obligation(text: str, obligation: Mapping[str, Any]) -> str:
    """`text` with `obligation` appended to its `obligations` list, every other byte unchanged."""
    entries = _structure(text)
    nl = newline(text)
    obligations = entries.get("obligations")
    if (
        obligations is None
        or obligations.kind != "seq"
        or obligations.flow
        or not obligations.items
    ):
        raise WriteRefused(
            "obligations is not a block list tbtrack can add to; rewrite it as a block list, "
            "one `- id: ...` item per obligation"
        )
    assert obligations.content_end is not None and obligations.dash_col is not None
    block = render_list_item(
        "obligations", obligation, obligations.dash_col, obligations.item_col or 0, nl
    )
    at = _last_content(text, obligations.content_end)
    for _ in range(obligations.kept_lines):
        at = _line_end(text, at)
    return _insert_after_line(text, at, block, nl)


def _item_line(text: str, item_start: int) -> int:
    """Where a block list item begins: its `-` line, with the comment lines above it."""
    line_start = _line_start(text, item_start)
    # `-` alone on its line puts the item's node on a line of its own below it
    while line_start > 0 and not text[line_start:item_start].lstrip().startswith("-"):
        line_start = _line_start(text, line_start - 1)
    return _comments_above(text, line_start)


def _default_indent(entries: Mapping[str, _Entry]) -> tuple[int, int]:
    """The file's own list style, from `obligations`; else `  - key: ...`."""
    obligations = entries.get("obligations")
    if obligations is not None and obligations.dash_col is not None and obligations.item_col:
        return obligations.dash_col, obligations.item_col
    return 2, 4


def set_state(text: str, values: Mapping[str, str]) -> str:
    """`text` with `state` and its companions (`state_reason`, `state_on`: the keys of
    `values` in order, state first) set, each given as it is written after `key: `.

    A key the file has is set in place; a companion it lacks goes on the line after the
    key before it; without `state`, the missing keys go above `obligations`."""
    entries = _structure(text)
    nl = newline(text)
    for key in values:
        entry = entries.get(key)
        if entry is not None and entry.kind != "scalar":
            raise WriteRefused(f"{key} is not a single value; fix it first (`tbtrack check`)")
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    above: list[str] = []  # missing keys with no key of theirs before them in the file
    previous: _Entry | None = None
    after: list[str] = []  # missing keys that follow `previous`
    for key, value in values.items():
        entry = entries.get(key)
        if entry is None:
            (after if previous is not None else above).append(f"{key}: {value}{nl}")
            continue
        if previous is not None and after:
            edits.append(_after(text, previous, "".join(after)))
        after = []
        edits.append(_replace_scalar(text, entry, value))
        previous = entry
    if previous is not None and after:
        edits.append(_after(text, previous, "".join(after)))
    if above:
        obligations = entries.get("obligations")
        if obligations is None:
            text = _apply(text, edits)
            return _insert_after_line(text, len(text), "".join(above), nl)
        at = _comments_above(text, _line_start(text, obligations.key_end - 1))
        edits.append((at, at, "".join(above)))
    return _apply(text, edits)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    # from the end, so the earlier positions still hold; insertions at one place keep order
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _after(text: str, entry: _Entry, block: str) -> tuple[int, int, str]:
    at = _line_end(text, entry.value_end if not entry.empty else _colon_after(text, entry))
    if at == len(text) and not text.endswith("\n"):
        return at, at, newline(text) + block.removesuffix(newline(text))
    return at, at, block


def _replace_scalar(text: str, entry: _Entry, replacement: str) -> tuple[int, int, str]:
    if entry.empty:
        colon = _colon_after(text, entry)
        return colon + 1, colon + 1, " " + replacement
    return entry.value_start, entry.value_end, replacement
