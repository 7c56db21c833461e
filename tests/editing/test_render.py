"""Rendering: events in the order of SPEC 4.2; new task files, with review comments."""

from __future__ import annotations

import datetime as dt

from tbtrack.editing.render import NewObligation, NewTask, event_mapping, render_new_task
from tbtrack.files.yamlread import load

D = dt.date

SPEC = NewTask(
    notice="Thông báo kết luận",
    date=D(2025, 6, 6),
    section="2.10",
    title="Ban hành danh mục",
    lead=["Bộ Tài chính"],
    due_form="by",
    due_value=D(2025, 7, 1),
)

PLAIN = """\
source:
  notice: Thông báo kết luận
  number: null
  date: 2025-06-06
  section: "2.10"
title: Ban hành danh mục
lead:
  - Bộ Tài chính
state: active
obligations:
  - id: complete
    kind: complete
    by: 2025-07-01
progress: []
"""


def test_event_mapping_keeps_the_key_order_and_drops_what_is_not_given() -> None:
    event = event_mapping("extends", "a", D(2025, 6, 9), to=D(2025, 7, 1), evidence="CV 1")
    assert list(event.items()) == [
        ("on", D(2025, 6, 9)),
        ("extends", "a"),
        ("to", D(2025, 7, 1)),
        ("evidence", "CV 1"),
    ]
    event = event_mapping("fulfils", "r", D(2025, 6, 9), by="Bộ Nội vụ", for_=D(2025, 6, 30))
    assert list(event) == ["on", "fulfils", "by", "for"]


def test_a_new_task_without_extras_is_written_as_before() -> None:
    assert render_new_task(SPEC) == PLAIN


def test_review_comments_stand_above_their_key_or_item() -> None:
    from dataclasses import replace

    spec = replace(
        SPEC,
        lead=["Bộ Tài chính", "Bộ Nội vụ"],
        more_obligations=[
            NewObligation("report", "report", "before", D(2025, 6, 15), who=["Bộ Nội vụ"])
        ],
        notes="Tên chưa có trong danh mục: Sở X",
        review=[
            (("lead", 1), "the notice names 'Bộ NV'"),
            (("obligations", 1, "before"), "inherited from the heading?\nsecond line"),
            (("title",), "shortened"),
        ],
        schema="../schema/task.json",
    )
    text = render_new_task(spec)
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/task.json"
    assert lines[lines.index("  - Bộ Nội vụ") - 1] == "  # review: the notice names 'Bộ NV'"
    assert lines[lines.index("title: Ban hành danh mục") - 1] == "# review: shortened"
    before = lines.index("    before: 2025-06-15")
    assert lines[before - 1] == "    # review: inherited from the heading? second line"
    value = load(text)[0]
    assert value["obligations"][1] == {
        "id": "report",
        "kind": "report",
        "before": D(2025, 6, 15),
        "who": ["Bộ Nội vụ"],
    }
    assert value["notes"] == "Tên chưa có trong danh mục: Sở X"
    # the comments are the only lines added to what the same task renders without them
    plain = render_new_task(replace(spec, review=[], schema=None)).splitlines()
    assert [line for line in lines if not line.lstrip().startswith("#")] == plain
