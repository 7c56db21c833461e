"""Every call to git, in one place (SPEC 7).

Both sides of a comparison are read through git's object store, never by checking anything
out, and with a bounded number of processes whatever the number of files: one `ls-tree` to
list a revision, one `cat-file --batch` fed every blob at once. The data root may be a
sub-folder of the repository, so paths are given to git with the repository prefix and handed
back relative to the data root.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GitError
from ..files.store import AGENCIES_FILE, TASK_SUFFIX, TASKS_DIR

if TYPE_CHECKING:
    from ..files.registry import Registry
    from ..loading.dataset import TaskResult

# Settings that would change what git prints and so break parsing: colours, quoted paths,
# signatures in `log`. The user's other settings (safe.directory...) still apply.
_CONFIG = ("-c", "color.ui=never", "-c", "core.quotePath=false", "-c", "log.showSignature=false")
WORKTREE = "working tree"


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one git command and return its output; a GitError with git's own words on failure."""
    try:
        done = subprocess.run(
            ["git", *_CONFIG, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {done.returncode}"
        command = next((a for a in args if not a.startswith("-")), "")
        raise GitError(f"git {command} failed: {detail.removeprefix('fatal: ')}")
    return done.stdout


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # ISO 8601 with the author's offset, as git gives it
    message: str
    path: str | None  # the task file at this commit, relative to the data root
    from_path: str | None  # its path at the first parent, when it was renamed or modified

    @property
    def subject(self) -> str:
        return self.message.splitlines()[0] if self.message else ""


@dataclass
class Repo:
    """A git repository seen from a data root inside it."""

    root: Path  # the data root
    top: Path  # the repository's top folder
    prefix: str  # the data root's path inside the repository, "" or ending in "/"

    @classmethod
    def at(cls, root: Path) -> Repo:
        if not root.is_dir():
            raise GitError(f"{root} is not a folder")
        try:
            out = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
        except GitError as exc:
            if "not a git repository" not in str(exc):
                # e.g. "detected dubious ownership": git's own words say what to do
                raise
            raise GitError(
                f"{root} is not in a git repository; `git init` it, or use a data root inside one"
            ) from None
        lines = out.decode("utf-8", "surrogateescape").split("\n")
        if len(lines) < 2 or not lines[0]:
            # a bare repository or the inside of .git: there is no working tree to read
            raise GitError(f"{root} is not in the working tree of a git repository")
        return cls(root, Path(lines[0]), lines[1])

    # --- paths ----------------------------------------------------------------------------

    def _full(self, rel: str) -> str:
        return f"{self.prefix}{rel}"

    def _rel(self, full: str) -> str | None:
        if not full.startswith(self.prefix):
            return None
        return full[len(self.prefix) :]

    def _pathspecs(self) -> list[str]:
        return [self._full(TASKS_DIR), self._full(AGENCIES_FILE)]

    # --- revisions ------------------------------------------------------------------------

    def resolve(self, rev: str) -> str:
        """The commit a revision names; a GitError that names the revision otherwise."""
        if not rev or rev.startswith("-") or "\n" in rev:
            raise GitError(f"'{rev}' is not a revision")
        try:
            out = _git(
                self.top,
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{rev}^{{commit}}",
            )
        except GitError:
            raise GitError(
                f"unknown revision '{rev}': no such commit, branch or tag in {self.top}"
            ) from None
        return out.decode().strip()

    def has_commits(self) -> bool:
        try:
            _git(self.top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitError:
            return False
        return True

    def tree(self, rev: str) -> Tree:
        """The registry and task files at a revision: one ls-tree and one cat-file process."""
        commit = self.resolve(rev)
        out = self._ls_tree(commit, *self._pathspecs())
        blobs: dict[str, str] = {}
        strays: list[str] = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, sha = meta.decode().split(" ")
            rel = self._rel(name.decode("utf-8", "surrogateescape"))
            if rel is None or kind != "blob":
                continue  # a submodule, or a path outside the data root
            if rel != AGENCIES_FILE and _hidden(rel):
                continue  # as the working tree does: dot-files and dot-folders are not read
            if rel == AGENCIES_FILE or (rel.endswith(TASK_SUFFIX) and mode != "120000"):
                blobs[rel] = sha
            else:
                strays.append(rel)  # a symbolic link or a file that is not .yaml
        contents = self.cat(blobs.values())
        files = {rel: contents[sha] for rel, sha in sorted(blobs.items())}
        return Tree(rev, commit, files, sorted(strays))

    def _ls_tree(self, commit: str, *paths: str, names_only: bool = False) -> bytes:
        """Every file under `paths` at a commit, NUL-separated, paths from the repository top."""
        flags = ["--name-only"] if names_only else []
        return _git(
            self.top,
            "--literal-pathspecs",
            "ls-tree",
            "-r",
            "-z",
            *flags,
            "--full-tree",
            commit,
            "--",
            *paths,
        )

    def task_paths(self, rev: str) -> list[str]:
        """The task files at a revision, by name only (no contents read)."""
        out = self._ls_tree(self.resolve(rev), self._full(TASKS_DIR), names_only=True)
        names = (self._rel(n.decode("utf-8", "surrogateescape")) for n in out.split(b"\0") if n)
        return sorted(n for n in names if n and n.endswith(TASK_SUFFIX) and not _hidden(n))

    def worktree(self) -> Tree:
        """The files on disk that git would see: tracked and untracked, not ignored."""
        out = _git(
            self.top,
            "--literal-pathspecs",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--full-name",
            "--",
            *self._pathspecs(),
        )
        files: dict[str, bytes] = {}
        strays: list[str] = []
        for name in sorted(set(out.split(b"\0"))):
            rel = self._rel(name.decode("utf-8", "surrogateescape")) if name else None
            if rel is None or (rel != AGENCIES_FILE and _hidden(rel)):
                continue
            path = self.root / rel
            if path.is_symlink() or not rel.endswith(TASK_SUFFIX):
                strays.append(rel)
                continue
            try:
                files[rel] = path.read_bytes()
            except FileNotFoundError:
                continue  # tracked but deleted on disk: absent from this side
            except OSError as exc:
                raise GitError(f"cannot read {rel}: {exc.strerror}") from None
        return Tree(WORKTREE, None, files, strays)

    def cat(self, objects: Iterable[str]) -> dict[str, bytes]:
        """The contents of many objects (blob ids, or `rev:path`) from ONE git process."""
        wanted = list(dict.fromkeys(objects))
        if not wanted:
            return {}
        if any("\n" in name for name in wanted):
            raise GitError("an object name contains a line break")
        stdin = ("\n".join(wanted) + "\n").encode("utf-8", "surrogateescape")
        out = _git(self.top, "cat-file", "--batch", stdin=stdin)
        found: dict[str, bytes] = {}
        position = 0
        # the answers come in the order asked: "<sha> <type> <size>\n<content>\n" or
        # "<name> missing\n"
        for name in wanted:
            end = out.index(b"\n", position)
            header = out[position:end].decode("utf-8", "surrogateescape")
            position = end + 1
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                continue
            size = int(header.rsplit(" ", 1)[1])
            found[name] = out[position : position + size]
            position += size + 1
        return found

    # --- history --------------------------------------------------------------------------

    def log(self, rel: str, start: str = "HEAD") -> list[Commit]:
        """The commits that touched one file, newest first, following renames."""
        commit = self.resolve(start)
        # %x1e starts a commit and %x1f separates its fields; the name-status part that
        # follows the format is NUL-separated thanks to -z
        fmt = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1f"
        out = _git(
            self.top,
            "--literal-pathspecs",
            "log",
            "--follow",
            "-M",
            "--name-status",
            "-z",
            "--no-color",
            "--encoding=UTF-8",
            f"--format={fmt}",
            commit,
            "--",
            self._full(rel),
        )
        commits: list[Commit] = []
        for chunk in out.decode("utf-8", "replace").split("\x1e"):
            if not chunk.strip("\0\n"):
                continue
            sha, parents, author, email, date, message, tail = chunk.split("\x1f", 6)
            path, from_path = self._name_status(tail, rel, commits)
            commits.append(
                Commit(
                    sha,
                    tuple(parents.split()),
                    author,
                    email,
                    date,
                    message.strip(),
                    path,
                    from_path,
                )
            )
        return commits

    def _name_status(
        self, tail: str, rel: str, later: Sequence[Commit]
    ) -> tuple[str | None, str | None]:
        """(path at the commit, path at its parent) from one commit's -z name-status part."""
        fields = [f for f in tail.strip("\n").split("\0") if f.strip("\n")]
        fields = [f.strip("\n") for f in fields]
        # the path the next newer commit read from, or the asked path for the newest one
        current = later[-1].from_path if later and later[-1].from_path else rel
        if not fields:
            # a merge shows no name-status: compare with its first parent at the same path
            return current, current
        status = fields[0]
        if status.startswith(("R", "C")) and len(fields) >= 3:
            return self._rel(fields[2]) or fields[2], self._rel(fields[1]) or fields[1]
        path = (self._rel(fields[1]) or fields[1]) if len(fields) > 1 else current
        if status.startswith("A"):
            return path, None
        if status.startswith("D"):
            return None, path
        return path, path


@dataclass(frozen=True)
class Tree:
    """One side of a comparison: the registry and task files, by path under the data root."""

    label: str  # what the user asked for: a revision, or "working tree"
    commit: str | None  # None for the working tree
    files: dict[str, bytes] = field(default_factory=dict)
    strays: list[str] = field(default_factory=list)

    @property
    def registry(self) -> bytes | None:
        return self.files.get(AGENCIES_FILE)

    @property
    def tasks(self) -> dict[str, bytes]:
        return {rel: data for rel, data in self.files.items() if rel != AGENCIES_FILE}


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


class Revision:
    """`--rev REV`: the data as it was at a revision, a `dataset.Snapshot`.

    Nothing is cached: a revision's files never change, but its tasks are few enough to parse
    each time, and a cache keyed on blob ids would be one more thing to keep right.
    """

    def __init__(self, root: Path, rev: str) -> None:
        self.root = root
        self.rev = rev
        self._tree = Repo.at(root).tree(rev)

    def registry_bytes(self) -> bytes:
        data = self._tree.registry
        if data is None:
            raise GitError(f"{AGENCIES_FILE} does not exist at revision '{self.rev}'")
        return data

    def task_files(self) -> list[str]:
        return sorted(self._tree.tasks)

    def strays(self) -> list[str]:
        return list(self._tree.strays)

    def read(self, rel: str) -> bytes:
        try:
            return self._tree.files[rel]
        except KeyError:
            raise FileNotFoundError(
                errno.ENOENT, f"not in revision '{self.rev}'", os.fspath(self.root / rel)
            ) from None

    def read_tasks(self, registry: Registry) -> list[TaskResult]:
        from ..loading.dataset import analyse_bytes

        return [
            analyse_bytes(rel, data, registry) for rel, data in sorted(self._tree.tasks.items())
        ]
