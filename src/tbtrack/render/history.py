"""Rendering of `diff` and `log` through `Output`: a Rich table, Markdown for a merge request
comment, JSON and CSV. The meaning of each change comes from `history`; this module only words
it, in Vietnamese or English.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..render.export import dumps, to_csv
from ..render.output import Output
from ..review.history import Change, Detail, Diff, Flag, TaskLog

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "added": "added",
        "removed": "removed",
        "renamed": "renamed",
        "modified": "modified",
        "task": "Task",
        "change": "Change",
        "details": "What changed",
        "no-change": "No change in the tasks.",
        "summary": "{changes} change(s), {flags} flag(s) for a reviewer",
        "no-flag": "No flag: nothing needs a reviewer's particular attention.",
        "flags-head": "**{flags} flag(s)** need a reviewer's attention.",
        "title": "tbtrack diff",
        "from": "from",
        "event": "event",
        "fulfils": "done",
        "extends": "extended",
        "cancels": "cancelled",
        "obligation": "obligation",
        "due": "due",
        "obligation-added": "obligation added: {obligation} ({kind}, {due})",
        "obligation-removed": "obligation removed: {obligation} ({kind}, {due})",
        "obligation-changed": "obligation {obligation}: {field} {old} → {new}",
        "due-edited": "obligation {obligation}: due {old} → {new}",
        "field-changed": "{field}: {old} → {new}",
        "event-appended": "event {n} appended: {event}",
        "event-inserted": "event {n} inserted (not at the end): {event}",
        "event-edited": "event {n} edited: {old} ⇒ {new}",
        "event-removed": "event {n} removed: {event}",
        "format-only": "layout or comments only: no change in meaning",
        "unparseable-new": "does not parse: {message}",
        "unparseable-old": "did not parse before: {message}",
        "agency-added": "agency added: {name}",
        "agency-removed": "agency removed: {name}",
        "agency-changed": "agency {name}: {fields} changed",
        "group-added": "group added: {name}",
        "group-removed": "group removed: {name}",
        "group-changed": "group {name}: {fields} changed",
        "registry-added": "registry added: {agencies} agencies, {groups} groups",
        "log-empty": "No commit touched this task.",
        "no-meaning": "no change to this task (merge)",
    },
    "vi": {
        "added": "thêm mới",
        "removed": "xóa",
        "renamed": "đổi tên",
        "modified": "sửa đổi",
        "task": "Nhiệm vụ",
        "change": "Thay đổi",
        "details": "Nội dung thay đổi",
        "no-change": "Không có thay đổi nào trong các nhiệm vụ.",
        "summary": "{changes} thay đổi, {flags} cảnh báo cần người duyệt xem",
        "no-flag": "Không có cảnh báo nào cần người duyệt đặc biệt lưu ý.",
        "flags-head": "**{flags} cảnh báo** cần người duyệt xem xét.",
        "title": "tbtrack diff",
        "from": "từ",
        "event": "sự kiện",
        "fulfils": "hoàn thành",
        "extends": "gia hạn",
        "cancels": "hủy",
        "obligation": "nghĩa vụ",
        "due": "hạn",
        "obligation-added": "thêm nghĩa vụ: {obligation} ({kind}, {due})",
        "obligation-removed": "xóa nghĩa vụ: {obligation} ({kind}, {due})",
        "obligation-changed": "nghĩa vụ {obligation}: {field} {old} → {new}",
        "due-edited": "nghĩa vụ {obligation}: hạn {old} → {new}",
        "field-changed": "{field}: {old} → {new}",
        "event-appended": "thêm sự kiện {n}: {event}",
        "event-inserted": "chèn sự kiện {n} (không phải cuối danh sách): {event}",
        "event-edited": "sửa sự kiện {n}: {old} ⇒ {new}",
        "event-removed": "xóa sự kiện {n}: {event}",
        "format-only": "chỉ đổi cách trình bày hoặc chú thích, không đổi nội dung",
        "unparseable-new": "không đọc được: {message}",
        "unparseable-old": "trước đây không đọc được: {message}",
        "agency-added": "thêm cơ quan: {name}",
        "agency-removed": "xóa cơ quan: {name}",
        "agency-changed": "cơ quan {name}: đổi {fields}",
        "group-added": "thêm nhóm: {name}",
        "group-removed": "xóa nhóm: {name}",
        "group-changed": "nhóm {name}: đổi {fields}",
        "registry-added": "thêm danh mục: {agencies} cơ quan, {groups} nhóm",
        "log-empty": "Chưa có commit nào về nhiệm vụ này.",
        "no-meaning": "không đổi nhiệm vụ này (merge)",
    },
}


def _w(out: Output, key: str) -> str:
    return WORDS.get(out.lang, WORDS["en"]).get(key, key)


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    text = str(value).strip()
    return text if "\n" not in text else text.splitlines()[0] + " …"


def event_text(out: Output, event: dict[str, Any]) -> str:
    """One event in a line: `2025-06-12 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC`."""
    shape = next((s for s in ("extends", "cancels", "fulfils") if event.get(s)), "fulfils")
    parts = [str(event.get("on", "")), _w(out, shape)]
    if event.get(shape):
        parts.append(str(event[shape]))
    for key in ("by", "for", "to"):
        if event.get(key):
            parts.append(f"{key} {event[key]}")
    text = " ".join(parts)
    if event.get("evidence"):
        text += f" — {event['evidence']}"
    if event.get("note"):
        text += f" ({event['note']})"
    return text


def describe(out: Output, detail: Detail) -> str:
    data = dict(detail.data)
    what = detail.what
    if what in ("event-appended", "event-inserted", "event-removed"):
        return _w(out, what).format(n=data["index"] + 1, event=event_text(out, data["event"]))
    if what == "event-edited":
        return _w(out, what).format(
            n=data["old_index"] + 1,
            old=event_text(out, data["old"]),
            new=event_text(out, data["new"]),
        )
    if what == "unparseable":
        return _w(out, f"unparseable-{data['side']}").format(message=data["message"])
    if what == "due-edited":
        old, new = data["old"], data["new"]
        if data.get("old_last_day") and data["old_last_day"] not in old:
            old += f" (L {data['old_last_day']})"
        if data.get("new_last_day") and data["new_last_day"] not in new:
            new += f" (L {data['new_last_day']})"
        return _w(out, what).format(obligation=data["obligation"], old=old, new=new)
    last = data.get("last_day")
    if what in ("obligation-added", "obligation-removed") and last and last not in data["due"]:
        data["due"] += f", L {last}"
    if "fields" in data:
        data["fields"] = ", ".join(data["fields"])
    for key in ("old", "new"):
        if key in data:
            data[key] = _value(data[key])
    try:
        return _w(out, what).format(**data)
    except (KeyError, IndexError):
        # a detail this version does not word: show it as it is rather than fail
        return f"{what}: {', '.join(f'{k}={_value(v)}' for k, v in detail.data.items())}"


def flag_text(flag: Flag) -> str:
    return f"⚑ {flag.rule}: {flag.message}"


def _task_cell(change: Change) -> str:
    return change.task or change.path


# --- diff ---------------------------------------------------------------------------------


def render_diff(out: Output, diff: Diff) -> None:
    if out.fmt == "json":
        out.write(dumps(diff.as_json()))
    elif out.fmt == "csv":
        out.write(to_csv([_csv_record(out, c) for c in diff.changes], CSV_FIELDS))
    elif out.fmt == "markdown":
        out.write(diff_markdown(out, diff))
    else:
        _diff_table(out, diff)


CSV_FIELDS = ("task", "path", "change", "from_path", "title", "details", "flags")


def _csv_record(out: Output, change: Change) -> dict[str, Any]:
    return {
        "task": change.task,
        "path": change.path,
        "change": change.change,
        "from_path": change.from_path,
        "title": change.title,
        "details": "; ".join(describe(out, d) for d in change.details),
        "flags": " ".join(f.rule for f in change.flags),
    }


def _diff_table(out: Output, diff: Diff) -> None:
    from rich.markup import escape
    from rich.table import Table

    c = out.console
    c.print(f"[bold]{escape(_side(diff.old))} → {escape(_side(diff.new))}[/bold]")
    if not diff.changes:
        c.print(_w(out, "no-change"))
        return
    table = Table(box=None, pad_edge=False, header_style="bold", show_lines=False)
    table.add_column(_w(out, "task"), no_wrap=True)
    table.add_column(_w(out, "change"), no_wrap=True)
    table.add_column(_w(out, "details"), overflow="fold")
    for change in diff.changes:
        task = escape(_task_cell(change))
        if change.from_path:
            task += f"\n[dim]← {escape(change.from_path)}[/dim]"
        lines = [f"[red]{escape(flag_text(f))}[/red]" for f in change.flags]
        lines += [escape(describe(out, d)) for d in change.details]
        if change.title:
            lines.insert(0, f"[dim]{escape(change.title)}[/dim]")
        style = "red" if change.flags else "green" if change.change == "added" else ""
        label = _w(out, change.change)
        table.add_row(task, f"[{style}]{label}[/{style}]" if style else label, "\n".join(lines))
    c.print(table)
    flags = len(diff.flags)
    summary = _w(out, "summary").format(changes=len(diff.changes), flags=flags)
    c.print(f"[red]{summary}[/red]" if flags else summary)


def _side(label: str) -> str:
    """A revision as the user gave it; a full commit id is cut to ten characters, as in `log`."""
    if len(label) == 40 and all(ch in "0123456789abcdef" for ch in label):
        return label[:10]
    return label


def _md(text: str) -> str:
    """Text that Markdown shows as written: no accidental emphasis, links or HTML."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text


