"""The few shapes task files take, read without a YAML parser (SPEC 8).

A cold read parses every task file, and the parser spends most of its time making one event
object per scalar and per bracket. Task files, whether `tbtrack` wrote them or a person did,
hold a handful of shapes: `key: value` lines in block mappings, block lists of scalars or of
mappings, one-line `[a, b]` lists, one-line quoted scalars, `>-`/`|` blocks, and comments.
`read` reads exactly those shapes, line by line, and gives up (None) at the first line that
is anything else: the caller then parses the file with the full parser, which also owns every
error message. Whatever `read` accepts, it reads as the parser reads it (the same values,
plain scalars typed by the same resolver, and the same flow lists): tests/files/
test_yamlquick.py holds it to the parser on generated documents and on every task file of
the repository.

Being unsure is never wrong here, only slower, so every rule is the narrow one: no deeper line
in a folded block scalar, no `:` or quote inside a `[...]` list, no plain scalar
that starts with an indicator or holds `: `, no key that is not a plain word, no duplicate key.
"""

from __future__ import annotations

import re
from typing import Any

from .scalars import plain_value, typed_first_characters, typed_value

Path = tuple[str | int, ...]

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)? *$")
_FLOW = re.compile(r"\[([^\[\]{}\"'#:]*)\](?: +#.*)? *$")
_BLOCK = re.compile(r"([>|])(-?)(?: +#.*)? *$")
# a plain scalar may not start with one of YAML's indicators (`[`, quotes and the block
# indicators are read above as what they start); `-`, `?` and `:` could, before a non-space,
# but a task file has no need of it
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# line breaks other than `\n`, and a byte-order mark inside the text: the parser's business
_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")
# task files nest four levels; anything deeper is left to the parser and its own limit
_MAX_DEPTH = 8


class _Unsure(Exception):
    """A line the quick reader does not read: the full parser will."""


