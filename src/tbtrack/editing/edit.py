"""Safe edits of the data: `done`, `extend`, `cancel`, `new` and `init` (SPEC 4.2, 7).

An edit never re-dumps a whole task file. Re-dumping through ruamel.yaml's round-trip mode keeps
most of a file, but not all of it byte for byte (spacing before comments, line breaks inside
flow lists, indentation of block scalars can move), and a reviewer would then see lines change
that nobody meant to change. Instead the new event (or the new value of `state`) is rendered
with ruamel.yaml, which knows how to quote a string, and spliced into the original text at a
position taken from the parser's marks. Every result is then parsed again and compared with
what was meant, so a splicing mistake refuses the write instead of writing a wrong file, and
validated as `tbtrack check` would, so an edit can never make the data invalid.

The functions that compute text are pure; `write` is the one place that touches the disk:
atomically, keeping the file's mode, and only when the file is still what was read.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import io
import os
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError, WriteRefused
from ..files.store import AGENCIES_FILE, TASK_SUFFIX, TASKS_DIR, id_problem, list_tasks, match_id
from ..files.store import task_id as id_of_path
from ..files.store import task_path as path_of_id

if TYPE_CHECKING:
    from ..files.diagnostics import Diagnostic
    from ..files.records import Obligation, Task
    from ..files.registry import Registry

Shape = Literal["fulfils", "extends", "cancels"]

# called with the file's path after the new text is ready and before the file is replaced;
# tests set it to simulate another edit landing in between
_before_replace: Callable[[Path], None] | None = None

_BOM = "\ufeff"
_WIDTH = 4096  # wide enough that ruamel.yaml never wraps a value we render
_TEXT_WIDTH = 86  # where `new` folds a long `text:` (88 columns with its indentation)
_EVENT_KEYS = ("on", "fulfils", "extends", "cancels", "by", "for", "to", "evidence", "note")


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


def _newline(text: str) -> str:
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


# --- rendering with ruamel.yaml ------------------------------------------------------------


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


def render_event_item(event: Mapping[str, Any], dash_col: int, item_col: int, nl: str) -> str:
    """The lines of one `progress` item, its `-` at `dash_col`, ending in a line break."""
    item_col = max(item_col, dash_col + 2)
    text = _dump(_yaml(item_col, dash_col), {"progress": [dict(event)]})
    lines = text.splitlines()[1:]
    if not lines or not lines[0].startswith(" " * dash_col + "- "):
        raise WriteRefused("internal error: the event could not be rendered; nothing written")
    return "".join(line + nl for line in lines)


def render_value(key: str, value: Any) -> str:
    """`value` as ruamel.yaml writes it after `key: ` on one line (quoted when it must be)."""
    text = _dump(_yaml(), {key: value}).rstrip("\n")
    prefix = f"{key}: "
    if not text.startswith(prefix) or "\n" in text:
        raise UsageError(f"the {key.replace('_', ' ')} must be one line of text")
    return text[len(prefix) :]


# --- pure edits of text --------------------------------------------------------------------


def append_event(text: str, event: Mapping[str, Any]) -> str:
    """`text` with `event` appended to its `progress` list, every other byte unchanged."""
    entries = _structure(text)
    nl = _newline(text)
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
        "progress is not a block list tbtrack can append to (a flow list `[...]` with events, "
        "or not a list); rewrite it as a block list, one `- on: ...` item per event"
    )


def _default_indent(entries: Mapping[str, _Entry]) -> tuple[int, int]:
    """The file's own list style, from `obligations`; else `  - key: ...`."""
    obligations = entries.get("obligations")
    if obligations is not None and obligations.dash_col is not None and obligations.item_col:
        return obligations.dash_col, obligations.item_col
    return 2, 4


