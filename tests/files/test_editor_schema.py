"""The editors' JSON Schemas accept every file the repository ships and reject what check rejects
in a key's shape: an unknown key, a second due form, a kind that does not exist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from tbtrack.files.editor_schema import editor_schema, language_server_settings, modeline

PROJECT = Path(__file__).resolve().parents[2]


def _as_json(value: Any) -> Any:
    """What a YAML language server validates: dates are the strings they are written as."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _load(path: Path) -> Any:
    return _as_json(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = editor_schema(kind)  # type: ignore[arg-type]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_every_task_file_of_the_repository_is_valid() -> None:
    validator = _validator("task")
    files = sorted((PROJECT / "tasks").rglob("*.yaml"))
    assert len(files) == 22
    for path in files:
        errors = [e.message for e in validator.iter_errors(_load(path))]
        assert errors == [], path


def test_the_shipped_registry_is_valid() -> None:
    validator = _validator("agencies")
    assert [e.message for e in validator.iter_errors(_load(PROJECT / "agencies.yaml"))] == []


@pytest.fixture
def task() -> dict[str, Any]:
    data = _load(PROJECT / "tasks" / "tgv-2025-06-06" / "2c.yaml")
    assert isinstance(data, dict)
    return data


def test_an_unknown_key_is_rejected(task: dict[str, Any]) -> None:
    task["obligations"][0]["dueby"] = "2025-07-01"
    messages = [e.message for e in _validator("task").iter_errors(task)]
    assert any("'dueby' was unexpected" in m for m in messages), messages


def test_two_due_forms_are_rejected(task: dict[str, Any]) -> None:
    task["obligations"][0]["before"] = "2025-07-01"
    assert not _validator("task").is_valid(task)
    del task["obligations"][0]["before"]
    assert _validator("task").is_valid(task)


def test_an_unknown_kind_and_a_bad_date_are_rejected(task: dict[str, Any]) -> None:
    task["obligations"][0]["kind"] = "reprot"
    assert not _validator("task").is_valid(task)
    task["obligations"][0]["kind"] = "report"
    task["source"]["date"] = "2025-13-01"
    assert not _validator("task").is_valid(task)


def test_the_language_server_mapping_and_the_modeline() -> None:
    assert language_server_settings() == {
        ".tbtrack-schemas/task.schema.json": ["tasks/**/*.yaml"],
        ".tbtrack-schemas/agencies.schema.json": ["agencies.yaml"],
    }
    assert modeline("task", 2) == (
        "# yaml-language-server: $schema=../../.tbtrack-schemas/task.schema.json"
    )
