"""A file's findings in plain words: the parser's and the schema's, each at its key or value.

`parse` and `validate` turn what ruamel.yaml and pydantic find into `Diagnostic`s located by
their key path, in words a secretariat reads (never the libraries' own English), with a hint
where one helps. `Report` collects them for one file; `check` adds the rules that look further.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..files.diagnostics import Diagnostic, Severity
from ..files.marks import Locations, Path
from ..files.yamlread import YamlProblem, decode, load

R = TypeVar("R")


@dataclass
class Report:
    """Collects the diagnostics of one file, locating each by its key path."""

    rel: str
    locations: Locations = field(default_factory=Locations)
    items: list[Diagnostic] = field(default_factory=list)
    all_nfc: bool = False  # the file's text is NFC and has no escapes: so is every value
    # where each item of `add` was found, to locate it again (`located`)
    places: list[tuple[Path, bool]] = field(default_factory=list)

    def add(
        self,
        path: Path,
        message: str,
        rule: str,
        *,
        hint: str | None = None,
        severity: Severity = "error",
        at_key: bool = False,
    ) -> None:
        mark = self.locations.of_key(path) if at_key else self.locations.of_value(path)
        self.items.append(Diagnostic(self.rel, mark.line, mark.col, severity, message, rule, hint))
        self.places.append((path, at_key))

    def located(self, locations: Locations) -> list[Diagnostic]:
        """The items of `add`, each at its place in `locations` (a parse with positions)."""
        assert len(self.places) == len(self.items), "an item was added without its place"
        out = []
        for item, (path, at_key) in zip(self.items, self.places, strict=True):
            mark = locations.of_key(path) if at_key else locations.of_value(path)
            out.append(item._replace(line=mark.line, col=mark.col))
        return out

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)


def parse(report: Report, data: bytes, positions: bool = True) -> Any:
    try:
        text = decode(data)
        # every string value is pieces of the text joined by spaces or line breaks, unless an
        # escape (`"\u0301"`) makes one up; pieces of NFC text so joined are NFC
        report.all_nfc = "\\" not in text and unicodedata.is_normalized("NFC", text)
        value, report.locations = load(text, positions=positions)
    except YamlProblem as problem:
        message, hint = problem.message, problem.hint
        if problem.rule == "yaml-syntax":
            message, hint = _plain_syntax(problem.message)
        report.items.append(
            Diagnostic(
                report.rel,
                problem.mark.line,
                problem.mark.col,
                "error",
                message,
                problem.rule,
                hint,
            )
        )
        return None
    if value is None:
        report.add((), "the file is empty", "empty-file", hint="see the task format in README.md")
        return None
    if not isinstance(value, dict):
        report.add((), f"expected a mapping of keys, found a {type_name(value)}", "not-a-mapping")
        return None
    return value


# the YAML parser's findings in plain words, each with what to do (SPEC 6)
_SYNTAX = (
    (
        "mapping values are not allowed",
        "this value holds ': ', which YAML reads as the start of a key",
        'quote the value ("...") or write it as a block: `key: >-`, the text indented on the '
        "next line",
    ),
    (
        "could not find expected ':'",
        "this line is not `key: value`",
        "check the ':' after the key, and that the line is indented as the ones above",
    ),
    (
        "expected <block end>",
        "this line is not indented as the lines around it",
        "line it up with the other keys of its block",
    ),
    (
        "end of stream",
        "the file ends inside a quoted value or a `[...]` list",
        "close the quote or the bracket",
    ),
    (
        "found unexpected ':'",
        "this value holds ':' where YAML expects none",
        'quote the value ("...")',
    ),
    ("did not find expected", "a `[...]` or `{...}` is not closed", "close it, or quote the value"),
)


def _plain_syntax(raw: str) -> tuple[str, str]:
    for phrase, message, hint in _SYNTAX:
        if phrase in raw:
            return message, hint
    return (
        "YAML cannot read the file from here",
        "check the quoting and the indentation of this line and the one above",
    )


def validate(report: Report, record: type[R], value: Any) -> R | None:
    from pydantic import ValidationError

    from ..files import schema

    try:
        return schema.validate(record, value)
    except ValidationError as exc:
        model = schema.model_of(record)
        seen: set[Path] = set()
        for error in exc.errors():
            # a value that fits no branch of a union (`within: [x]`) fails each: say it once
            path = _model_path(model, error["loc"])
            if path not in seen or error["type"] in ("extra_forbidden", "missing"):
                _translate(report, model, error)
            seen.add(path)
    return None


_RULE_BY_TYPE = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "string_pattern_mismatch": "bad-id",
    "too_short": "missing-value",
    "literal_error": "bad-value",
}


def _translate(report: Report, model: Any, error: Any) -> None:
    path = _model_path(model, error["loc"])
    kind = error["type"]
    field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1])
        close = difflib.get_close_matches(str(field_name), allowed, n=1)
        report.add(
            path,
            f"unknown key '{field_name}'",
            "unknown-key",
            hint=f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}",
            at_key=True,
        )
        return
    if kind == "missing":
        report.add(path[:-1], f"missing required key '{field_name}'", "missing-key")
        return
    if (
        kind in ("string_type", "str_type")
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        scalar = report.locations.scalars.get(path)
        text = scalar.text if scalar else str(value)
        report.add(
            path,
            f"'{field_name}' must be text, but {text} reads as a number in YAML",
            "type",
            hint=f'quote it: "{text}"',
        )
        return
    if kind == "literal_error" and not isinstance(value, list | dict):
        _unknown_value(report, path, str(field_name), value, error)
        return
    if kind in ("string_type", "str_type", "literal_error") and isinstance(value, list):
        one = field_name in ("to", "report_to")
        report.add(
            path,
            f"'{field_name}' names one recipient only"
            if one
            else f"'{field_name}' is one value, not a list",
            "type",
            hint="to give the obligation to several agencies, list them under who:"
            if one
            else "write one value, without [ ]",
        )
        return
    if kind == "list_type":
        report.add(
            path,
            f"'{field_name}' must be a list",
            "type",
            hint=f"write [{value}], or one '- name' per line" if isinstance(value, str) else None,
        )
        return
    message = str(error["msg"]).removeprefix("Value error, ")
    rule = _RULE_BY_TYPE.get(kind, "type")
    if kind == "value_error":
        rule = _value_rule(message, field_name)
    elif kind == "string_pattern_mismatch":
        message = f"'{value}' is not a valid obligation id: use [a-z0-9][a-z0-9-]*"
    elif kind == "too_short":
        message = f"'{field_name}' needs at least one entry"
    where = f"'{field_name}': " if field_name and rule in ("type", "bad-value") else ""
    report.add(path, f"{where}{message}", rule)


def _model_path(model: Any, loc: Iterable[str | int]) -> Path:
    """pydantic's location as a path in the file: keys and indices, without the names of the
    union branches it tried (`str`, `int`, `date`, `function-after[...]`) - a key named
    `date` is a key, a branch named `date` is not."""
    from ..files.schema import inner_model

    path: list[str | int] = []
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            path.append(part)
            continue
        name = "for_" if part == "for" else part
        fields = current.model_fields if current is not None else {}
        info = fields.get(name) or next((f for f in fields.values() if f.alias == part), None)
        if info is None:
            if (
                current is None
                or part in ("str", "int", "date", "list[str]", "bool")
                or "[" in part
            ):
                continue  # a union branch, or inside a plain value
            path.append(part)  # an unknown key: reported as such
            current = None
            continue
        path.append("for" if name == "for_" else part)
        current = inner_model(info.annotation)
    return tuple(path)


def _unknown_value(report: Report, path: Path, field_name: str, value: Any, error: Any) -> None:
    """`kind: reprot`: unknown kind 'reprot' (did you mean 'report'?), and the list."""
    import re

    expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    if not expected:  # `ongoing: false`: the key is there to say true
        report.add(
            path,
            f"'{field_name}' is written `{field_name}: true`",
            "bad-value",
            hint="leave it out when it does not hold",
        )
        return
    shown = value if isinstance(value, str) else str(value)
    close = difflib.get_close_matches(shown, expected, n=1) if isinstance(value, str) else []
    word = field_name.replace("_", " ")
    report.add(
        path,
        f"unknown {word} '{shown}'" + (f" (did you mean '{close[0]}'?)" if close else ""),
        "bad-value",
        hint=f"{word} is one of: {', '.join(expected)}" if expected else None,
    )


def _value_rule(message: str, field_name: str | int) -> str:
    if "due form" in message:
        return "due-form"
    if "until" in message and "before start" in message:
        return "until-before-start"
    if "rule" in message.lower() or field_name == "every":
        return "recurrence"
    if field_name == "within":
        return "within"
    if "date" in message:
        return "date"
    if "event" in message or field_name in ("to", "by"):
        return "event-shape"
    return "bad-value"


def _allowed_keys(model: Any, path: Path) -> list[str]:
    from ..files.schema import inner_model

    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part if part != "for" else "for_")
        if info is None:
            return []
        current = inner_model(info.annotation)
        if current is None:
            return []
    return [f.alias or name for name, f in current.model_fields.items()]


def type_name(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number"}.get(type(value), "value")