def set_state(text: str, state: str, reason: str) -> str:
    """`text` with `state:` and `state_reason:` set, in place where the keys exist."""
    entries = _structure(text)
    nl = _newline(text)
    reason_text = render_value("state_reason", reason)
    for key in ("state", "state_reason"):
        entry = entries.get(key)
        if entry is not None and entry.kind != "scalar":
            raise WriteRefused(f"{key} is not a single value; fix it first (`tbtrack check`)")
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    current, reason_entry = entries.get("state"), entries.get("state_reason")
    if current is not None:
        edits.append(_replace_scalar(text, current, state))
    if reason_entry is not None:
        edits.append(_replace_scalar(text, reason_entry, reason_text))
    elif current is not None:
        at = _line_end(
            text, current.value_end if not current.empty else _colon_after(text, current)
        )
        edits.append((at, at, f"state_reason: {reason_text}{nl}"))
    if current is None:
        lines = "" if reason_entry else f"state_reason: {reason_text}{nl}"
        block = f"state: {state}{nl}{lines}"
        obligations = entries.get("obligations")
        if obligations is None:
            return _insert_after_line(text, len(text), block, nl)
        at = _comments_above(text, _line_start(text, obligations.key_end - 1))
        edits.append((at, at, block))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _replace_scalar(text: str, entry: _Entry, replacement: str) -> tuple[int, int, str]:
    if entry.empty:
        colon = _colon_after(text, entry)
        return colon + 1, colon + 1, " " + replacement
    return entry.value_start, entry.value_end, replacement


def _comments_above(text: str, line_start: int) -> int:
    """The start of the comment lines right above a key, which belong to that key."""
    while line_start > 0:
        previous = _line_start(text, line_start - 1)
        if not text[previous:line_start].lstrip().startswith("#"):
            break
        line_start = previous
    return line_start


