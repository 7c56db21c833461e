"""Markdown pipe tables, with every cell escaped by the one Markdown escaper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .escape import markdown


class Formatted(str):
    """A cell already written in Markdown, which `markdown_table` leaves as it is."""


def bold(text: Any) -> Formatted:
    return Formatted(f"**{markdown(str(text))}**")


def markdown_table(headers: Sequence[str], body: Iterable[Sequence[Any]]) -> str:
    """A pipe table; each cell escaped, except Formatted ones and code spans (`code`)."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        if isinstance(value, Formatted) or (text.startswith("`") and text.endswith("`")):
            return text
        return markdown(text)

    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in body]
    return "\n".join(lines) + "\n"