def read(text: str) -> tuple[Any, set[Path]] | None:
    """The document's value and the paths of its `[...]` lists, or None when the text holds
    anything but the shapes read here (then parse it with `yamlread`)."""
    if not text.endswith("\n") or any(odd in text for odd in _ODD_BREAKS):
        return None
    reader = _Reader(text.split("\n"))
    try:
        if reader.next_indent() != 0:
            return None  # empty, or indented as a whole
        value = reader.mapping(0, (), None)
        if reader.next_indent() != -1:
            return None
    except _Unsure:
        return None
    return value, reader.flow_lists


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        # each line's text after its indent, and its indent (-1: blank or a comment)
        self.contents = contents = [line.lstrip(" ") for line in lines]
        self.indents = [
            len(line) - len(content) if content and content[0] != "#" else -1
            for line, content in zip(lines, contents, strict=True)
        ]
        self.at = 0  # the line read next
        self.flow_lists: set[Path] = set()
        self.typed = typed_first_characters()

    def next_indent(self) -> int:
        """Move to the next line that holds more than spaces or a comment; its indent, or -1
        at the end."""
        indents, at = self.indents, self.at
        try:
            while (found := indents[at]) < 0:
                at += 1
        except IndexError:
            found = -1
        self.at = at
        return found

    def mapping(self, indent: int, path: Path, first: str | None) -> dict[str, Any]:
        """A block mapping whose keys stand at `indent`, from the line read next; `first` is
        that line's text after its `- ` when it is a list item's first key."""
        if len(path) > _MAX_DEPTH:
            raise _Unsure
        result: dict[str, Any] = {}
        contents, typed = self.contents, self.typed
        content = first
        found = indent
        while True:
            if content is None:
                if found < indent:
                    return result
                if found > indent:
                    raise _Unsure
                content = contents[self.at]
            key_line = _KEY.match(content)
            if key_line is None:
                raise _Unsure
            key, rest = key_line.groups()
            if key in result:
                raise _Unsure  # the parser names the duplicate and where the first one is
            if not rest or rest[0] == "#":
                result[key] = self._nested(indent, (*path, key))
                found = self.next_indent()
            else:
                if rest[0] in _INDICATORS:  # quoted, a list, a block, or left to the parser
                    result[key] = self._inline(rest, (*path, key), indent)
                else:  # the common case, written out
                    self.at += 1
                    text = _plain(rest)
                    result[key] = text if text[0] not in typed else typed_value(text)
                found = self.next_indent()
                if found > indent:
                    raise _Unsure  # a plain scalar going on over lines, or bad YAML
            content = None

    def _nested(self, indent: int, path: Path) -> Any:
        """What follows `key:` alone on its line: a deeper block, a list at the key's own
        indent, or nothing (null)."""
        self.at += 1
        found = self.next_indent()
        if found < indent:
            return plain_value("")
        content = self.contents[self.at]
        is_list = content == "-" or content.startswith("- ")
        if found == indent:
            return self.sequence(found, path) if is_list else plain_value("")
        return self.sequence(found, path) if is_list else self.mapping(found, path, None)

    def sequence(self, indent: int, path: Path) -> list[Any]:
        """A block list whose dashes stand at `indent`, from the line read next."""
        if len(path) > _MAX_DEPTH:
            raise _Unsure
        items: list[Any] = []
        contents = self.contents
        found = indent
        while True:
            if found < indent:
                return items
            if found > indent:
                raise _Unsure
            content = contents[self.at]
            if not content.startswith("- "):
                return items  # the next key of the mapping this list is the value of
            item = content[2:].lstrip(" ")
            if not item or item[0] in "-#":
                raise _Unsure  # a nested list, or an item on the lines below
            here = (*path, len(items))
            if _KEY.match(item):
                items.append(self.mapping(len(self.lines[self.at]) - len(item), here, item))
                found = self.next_indent()
            else:
                items.append(self._inline(item, here, indent))
                found = self.next_indent()
                if found > indent:
                    raise _Unsure

    def _inline(self, text: str, path: Path, indent: int) -> Any:
        """The value written after `key: ` or `- `, which starts on this line; moves past it.
        `indent` is the indent of the mapping or list that holds it."""
        first = text[0]
        if first == '"':
            return self._one_line(_DOUBLE, text, lambda inner: inner)
        if first == "'":
            return self._one_line(_SINGLE, text, lambda inner: inner.replace("''", "'"))
        if first == "[":
            flow = self._one_line(_FLOW, text, _flow_items)
            self.flow_lists.add(path)
            return flow
        if first in ">|":
            return self._block(text, indent)
        if first in _INDICATORS:
            raise _Unsure
        self.at += 1
        return plain_value(_plain(text))

    def _one_line(self, pattern: re.Pattern[str], text: str, value: Any) -> Any:
        found = pattern.match(text)
        if found is None:
            raise _Unsure  # goes on over lines, or is followed by more than a comment
        self.at += 1
        return value(found.group(1))

    def _block(self, header: str, indent: int) -> str:
        """A `>`, `>-`, `|` or `|-` block scalar whose lines stand at one indent (a literal's
        may go deeper), blank lines between them kept as YAML keeps them."""
        found = _BLOCK.match(header)
        if found is None:
            raise _Unsure  # `>+`, an indentation digit
        folded, strip = found.group(1) == ">", found.group(2) == "-"
        lines, at = self.lines, self.at + 1
        first = lines[at] if at < len(lines) else ""
        content = len(first) - len(first.lstrip(" "))
        if content <= indent or not first.strip(" "):
            raise _Unsure  # empty, or starting with a blank line
        kept: list[str] = []  # each line's text, "" for a blank line
        blanks = 0  # blank lines not yet known to be inside the block rather than after it
        while at < len(lines):
            line = lines[at]
            depth = len(line) - len(line.lstrip(" "))
            if depth == len(line):
                if depth > content:
                    raise _Unsure  # spaces past the indent: content, or not, by YAML's rules
                blanks += 1
                at += 1
                continue
            if depth < content:
                break
            if folded and depth > content:
                raise _Unsure
            kept += [""] * blanks
            kept.append(line[content:])
            blanks = 0
            at += 1
        self.at = at  # blank lines after the block: skipped as any blank line is
        value = _folded(kept) if folded else "\n".join(kept)
        return value if strip else value + "\n"


def _folded(lines: list[str]) -> str:
    """Lines folded as YAML folds them: a single line break is a space, and n blank lines
    between two lines are n line breaks."""
    if "" not in lines:
        return " ".join(lines)
    out = [lines[0]]
    breaks = 0
    for line in lines[1:]:
        if not line:
            breaks += 1
            continue
        out.append("\n" * breaks if breaks else " ")
        out.append(line)
        breaks = 0
    return "".join(out)


def _plain(text: str) -> str:
    """A plain scalar's text on its line (it starts with no indicator), less a comment."""
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment]
    text = text.rstrip(" ")
    if ": " in text or text[-1] == ":":
        raise _Unsure  # a mapping where a value should be: the parser says what is wrong
    return text


def _flow_items(inner: str) -> list[Any]:
    if not inner.strip(" "):
        return []
    items = [item.strip(" ") for item in inner.split(",")]
    for item in items:
        if not item or item[0] in _INDICATORS:
            raise _Unsure
    return [plain_value(item) for item in items]
