"""What every formatter shares: edits and init, in text and as JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tbtrack.editing.change import Change
from tbtrack.editing.init import InitStep
from tbtrack.files.diagnostics import Diagnostic
from tbtrack.render.output import FORMATS, Output

CHANGE = Change(
    rel="tasks/tb/x.yaml",
    path=Path("/nowhere/tasks/tb/x.yaml"),
    old=b"a: 1\n",
    new=b"a: 2\n",
    summary="tb/x: report done",
    warnings=(Diagnostic("tasks/tb/x.yaml", 1, 1, "warning", "odd\nvalue", "nfc"),),
)
DIFF = "--- a/tasks/tb/x.yaml\n+++ b/tasks/tb/x.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"
STEPS = [InitStep("agencies.yaml", "create"), InitStep(".pre-commit-config.yaml", "keep")]


def rendered(fmt: str, kind: str, *args: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    output = Output(fmt, "en", False, stdout=out, stderr=err)
    getattr(output.formatter, kind)(*args)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_an_edit_as_text(fmt: str) -> None:
    assert rendered(fmt, "edit", CHANGE, True) == (
        DIFF,
        "tasks/tb/x.yaml:1:1: warning: odd\\nvalue [nfc]\ntb/x: report done\n",
    )
    assert rendered(fmt, "edit", CHANGE, False)[1].endswith(
        "dry run, nothing written: tb/x: report done\n"
    )


def test_an_edit_as_json() -> None:
    out, err = rendered("json", "edit", CHANGE, False)
    assert err == ""
    assert json.loads(out) == {
        "path": "tasks/tb/x.yaml",
        "written": False,
        "summary": "tb/x: report done",
        "diff": DIFF,
        "warnings": [
            {
                "path": "tasks/tb/x.yaml",
                "line": 1,
                "col": 1,
                "severity": "warning",
                "message": "odd\nvalue",
                "rule": "nfc",
                "hint": None,
            }
        ],
    }


def test_init() -> None:
    out, err = rendered("table", "init", STEPS, False)
    assert out == "would be created agencies.yaml\nwould be kept .pre-commit-config.yaml\n"
    assert "the existing .pre-commit-config.yaml was not changed" in err
    out, _ = rendered("json", "init", STEPS, True)
    assert json.loads(out) == [
        {"path": "agencies.yaml", "action": "create", "written": True},
        {"path": ".pre-commit-config.yaml", "action": "keep", "written": True},
    ]
