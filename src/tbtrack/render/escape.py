"""Text from the data made safe for where it is shown: a terminal line, or Markdown.

A value quoted in a message may hold a line break, U+2028 or an escape sequence; written as it
is, it would forge a second line (a fake `error:`) or drive the terminal. Markdown would read
`*`, `_`, `[`... in a title as formatting.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
# overrides that reorder what a terminal shows
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """`text` on one line, every control character written as an escape (`\\n`, `\\u2028`)."""
    if text.isprintable():  # the common case, in C
        return text
    return _UNPRINTABLE.sub(_escaped, text)


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")
_LINE_BREAK = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def markdown(text: str) -> str:
    """`text` as Markdown shows it as written: no emphasis, links, HTML, table cells or lines."""
    return _MARKDOWN.sub(r"\\\1", _LINE_BREAK.sub(" ", text))
