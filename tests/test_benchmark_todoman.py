"""benchmarks/run.py gives todoman the work it gives Taskwarrior: one VTODO per imported task."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

from icalendar import Calendar, Todo

from helpers import bench_script

TASKS = [
    {
        "uuid": "00000000-0000-4000-8000-000000000001",
        "status": "pending",
        "description": "Báo cáo kết quả thực hiện",
        "project": "tb-2024-0412-vpcp",
        "entry": "20240412T000000Z",
        "tags": ["report"],
        "due": "20250614T000000Z",
    },
    {
        "uuid": "00000000-0000-4000-8000-000000000002",
        "status": "pending",
        "description": "Hoàn thành đề án",
        "project": "tb-2024-0412-vpcp",
        "entry": "20240412T000000Z",
        "tags": ["submit"],
    },
    {
        "uuid": "00000000-0000-4000-8000-000000000003",
        "status": "pending",
        "description": "Trình Chính phủ",
        "project": "tb-2025-0108-ubnd",
        "entry": "20250108T000000Z",
        "tags": ["submit"],
        "due": "20250701T000000Z",
    },
]


def test_every_imported_task_is_one_todo_in_its_project_list(tmp_path: Path) -> None:
    source = tmp_path / "taskwarrior.json"
    source.write_text(json.dumps(TASKS, ensure_ascii=False), encoding="utf-8")
    config, cache = bench_script("run").todoman_data(source, tmp_path)

    seen = {}
    for file in sorted((tmp_path / "todoman").glob("*/*.ics")):
        (todo,) = Calendar.from_ical(file.read_bytes()).walk("VTODO")
        assert isinstance(todo, Todo)
        due = todo.get("due")
        seen[str(todo["uid"])] = (
            file.parent.name,
            str(todo["summary"]),
            str(todo["status"]),
            [str(c) for c in todo.categories],
            due.dt if due is not None else None,
        )
    assert seen == {
        TASKS[0]["uuid"]: (
            "tb-2024-0412-vpcp",
            "Báo cáo kết quả thực hiện",
            "NEEDS-ACTION",
            ["report"],
            dt.date(2025, 6, 14),
        ),
        TASKS[1]["uuid"]: (
            "tb-2024-0412-vpcp",
            "Hoàn thành đề án",
            "NEEDS-ACTION",
            ["submit"],
            None,
        ),
        TASKS[2]["uuid"]: (
            "tb-2025-0108-ubnd",
            "Trình Chính phủ",
            "NEEDS-ACTION",
            ["submit"],
            dt.date(2025, 7, 1),
        ),
    }

    # todoman's configuration (Python it runs): read here as literals, never run
    settings = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(config.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert settings == {
        "path": str(tmp_path / "todoman" / "*"),
        "cache_path": str(cache),
        "date_format": "%Y-%m-%d",
    }
    assert cache.parent == tmp_path


def test_a_collection_made_once_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "taskwarrior.json"
    source.write_text(json.dumps(TASKS[:1]), encoding="utf-8")
    runner = bench_script("run")
    runner.todoman_data(source, tmp_path)
    made = next((tmp_path / "todoman").glob("*/*.ics"))
    stamp = made.stat().st_mtime_ns
    source.write_text(json.dumps(TASKS), encoding="utf-8")
    runner.todoman_data(source, tmp_path)  # the data of one size does not change
    assert made.stat().st_mtime_ns == stamp
    assert len(list((tmp_path / "todoman").glob("*/*.ics"))) == 1