def event_mapping(
    shape: Shape,
    obligation: str,
    on: dt.date,
    *,
    by: str | None = None,
    for_: dt.date | None = None,
    to: dt.date | None = None,
    evidence: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """An event as it is written, in the key order of SPEC 4.2."""
    values: dict[str, Any] = {
        "on": on,
        shape: obligation,
        "by": by,
        "for": for_,
        "to": to,
        "evidence": evidence,
        "note": note,
    }
    return {k: values[k] for k in _EVENT_KEYS if values.get(k) is not None}


def nfc(text: str | None) -> str | None:
    """Text from the command line in NFC: terminals hand over NFD too (SPEC 2)."""
    return None if text is None else unicodedata.normalize("NFC", text.strip())


# --- reading the file to edit --------------------------------------------------------------


@dataclass(frozen=True)
class TaskFile:
    root: Path
    rel: str  # tasks/.../x.yaml
    data: bytes
    mode: int

    @property
    def path(self) -> Path:
        return self.root / self.rel

    @property
    def id(self) -> str:
        return id_of_path(self.rel)

    @property
    def bom(self) -> bool:
        return self.data.startswith(_BOM.encode())

    @property
    def text(self) -> str:
        from ..files.yamlread import YamlProblem, decode

        try:
            return decode(self.data)
        except YamlProblem as problem:
            raise WriteRefused(f"{self.rel}: {problem.message}; run `tbtrack check`") from None

    def encode(self, text: str) -> bytes:
        return ((_BOM if self.bom else "") + text).encode("utf-8")


def _wanted(text: str) -> str:
    """An ID as typed, less a `tasks/` prefix and `.yaml` suffix; refused when it could escape."""
    wanted = text.strip().rstrip("/")
    if wanted.startswith(f"{TASKS_DIR}/"):
        wanted = wanted[len(TASKS_DIR) + 1 :]
    wanted = wanted.removesuffix(TASK_SUFFIX)
    # the ID rules of SPEC 2 admit no `..`, no leading `/` and no `\`: nothing can leave tasks/
    problem = id_problem(wanted)
    if problem:
        raise UsageError(f"bad task ID '{text}': {problem}")
    return wanted


def _inside_tasks(root: Path, rel: str) -> Path:
    """The file's path, once sure that it and its folders are real and inside root/tasks."""
    tasks = root.resolve() / TASKS_DIR
    path = root.resolve() / rel
    if path.is_symlink():
        raise WriteRefused(f"{rel} is a symbolic link; tbtrack edits only regular files")
    real = path.resolve()
    if tasks.is_symlink() or not real.is_relative_to(tasks):
        raise WriteRefused(f"{rel} is not inside {TASKS_DIR}/ once links are followed; refused")
    return path


def open_task(root: Path, identifier: str) -> TaskFile:
    """Read the task `identifier` names (an ID or a unique suffix of one), with its mode."""
    wanted = _wanted(identifier)
    exact = path_of_id(wanted)
    if (root / exact).is_symlink():
        raise WriteRefused(f"{exact} is a symbolic link; tbtrack edits only regular files")
    ids = [id_of_path(rel) for rel in list_tasks(root).tasks]
    rel = path_of_id(match_id(wanted, ids))
    path = _inside_tasks(root, rel)
    data, mode = _read(path, rel)
    return TaskFile(root, rel, data, mode)


def _read(path: Path, rel: str) -> tuple[bytes, int]:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise WriteRefused(f"cannot read {rel}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(f"{rel} is not a regular file")
        return handle.read(), info.st_mode


def load_registry(root: Path) -> Registry:
    from ..checking.check import analyse_registry

    try:
        data = (root / AGENCIES_FILE).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {AGENCIES_FILE}: {exc.strerror}") from None
    registry, _ = analyse_registry(AGENCIES_FILE, data)
    if registry is None:
        raise WriteRefused(f"{AGENCIES_FILE} has errors; fix them first (`tbtrack check`)")
    return registry


def _valid_task(file: TaskFile, registry: Registry) -> Task:
    from ..checking.check import analyse_task

    task, diagnostics = analyse_task(file.rel, file.data, registry)
    if task is None:
        errors = [d for d in diagnostics if d.severity == "error"]
        raise WriteRefused(
            f"{file.rel} has errors; fix them first (`tbtrack check {file.rel}`):"
            + "".join(f"\n  {d.render()}" for d in errors)
        )
    return task


# --- the result of an edit -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A file's new bytes, validated, and what it takes to write them safely."""

    rel: str
    path: Path
    old: bytes | None  # None: a new file
    new: bytes
    summary: str
    mode: int | None = None
    warnings: tuple[Diagnostic, ...] = field(default=())

    def diff(self) -> str:
        """The change as a unified diff, for the terminal and for review."""
        old = _lines(self.old)
        new = _lines(self.new)
        before = f"a/{self.rel}" if self.old is not None else "/dev/null"
        return "".join(difflib.unified_diff(old, new, before, f"b/{self.rel}", n=2))


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    # every line ends in a break, so a diff never runs two lines together
    return [line + "\n" for line in text.removesuffix("\n").split("\n")] if text else []


def _validated(
    rel: str,
    path: Path,
    old: bytes | None,
    new: bytes,
    registry: Registry,
    today: dt.date,
    summary: str,
    mode: int | None,
) -> Change:
    """A Change once `check` finds no error in the new bytes; its new warnings kept."""
    from ..checking.check import analyse_task, future_events
    from ..loading.dataset import analyse_bytes

    result = analyse_bytes(rel, new, registry)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors or result.task is None:
        raise WriteRefused(
            f"refused: {rel} would not pass `tbtrack check` (lines as they would be written); "
            "nothing written:" + "".join(f"\n  {d.render()}" for d in errors)
        )
    found = list(result.diagnostics) + future_events(rel, result.task, today, lambda _: new)
    before: set[tuple[str, str]] = set()
    if old is not None:  # warnings the file had already are not news
        old_task, old_found = analyse_task(rel, old, registry)
        if old_task is not None:
            old_found += future_events(rel, old_task, today, lambda _: old)
        before = {(d.rule, d.message) for d in old_found}
    fresh = tuple(d for d in found if (d.rule, d.message) not in before)
    return Change(rel, path, old, new, summary, mode, fresh)


def _verify(new_text: str, expected: Any) -> None:
    """Parse what is about to be written; it must mean exactly what was intended."""
    from ..files.yamlread import YamlProblem, load

    try:
        value, _ = load(new_text)
    except YamlProblem:
        value = None
    if value != expected:
        raise WriteRefused(
            "internal error: the edited file would not read back as intended; nothing written "
            "(please report this with the file)"
        )


# --- done, extend, cancel ------------------------------------------------------------------


@dataclass(frozen=True)
class EventRequest:
    shape: Shape
    obligation: str | None
    on: dt.date
    by: str | None = None
    for_: dt.date | None = None
    to: dt.date | None = None
    evidence: str | None = None
    note: str | None = None


def plan_event(root: Path, identifier: str, request: EventRequest, today: dt.date) -> Change:
    """Append one event to a task: the new file, validated and verified, not yet written."""
    registry = load_registry(root)
    file = open_task(root, identifier)
    task = _valid_task(file, registry)
    obligation = _pick_obligation(task, request.obligation, request.shape)
    by = _canonical(registry, request.by, "--by") if request.by else None
    for_ = request.for_
    if for_ is None and obligation.recurring and request.shape != "cancels":
        # record the occurrence the engine would pick, so the file says what was meant
        for_ = earliest_open(task, obligation, registry, by, max(request.on, _last_on(task)))
    if request.shape == "cancels":
        _refuse_second_cancel(task, obligation, for_)
    event = event_mapping(
        request.shape,
        obligation.id,
        request.on,
        by=by,
        for_=for_,
        to=request.to,
        evidence=nfc(request.evidence) or None,
        note=nfc(request.note) or None,
    )
    text = file.text
    new_text = append_event(text, event)
    expected = _parsed(text)
    expected["progress"] = [*(expected.get("progress") or []), event]
    _verify(new_text, expected)
    summary = _describe(file.id, request.shape, obligation.id, event)
    return _validated(
        file.rel, file.path, file.data, file.encode(new_text), registry, today, summary, file.mode
    )


def plan_cancel_task(root: Path, identifier: str, reason: str, today: dt.date) -> Change:
    """Set a task's `state: cancelled` and its `state_reason`."""
    registry = load_registry(root)
    file = open_task(root, identifier)
    task = _valid_task(file, registry)
    if task.state != "active":
        raise WriteRefused(f"{file.id} is already {task.state}: {task.state_reason}")
    text = file.text
    reason = nfc(reason) or ""
    new_text = set_state(text, "cancelled", reason)
    expected = _parsed(text)
    expected["state"] = "cancelled"
    expected["state_reason"] = reason
    _verify(new_text, expected)
    return _validated(
        file.rel,
        file.path,
        file.data,
        file.encode(new_text),
        registry,
        today,
        f"{file.id}: cancelled the task",
        file.mode,
    )


def _parsed(text: str) -> dict[str, Any]:
    from ..files.yamlread import load

    value, _ = load(text)
    assert isinstance(value, dict)
    return copy.deepcopy(value)


def _last_on(task: Task) -> dt.date:
    return max((e.on for e in task.progress), default=dt.date.min)


def _pick_obligation(task: Task, name: str | None, shape: Shape) -> Obligation:
    ids = ", ".join(o.id for o in task.obligations)
    if name is None:
        if len(task.obligations) == 1:
            return task.obligations[0]
        raise UsageError(f"say which obligation this event {shape}: one of {ids}")
    obligation = task.obligation(name.strip())
    if obligation is None:
        raise UsageError(f"no obligation '{name}' in this task; it has: {ids}")
    return obligation


def _canonical(registry: Registry, name: str, option: str) -> str:
    from ..files.registry import UnknownName

    try:
        return registry.lookup(name).name
    except UnknownName as exc:
        raise UsageError(f"{option}: {exc}") from None


def earliest_open(
    task: Task, obligation: Obligation, registry: Registry, by: str | None, as_of: dt.date
) -> dt.date | None:
    """The earliest occurrence still open for `by` (default: any assignee), per the engine.

    None when the agency is not an assignee: the event is then written without `for:` and
    validation reports the real problem.
    """
    from ..engine.status import Settings, task_rows
    from ..files.vocab import FINISHED

    covered: set[str] | None = None
    if by is not None:
        entity = registry.resolve(by)
        covered = set(registry.members(entity)) if entity is not None else set()
    # look a year ahead, then ten: a report may be filed long before its occurrence
    for years in (1, 10):
        settings = Settings(as_of=as_of, window=0, horizon=as_of + dt.timedelta(days=366 * years))
        open_dates = sorted(
            row.occurrence
            for row in task_rows("", task, registry, settings)
            if row.obligation.id == obligation.id
            and row.occurrence is not None
            and any(
                m.status not in FINISHED and m.status != "cancelled"
                for m in row.members
                if covered is None or m.agency in covered
            )
        )
        if open_dates:
            return open_dates[0]
    if covered is not None and not covered & set(registry.expand(obligation.assignees(task))):
        return None
    raise WriteRefused(
        f"no open occurrence of '{obligation.id}' to record"
        + (f" for {by}" if by else "")
        + "; give the occurrence with --for DATE"
    )


def _refuse_second_cancel(task: Task, obligation: Obligation, for_: dt.date | None) -> None:
    for event in task.progress:
        named = task.obligation_for(event)
        if event.shape == "cancels" and named is obligation and event.for_ == for_:
            what = f"'{obligation.id}'" + (f" for {for_}" if for_ else "")
            raise WriteRefused(f"{what} is already cancelled (event of {event.on})")


def _describe(task: str, shape: Shape, obligation: str, event: Mapping[str, Any]) -> str:
    verb = {"fulfils": "fulfilled", "extends": "extended", "cancels": "cancelled"}[shape]
    parts = [f"{task}: {obligation} {verb}"]
    if "for" in event:
        parts.append(f"for {event['for']}")
    if "by" in event:
        parts.append(f"by {event['by']}")
    if "to" in event:
        parts.append(f"to {event['to']}")
    parts.append(f"on {event['on']}")
    return " ".join(parts)


# --- new -----------------------------------------------------------------------------------

DueForm = Literal["by", "before", "within", "every", "ongoing", "undated"]


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
    obligation = CommentedMap()
    obligation["id"] = spec.obligation_id
    obligation["kind"] = spec.kind
    obligation[spec.due_form] = spec.due_value
    if spec.start is not None:
        obligation["start"] = spec.start
    if spec.until is not None:
        obligation["until"] = spec.until
    if spec.as_written:
        obligation["as_written"] = spec.as_written
    doc["obligations"] = CommentedSeq([obligation])
    progress = CommentedSeq()
    progress.fa.set_flow_style()
    doc["progress"] = progress
    return _dump(_yaml(), doc)


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


def plan_new(root: Path, identifier: str, spec: NewTask, today: dt.date) -> Change:
    """A new task file from options: refused for an existing ID, validated as `check` would."""
    wanted = _wanted(identifier)
    rel = path_of_id(wanted)
    registry = load_registry(root)
    path = root.resolve() / rel
    if os.path.lexists(path):
        raise WriteRefused(f"task {wanted} already exists ({rel}); edit it, or choose another ID")
    _refuse_linked_folders(root, rel)
    spec = NewTask(
        notice=nfc(spec.notice) or "",
        date=spec.date,
        section=(nfc(spec.section) or ""),
        title=nfc(spec.title) or "",
        lead=[_canonical(registry, n, "--lead") for n in spec.lead],
        due_form=spec.due_form,
        due_value=(nfc(spec.due_value) or "")
        if isinstance(spec.due_value, str)
        else spec.due_value,
        number=nfc(spec.number) or None,
        text=nfc(spec.text) or None,
        support=[_canonical(registry, n, "--support") for n in spec.support],
        report_to=_canonical(registry, spec.report_to, "--report-to") if spec.report_to else None,
        tags=[nfc(t) or "" for t in spec.tags],
        obligation_id=spec.obligation_id.strip(),
        kind=spec.kind,
        as_written=nfc(spec.as_written) or None,
        start=spec.start,
        until=spec.until,
    )
    text = render_new_task(spec)
    data = text.encode("utf-8")
    return _validated(rel, path, None, data, registry, today, f"{wanted}: new task", None)


def _refuse_linked_folders(root: Path, rel: str) -> None:
    """Every existing folder on the way to a new file must be a real folder inside tasks/."""
    tasks = root.resolve() / TASKS_DIR
    folder = root.resolve()
    for part in Path(rel).parent.parts:
        folder = folder / part
        if folder.is_symlink():
            raise WriteRefused(f"{folder.relative_to(root.resolve())} is a symbolic link; refused")
        if not folder.exists():
            break
    if tasks.exists() and not tasks.is_dir():
        raise WriteRefused(f"{TASKS_DIR} is not a folder")


# --- writing -------------------------------------------------------------------------------


def write(change: Change) -> None:
    """Write atomically: a temporary file in the same folder, fsync, rename over the old one.

    Refused, with nothing lost, when the file is no longer what was read (another edit landed
    since), or, for a new file, when one appeared meanwhile.
    """
    path = change.path
    if change.old is None:
        _make_folders(path)
    folder = path.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(change.new)
            handle.flush()
            os.fsync(handle.fileno())
        mode = change.mode if change.mode is not None else 0o666 & ~_umask()
        os.chmod(temporary, stat.S_IMODE(mode))
        if _before_replace is not None:
            _before_replace(path)
        if change.old is None:
            _link_new(temporary, path, change.rel)
        else:
            _still_unchanged(path, change.rel, change.old)
            os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    _sync_folder(folder)


def _still_unchanged(path: Path, rel: str, old: bytes) -> None:
    try:
        current, _ = _read(path, rel)
    except WriteRefused:
        current = None
    if current != old:
        raise WriteRefused(
            f"{rel} changed on disk since it was read; nothing was written, and the other "
            "change is kept; run the command again"
        )


def _link_new(temporary: str, path: Path, rel: str) -> None:
    """Put a new file in place without ever overwriting one that appeared meanwhile."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise WriteRefused(f"{rel} appeared on disk meanwhile; nothing was written") from None
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise WriteRefused(f"{rel} appeared on disk meanwhile; nothing was written") from None
        os.replace(temporary, path)


def _make_folders(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    # the path was built from the resolved root: any difference now is a link on the way
    if path.parent.resolve() != path.parent:
        raise WriteRefused(f"{path.parent} is reached through a symbolic link; refused")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- init ----------------------------------------------------------------------------------

GITIGNORE_LINE = ".tbtrack/"


@dataclass(frozen=True)
class InitStep:
    rel: str
    action: Literal["create", "append", "keep"]
    data: bytes = b""


def plan_init(target: Path) -> list[InitStep]:
    """What `tbtrack init` would do in `target`; refused when it already has a registry."""
    from importlib.resources import files

    if (target / AGENCIES_FILE).exists():
        raise WriteRefused(
            f"{target / AGENCIES_FILE} already exists; tbtrack init never overwrites a registry"
        )
    package = files("tbtrack") / "data"
    steps = [InitStep(AGENCIES_FILE, "create", (package / "agencies.yaml").read_bytes())]
    if not (target / TASKS_DIR / ".gitkeep").exists():
        steps.append(InitStep(f"{TASKS_DIR}/.gitkeep", "create"))
    ignore = target / ".gitignore"
    if not ignore.exists():
        steps.append(InitStep(".gitignore", "create", f"{GITIGNORE_LINE}\n".encode()))
    else:
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
        if not {GITIGNORE_LINE, ".tbtrack", "/.tbtrack/", "/.tbtrack"} & {s.strip() for s in lines}:
            current = ignore.read_bytes()
            glue = b"" if not current or current.endswith(b"\n") else b"\n"
            steps.append(InitStep(".gitignore", "append", glue + f"{GITIGNORE_LINE}\n".encode()))
    hook = (package / "pre-commit-config.yaml").read_bytes()
    if (target / ".pre-commit-config.yaml").exists():
        steps.append(InitStep(".pre-commit-config.yaml", "keep", hook))
    else:
        steps.append(InitStep(".pre-commit-config.yaml", "create", hook))
    return steps


def apply_init(target: Path, steps: Sequence[InitStep]) -> None:
    try:
        _apply_init(target, steps)
    except OSError as exc:
        raise WriteRefused(f"cannot write in {target}: {exc.strerror or exc}") from None


def _apply_init(target: Path, steps: Sequence[InitStep]) -> None:
    (target / TASKS_DIR).mkdir(parents=True, exist_ok=True)
    for step in steps:
        path = target / step.rel
        if step.action == "create":
            # exclusive creation: a file that appeared meanwhile is never overwritten
            try:
                with open(path, "xb") as handle:
                    handle.write(step.data)
            except FileExistsError:
                raise WriteRefused(f"{path} appeared meanwhile; not overwritten") from None
        elif step.action == "append":
            with open(path, "ab") as handle:
                handle.write(step.data)
