"""The words of `diff` and `log`: each change of `review.history` as a line a person reads, in
Vietnamese or English, shared by every formatter. The meaning comes from `history`; this
module only words it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..render.labels import word

if TYPE_CHECKING:
    from ..review.compare import Change, Detail, Flag
    from ..review.history import TaskLog


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    text = str(value).strip()
    return text if "\n" not in text else text.splitlines()[0] + " …"


def event_text(lang: str, event: dict[str, Any]) -> str:
    """One event in a line: `2025-06-12 done report by Bộ Tài chính — Báo cáo số 123/BC-BTC`."""
    shape = next((s for s in ("extends", "cancels", "fulfils") if event.get(s)), "fulfils")
    parts = [str(event.get("on", "")), word(shape, lang)]
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


def describe(lang: str, detail: Detail) -> str:
    data = dict(detail.data)
    what = detail.what
    if what in ("event-appended", "event-inserted", "event-removed"):
        return word(what, lang).format(n=data["index"] + 1, event=event_text(lang, data["event"]))
    if what == "event-edited":
        return word(what, lang).format(
            n=data["old_index"] + 1,
            old=event_text(lang, data["old"]),
            new=event_text(lang, data["new"]),
        )
    if what == "unparseable":
        return word(f"unparseable-{data['side']}", lang).format(message=data["message"])
    if what == "due-edited":
        old, new = data["old"], data["new"]
        if data.get("old_last_day") and data["old_last_day"] not in old:
            old += f" (L {data['old_last_day']})"
        if data.get("new_last_day") and data["new_last_day"] not in new:
            new += f" (L {data['new_last_day']})"
        return word(what, lang).format(obligation=data["obligation"], old=old, new=new)
    last = data.get("last_day")
    if what in ("obligation-added", "obligation-removed") and last and last not in data["due"]:
        data["due"] += f", L {last}"
    if "fields" in data:
        data["fields"] = ", ".join(data["fields"])
    for key in ("old", "new"):
        if key in data:
            data[key] = _value(data[key])
    try:
        return word(what, lang).format(**data)
    except (KeyError, IndexError):
        # a detail this version does not word: show it as it is rather than fail
        return f"{what}: {', '.join(f'{k}={_value(v)}' for k, v in detail.data.items())}"


def flag_text(flag: Flag) -> str:
    return f"⚑ {flag.rule}: {flag.message}"


def task_cell(change: Change) -> str:
    return change.task or change.path


def side(label: str) -> str:
    """A revision as the user gave it; a full commit id is cut to ten characters, as in `log`."""
    if len(label) == 40 and all(ch in "0123456789abcdef" for ch in label):
        return label[:10]
    return label


CSV_FIELDS = ("task", "path", "change", "from_path", "title", "details", "flags")
LOG_CSV_FIELDS = ("commit", "author", "email", "date", "subject", *CSV_FIELDS)


def change_record(lang: str, change: Change) -> dict[str, Any]:
    """A change as one flat record (CSV): its details worded and joined."""
    return {
        "task": change.task,
        "path": change.path,
        "change": change.change,
        "from_path": change.from_path,
        "title": change.title,
        "details": "; ".join(describe(lang, d) for d in change.details),
        "flags": " ".join(f.rule for f in change.flags),
    }


def log_records(lang: str, log: TaskLog) -> list[dict[str, Any]]:
    """A task's history as flat records (CSV), one per commit, newest first."""
    records = []
    for entry in log.entries:
        commit = entry.commit
        record: dict[str, Any] = {"task": log.task, "path": commit.path, "change": None}
        if entry.change:
            record = change_record(lang, entry.change)
        records.append(
            {
                "commit": commit.sha,
                "author": commit.author,
                "email": commit.email,
                "date": commit.date,
                "subject": commit.subject,
                **record,
            }
        )
    return records


def unreadable_changes(changes: Sequence[Change]) -> list[tuple[str, str]]:
    """The files a diff could not read on its new side, with why: (path, message)."""
    return [
        (change.path, message)
        for change in changes
        for message in [
            next(
                (
                    d.data["message"]
                    for d in change.details
                    if d.what == "unparseable" and d.data.get("side") == "new"
                ),
                None,
            )
        ]
        if message is not None
    ]