def diff_markdown(out: Output, diff: Diff) -> str:
    lines = [f"### {_w(out, 'title')}: `{_side(diff.old)}` → `{_side(diff.new)}`", ""]
    flags = len(diff.flags)
    if not diff.changes:
        lines.append(_w(out, "no-change"))
        return _join(lines)
    lines.append(
        f":warning: {_w(out, 'flags-head').format(flags=flags)}"
        if flags
        else f":white_check_mark: {_w(out, 'no-flag')}"
    )
    lines.append("")
    for change in diff.changes:
        lines += _change_markdown(out, change, level="####")
    return _join(lines)


def _join(lines: Sequence[str]) -> str:
    """Markdown text with at most one blank line in a row, ending in one newline."""
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).rstrip("\n") + "\n"


def _change_markdown(out: Output, change: Change, *, level: str) -> list[str]:
    head = f"{level} `{_task_cell(change)}` — {_w(out, change.change)}"
    if change.from_path:
        head += f" ({_w(out, 'from')} `{change.from_path}`)"
    lines = [head, ""]
    if change.title:
        lines += [f"*{_md(change.title)}*", ""]
    lines += [f"- :warning: **{f.rule}**: {_md(f.message)}" for f in change.flags]
    lines += [f"- {_md(describe(out, d))}" for d in change.details]
    lines.append("")
    return lines


