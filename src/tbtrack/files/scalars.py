"""Plain YAML scalars typed exactly as ruamel.yaml types them (YAML 1.2).

The parser (`yamlread`) and the quick reader of task files (`yamlquick`) both give a plain
scalar's value from here, through ruamel.yaml's own resolver and constructor: `2025-06-06` is
a date, `null` is None, `2.10` a float, whichever reader met it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any


@functools.cache
def scalar_machinery() -> tuple[Any, Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    yaml = YAML(typ="safe", pure=False)
    return yaml, ScalarNode, yaml.resolver


@dataclass(frozen=True)
class InvalidScalar:
    """A plain scalar that looks like a typed value but is not one, e.g. `2025-06-31`."""

    text: str
    tag: str


def plain_value(text: str) -> Any:
    """The value of a plain (unquoted) scalar, as ruamel.yaml would construct it."""
    if text and text[0] not in typed_first_characters():
        return text  # no implicit type starts with this character: the resolver says str
    return typed_value(text)


@functools.cache
def typed_first_characters() -> frozenset[str] | str:
    """The first characters ruamel's resolver has an implicit type for (it looks them up by
    the first character); every character when it has resolvers for any first character."""
    _, _, resolver = scalar_machinery()
    table = resolver.versioned_resolver
    if table.get(None) or resolver.yaml_path_resolvers:
        return _ANY_CHARACTER
    return frozenset(key for key in table if key)


class _AnyCharacter(str):
    def __contains__(self, key: object) -> bool:
        return True


_ANY_CHARACTER = _AnyCharacter()


@functools.lru_cache(maxsize=4096)
def typed_value(text: str) -> Any:
    yaml, scalar_node, resolver = scalar_machinery()
    tag = resolver.resolve(scalar_node, text, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return text
    try:
        return yaml.constructor.construct_object(scalar_node(tag, text))
    except ValueError:
        # `2025-06-31` looks like a date but is none: keep the text, `schema` rejects it
        return InvalidScalar(text, str(tag))
