"""A plain YAML rendering of a draft, for tests and `--dry-run` previews.

The files themselves are written by the project's new-task writer; this shows the same keys
and values, with each review note as a `# review:` comment above the key it concerns.
"""

from __future__ import annotations

import io
from typing import Any

from .draft import KeyPath, TaskDraft


def _path_text(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _node(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _node(item)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_node(item) for item in value)
        if not value:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


# a task file's keys in order: a note on a key the draft leaves out (no `support`) goes
# above the next key that is there
_ORDER: tuple[str, ...] = ("source", "title", "text", "lead", "support", "report_to", "tags")
_ORDER += ("state", "obligations", "progress", "notes")


def _anchor(doc: Any, key: str) -> str:
    if key in doc or key not in _ORDER:
        return key if key in doc else "obligations"
    return next((k for k in _ORDER[_ORDER.index(key) :] if k in doc), "obligations")


def render_draft(task: TaskDraft) -> str:
    """The draft as the text of a task file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    doc = _node(task.data)
    # always quoted: an unquoted 2.10 would read as a number (SPEC 4)
    doc["source"]["section"] = DoubleQuotedScalarString(task.data["source"]["section"])
    # one comment block above each top-level key: all the notes on the places below it
    notes: dict[str, list[str]] = {}
    for path, messages in task.review.items():
        top = _anchor(doc, str(path[0]))
        notes.setdefault(top, []).extend(
            f"review: {_path_text(path)}: {message}" for message in messages
        )
    for top, lines in notes.items():
        doc.yaml_set_comment_before_after_key(top, before="\n".join(lines))
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return buffer.getvalue()