# --- log ----------------------------------------------------------------------------------


LOG_CSV_FIELDS = ("commit", "author", "email", "date", "subject", *CSV_FIELDS)


def render_log(out: Output, log: TaskLog) -> None:
    if out.fmt == "json":
        out.write(dumps([e.as_json() for e in log.entries]))
        return
    if out.fmt == "csv":
        records = []
        for entry in log.entries:
            c = entry.commit
            record: dict[str, Any] = {"task": log.task, "path": c.path, "change": None}
            if entry.change:
                record = _csv_record(out, entry.change)
            records.append(
                {
                    "commit": c.sha,
                    "author": c.author,
                    "email": c.email,
                    "date": c.date,
                    "subject": c.subject,
                    **record,
                }
            )
        out.write(to_csv(records, LOG_CSV_FIELDS))
        return
    if out.fmt == "markdown":
        out.write(log_markdown(out, log))
        return
    _log_text(out, log)


def _log_text(out: Output, log: TaskLog) -> None:
    from rich.markup import escape
    from rich.padding import Padding

    c = out.console

    def indented(markup: str, by: int = 6) -> None:
        # a long message wraps under itself, not under the commit id
        c.print(Padding(markup, (0, 0, 0, by), expand=False))

    c.print(f"[bold]{escape(log.task)}[/bold]  {escape(log.path)}")
    if not log.entries:
        c.print(_w(out, "log-empty"))
        return
    for entry in log.entries:
        commit = entry.commit
        c.print()
        c.print(
            f"[yellow]{commit.sha[:10]}[/yellow]  {escape(commit.date)}  "
            f"[bold]{escape(commit.author)}[/bold] <{escape(commit.email)}>"
        )
        indented(escape(commit.subject), 4)
        change = entry.change
        if change is None:
            indented(f"[dim]{_w(out, 'no-meaning')}[/dim]")
            continue
        label = _w(out, change.change)
        if change.from_path:
            label += f" ({_w(out, 'from')} {change.from_path})"
        indented(f"[bold]{escape(label)}[/bold]")
        for flag in change.flags:
            indented(f"[red]{escape(flag_text(flag))}[/red]")
        for detail in change.details:
            indented(escape(describe(out, detail)))


def log_markdown(out: Output, log: TaskLog) -> str:
    lines = [f"### tbtrack log: `{log.task}`", ""]
    if not log.entries:
        lines.append(_w(out, "log-empty"))
    for entry in log.entries:
        commit = entry.commit
        lines += [
            f"#### `{commit.sha[:10]}` {_md(commit.subject)}",
            "",
            f"{_md(commit.author)} · {commit.date}",
            "",
        ]
        if entry.change is None:
            lines += [f"- {_w(out, 'no-meaning')}", ""]
        else:
            change = entry.change
            label = f"**{_w(out, change.change)}**"
            if change.from_path:
                label += f" ({_w(out, 'from')} `{change.from_path}`)"
            lines += [label, ""]
            lines += _change_markdown(out, change, level="#####")[2:]
    return _join(lines)


def unparseable_note(out: Output, changes: Sequence[Change]) -> None:
    """On stderr, as every command does, which files could not be read (SPEC 5.2)."""
    broken = [
        c
        for c in changes
        if any(d.what == "unparseable" and d.data.get("side") == "new" for d in c.details)
    ]
    if not broken:
        return
    out.error(f"{len(broken)} file(s) could not be read:")
    for change in broken:
        message = next(d.data["message"] for d in change.details if d.what == "unparseable")
        out.note(f"  {change.path}: {message}")
