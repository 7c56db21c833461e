"""The few shapes task files take, read without a YAML parser (SPEC 8).

A cold read parses every task file, and the parser spends most of its time making one event
object per scalar and per bracket. Task files, whether `tbtrack` wrote them or a person did,
hold a handful of shapes: `key: value` lines in block mappings, block lists of scalars or of
mappings, one-line `[a, b]` lists, one-line quoted scalars, `>-`/`|` blocks, and comments.
`read` reads exactly those shapes, line by line, and gives up (None) at the first line that
is anything else: the caller then parses the file with the full parser, which also owns every
error message. Whatever `read` accepts, it reads as the parser reads it: the same values
(plain scalars typed by the same resolver), the same flow lists and, when asked, every key
and value at the same line and column, each scalar with the same text. tests/files/
test_yamlquick.py holds it to the parser on generated documents and on every task file of
the repository.

Being unsure is never wrong here, only slower, so every rule is the narrow one: no deeper line
in a folded block scalar, no `:` or quote inside a `[...]` list, no plain scalar that starts
with an indicator or holds `: `, no key that is not a plain word, no duplicate key.
"""

from __future__ import annotations

import re
from typing import Any

from .marks import Locations, Mark, Path, Scalar
from .scalars import plain_value, typed_first_characters, typed_value

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


def read(text: str, positions: bool = False) -> tuple[Any, Locations] | None:
    """The document's value and its `Locations` (the paths of its `[...]` lists; with
    `positions`, every key's and value's place too), or None when the text holds anything
    but the shapes read here (then parse it with `yamlread`)."""
    if not text.endswith("\n") or any(odd in text for odd in _ODD_BREAKS):
        return None
    reader = _Reader(text.split("\n"), positions)
    try:
        if reader.next_indent() != 0:
            return None  # empty, or indented as a whole
        value = reader.mapping(0, (), None)
        if reader.next_indent() != -1:
            return None
    except _Unsure:
        return None
    return value, reader.loc


def read_blocks(text: str, keys: set[str]) -> Locations | None:
    """The places of the keys and values under the top-level keys `keys` of a text that
    reads as YAML (a valid task's file), as the parser gives them (but the document's own, at
    the path `()`), read from those keys' lines alone; None when one of them is not a key of
    the document's mapping once, or its lines hold what this module does not read (then read
    the whole text).

    A file that validated but has warnings is read again only to place them: they are
    about one or two of its keys (a name in `lead`, an obligation without a date), and its
    `progress` is often most of its lines. A top-level key's block runs from its line to the
    next line that starts at column 1 with anything but a comment or a list's dash: YAML reads
    every line in between as its value."""
    if not text.endswith("\n") or any(odd in text for odd in _ODD_BREAKS):
        return None
    lines = text.split("\n")
    # the lines that may start a top-level key: not blank, not a comment, not indented, not
    # an item of a list at its key's own indent
    tops = [at for at, line in enumerate(lines) if line and line[0] not in " #-"]
    tops.append(len(lines))
    starts: dict[str, int] = {}
    for index, at in enumerate(tops[:-1]):
        found = _KEY.match(lines[at])
        if found is not None and found.group(1) in keys:
            if found.group(1) in starts:
                return None  # the parser's business: a duplicate key
            starts[found.group(1)] = index
    if len(starts) != len(keys):
        return None
    out = Locations()
    for index in starts.values():
        first, end = tops[index], tops[index + 1]
        block = read("\n".join(lines[first:end]) + "\n", positions=True)
        if block is None:
            return None
        loc = block[1]
        loc.values.pop((), None)  # the block's first key, not the document's
        for table, moved in ((loc.values, out.values), (loc.keys, out.keys)):
            for path, mark in table.items():
                moved[path] = Mark(mark.line + first, mark.col)
        out.scalars.update(loc.scalars)
        out.flow_lists.update(loc.flow_lists)
    return out


