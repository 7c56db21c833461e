"""Rendering YAML with ruamel.yaml, which knows how to quote a string: the lines of one event,
a value on one line, and a whole new task file in the layout of SPEC 4."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError, WriteRefused
from ..files.records import Event, dump
from ..files.vocab import DueForm, EventShape

_WIDTH = 4096  # wide enough that ruamel.yaml never wraps a value we render
_TEXT_WIDTH = 86  # where `new` folds a long `text:` (88 columns with its indentation)

# a place in a document: ("obligations", 0, "by"), ("lead", 1)
Place = tuple[str | int, ...]


@functools.cache
def _representer() -> Any:
    from ruamel.yaml.representer import RoundTripRepresenter

    # a subclass: add_representer on ruamel's own class would change it for everyone
    class Representer(RoundTripRepresenter):
        pass

    # `number: null` as SPEC 4 writes it, not a bare `number:`
    Representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return Representer


def _yaml(sequence: int = 4, offset: int = 2) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Representer = _representer()
    yaml.width = _WIDTH
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, value: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(value, buffer)
    return buffer.getvalue()


def event_mapping(
    shape: EventShape,
    obligation: str,
    on: dt.date,
    *,
    by: str | None = None,
    for_: dt.date | None = None,
    to: dt.date | None = None,
    evidence: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """An event as it is written: the keys of the record, in its order (SPEC 4.2)."""
    named: dict[str, str | None] = {"fulfils": None, "extends": None, "cancels": None}
    named[shape] = obligation
    record = Event(on, **named, by=by, for_=for_, to=to, evidence=evidence, note=note)
    mapping: dict[str, Any] = dump(record)
    return mapping


def render_event_item(event: Mapping[str, Any], dash_col: int, item_col: int, nl: str) -> str:
    """The lines of one `progress` item, its `-` at `dash_col`, ending in a line break."""
    return render_list_item("progress", event, dash_col, item_col, nl)


def render_list_item(
    key: str, item: Mapping[str, Any], dash_col: int, item_col: int, nl: str
) -> str:
    """The lines of one item of the block list `key`, its `-` at `dash_col`."""
    item_col = max(item_col, dash_col + 2)
    text = _dump(_yaml(item_col, dash_col), {key: [item]})
    lines = text.splitlines()[1:]
    if not lines or not lines[0].startswith(" " * dash_col + "- "):
        raise WriteRefused(f"internal error: the {key} item could not be rendered; nothing written")
    return "".join(line + nl for line in lines)


def render_value(key: str, value: Any) -> str:
    """`value` as ruamel.yaml writes it after `key: ` on one line (quoted when it must be)."""
    text = _dump(_yaml(), {key: value}).rstrip("\n")
    prefix = f"{key}: "
    if not text.startswith(prefix) or "\n" in text:
        raise UsageError(f"the {key.replace('_', ' ')} must be one line of text")
    return text[len(prefix) :]


# --- a new task file -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewObligation:
    """An obligation of a new task beyond its first (the first is given on `NewTask` itself)."""

    id: str
    kind: str
    due_form: DueForm
    due_value: dt.date | str | int | bool
    as_written: str | None = None
    start: dt.date | None = None
    until: dt.date | None = None
    to: str | None = None
    who: Sequence[str] = ()


@dataclass(frozen=True)
class NewTask:
    notice: str
    date: dt.date
    section: str
    title: str
    lead: Sequence[str]
    due_form: DueForm
    due_value: dt.date | str | int | bool
    number: str | None = None
    text: str | None = None
    support: Sequence[str] = ()
    report_to: str | None = None
    tags: Sequence[str] = ()
    obligation_id: str = "complete"
    kind: str = "complete"
    as_written: str | None = None
    start: dt.date | None = None
    until: dt.date | None = None
    to: str | None = None
    who: Sequence[str] = ()
    more_obligations: Sequence[NewObligation] = ()
    notes: str | None = None
    # `# review: ...` lines, each above the key or list item at its place
    review: Sequence[tuple[Place, str]] = ()
    # a `# yaml-language-server: $schema=...` first line, for editors that validate
    schema: str | None = None

    @property
    def obligations(self) -> list[NewObligation]:
        first = NewObligation(
            self.obligation_id,
            self.kind,
            self.due_form,
            self.due_value,
            self.as_written,
            self.start,
            self.until,
            self.to,
            self.who,
        )
        return [first, *self.more_obligations]


def render_new_task(spec: NewTask) -> str:
    """A new task file in the layout of SPEC 4: block lists of names, `section` quoted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    source = CommentedMap()
    source["notice"] = spec.notice
    source["number"] = spec.number
    source["date"] = spec.date
    # always quoted: an unquoted 2.10 would read as a number (SPEC 4)
    source["section"] = DoubleQuotedScalarString(spec.section)
    doc = CommentedMap()
    doc["source"] = source
    doc["title"] = spec.title
    if spec.text:
        doc["text"] = _block_text(spec.text)
    doc["lead"] = CommentedSeq(spec.lead)  # block lists: names hold commas (SPEC 3)
    if spec.support:
        doc["support"] = CommentedSeq(spec.support)
    if spec.report_to:
        doc["report_to"] = spec.report_to
    if spec.tags:
        tags = CommentedSeq(spec.tags)
        tags.fa.set_flow_style()
        doc["tags"] = tags
    doc["state"] = "active"
    doc["obligations"] = CommentedSeq(obligation_mapping(o) for o in spec.obligations)
    progress = CommentedSeq()
    progress.fa.set_flow_style()
    doc["progress"] = progress
    if spec.notes:
        short = "\n" not in spec.notes and len(spec.notes) <= _TEXT_WIDTH
        doc["notes"] = spec.notes if short else _block_text(spec.notes)
    text = _with_review(_dump(_yaml(), doc), spec.review)
    if spec.schema is not None:
        text = f"# yaml-language-server: $schema={_one_line(spec.schema)}\n" + text
    return text


