"""Machine records: field names, the fast JSON layout, CSV."""

from __future__ import annotations

import json

from render.results import Results
from tbtrack.render.export import (
    ROW_FIELDS,
    dumps,
    grid_flat_records,
    row_fields,
    row_json,
    summary_records,
    to_csv,
)


def test_row_fields_follow_the_options(results: Results) -> None:
    assert row_fields() == list(ROW_FIELDS)
    assert row_fields(with_role=True, workdays=True)[-2:] == ["due_workday", "role"]
    record = row_json(results.rows[0], with_role=True, workdays=True)
    assert list(record) == row_fields(with_role=True, workdays=True)
    assert (record["due_workday"], record["role"]) == (None, "lead")


def test_dumps_matches_json_dumps() -> None:
    values: tuple[object, ...] = (
        [{"a": 1, "b": "Bộ", "c": None, "d": 0.5, "e": True}],
        [{"a": [1, 2]}],
        [{}],
        [],
        {"x": {"y": 1}},
    )
    for value in values:
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_csv_leaves_none_empty(results: Results) -> None:
    assert to_csv([{"a": None, "b": "x,y"}], ["a", "b"]) == 'a,b\n,"x,y"\n'
    assert summary_records(results.notices, "notice")[0]["notice"] == "tb-a (2025-06-06)"
    records, fields = grid_flat_records(results.grid)
    assert fields == ["task", "obligation", "assignee", "2025-06-30", "2025-07-31", "2025-08-31"]
    assert records[0]["2025-06-30"] == "overdue"