class _Reader:
    def __init__(self, lines: list[str], positions: bool) -> None:
        self.lines = lines
        # each line's text after its indent, and its indent (-1: blank or a comment)
        self.contents = contents = [line.lstrip(" ") for line in lines]
        self.indents = [
            len(line) - len(content) if content and content[0] != "#" else -1
            for line, content in zip(lines, contents, strict=True)
        ]
        self.at = 0  # the line read next
        self.loc = Locations()
        self.marks = self.loc if positions else None  # where places are kept, when they are
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
        contents, indents, typed, marks = self.contents, self.indents, self.typed, self.marks
        ends = len(indents)
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
            if marks is not None:
                key_mark = Mark(self.at + 1, indent + 1)
                if not result:  # a mapping stands where its first key does
                    marks.values[path] = key_mark
                marks.keys[(*path, key)] = key_mark
            if not rest or rest[0] == "#":
                # an empty value stands just past the colon, as the parser places it
                result[key] = self._nested(indent, (*path, key), indent + len(key) + 2)
                found = self.next_indent()
            else:
                if rest[0] in _INDICATORS or marks is not None:
                    # quoted, a list, a block, or left to the parser; or places to keep
                    col = indent + key_line.start(2) + 1
                    result[key] = self._inline(rest, (*path, key), indent, col)
                else:  # the common case, written out
                    self.at += 1
                    text = _plain(rest)
                    result[key] = text if text[0] not in typed else typed_value(text)
                # next_indent, written out for the common case: the next line holds a key
                found = indents[self.at] if self.at < ends else -1
                if found < 0:
                    found = self.next_indent()
                if found > indent:
                    raise _Unsure  # a plain scalar going on over lines, or bad YAML
            content = None

    def _nested(self, indent: int, path: Path, null_col: int) -> Any:
        """What follows `key:` alone on its line: a deeper block, a list at the key's own
        indent, or nothing (null, which stands at `null_col` of the key's line)."""
        line = self.at + 1
        self.at += 1
        found = self.next_indent()
        if found >= indent:
            content = self.contents[self.at]
            if content == "-" or content.startswith("- "):
                return self.sequence(found, path)
            if found > indent:
                return self.mapping(found, path, None)
        if self.marks is not None:
            self.marks.values[path] = Mark(line, null_col)
            self.marks.scalars[path] = Scalar("", True)
        return plain_value("")

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
            column = len(self.lines[self.at]) - len(item)  # where the item's text starts
            if self.marks is not None and not items:  # a list stands where its first dash does
                self.marks.values[path] = Mark(self.at + 1, indent + 1)
            if _KEY.match(item):
                items.append(self.mapping(column, here, item))
                found = self.next_indent()
            else:
                items.append(self._inline(item, here, indent, column + 1))
                found = self.next_indent()
                if found > indent:
                    raise _Unsure

    def _inline(self, text: str, path: Path, indent: int, col: int) -> Any:
        """The value written after `key: ` or `- `, which starts on this line at column `col`;
        moves past it. `indent` is the indent of the mapping or list that holds it."""
        marks, line = self.marks, self.at + 1
        first = text[0]
        if first == "[":
            items = _flow_items(self._one_line(_FLOW, text).group(1), col + 1)
            self.loc.flow_lists.add(path)
            if marks is not None:
                marks.values[path] = Mark(line, col)
                for index, (item, at) in enumerate(items):
                    marks.values[(*path, index)] = Mark(line, at)
                    marks.scalars[(*path, index)] = Scalar(item, True)
            return [plain_value(item) for item, _ in items]
        plain = False
        if first == '"':
            value: Any = self._one_line(_DOUBLE, text).group(1)
        elif first == "'":
            value = self._one_line(_SINGLE, text).group(1).replace("''", "'")
        elif first in ">|":
            value = self._block(text, indent)
        elif first in _INDICATORS:
            raise _Unsure
        else:
            self.at += 1
            value, plain = _plain(text), True
        if marks is not None:
            marks.values[path] = Mark(line, col)
            marks.scalars[path] = Scalar(value, plain)
        return plain_value(value) if plain else value

    def _one_line(self, pattern: re.Pattern[str], text: str) -> re.Match[str]:
        found = pattern.match(text)
        if found is None:
            raise _Unsure  # goes on over lines, or is followed by more than a comment
        self.at += 1
        return found

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
    if text[-1] not in " :" and ": " not in text and " #" not in text:
        return text  # most values: nothing to take off, nothing to refuse
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment]
    text = text.rstrip(" ")
    if ": " in text or text[-1] == ":":
        raise _Unsure  # a mapping where a value should be: the parser says what is wrong
    return text


def _flow_items(inner: str, col: int) -> list[tuple[str, int]]:
    """The text of each item of a `[...]` list, and its column (`col`: the first after the
    bracket); `_Unsure` for an empty item or one that starts with an indicator."""
    items: list[tuple[str, int]] = []
    if not inner.strip(" "):
        return items
    for part in inner.split(","):
        item = part.lstrip(" ")
        if not item.strip(" ") or item[0] in _INDICATORS:
            raise _Unsure
        items.append((item.rstrip(" "), col + len(part) - len(item)))
        col += len(part) + 1
    return items
