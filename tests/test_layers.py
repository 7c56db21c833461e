"""The layers of the package import one way only, and no module imports itself back (imports
inside functions included; those for the type checker only left out)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tbtrack"

# lower layers first: a module may import its own layer and those listed before it
LAYERS = [
    ["messages", "errors", "files"],
    ["engine"],
    ["checking"],
    ["loading"],
    ["queries", "review", "editing", "importing"],
    ["render"],
    ["cli", "__main__"],
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def _imports(path: Path) -> set[str]:
    """The tbtrack modules a file imports, at module level or inside functions."""
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # imports for the type checker only (`if TYPE_CHECKING:`) run never
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("tbtrack"):
                target = node.module.split(".")[1:]
            else:
                continue
            names = [".".join([*target, alias.name]) for alias in node.names]
            found.update(
                n for n in names if (PACKAGE / n.replace(".", "/")).with_suffix(".py").exists()
            )
            if target:
                found.add(".".join(target))
        elif isinstance(node, ast.Import):
            found.update(
                a.name[len("tbtrack.") :] for a in node.names if a.name.startswith("tbtrack.")
            )
    return {f for f in found if f}


GRAPH = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _layer(module: str) -> int | None:
    return RANK.get(module.split(".")[0]) if module else None


def test_every_top_level_name_has_a_layer() -> None:
    tops = {m.split(".")[0] for m in GRAPH if m}
    assert tops <= set(RANK), tops - set(RANK)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = []
    for module, imported in GRAPH.items():
        mine = _layer(module)
        for target in imported:
            theirs = _layer(target)
            if mine is not None and theirs is not None and theirs > mine:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_import_cycle() -> None:
    modules = {m for m in GRAPH if m}
    edges = {m: {t for t in GRAPH[m] if t in modules and t != m} for m in modules}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    # a package's __init__ importing its own modules is not a cycle of logic
    assert [c for c in cycles if not _package_init_only(c)] == []


def _package_init_only(cycle: str) -> bool:
    nodes = cycle.split(" -> ")
    return any("." not in n and (PACKAGE / n / "__init__.py").exists() for n in nodes)
