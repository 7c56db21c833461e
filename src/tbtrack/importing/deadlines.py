"""Deadline phrases to due forms (SPEC 4.1), one obligation per phrase (SPEC 10)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .phrases import DuePattern, phrases

_DATE = re.compile(
    r"(\d{1,2})\s*(?:[/.-]|tháng)\s*(\d{1,2})(?:\s*(?:[/.-]|,?\s*năm)\s*(\d{4}))?", re.IGNORECASE
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_NUMBER_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5}
# a sentence ends at ". " or "; ", and an item "(2)" starts a new one
_SENTENCE_END = re.compile(r"(?<=[.;])\s+|\s+(?=\(\d+\)\s)")
_ITEM = re.compile(r"\(\d+\)\s*")
_CLAUSE_END = re.compile(r"[,.;:]")


@dataclass
class Due:
    """One obligation found in a text."""

    form: str  # by | before | within | every | ongoing | undated
    value: dt.date | str | bool
    kind: str  # complete | report | submit | milestone
    as_written: str
    start: int  # where its phrase stands in the text
    end: int
    verb_end: int | None = None  # just after its verb: where a recipient's name would stand
    first: dt.date | None = None  # `start:` of a recurring one
    doubts: list[str] = field(default_factory=list)  # review notes on this obligation

    @property
    def dated(self) -> bool:
        return self.form not in ("undated",)


@dataclass
class Found:
    dues: list[Due]
    doubts: list[str]  # review notes on the task's obligations as a whole


def sentences(text: str) -> list[tuple[int, int]]:
    """The spans of the text's sentences (and of its "(1) ... (2) ..." items)."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for begin, end in spans:
        if begin <= pos < end:
            return begin, end
    return spans[-1]


def _date(text: str, year: int | None) -> dt.date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    try:
        return dt.date(int(match.group(3) or year or 0), month, day)
    except ValueError:
        return None


def _day_before(day: int, month: int | None) -> tuple[int | None, int]:
    """(month, day) of the day before: "trước ngày 1 tháng 7" is the last day of June."""
    if day > 1:
        return month, day - 1
    if month is None:
        return None, -1
    return (12 if month == 1 else month - 1), -1


def _kind_near(
    text: str, begin: int, end: int, prefer_after: bool = False
) -> tuple[str, int] | None:
    """The kind given by the verb nearest the phrase in text[begin:end], and its end."""
    best: tuple[int, str, int] | None = None
    for kind, verbs in phrases().kinds:
        for match in verbs.finditer(text, begin, end):
            rank = match.start() if not prefer_after else -match.start()
            if best is None or rank > best[0]:
                best = (rank, kind, match.end())
    if best is None:
        return None
    return best[1], best[2]


def _read(
    pattern: DuePattern, match: re.Match[str], year: int | None
) -> tuple[str, dt.date | str | bool, list[str]] | None:
    """A matched phrase as (form, value, doubts), or None when its date is impossible."""
    reading = pattern.reading
    groups = match.groupdict()
    if reading == "every-yearly-before":
        found = _DATE.search(groups["date"] or "")
        assert found is not None
        month, day = _day_before(int(found.group(1)), int(found.group(2)))
        return "every", f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}", []
    if reading == "every-monthly-before":
        _, previous = _day_before(int(groups["day"]), None)
        return "every", f"FREQ=MONTHLY;BYMONTHDAY={previous}", []
    if reading == "every-monthly-on":
        return "every", f"FREQ=MONTHLY;BYMONTHDAY={int(groups['day'])}", []
    if reading == "every-years":
        raw = groups["n"].lower()
        years = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        return (
            "every",
            f"FREQ=YEARLY;INTERVAL={years};BYMONTH=12;BYMONTHDAY=31",
            [f"every {years} years, no day given: read as 31 December; check"],
        )
    if reading == "every":
        rule = pattern.rule or "monthly"
        if rule == "weekly":
            return "every", rule, []
        note = (
            f"'{match.group(0)}' gives no day: read as {rule} (the last day of each period); check"
        )
        return "every", rule, [note]
    if reading == "within-month":
        if not (groups["year"] or year):
            return None
        return "within", f"{int(groups['year'] or year or 0)}-{int(groups['month']):02d}", []
    if reading == "within-quarter":
        raw = groups["quarter"].upper()
        quarter = _ROMAN.get(raw) or int(raw)
        return "within", f"{int(groups['year'])}-Q{quarter}", []
    if reading in ("within-h1", "within-h2"):
        return "within", f"{int(groups['year'])}-H{reading[-1]}", []
    if reading == "within-year":
        return "within", str(int(groups["year"])), []
    if reading == "ongoing":
        return "ongoing", True, []
    when = _date(groups.get("date") or "", year)
    if when is None:
        return None
    if reading == "milestone":
        note = f"'{match.group(0)}' is the day it must be in place: read as by: {when}; check"
        return "by", when, [note]
    return reading, when, []


