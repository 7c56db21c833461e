"""JSON Schemas of the two file formats, for editors with a YAML language server (SPEC 5.5).

They are generated from the pydantic models of `schema`, the same that validate the files, so
an editor and `tbtrack check` never disagree on what a key may hold. `check` says more than a
schema can (agency names, obligation references, dates of events); the schema is the part an
editor can check as the file is typed.
"""

from __future__ import annotations

from typing import Any, Literal

from .vocab import DUE_FORMS

SchemaKind = Literal["task", "agencies"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("task", "agencies")

# where `tbtrack init` writes them, relative to the data root, and which files each one covers
SCHEMA_DIR = ".tbtrack-schemas"
SCHEMA_FILES: dict[SchemaKind, str] = {
    "task": f"{SCHEMA_DIR}/task.schema.json",
    "agencies": f"{SCHEMA_DIR}/agencies.schema.json",
}
SCHEMA_GLOBS: dict[SchemaKind, list[str]] = {
    "task": ["tasks/**/*.yaml"],
    "agencies": ["agencies.yaml"],
}
_TITLES: dict[SchemaKind, str] = {
    "task": "tbtrack task file",
    "agencies": "tbtrack agencies.yaml",
}


def editor_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a task file or of agencies.yaml."""
    from . import schema

    model = schema.Task if kind == "task" else schema.RegistryFile
    generated = model.model_json_schema(by_alias=True, mode="validation")
    if kind == "task":
        _one_due_form(generated["$defs"]["Obligation"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": _TITLES[kind],
        **{key: value for key, value in generated.items() if key != "title"},
    }


def _one_due_form(obligation: dict[str, Any]) -> None:
    """Exactly one due form (SPEC 4.1), which the model checks in a validator pydantic cannot
    express in a schema: one `required` alternative per form, the others absent."""
    obligation["oneOf"] = [
        {
            "required": [form],
            "not": {"anyOf": [{"required": [other]} for other in DUE_FORMS if other != form]},
        }
        for form in DUE_FORMS
    ]


def language_server_settings() -> dict[str, list[str]]:
    """The `yaml.schemas` mapping of the YAML language server: schema file -> the files."""
    return {SCHEMA_FILES[kind]: SCHEMA_GLOBS[kind] for kind in SCHEMA_KINDS}


def schema_ref(kind: SchemaKind, depth: int) -> str:
    """The schema's path as seen from a file `depth` folders below the data root."""
    return f"{'../' * depth}{SCHEMA_FILES[kind]}"


def modeline(kind: SchemaKind, depth: int) -> str:
    """The first line of a file `depth` folders below the data root that names its schema."""
    return f"# yaml-language-server: $schema={schema_ref(kind, depth)}"


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as the file `init` writes and `tbtrack schema` prints."""
    import json

    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def editor_settings() -> str:
    """`.vscode/settings.json`: the YAML language server's `yaml.schemas` mapping."""
    import json

    return json.dumps({"yaml.schemas": language_server_settings()}, indent=2) + "\n"
