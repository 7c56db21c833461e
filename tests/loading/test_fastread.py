"""The fast paths give exactly what the slow ones give (SPEC 8).

- `yamlread.load` (ruamel's C parser, our builder) reads every value as ruamel's round-trip
  loader does, with and without recording positions;
- `check.analyse_task` (parse without positions, again with them only for a file with
  problems) reports exactly what one parse with positions does;
- a task rebuilt from its cache record equals the validated one;
- the shorthand recurrences computed by arithmetic are dateutil's dates;
- JSON rows and the rows table written directly are byte for byte json's and Rich's.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import same, task_file
from tbtrack.checking import check
from tbtrack.files import scalars, schedule, yamlread
from tbtrack.files.records import dump
from tbtrack.loading.codec import decode_task, encode_task
from tbtrack.render.export import dumps

# --- values of many shapes ------------------------------------------------------------------

PLAIN_SHAPES = [
    "2.10",
    "2.1",
    "1e3",
    "1E3",
    "-1.5e-3",
    ".5",
    "1.",
    "0o17",
    "0x1F",
    "0b101",
    "017",
    "08",
    "1_000",
    "+12",
    "-0",
    ".inf",
    "-.inf",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "~",
    "null",
    "Null",
    "NULL",
    "2025-06-06",
    "2025-6-6",
    "2025-06-06 10:00:00",
    "2025-06-06T10:00:00Z",
    "2025-06-31",
    "12:30",
    "1:20:30",
    "2025",
    "2025-Q3",
    "2025-07",
    "monthly",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "47-TB/TGV",
    "2.c",
    "a.b",
    "Bộ Tài chính",
    "Bô\u0323 Ta\u0300i chi\u0301nh",
    "Ủy ban nhân dân tỉnh Điện Biên",
    "Báo cáo số 123/BC-BTC",
    "x-y_z",
    "0",
    "-1",
    "3.0",
]
WORD = st.text(
    alphabet="abcdefghiklmnopqrstuvxyàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
    "ùúủũụưừứửữựỳýỷỹỵĐƯƠ0123456789-./",
    min_size=1,
    max_size=12,
)
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
NFD = TEXT.map(lambda t: unicodedata.normalize("NFD", t))


def _plain_ok(text: str) -> bool:
    return bool(text) and text == text.strip() and not text.startswith(("-", "?", "!", "&", "*"))


@st.composite
def scalar(draw: st.DrawFn) -> str:
    """One scalar as it may stand after `key: `: plain, quoted or a block."""
    text = draw(st.one_of(st.sampled_from(PLAIN_SHAPES), TEXT, NFD))
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "folded", "literal"]))
    if style == "plain" and _plain_ok(text):
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style in ("folded", "literal"):
        return ("|-" if style == "literal" else ">-") + "\n    " + text
    return json.dumps(text, ensure_ascii=draw(st.booleans()))


@st.composite
def flow_list(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.sampled_from(PLAIN_SHAPES[:40]) | TEXT, max_size=4))
    return "[" + ", ".join(i if "," not in i else json.dumps(i) for i in items) + "]"


@st.composite
def document(draw: st.DrawFn) -> str:
    """A task-like document: known and unknown keys, nested mappings and lists of them."""
    lines = ["source:"]
    for key in draw(
        st.lists(st.sampled_from(["notice", "number", "date", "section"]), unique=True)
    ):
        lines.append(f"  {key}: {draw(scalar())}")
    lines.append(f"title: {draw(scalar())}")
    lead = draw(st.one_of(flow_list(), st.lists(scalar(), min_size=1, max_size=3)))
    if isinstance(lead, str):
        lines.append(f"lead: {lead}")
    else:
        lines.append("lead:")
        lines += [f"  - {item}" for item in lead]
    lines.append("obligations:")
    for index in range(draw(st.integers(1, 3))):
        lines.append(f"  - id: {draw(scalar())}")
        for key in draw(
            st.lists(st.sampled_from(["by", "before", "within", "every", "kind", "as_written"]))
        ):
            lines.append(f"    {key}{index}: {draw(scalar())}")
    lines.append(f"tags: {draw(flow_list())}")
    lines.append(f"notes: {draw(scalar())}")
    return "\n".join(lines) + "\n"


def plain(value: Any) -> Any:
    """ruamel's round-trip values as plain Python ones."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return dt.datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            value.tzinfo,
        )
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    raise TypeError(type(value))


