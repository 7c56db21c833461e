"""A problem found in the data, located at a file, line and column."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Diagnostic(NamedTuple):
    """Ordered by its fields, as `check` lists them; a named tuple, since a dataclass costs a
    run a millisecond to make (every run makes the classes it imports)."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    rule: str
    hint: str | None = None

    def render(self) -> str:
        """One line, whatever the file said: a value quoted in the message with a line break,
        U+2028 or a control character in it is shown escaped (`\\n`, `\\u2028`)."""
        where = f"{_escaped(self.path)}:{self.line}:{self.col}"
        text = f"{where}: {self.severity}: {_escaped(self.message)}"
        if self.hint:
            text += f" ({_escaped(self.hint)})"
        return f"{text} [{self.rule}]"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
            "rule": self.rule,
            "hint": self.hint,
        }


def _escaped(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in "\n\r\t":
        return repr(ch)[1:-1]
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


class DataError(Exception):
    """Raised where a file cannot be used at all; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics
