"""Tests for tbtrack.files.yamlquick: what it reads, it reads as the parser reads it; what it
does not read, it leaves to the parser, errors included."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Repo, Result, bench_generator, same
from tbtrack.files import marks, yamlquick, yamlread

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., Result]


def parsed(text: str) -> tuple[Any, marks.Locations] | None:
    """What the parser reads (values and places), or None when it refuses the text."""
    try:
        return yamlread.parse(text, positions=True)  # never the quick reader
    except yamlread.YamlProblem:
        return None


def assert_read_as_parsed(text: str) -> None:
    """The quick reader, with places and without, reads the text as the parser does, or not."""
    expected = parsed(text)
    for positions in (False, True):
        quick = yamlquick.read(text, positions)
        if quick is None:
            continue
        assert expected is not None, f"read a text the parser refuses:\n{text}"
        assert same(quick[0], expected[0]), text
        if positions:
            assert quick[1] == expected[1], text
        else:
            assert quick[1] == marks.Locations(flow_lists=expected[1].flow_lists), text


# --- the repository's own files ---------------------------------------------------------------


def test_every_yaml_file_of_the_repository_is_read_as_parsed() -> None:
    files = sorted((ROOT / "tasks").rglob("*.yaml"))
    assert files
    # the registry, as shipped and as `init` writes it, is read through the same function
    files += [ROOT / "agencies.yaml", *sorted((ROOT / "src/tbtrack/data").glob("*.yaml"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlquick.read(text) is not None, (
            path
        )  # hand-written, with comments: the common case
        assert_read_as_parsed(text)


def test_files_tbtrack_writes_are_read_as_parsed(run: Run, repo: Repo) -> None:
    root = ("--root", str(repo.root))
    steps = [
        ("new", "tb/a", "--notice", "Thông báo: số 1", "--date", "2025-06-06", "--section",
         "2.a", "--title", "Việc # một: \"ngay\"", "--lead", "BTC", "--support", "Bộ Tư pháp",
         "--kind", "report", "--before", "2025-06-15", "--to", "VPCP", "--who", "Bộ Nội vụ",
         "--notes", "Theo dõi - hằng tuần"),
        ("new", "tb/b", "--notice", "N", "--date", "2025-06-06", "--section", "3",
         "--title", "T", "--lead", "BTC", "--every", "monthly"),
        ("extend", "tb/a", "complete", "--to", "2025-12-31", "--on", "2025-06-08", "--evidence",
         "Công văn số 2/VPCP", "--note", "'lùi' hạn"),
        ("done", "tb/a", "--on", "2025-06-09", "--evidence", "Báo cáo số 1/BC-BNV: xong"),
        ("cancel", "tb/b", "--on", "2025-06-10", "--reason", "Không còn cần: đã gộp"),
    ]  # fmt: skip
    for step in steps:
        result = run(*root, *step)
        assert result.code == 0, (step, result.err)
    for name in ("a", "b"):
        text = (repo.root / f"tasks/tb/{name}.yaml").read_text(encoding="utf-8")
        assert yamlquick.read(text) is not None, text
        assert_read_as_parsed(text)


def test_files_of_the_benchmark_are_read_as_parsed(tmp_path: Path) -> None:
    bench_generator().generate(tmp_path / "data", 60, 7, None)
    files = sorted((tmp_path / "data" / "tasks").rglob("*.yaml"))
    assert len(files) == 60
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlquick.read(text) is not None, path
        assert_read_as_parsed(text)


# --- the shapes it reads ----------------------------------------------------------------------

READ = {
    "plain, typed by the resolver": (
        "a: 2025-06-06\nb: null\nc: 2.10\nd: true\ne: Bộ Tài chính\nf: '1'\ng: \"x # y\"\n"
    ),
    "comments everywhere": (
        "# head\na: x   # after\n  # deeper comment\nb: [p, q] # after a list\n"
        "c: 'it''s' # after a quote\nd: >- # after a header\n  folded\n  # kept: content\n"
    ),
    "a list at its key's own indent": "lead:\n- Bộ Tài chính\n- Bộ Nội vụ\nsupport: []\n",
    "lists of mappings, deeper": (
        "obligations:\n    -   id: a\n        who: [X, Y]\n        within:\n          - 2025-Q3\n"
        "    - id: b\n      kind: report\n"
    ),
    "block scalars, each chomping": "a: >\n  one\n  two\nb: |-\n  one\n    two\nc: |\n  x\n\nd: e\n",
    "trailing spaces in blocks": "a: >-\n  b \n  c  \nd: |\n  e \n",
    "blank lines inside blocks": (
        "a: >-\n  p\n\n  q\n\n\n  # r\n \nb: |\n  p\n\n  q\n\n\nc: >\n  p\n  q\n\n  r\n"
    ),
    "an empty value and an empty key's value": "a:\nb: # nothing\nc: ''\nd: \"\"\n",
    "a value holding colons and hashes not as YAML reads them": (
        'a: 10:00\nb: a#b\nc: http://x/y\nd: "q: r"\n'
    ),
}


@pytest.mark.parametrize("text", list(READ.values()), ids=list(READ))
def test_shapes_it_reads(text: str) -> None:
    assert yamlquick.read(text) is not None
    assert yamlquick.read(text, positions=True) is not None
    assert_read_as_parsed(text)


# --- the shapes it leaves to the parser -------------------------------------------------------

LEFT = {
    "no line break at the end": "a: b",
    "CRLF": "a: b\r\n",
    "a document marker": "---\na: b\n",
    "indented as a whole": "  a: b\n",
    "a list at the top": "- a\n",
    "empty": "\n",
    "a duplicate key": "a: 1\na: 2\n",
    "a quoted key": '"a": 1\n',
    "colon space in a plain value": "a: b: c\n",
    "a plain value ending in a colon": "a: b:\n",
    "a plain value going on over lines": "a: b\n  c\n",
    "a quote going on over lines": 'a: "b\n  c"\n',
    "an escape": 'a: "\\u00e9"\n',
    "an anchor": "a: &x b\n",
    "an alias": "a: *x\n",
    "a tag": "a: !!python/object b\n",
    "a flow mapping": "a: {b: 1}\n",
    "a quote in a flow list": 'a: [b, "c"]\n',
    "a colon in a flow list": "a: [10:00]\n",
    "an empty item in a flow list": "a: [b, , c]\n",
    "a flow list over lines": "a: [b,\n  c]\n",
    "a blank line before a block's first line": "a: |\n\n  b\n",
    "a deeper line in a folded block": "a: >-\n  b\n    c\n",
    "a blank line of more spaces than the block's indent": "a: >-\n  b\n    \n  c\n",
    "keep chomping": "a: >+\n  b\n",
    "an indentation digit": "a: |2\n   b\n",
    "a block no deeper than its key": "a:\n  b: >-\n  c\n",
    "a nested list in a list": "a:\n  - - b\n",
    "an item below its dash": "a:\n  -\n    b\n",
    "a line deeper than its mapping": "a: 1\n  b: 2\n",
    "a value starting with an indicator": "a: -b\n",
    "a line break other than LF": "a: b\x85c\n",
    "nested too deep": "".join(f"{' ' * (2 * i)}k{i}:\n" for i in range(12)) + " " * 24 + "x: 1\n",
}


@pytest.mark.parametrize("text", list(LEFT.values()), ids=list(LEFT))
def test_shapes_it_leaves_to_the_parser(text: str) -> None:
    assert yamlquick.read(text) is None


def test_the_parser_still_says_what_is_wrong() -> None:
    with pytest.raises(yamlread.YamlProblem) as raised:
        yamlread.load("a: 1\nb: 2\na: 3\n", positions=False)
    assert (raised.value.rule, raised.value.mark) == ("duplicate-key", marks.Mark(3, 1))


# --- any document: read as parsed, or left ----------------------------------------------------

# pieces of text that mean something to YAML somewhere, joined in any order
PIECES = [
    "a", "Bộ", "Tài chính", "2025-06-06", "null", "~", "2.10", "true", "1_000", "2025-06-31",
    ":", ": ", " #", "#", "'", "''", '"', "\\", "-", "- ", "[", "]", ",", "{", "!", "&", "*",
    "?", "|", ">", "%", "@", "`", " ", "  ", ".", "/", "a: b", "x #y", "p:q", "c:",
]  # fmt: skip
PLAIN = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
KEYS = st.sampled_from(["id", "by", "lead", "notes", "x_1", "a b", "on"])


@st.composite
def scalar(draw: st.DrawFn, indent: int) -> str:
    """Text after `key: ` or `- `: any plain text (valid YAML or not), quoted, a list, a block."""
    text = draw(PLAIN)
    style = draw(st.sampled_from(["plain", "single", "double", "flow", "block"]))
    comment = draw(st.sampled_from(["", "", " # c", "  #c", "#c"]))
    if style == "single":
        return "'" + text.replace("'", "''") + "'" + comment
    if style == "double":
        return json.dumps(text, ensure_ascii=draw(st.booleans())) + comment
    if style == "flow":
        return "[" + ", ".join(draw(st.lists(PLAIN, max_size=3))) + "]" + comment
    if style == "block":
        header = draw(st.sampled_from([">-", ">", "|", "|-", ">+", "|2"]))
        step = indent + draw(st.sampled_from([1, 2, 0]))
        lines = draw(st.lists(st.tuples(st.sampled_from([0, 0, 0, 1]), PLAIN), min_size=1))
        body = "".join(
            "\n" + (" " * (step + extra) + line if line or extra else "") for extra, line in lines
        )
        return header + comment + body
    return text + comment


@st.composite
def block(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """The lines of a block mapping at `indent`, with nested mappings and lists."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        key = draw(KEYS)
        pad = " " * indent
        if draw(st.integers(0, 9)) == 0:
            lines.append(pad + draw(st.sampled_from(["# note", "", "  # deeper"])))
        shape = draw(
            st.sampled_from(["scalar", "scalar", "map", "list"]) if depth else st.just("scalar")
        )
        if shape == "scalar":
            lines.append(f"{pad}{key}: {draw(scalar(indent))}")
        elif shape == "map":
            step = draw(st.sampled_from([2, 4, 1]))
            lines.append(f"{pad}{key}:")
            lines += draw(block(indent + step, depth - 1))
        else:
            lines.append(f"{pad}{key}:")
            dash = indent + draw(st.sampled_from([2, 0, 4]))
            for _ in range(draw(st.integers(1, 2))):
                if draw(st.booleans()):
                    lines.append(" " * dash + "- " + draw(scalar(dash)))
                else:
                    inner = draw(block(dash + 2, depth - 1))
                    lines.append(" " * dash + "- " + inner[0][dash + 2 :])
                    lines += inner[1:]
    return lines