def has_invalid(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_invalid(v) for v in value.values())
    if isinstance(value, list):
        return any(has_invalid(v) for v in value)
    return isinstance(value, scalars.InvalidScalar)


def round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    return plain(YAML().load(text))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_load_reads_what_the_round_trip_loader_reads(text: str) -> None:
    try:
        expected = round_trip(text)
    except Exception:
        # the round-trip loader refuses it (a date that does not exist, bad YAML): so do we,
        # by a problem or by keeping the text of the value that is not what it looks like
        try:
            value, _ = yamlread.load(text)
        except yamlread.YamlProblem:
            return
        assert has_invalid(value), text
        return
    value, locations = yamlread.load(text)
    assert same(value, expected), text
    fast, fast_locations = yamlread.load(text, positions=False)
    assert same(fast, value)
    assert fast_locations.flow_lists == locations.flow_lists


@pytest.mark.parametrize("text", PLAIN_SHAPES)
def test_each_plain_shape(text: str) -> None:
    document = f"a: {text}\nb: [{text}]\n"
    try:
        expected = round_trip(document)
    except ValueError:
        assert isinstance(yamlread.load(document)[0]["a"], scalars.InvalidScalar)
        return
    assert same(yamlread.load(document)[0], expected)


# --- analyse_task: the quick parse changes nothing ------------------------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(task_file())
def test_analyse_task_reports_what_a_parse_with_positions_reports(registry: Any, text: str) -> None:
    data = text.encode()
    quick = check.analyse_task("tasks/tb/a.yaml", data, registry)
    task, located = check._analyse_task("tasks/tb/a.yaml", data, registry, positions=True)
    assert quick == (task, located.items)


# --- the cache's record of a task -----------------------------------------------------------


def test_a_task_rebuilt_from_its_record_is_the_same(registry: Any) -> None:
    texts = [
        "source:\n  notice: N\n  date: 2025-06-06\n  section: '1'\ntitle: T\nlead: [Bộ Tài chính]\n"
        "obligations:\n  - id: a\n    every: monthly\n    start: 2025-01-01\n    who: [Nhóm ba bộ]\n"
        "  - id: b\n    kind: report\n    within: 2025\n"
        "progress:\n  - on: 2025-06-01\n    fulfils: a\n    for: 2025-01-31\n    by: Bộ Tài chính\n"
        "  - on: 2025-06-02\n    extends: b\n    to: 2026-01-31\n    evidence: CV 1\n",
        "source:\n  notice: N\n  number: 1/TB\n  date: 2025-06-06\n  section: '2'\n"
        "title: T\nlead: [Bộ Tài chính]\nstate: superseded\nstate_reason: R\nstate_on: 2025-06-20\n"
        "obligations:\n  - id: a\n    undated: true\n",
    ]
    for text in texts:
        task, problems = check.analyse_task("tasks/tb/a.yaml", text.encode(), registry)
        assert task is not None, problems
        rebuilt = decode_task(encode_task(task))
        assert rebuilt == task
        assert type(rebuilt) is type(task)
        assert [type(o) for o in rebuilt.obligations] == [type(o) for o in task.obligations]
        assert dump(rebuilt, json=True) == dump(task, json=True)


# --- recurrences by arithmetic --------------------------------------------------------------


@st.composite
def month_day_rule(draw: st.DrawFn) -> str:
    rule = f"FREQ={draw(st.sampled_from(['MONTHLY', 'YEARLY']))}"
    if draw(st.booleans()):
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
        rule += ";BYMONTH=" + ",".join(map(str, months))
    days = draw(
        st.lists(st.integers(1, 31) | st.integers(-31, -1), min_size=1, max_size=3, unique=True)
    )
    return rule + ";BYMONTHDAY=" + ",".join(map(str, days))


@given(
    st.sampled_from(sorted(schedule.SHORTHANDS.values())) | month_day_rule(),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
    st.integers(-40, 1500),
)
def test_simple_rules_are_dateutils_dates(text: str, start: dt.date, days: int) -> None:
    last = start + dt.timedelta(days=days)
    assume(last >= start)
    try:
        rule = schedule._normalize(text)
        compiled = schedule._compiled(rule, start)
    except schedule.ScheduleError:
        return  # a rule that never falls on a date is refused before any listing
    fast = schedule._fast_dates(rule, start, last)
    slow = tuple(
        d.date()
        for d in compiled.between(schedule._midnight(start), schedule._midnight(last), inc=True)
    )
    assert fast == slow


