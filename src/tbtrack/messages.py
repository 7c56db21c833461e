"""The messages a user meets most, in English and Vietnamese: one catalogue.

An error keeps a `Message`, a key and its arguments, rather than a finished sentence; the
one error handler (`cli.failure`) writes it in the run's language (`--lang`, tbtrack.toml,
`$LANG`). `str()` of an error is its English text, for logs and for Python callers.

An argument may be a `Message` itself (the reason inside "--before: ..."), or a tuple of
names, written as alternatives: 'A' or 'B' / 'A' hoặc 'B'.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, TypeAlias

Value: TypeAlias = "str | int | Message | tuple[str, ...]"

# key: (English, Vietnamese)
CATALOGUE: dict[str, tuple[str, str]] = {
    "text": ("{text}", "{text}"),  # a message not (yet) in the catalogue: as written
    "error": ("error", "lỗi"),
    "option": ("{option}: {message}", "{option}: {message}"),
    "no-value": ("{option}: no value given", "{option}: chưa nhập giá trị"),
    "required": ("{option} is required", "cần có {option}"),
    "unknown-agency": ("unknown agency or group '{name}'", "không có cơ quan hoặc nhóm '{name}'"),
    "unknown-agency-hint": (
        "unknown agency or group '{name}'; did you mean {suggestions}?",
        "không có cơ quan hoặc nhóm '{name}'; có phải ý bạn là {suggestions}?",
    ),
    "no-task": ("no task with ID '{id}'", "không có nhiệm vụ nào có ID '{id}'"),
    "ambiguous-id": (
        "'{id}' is ambiguous; it could be: {candidates}",
        "'{id}' ứng với nhiều nhiệm vụ; có thể là: {candidates}",
    ),
    "not-a-kind": (
        "{option}: '{value}' is not a kind; use one of {allowed}",
        "{option}: '{value}' không phải là loại nghĩa vụ; hãy dùng một trong các loại: {allowed}",
    ),
    "not-a-status": (
        "{option}: '{value}' is not a status; use one of {allowed}",
        "{option}: '{value}' không phải là tình trạng; hãy dùng một trong các tình trạng: "
        "{allowed}",
    ),
    "no-root": (
        "no agencies.yaml here or in any folder above; run `tbtrack init` to start a data "
        "repository, or pass --root DIR",
        "không có agencies.yaml ở thư mục này hay ở thư mục nào bên trên; hãy chạy "
        "`tbtrack init` để tạo kho dữ liệu, hoặc chỉ ra thư mục bằng --root DIR",
    ),
    "not-a-root": (
        "{root} is not a tbtrack data root: it has no agencies.yaml "
        "(create one with `tbtrack init {given}`)",
        "{root} không phải là thư mục dữ liệu của tbtrack: không có agencies.yaml "
        "(tạo bằng `tbtrack init {given}`)",
    ),
    # dates typed on the command line (`cli.dates`)
    "bad-date": (
        "{text}: {reason}; write a date as one of: {forms}",
        "{text}: {reason}; hãy viết ngày theo một trong các dạng: {forms}",
    ),
    "not-a-date": (
        "{text} is not a date; write a date as one of: {forms}",
        "{text} không phải là ngày; hãy viết ngày theo một trong các dạng: {forms}",
    ),
    "no-month": ("there is no month {month}", "không có tháng {month}"),
    "no-year": ("there is no year {year}", "không có năm {year}"),
    "no-such-day": (
        "that date does not exist ({month}/{year} has {days} days)",
        "không có ngày này (tháng {month}/{year} có {days} ngày)",
    ),
    "outside-calendar": ("that is outside the calendar", "ngày này nằm ngoài lịch"),
    "no-date": ("no date given", "chưa nhập ngày"),
    "not-a-date-reason": ("not a date", "không phải là ngày"),
    "env-date": ("{variable}: {reason}", "{variable}: {reason}"),
    "as-of-range": (
        "{source}: {day} is not a day between {first} and {last}",
        "{source}: {day} không nằm trong khoảng từ năm {first} đến năm {last}",
    ),
}

_OR = {"en": " or ", "vi": " hoặc "}


class Message(NamedTuple):
    key: str
    args: Mapping[str, Value] = {}

    def text(self, lang: str = "en") -> str:
        """The message in `lang` ("vi", else English)."""
        english, vietnamese = CATALOGUE[self.key]
        template = vietnamese if lang == "vi" else english
        return template.format(**{k: _shown(v, lang) for k, v in self.args.items()})


def plain(text: str) -> Message:
    """A message written out already, the same in every language."""
    return Message("text", {"text": text})


def _shown(value: Value, lang: str) -> str:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, tuple):
        return _OR.get(lang, _OR["en"]).join(repr(v) for v in value)
    return str(value)