def obligation_mapping(wanted: NewObligation) -> Any:
    """An obligation as it is written: id, kind, its due form, then the rest (SPEC 4)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    obligation = CommentedMap()
    obligation["id"] = wanted.id
    obligation["kind"] = wanted.kind
    obligation[wanted.due_form] = wanted.due_value
    if wanted.start is not None:
        obligation["start"] = wanted.start
    if wanted.until is not None:
        obligation["until"] = wanted.until
    if wanted.as_written:
        obligation["as_written"] = wanted.as_written
    if wanted.to:
        obligation["to"] = wanted.to
    if wanted.who:
        obligation["who"] = CommentedSeq(wanted.who)  # block: names hold commas (SPEC 3)
    return obligation


def _with_review(text: str, review: Sequence[tuple[Place, str]]) -> str:
    """`text` with a `# review: ...` line above the line of each place, at its indentation."""
    if not review:
        return text
    from ..files.yamlread import load

    _, locations = load(text)
    lines = text.splitlines(keepends=True)
    above: dict[int, list[str]] = {}
    for place, comment in review:
        mark = locations.keys.get(place) if isinstance(place[-1], str) else None
        if mark is None:
            mark = locations.values.get(place)
        if mark is None:
            raise WriteRefused(f"internal error: no place {place!r} for a review comment")
        line = lines[mark.line - 1]
        indent = line[: len(line) - len(line.lstrip(" "))]
        above.setdefault(mark.line - 1, []).append(f"{indent}# review: {_one_line(comment)}\n")
    return "".join("".join(above.get(i, ())) + line for i, line in enumerate(lines))


def _one_line(text: str) -> str:
    # a comment ends at the line break: anything after one would be read as YAML
    return " ".join(text.split())


def _block_text(text: str) -> Any:
    """A long one-line text as a folded scalar, folded near 88 columns; else a literal one."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if "\n" in text:
        return LiteralScalarString(text)
    folded = FoldedScalarString(text)
    positions: list[int] = []
    line_start, candidate = 0, -1
    for index, char in enumerate(text):
        if char == " " and 0 < index < len(text) - 1 and text[index - 1] != " " != text[index + 1]:
            if index - line_start > _TEXT_WIDTH and candidate > line_start:
                positions.append(candidate)
                line_start = candidate + 1
            candidate = index
    if len(text) - line_start > _TEXT_WIDTH and candidate > line_start:
        positions.append(candidate)
    folded.fold_pos = positions
    return folded