@settings(max_examples=max(300, settings().max_examples))
@given(scalar(0), st.sampled_from(["", "next: 1\n", "  deeper: 1\n", "# c\n"]))
def test_any_scalar_is_read_as_parsed_or_left_to_the_parser(value: str, after: str) -> None:
    assert_read_as_parsed(f"key: {value}\n{after}")


@settings(
    max_examples=max(150, settings().max_examples),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(block(0, 2))
def test_any_document_is_read_as_parsed_or_left_to_the_parser(lines: list[str]) -> None:
    assert_read_as_parsed("\n".join(lines) + "\n")


WORDS = st.sampled_from(["a", "Bộ Tài", "# b", "c:", "- d", "'e'", "[f]", "g #h", "2025-06-06"])


@st.composite
def block_scalar(draw: st.DrawFn) -> str:
    """`key: <header>` and lines at the block's indent, deeper, blank or blank with spaces."""
    indent = draw(st.sampled_from([0, 2]))
    step = indent + draw(st.sampled_from([2, 2, 1, 0]))
    header = draw(st.sampled_from([">-", ">", "|", "|-", ">-", ">+", "|1"]))
    lines = [" " * indent + "text: " + header + draw(st.sampled_from(["", "", "  # c"]))]
    for _ in range(draw(st.integers(1, 6))):
        shape = draw(st.sampled_from(["line", "line", "line", "blank", "spaces", "deeper", "end"]))
        if shape == "blank":
            lines.append("")
        elif shape == "spaces":
            lines.append(" " * draw(st.integers(1, step + 2)))
        else:
            extra = 2 if shape == "deeper" else 0
            text = draw(WORDS) + draw(st.sampled_from(["", "", " "]))
            lines.append(" " * (step + extra) + text)
    after = draw(st.sampled_from(["", "next: 1", "  # trailing comment", "   # deeper comment"]))
    document = ("top:\n" if indent else "") + "\n".join(lines) + "\n"
    return document + (" " * indent + after + "\n" if after else "")


@settings(max_examples=max(400, settings().max_examples))
@given(block_scalar())
def test_any_block_scalar_is_read_as_parsed_or_left_to_the_parser(text: str) -> None:
    assert_read_as_parsed(text)


FLOW_ITEMS = st.sampled_from(
    ["a", "Bộ Tài chính", "2025-06-06", "null", "", " ", "&x", "*x", "!t", "- a", "-a", "?", "%",
     "@", "`", "|", ">", "a b", "1", "true", "a\\b", "x#y"]
)  # fmt: skip


@settings(max_examples=max(150, settings().max_examples))
@given(st.lists(FLOW_ITEMS, max_size=4), st.sampled_from(["", " # c", "#c", " x", "  "]))
def test_any_flow_list_is_read_as_parsed_or_left_to_the_parser(
    items: list[str], after: str
) -> None:
    assert_read_as_parsed(f"lead: [{', '.join(items)}]{after}\n")


# --- the places under some top-level keys, from their lines alone ------------------------------


def assert_blocks_read_as_parsed(text: str, keys: set[str]) -> None:
    """`read_blocks` gives, of the paths under `keys`, every place the parser gives of the
    whole text, and no other; or None."""
    found = yamlquick.read_blocks(text, keys)
    expected = parsed(text)
    if found is None or expected is None:
        return  # only asked of a text that was read (a file's other lines may be bad YAML)
    whole = expected[1]

    def under(table: Any) -> Any:
        return {path: v for path, v in table.items() if path and path[0] in keys}

    assert found.values == under(whole.values), text
    assert found.keys == under(whole.keys), text
    assert found.scalars == under(whole.scalars), text
    assert found.flow_lists == {p for p in whole.flow_lists if p[0] in keys}, text
    assert yamlread.places_under(text, keys) == found


@settings(
    max_examples=max(150, settings().max_examples),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(block(0, 2), st.sets(KEYS, min_size=1, max_size=3))
def test_the_places_under_some_keys_are_read_as_the_parser_places_them(
    lines: list[str], keys: set[str]
) -> None:
    assert_blocks_read_as_parsed("\n".join(lines) + "\n", keys)


def test_the_places_under_each_key_of_the_benchmark_s_files(tmp_path: Path) -> None:
    bench_generator().generate(tmp_path / "data", 40, 3, None)
    for path in sorted((tmp_path / "data" / "tasks").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        tops = {str(p[0]) for p in yamlquick.read(text, True)[1].keys}  # type: ignore[index]
        for key in sorted(tops):
            assert yamlquick.read_blocks(text, {key}) is not None, (path, key)
            assert_blocks_read_as_parsed(text, {key})
        assert_blocks_read_as_parsed(text, tops)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("lead: [A]\ntitle: T\n", {"notes"}),  # no such key
        ("lead: [A]\nlead: [B]\n", {"lead"}),  # twice: the parser names it
        ("lead: [A]\ntext: a\n  b\n", {"lead", "text"}),  # a plain scalar over two lines
        ("lead: [A]\r\ntitle: T\r\n", {"lead"}),  # line breaks the parser reads
        ("lead: [A]\ntitle: T", {"lead"}),  # no line break at the end
    ],
)
def test_places_under_keys_it_cannot_read_alone_are_read_from_the_whole_text(
    text: str, keys: set[str]
) -> None:
    assert yamlquick.read_blocks(text, keys) is None
    if parsed(text) is not None:
        whole = yamlread.load(text, positions=True)[1]
        assert yamlread.places_under(text, keys) == whole
