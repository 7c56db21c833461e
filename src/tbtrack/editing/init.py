"""`tbtrack init`: a new data repository (SPEC 7): the shipped registry, tasks/, .gitignore, a
pre-commit configuration, and the editors' schemas and settings (5.5); never overwriting what
is there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..checking.leftovers import TEMPORARY_PREFIX, TEMPORARY_SUFFIX
from ..errors import WriteRefused
from ..files.store import AGENCIES_FILE, CACHE_DIR, TASKS_DIR

GITIGNORE_LINE = f"{CACHE_DIR}/"
TEMPORARY_PATTERN = f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"
# the cache, and the temporary files a write interrupted by a crash can leave
_IGNORE_LINES = f"{GITIGNORE_LINE}\n{TEMPORARY_PATTERN}\n"
_IGNORED_CACHE = {GITIGNORE_LINE, CACHE_DIR, f"/{CACHE_DIR}/", f"/{CACHE_DIR}"}


@dataclass(frozen=True)
class InitStep:
    rel: str
    action: Literal["create", "append", "keep"]
    data: bytes = b""


def plan_init(target: Path) -> list[InitStep]:
    """What `tbtrack init` would do in `target`; refused when it already has a registry."""
    from importlib.resources import files

    if (target / AGENCIES_FILE).exists():
        raise WriteRefused(
            f"{target / AGENCIES_FILE} already exists; tbtrack init never overwrites a registry"
        )
    package = files("tbtrack") / "data"
    steps = [InitStep(AGENCIES_FILE, "create", (package / "agencies.yaml").read_bytes())]
    if not (target / TASKS_DIR / ".gitkeep").exists():
        steps.append(InitStep(f"{TASKS_DIR}/.gitkeep", "create"))
    ignore = target / ".gitignore"
    if not ignore.exists():
        steps.append(InitStep(".gitignore", "create", _IGNORE_LINES.encode()))
    else:
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
        # a file that ignores the cache already is the owner's: left as it is
        if not _IGNORED_CACHE & {s.strip() for s in lines}:
            current = ignore.read_bytes()
            glue = b"" if not current or current.endswith(b"\n") else b"\n"
            steps.append(InitStep(".gitignore", "append", glue + _IGNORE_LINES.encode()))
    steps += _editor_steps(target)
    hook = (package / "pre-commit-config.yaml").read_bytes()
    if (target / ".pre-commit-config.yaml").exists():
        steps.append(InitStep(".pre-commit-config.yaml", "keep", hook))
    else:
        steps.append(InitStep(".pre-commit-config.yaml", "create", hook))
    return steps


EDITOR_SETTINGS = ".vscode/settings.json"


def _editor_steps(target: Path) -> list[InitStep]:
    """The JSON Schemas of the two file formats and the editor settings that use them (SPEC
    5.5); settings already there are the owner's and are kept."""
    from ..files.editor_schema import (
        SCHEMA_FILES,
        SCHEMA_KINDS,
        editor_schema,
        editor_settings,
        schema_text,
    )

    steps = []
    for kind in SCHEMA_KINDS:
        rel = SCHEMA_FILES[kind]
        if not (target / rel).exists():
            steps.append(InitStep(rel, "create", schema_text(editor_schema(kind)).encode()))
    settings = editor_settings().encode()
    action: Literal["create", "keep"] = "keep" if (target / EDITOR_SETTINGS).exists() else "create"
    steps.append(InitStep(EDITOR_SETTINGS, action, settings))
    return steps


def apply_init(target: Path, steps: Sequence[InitStep]) -> None:
    try:
        _apply_init(target, steps)
    except OSError as exc:
        raise WriteRefused(f"cannot write in {target}: {exc.strerror or exc}") from None


def _apply_init(target: Path, steps: Sequence[InitStep]) -> None:
    (target / TASKS_DIR).mkdir(parents=True, exist_ok=True)
    for step in steps:
        path = target / step.rel
        if step.action == "create":
            path.parent.mkdir(parents=True, exist_ok=True)
            # exclusive creation: a file that appeared meanwhile is never overwritten
            try:
                with open(path, "xb") as handle:
                    handle.write(step.data)
            except FileExistsError:
                raise WriteRefused(f"{path} appeared meanwhile; not overwritten") from None
        elif step.action == "append":
            with open(path, "ab") as handle:
                handle.write(step.data)


def start_git(target: Path, *, dry_run: bool = False) -> str:
    """Make `target` a git repository unless it is in one, so the first `tbtrack diff` works
    (SPEC 7); what was done, in one line. Without git, says so: the files are there anyway."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return (
            f"git is not installed, so {target} is not a git repository yet; install git and "
            "run `git init` there for `tbtrack diff` and `tbtrack log`"
        )
    inside = subprocess.run(
        [git, "-C", str(target), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        check=False,
    )
    if inside.returncode == 0:
        return f"{target} is in a git repository already; commit the new files there"
    if dry_run:
        return f"would run `git init` in {target}"
    done = subprocess.run([git, "init", "-q", str(target)], capture_output=True, check=False)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WriteRefused(f"git init failed in {target}: {reason[-1] if reason else 'no reason'}")
    return f"made {target} a git repository (git init); commit the new files to start its history"
