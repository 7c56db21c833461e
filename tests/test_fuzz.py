"""Fuzzing the commands with mutated copies of the repository's own task files.

Each round copies agencies.yaml and tasks/tgv-2025-06-06/ into a fresh data root, spoils a few
of the task files (control bytes, truncation, deep nesting, recurrence rules at dateutil's
edges, dates at the ends of the calendar, values swapped between keys, flipped bytes), and
runs `check` and `due` in-process through the real entry point. Whatever the files say:

- the exit status is 0, 1 or 2, never 70, and no traceback is printed;
- every diagnostic is located (`path:line:col`, line and column from 1);
- `due` still answers, and names on stderr every file `check` rejects.

The default is a few seconds. `TBTRACK_FUZZ_RUNS=500` runs 500 rounds; `TBTRACK_FUZZ_SEED`
picks another sequence of mutations (a failure message gives the seed and round to replay).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from helpers import Result

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "tasks" / "tgv-2025-06-06"
RUNS = int(os.environ.get("TBTRACK_FUZZ_RUNS", "5"))
SEED = int(os.environ.get("TBTRACK_FUZZ_SEED", "16"))
FILES_SPOILT = 3  # of the 22 task files, per round

CONTROL = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff",
           "\ufffe", "\uffff", "\t", "\r", "\u0301"]  # fmt: skip
RULES = [
    "FREQ=MONTHLY;BYDAY=+53MO",
    "FREQ=MONTHLY;BYDAY=+6MO",
    "FREQ=YEARLY;BYEASTER=400",
    "FREQ=YEARLY;BYEASTER=-400",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=YEARLY;BYWEEKNO=53;BYDAY=+53MO",
    "FREQ=MONTHLY;BYSETPOS=366;BYDAY=MO",
    "FREQ=DAILY;INTERVAL=0",
    "FREQ=DAILY;COUNT=999999999",
    "FREQ=DAILY;UNTIL=99991231",
    "FREQ=HOURLY",
    "FREQ=DAILY;BYHOUR=1",
    "RRULE:FREQ=WEEKLY;BYDAY=XX",
    "FREQ=MONTHLY;BYMONTHDAY=-1;WKST=ZZ",
    "FREQ=DAILY",
    "DTSTART:20250101\\nRRULE:FREQ=DAILY",
    "monthly;;",
    "",
]
DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01",
         "0000-00-00", "2025-02-30", "2025-13-01", "10000-01-01", "-2025-01-01",
         "2025-06-06T10:00:00", "6/6/2025", "1e400"]  # fmt: skip
VALUES = ["null", "[]", "{}", "~", "true", "1e400", "-0", "0x1F", ".inf", "2.10", '""',
          "'a\\nb'", "[[[[[[]]]]]]", "!!binary aGk=", "&a x", "*a", "<<: {}", "? x"]  # fmt: skip

Run = Callable[..., Result]
LOCATED = re.compile(r"^\s*(\S+?):(\d+):(\d+): (error|warning): .+ \[[a-z0-9-]+\]$")


def _mutate(text: str, chooser: random.Random) -> str:
    kind = chooser.randrange(9)
    lines = text.splitlines(keepends=True)
    if kind == 0:  # a control or odd character anywhere, comments included
        at = chooser.randrange(len(text) + 1)
        return text[:at] + chooser.choice(CONTROL) + text[at:]
    if kind == 1:  # cut short
        return text[: chooser.randrange(len(text) + 1)]
    if kind == 2:  # nesting deep enough to exhaust a recursive reader
        depth = chooser.choice([31, 32, 33, 100, 500, 2000])
        opening, closing = chooser.choice([("[", "]"), ("{a: ", "}")])
        return text.replace("progress: []", f"progress: {opening * depth}{closing * depth}", 1)
    if kind == 3:  # a recurrence rule at the edges, instead of a due form
        rule = chooser.choice(RULES)
        start = chooser.choice(["", f"\n    start: {chooser.choice(DATES)}"])
        replaced = re.sub(
            r"(?m)^(\s+)(by|before|within|undated|ongoing|every): .*$",
            lambda m: f'{m.group(1)}every: "{rule}"{start}',
            text,
            count=1,
        )
        return replaced
    if kind == 4:  # a date at the ends of the calendar
        date = chooser.choice(DATES)
        found = list(re.finditer(r"\d{4}-\d{2}-\d{2}", text))
        if not found:
            return text + f"by: {date}\n"
        match = chooser.choice(found)
        return text[: match.start()] + date + text[match.end() :]
    if kind == 5:  # values swapped between two keys
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+: \S", line)]
        if len(keyed) < 2:
            return text
        first, second = chooser.sample(keyed, 2)
        a, b = (lines[i].split(": ", 1) for i in (first, second))
        lines[first], lines[second] = f"{a[0]}: {b[1]}", f"{b[0]}: {a[1]}"
        if not lines[first].endswith("\n"):
            lines[first] += "\n"
        if not lines[second].endswith("\n"):
            lines[second] += "\n"
        return "".join(lines)
    if kind == 6:  # an odd value for a key
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+: \S", line)]
        if not keyed:
            return text
        index = chooser.choice(keyed)
        key = lines[index].split(": ", 1)[0]
        lines[index] = f"{key}: {chooser.choice(VALUES)}\n"
        return "".join(lines)
    if kind == 7:  # a line duplicated or dropped
        if not lines:
            return text
        index = chooser.randrange(len(lines))
        if chooser.random() < 0.5:
            lines.insert(index, lines[index])
        else:
            del lines[index]
        return "".join(lines)
    # line endings and byte-order mark, then two of the above at once
    text = ("\ufeff" if chooser.random() < 0.5 else "") + text.replace("\n", "\r\n")
    return _mutate(_mutate(text, chooser), chooser)


def _spoil(data: bytes, chooser: random.Random) -> bytes:
    if chooser.random() < 0.1:  # bytes that are not UTF-8
        at = chooser.randrange(len(data) + 1)
        return data[:at] + bytes([chooser.choice([0xFF, 0xC3, 0x80, 0xED])]) + data[at:]
    return _mutate(data.decode("utf-8"), chooser).encode("utf-8", "surrogatepass")


def _located(text: str, where: str) -> list[str]:
    """The paths of the diagnostics a command printed; fails on any line that is unlocated."""
    paths = []
    for line in text.splitlines():
        if re.search(r": (error|warning): ", line):
            found = LOCATED.match(line)
            assert found, f"{where}: not located: {line!r}"
            assert int(found.group(2)) >= 1 and int(found.group(3)) >= 1, line
            paths.append(found.group(1))
    return paths


def _round(run: Run, base: Path, seed: int, number: int) -> None:
    chooser = random.Random(f"{seed}-{number}")
    root = base / f"round-{number}"
    folder = root / "tasks" / "tgv-2025-06-06"
    folder.mkdir(parents=True)
    shutil.copyfile(ROOT / "agencies.yaml", root / "agencies.yaml")
    names = sorted(p.name for p in NOTICE.glob("*.yaml"))
    spoilt = set(chooser.sample(names, FILES_SPOILT))
    for name in names:
        data = (NOTICE / name).read_bytes()
        (folder / name).write_bytes(_spoil(data, chooser) if name in spoilt else data)
    where = f"seed {seed}, round {number}, spoilt {sorted(spoilt)}"

    check = run("--root", str(root), "--format", "json", "check", "--no-cache")
    assert check.code in (0, 1, 2), f"{where}: check exit {check.code}: {check.err}"
    assert "Traceback" not in check.err and "internal error" not in check.err, where
    rejected: set[str] = set()
    if check.code != 2:
        for item in json.loads(check.out):
            assert item["line"] >= 1 and item["col"] >= 1, f"{where}: {item}"
            assert item["path"] and item["rule"], f"{where}: {item}"
            if item["severity"] == "error":
                rejected.add(item["path"])
    plain = run("--root", str(root), "check", "--no-cache")
    assert plain.code == check.code, where
    _located(plain.out, where)

    for args in (("due",), ("due", "--before", "2026-01-01"), ("--format", "json", "due")):
        due = run("--root", str(root), *args)
        assert due.code in (0, 1, 2), f"{where}: {args} exit {due.code}: {due.err}"
        assert "Traceback" not in due.err and "internal error" not in due.err, where
        named = set(_located(due.err, where))
        assert rejected <= named, f"{where}: {args} does not name {rejected - named}"


def test_mutated_task_files_are_located_errors_never_crashes(run: Run, tmp_path: Path) -> None:
    for number in range(RUNS):
        _round(run, tmp_path, SEED, number)