def find_dues(text: str, year: int | None) -> Found:
    """Every deadline phrase of a task's text, in the order they stand; plus undated
    obligations for urgency without a date, and review notes on what it cannot decide.
    A date without a year takes `year`, the notice's (None: the notice gives no date)."""
    spans = sentences(text)
    taken: list[tuple[int, int]] = []
    dues: list[Due] = []
    doubts: list[str] = []
    for pattern in phrases().due:
        for match in pattern.regex.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            read = _read(pattern, match, year)
            if read is None:
                doubts.append(
                    f"'{match.group(0)}' is not a date this notice dates: no obligation made; check"
                )
                continue
            taken.append(match.span())
            form, value, notes = read
            dues.append(_due(text, spans, match, form, value, notes, pattern.reading))
    dues.sort(key=lambda d: d.start)
    for due in dues:
        if due.form == "every":
            _find_start(text, spans, due, year)
    dues.extend(_urgent(text, spans, dues))
    if not dues:
        # "trước khi trình Quốc hội": the only time the text gives is another event
        tied = phrases().tied.search(text)
        if tied is not None:
            dues.append(Due("undated", True, "complete", tied.group(0), tied.start(), tied.end()))
    dues.sort(key=lambda d: d.start)
    doubts.extend(_doubts(text, spans, dues))
    return Found(dues, doubts)


def _due(
    text: str,
    spans: list[tuple[int, int]],
    match: re.Match[str],
    form: str,
    value: dt.date | str | bool,
    notes: list[str],
    reading: str,
) -> Due:
    begin, end = _sentence_of(spans, match.start())
    item = _ITEM.match(text, begin)
    if item is not None:
        begin = item.end()
    before = _kind_near(text, begin, match.end())
    after = None if before else _kind_near(text, match.end(), end, prefer_after=True)
    kind, verb_end = before or after or ("complete", None)
    if reading == "milestone":
        kind = "milestone"
    if before is not None:  # from its verb to the end of the phrase
        as_written = text[_verb_start(text, begin, match.end()) : match.end()]
    elif after is not None:  # "Định kỳ hằng tháng báo cáo ...": to the end of the sentence
        as_written = text[match.start() : end].rstrip(" .;")
    else:
        as_written = match.group(0)
    return Due(
        form, value, kind, as_written.strip(), match.start(), match.end(), verb_end, None, notes
    )


def _verb_start(text: str, begin: int, end: int) -> int:
    best = begin
    found = False
    for _, verbs in phrases().kinds:
        for match in verbs.finditer(text, begin, end):
            if not found or match.start() > best:
                best, found = match.start(), True
    return best


def _find_start(text: str, spans: list[tuple[int, int]], due: Due, year: int | None) -> None:
    begin, end = _sentence_of(spans, due.start)
    for pattern in phrases().start:
        match = pattern.search(text, begin, end)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("year"):
            due.first = dt.date(int(groups["year"]), 1, 1)
        else:
            due.first = _date(groups.get("date") or "", year)
        if 0 <= match.start() - due.end < 3 and text.endswith(due.as_written, 0, due.end):
            # "... hằng năm kể từ năm 2027": the start belongs to the phrase as written
            due.as_written = text[due.end - len(due.as_written) : match.end()]
        return


def _urgent(text: str, spans: list[tuple[int, int]], dues: list[Due]) -> list[Due]:
    """Undated obligations for "khẩn trương", "sớm", "ngay" in a sentence without a date,
    unless a closing "Hoàn thành ..." sentence dates the whole work."""
    closing_complete = any(
        d.kind == "complete" and d.dated and _starts_with_complete(text, spans, d) for d in dues
    )
    out: list[Due] = []
    for begin, end in spans:
        if any(begin <= d.start < end for d in dues):
            continue
        match = phrases().urgency.search(text, begin, end)
        if match is None or closing_complete:
            continue
        found = _kind_near(text, max(begin, match.start() - 10), end, prefer_after=True)
        kind, verb_end = found or ("complete", None)
        out.append(
            Due(
                "undated",
                True,
                kind,
                _urgent_words(text, begin, end, match.start()),
                match.start(),
                match.end(),
                verb_end,
            )
        )
    return out


def _starts_with_complete(text: str, spans: list[tuple[int, int]], due: Due) -> bool:
    begin, _ = _sentence_of(spans, due.start)
    return re.match(r"hoàn thành\b", text[begin:], re.IGNORECASE) is not None


def _urgent_words(text: str, begin: int, end: int, pos: int) -> str:
    """The words of an urgency phrase as written: from it (or the verb just before it,
    "Báo cáo sớm") to the next punctuation mark."""
    start = pos
    for _, verbs in phrases().kinds:
        for match in verbs.finditer(text, max(begin, pos - 12), pos):
            if not text[match.end() : pos].strip():
                start = match.start()
    right_match = _CLAUSE_END.search(text, pos, end)
    right = right_match.start() if right_match else end
    return text[start:right].strip()


def _doubts(text: str, spans: list[tuple[int, int]], dues: list[Due]) -> list[str]:
    """Conditions and deadlines tied to events: written down for a reviewer."""
    out: list[str] = []
    for match in phrases().condition.finditer(text):
        sentence = _sentence_of(spans, match.start())
        inside = [d for d in dues if sentence[0] <= d.start < sentence[1]]
        note = f"a condition ('{_short(match.group(0))}'): owed only in that case; check"
        if inside:
            for due in inside:
                due.doubts.append(note)
        else:
            out.append(note)
    for match in phrases().tied.finditer(text):
        out.append(
            f"'{_short(match.group(0))}' ties the work to another event, not to a day; check"
        )
    return out


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
