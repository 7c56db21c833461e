"""Tests for tbtrack.files.yamlread: safe, located reading of YAML, and what it refuses."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import REGISTRY, Repo, Result, task_text
from tbtrack.files.marks import Mark
from tbtrack.files.yamlread import (
    MAX_DEPTH,
    YamlProblem,
    _check_characters,
    _not_printable,
    decode,
    load,
)

Run = Callable[..., Result]
GOOD = task_text()


def check_json(run: Run, repo: Repo) -> tuple[int, list[dict[str, object]]]:
    result = run("--root", str(repo.root), "--format", "json", "check", "--no-cache")
    assert "Traceback" not in result.err
    return result.code, json.loads(result.out)


# --------------------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("character", "what"),
    [
        ("\x00", "control character U+0000"),
        ("\x07", "control character U+0007"),
        ("\x1b", "control character U+001B"),
        ("\x7f", "control character U+007F"),
        ("\x9b", "control character U+009B"),
        ("\ufffe", "non-character U+FFFE"),
        ("\uffff", "non-character U+FFFF"),
    ],
)
@pytest.mark.parametrize("where", ["comment", "value"])
def test_a_control_character_is_a_located_error_and_the_rest_is_listed(
    run: Run, repo: Repo, character: str, what: str, where: str
) -> None:
    lines = GOOD.splitlines(keepends=True)
    if where == "comment":
        lines.insert(2, f"# a comment with {character} in it\n")
        line, col = 3, 18
    else:
        lines[5] = lines[5].replace("title: Ban", f"title: B{character}an")
        line, col = 6, 9
    repo.task("tb/bad", "".join(lines))
    repo.task("tb/good", GOOD)
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert [(d["path"], d["line"], d["col"], d["rule"]) for d in diagnostics] == [
        ("tasks/tb/bad.yaml", line, col, "control-character")
    ]
    assert str(diagnostics[0]["message"]).startswith(what)
    due = run("--root", str(repo.root), "due", "--before", "2025-07-02", "--no-cache")
    assert due.code == 1
    assert "tb/good" in due.out
    assert f"tasks/tb/bad.yaml:{line}:{col}: error: {what}" in due.err
    assert "Traceback" not in due.err


def test_a_control_character_in_agencies_yaml_is_located(run: Run, repo: Repo) -> None:
    repo.write("agencies.yaml", REGISTRY.replace("kind: ministry", "kind: mini\x1bstry", 1))
    result = run("--root", str(repo.root), "check")
    assert result.code == 1
    assert "agencies.yaml:5:15: error: control character U+001B" in result.out
    assert "[control-character]" in result.out


def test_line_breaks_and_printable_characters_are_kept() -> None:
    text = 'a: "x\\u0007y"\nb: "\u00a0\u2028\U0001f600"\r\nc: d\x85e\n'
    value, _ = load(text)
    assert value == {"a": "x\x07y", "b": "\u00a0\u2028\U0001f600", "c": "d e"}


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_nesting_beyond_the_limit_is_refused_before_python_recurses(opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    text = "x: " + opening * 500 + "1" + closing * 500 + "\n"
    with pytest.raises(YamlProblem) as caught:
        load(text)
    assert caught.value.rule == "yaml-too-deep"
    column = 4 + (MAX_DEPTH - 1) * len(opening)
    assert caught.value.mark == Mark(1, column)


def test_nesting_up_to_the_limit_is_read() -> None:
    text = "x: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n"
    value, _ = load(text)
    inner = value["x"]
    for _ in range(MAX_DEPTH - 2):
        inner = inner[0]
    assert inner == [1]


def test_500_nested_lists_in_a_task_file_and_in_agencies_yaml(run: Run, repo: Repo) -> None:
    repo.task("tb/deep", GOOD.replace("progress: []", "progress: " + "[" * 500 + "]" * 500))
    repo.task("tb/good", GOOD)
    code, diagnostics = check_json(run, repo)
    assert code == 1
    assert [(d["path"], d["line"], d["rule"]) for d in diagnostics] == [
        ("tasks/tb/deep.yaml", 11, "yaml-too-deep")
    ]
    repo.write("agencies.yaml", REGISTRY + "x: " + "[" * 500 + "]" * 500 + "\n")
    result = run("--root", str(repo.root), "check")
    assert result.code == 1
    line = REGISTRY.count("\n") + 1
    assert (
        f"agencies.yaml:{line}:{4 + MAX_DEPTH - 1}: error: lists and mappings nested" in result.out
    )
    assert "Traceback" not in result.err


# --------------------------------------------------------------------------- what held


def test_tags_anchors_aliases_and_merge_keys_are_refused_at_their_event() -> None:
    cases = {
        "a: !!python/object/apply:os.system ['true']\n": ("yaml-tag", Mark(1, 4)),
        "a: !custom x\n": ("yaml-tag", Mark(1, 4)),
        "a: &x 1\nb: *x\n": ("yaml-anchor", Mark(1, 4)),
        "a: {b: 1}\nc:\n  <<: *a\n": ("yaml-alias", Mark(3, 7)),
        "a:\n  - *nothing\n": ("yaml-alias", Mark(2, 5)),
    }
    for text, (rule, mark) in cases.items():
        with pytest.raises(YamlProblem) as caught:
            load(text)
        assert (caught.value.rule, caught.value.mark) == (rule, mark), text


def test_a_billion_laughs_is_refused_at_the_first_anchor() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(YamlProblem) as caught:
        load(bomb)
    assert (caught.value.rule, caught.value.mark) == ("yaml-anchor", Mark(1, 4))


def test_bom_crlf_and_nfd_are_read_as_they_are() -> None:
    nfd = unicodedata.normalize("NFD", "Bộ Tài chính")
    data = ("\ufeffa: " + nfd + "\r\nb: 2025-06-06\r\n").encode("utf-8")
    text = decode(data)
    assert not text.startswith("\ufeff")
    value, locations = load(text)
    assert value["a"] == nfd  # byte-exact: not normalised on reading
    assert str(value["b"]) == "2025-06-06"
    assert locations.of_value(("b",)) == Mark(2, 4)


def test_bytes_that_are_not_utf8_are_located() -> None:
    with pytest.raises(YamlProblem) as caught:
        decode(b"a: 1\nb: x\xffy\n")
    assert (caught.value.rule, caught.value.mark) == ("encoding", Mark(2, 5))


# refused characters, allowed ones that str.isprintable refuses too, and plain text
_CHARACTER_CASES = (
    "\x00\x07\x1b\x7f\x85\x9b\xa0\xad\u2028\u200b\ud800\ue000\ufeff\ufffe\uffff\t\r\n"
)


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="aă ệ:-#\n", max_size=12),
            st.sampled_from(_CHARACTER_CASES),
            st.characters(),
        ),
        max_size=8,
    ).map("".join)
)
def test_a_text_is_refused_for_its_characters_exactly_where_yaml_refuses_them(text: str) -> None:
    """The check that passes most files without a search refuses what the search finds."""
    found = _not_printable().search(text)
    try:
        _check_characters(text)
    except YamlProblem as problem:
        assert found is not None and problem.rule == "control-character"
        assert f"U+{ord(found.group()):04X}" in problem.message
    else:
        assert found is None
