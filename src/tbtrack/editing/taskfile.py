"""Finding and reading the file an edit is about, never outside `tasks/` (SPEC 2, 7)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError, WriteRefused
from ..files.store import TASKS_DIR, bare_id, files_matching, id_problem, match_id
from ..files.store import task_id as id_of_path
from ..files.store import task_path as path_of_id

_BOM = "\ufeff"
# the longest file name most file systems take (NAME_MAX), in bytes
_NAME_MAX = 255


@dataclass(frozen=True)
class TaskFile:
    root: Path
    rel: str  # tasks/.../x.yaml
    data: bytes
    mode: int

    @property
    def path(self) -> Path:
        return self.root / self.rel

    @property
    def id(self) -> str:
        return id_of_path(self.rel)

    @property
    def bom(self) -> bool:
        return self.data.startswith(_BOM.encode())

    @property
    def text(self) -> str:
        from ..files.yamlread import YamlProblem, decode

        try:
            return decode(self.data)
        except YamlProblem as problem:
            raise WriteRefused(f"{self.rel}: {problem.message}; run `tbtrack check`") from None

    def encode(self, text: str) -> bytes:
        return ((_BOM if self.bom else "") + text).encode("utf-8")


def wanted_id(text: str) -> str:
    """An ID as typed, less a `tasks/` prefix and `.yaml` suffix; refused when it could escape
    tasks/ or could not be a file name."""
    wanted = bare_id(text)
    # the ID rules of SPEC 2 admit no `..`, no leading `/` and no `\`: nothing can leave tasks/
    problem = id_problem(wanted)
    if problem:
        raise UsageError(f"bad task ID '{text}': {problem}")
    parts = wanted.split("/")
    for index, part in enumerate(parts):
        name = part + (".yaml" if index == len(parts) - 1 else "")
        if len(name.encode()) > _NAME_MAX:
            raise UsageError(
                f"bad task ID '{_cut(text)}': the part '{_cut(part)}' is {len(part)} characters "
                f"long; a file name has at most {_NAME_MAX} bytes"
            )
    return wanted


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def inside_tasks(root: Path, rel: str) -> Path:
    """The file's path, once sure that it and its folders are real and inside root/tasks."""
    tasks = root.resolve() / TASKS_DIR
    path = root.resolve() / rel
    if path.is_symlink():
        raise WriteRefused(f"{rel} is a symbolic link; tbtrack edits only regular files")
    real = path.resolve()
    if tasks.is_symlink() or not real.is_relative_to(tasks):
        raise WriteRefused(f"{rel} is not inside {TASKS_DIR}/ once links are followed; refused")
    return path


def refuse_linked_folders(root: Path, rel: str) -> None:
    """Every existing folder on the way to a new file must be a real folder inside tasks/."""
    tasks = root.resolve() / TASKS_DIR
    folder = root.resolve()
    for part in Path(rel).parent.parts:
        folder = folder / part
        if folder.is_symlink():
            raise WriteRefused(f"{folder.relative_to(root.resolve())} is a symbolic link; refused")
        if not folder.exists():
            break
    if tasks.exists() and not tasks.is_dir():
        raise WriteRefused(f"{TASKS_DIR} is not a folder")


def open_task(root: Path, identifier: str) -> TaskFile:
    """Read the task `identifier` names (an ID or a unique suffix of one), with its mode."""
    wanted = wanted_id(identifier)
    exact = path_of_id(wanted)
    if (root / exact).is_symlink():
        raise WriteRefused(f"{exact} is a symbolic link; tbtrack edits only regular files")
    # the files the ID could name, not every file: match_id picks among them as among all
    ids = [id_of_path(rel) for rel in files_matching(root, wanted)]
    rel = path_of_id(match_id(wanted, ids))
    path = inside_tasks(root, rel)
    data, mode = read_task(path, rel)
    return TaskFile(root, rel, data, mode)


def read_task(path: Path, rel: str) -> tuple[bytes, int]:
    """The bytes and mode of a regular file, never through a link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise WriteRefused(f"cannot read {rel}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(f"{rel} is not a regular file")
        return handle.read(), info.st_mode
