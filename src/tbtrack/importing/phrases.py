"""The phrase patterns of `phrases.toml`, compiled once (data, never code)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class DuePattern:
    reading: str
    regex: re.Pattern[str]
    rule: str | None


@dataclass(frozen=True)
class Phrases:
    due: tuple[DuePattern, ...]
    start: tuple[re.Pattern[str], ...]
    urgency: re.Pattern[str]
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    tied: re.Pattern[str]
    condition: re.Pattern[str]
    subject_prefix: re.Pattern[str]
    lead_mark: re.Pattern[str]
    separator: re.Pattern[str]
    partner_separator: re.Pattern[str]
    support: re.Pattern[str]
    shared_heads: tuple[tuple[re.Pattern[str], str], ...]
    recipient_skip: re.Pattern[str]
    unknown_start: re.Pattern[str]
    unknown_end: re.Pattern[str]
    topic_heading: re.Pattern[str]
    closing: re.Pattern[str]
    motto: re.Pattern[str]
    closing_deadline: re.Pattern[str]
    proper: tuple[str, ...]
    title_filler: re.Pattern[str]
    title_cut: re.Pattern[str]
    title_joint: re.Pattern[str]


def _alternatives(items: list[str]) -> str:
    return "|".join(f"(?:{item})" for item in items)


def _words(items: list[str]) -> str:
    """Whole words or phrases, longest first so that "Tổng cục" wins over "Cục"."""
    ordered = sorted(items, key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(re.escape(item) for item in ordered) + r")(?!\w)"


@cache
def phrases() -> Phrases:
    raw: dict[str, Any] = tomllib.loads(
        resources.files(__package__).joinpath("phrases.toml").read_text(encoding="utf-8")
    )
    holes: dict[str, str] = raw["placeholders"]

    def expand(pattern: str) -> str:
        for name, value in holes.items():
            pattern = pattern.replace("{" + name + "}", value)
        return pattern

    def compile_(pattern: str) -> re.Pattern[str]:
        return re.compile(expand(pattern), _FLAGS)

    due = tuple(
        DuePattern(
            entry["reading"], compile_(r"(?<!\w)(?:" + entry["pattern"] + ")"), entry.get("rule")
        )
        for entry in raw["due"]
    )
    subject = raw["subject"]
    structure = raw["structure"]
    return Phrases(
        due=due,
        start=tuple(compile_(p) for p in raw["start"]["patterns"]),
        urgency=re.compile(_words(raw["urgency"]["patterns"]), _FLAGS),
        kinds=tuple(
            (kind, re.compile(_words(verbs), _FLAGS)) for kind, verbs in raw["kinds"].items()
        ),
        tied=compile_(raw["doubt"]["tied"]),
        condition=compile_(raw["doubt"]["condition"]),
        subject_prefix=re.compile(r"^(?:" + _words(subject["prefixes"]) + r")\s+", _FLAGS),
        lead_mark=re.compile(
            r"\s*,?\s*(?:cùng\s+)?(?:" + _alternatives(subject["lead_marks"]) + r")(?!\w)", _FLAGS
        ),
        separator=re.compile(_alternatives(subject["separators"]), _FLAGS),
        partner_separator=re.compile(_alternatives(subject["partner_separators"]), _FLAGS),
        support=re.compile(r"(?<!\w)(?:" + _alternatives(raw["support"]["patterns"]) + ")", _FLAGS),
        shared_heads=tuple(
            (re.compile(entry["pattern"], _FLAGS), entry["head"]) for entry in raw["shared_head"]
        ),
        recipient_skip=re.compile(
            r"\s*(?:" + _alternatives(raw["recipient"]["skip"]) + r")*", _FLAGS
        ),
        # case-sensitive: a name starts with a capital, and so does its next word (the
        # caller checks), so "Ban hành ..." opening a sentence is no "Ban"
        unknown_start=re.compile(
            r"(?:"
            + "|".join(
                re.escape(s) for s in sorted(raw["unknown_agency"]["starts"], key=len, reverse=True)
            )
            + r")\s+"
        ),
        unknown_end=re.compile(
            r"\s*[,:;.(]|\s+(?:" + _words(raw["unknown_agency"]["ends"]) + ")", _FLAGS
        ),
        topic_heading=re.compile(structure["topic_heading"], _FLAGS),
        closing=re.compile(_alternatives(structure["closing"]), _FLAGS),
        motto=re.compile(_alternatives(structure["motto"])),
        closing_deadline=re.compile(structure["closing_deadline"]),
        proper=tuple(raw["title"]["proper"]),
        title_filler=re.compile(
            r"^(?:" + _alternatives(raw["task_title"]["fillers"]) + r")(?!\w)[\s,]*", _FLAGS
        ),
        title_cut=re.compile(_alternatives(raw["task_title"]["cuts"]), _FLAGS),
        title_joint=re.compile(r",\s*|\s+(?=" + _words(raw["task_title"]["joints"]) + ")", _FLAGS),
    )