# --- output written directly ----------------------------------------------------------------

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)


@given(st.lists(st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=4), max_size=4))
def test_json_rows_are_jsons(records: list[dict[str, Any]]) -> None:
    assert dumps(records) == json.dumps(records, ensure_ascii=False, indent=2)


# at most 5 characters of at most 2 columns each: 8 such cells always fit 100 columns, and
# none is one Rich treats apart (a backslash, a control character), so every example takes the
# direct path (what it leaves to Rich is tested below)
CELL = st.lists(st.sampled_from([*"abcĐđếẫ [x]/·…-|✓日", "e\u0301"]), max_size=5).map(
    lambda chars: "".join(chars).strip()
)


@given(
    st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=1, max_size=6),
    st.lists(
        st.sampled_from(["overdue", "due-soon", "done", "cancelled", "upcoming"]),
        min_size=6,
        max_size=6,
    ),
    st.sampled_from([100, 200]),
    st.booleans(),
    st.booleans(),
    st.integers(min_value=1, max_value=7),  # rows written at a time: tables cross blocks
)
def test_the_rows_table_is_richs(
    body: list[list[str]],
    statuses: list[str],
    width: int,
    terminal: bool,
    no_color: bool,
    block: int,
) -> None:
    from unittest import mock

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from tbtrack.render.output import Output
    from tbtrack.render.table import STYLE

    headers = ["Task", "Sec", "Title", "Who", "Kind", "Due", "Days", "Status"]
    styles = [STYLE.get(s) for s in statuses[: len(body)]]

    def console(buffer: io.StringIO) -> Console:
        return Console(
            file=buffer,
            no_color=no_color,
            highlight=False,
            soft_wrap=False,
            emoji=False,
            force_terminal=terminal,
            width=width,
        )

    fast_buffer = io.StringIO()
    output = Output("table", "en", True, stdout=fast_buffer)
    output._console = console(fast_buffer)
    with mock.patch("tbtrack.render.table.BLOCK", block):
        fast = output._plain_table(headers, body, styles)
    assert fast is not None
    rich_buffer = io.StringIO()
    table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold", expand=False)
    for header in headers:
        table.add_column(header, no_wrap=True, justify="right" if header == "Days" else "left")
    for cells, style in zip(body, styles, strict=True):
        styled = [escape(c) for c in cells]
        styled[7] = f"[{style}]{escape(cells[7])}[/{style}]" if style else escape(cells[7])
        table.add_row(*styled)
    console(rich_buffer).print(table)
    assert fast == rich_buffer.getvalue()


def test_a_rows_table_wider_than_the_console_is_left_to_rich() -> None:
    from rich.console import Console

    from tbtrack.render.output import Output

    buffer = io.StringIO()
    output = Output("table", "en", True, stdout=buffer)
    output._console = Console(file=buffer, width=100)
    headers = ["Task", "Sec", "Title", "Who", "Kind", "Due", "Days", "Status"]
    narrow = [["a"] * 8]
    assert output._plain_table(headers, narrow, [None]) is not None
    wide = [["x" * 40] * 8]
    assert output._plain_table(headers, wide, [None]) is None
    for odd in ("a\\b", "a\x1bb", "a\x85b", " a"):
        assert output._plain_table(headers, [[odd, *narrow[0][1:]]], [None]) is None, odd


# --- names compared without diacritics ---------------------------------------------------------


def _strip_each_character(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


@given(
    st.text(
        st.sampled_from(
            [*"aăâeêioôơuưyAĂÂĐđ ,-", "ộ", "ữ", "ỹ", "Ễ", "\u0301", "\u034f", "\u1dc0", "\u20d0"]
        )
        | st.characters(),
        max_size=30,
    )
)
def test_stripping_diacritics_drops_every_combining_mark(text: str) -> None:
    from tbtrack.files.text import strip_diacritics

    assert strip_diacritics(text) == _strip_each_character(text)


def test_stripping_diacritics_of_vietnamese_names() -> None:
    from tbtrack.files.text import loose_key, strip_diacritics

    assert strip_diacritics("Ủy ban nhân dân tỉnh Đắk Lắk") == "Uy ban nhan dan tinh Dak Lak"
    assert loose_key("Bộ  Tài chính") == loose_key("bo tai chinh") == "bo tai chinh"
