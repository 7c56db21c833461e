"""What the tests share: a small registry, a data root builder and a task file maker."""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

if TYPE_CHECKING:
    from tbtrack.engine.status import Row
    from tbtrack.files.records import Task
    from tbtrack.files.registry import Registry

REGISTRY = """\
agencies:
  - name: Bộ Tài chính
    code: BTC
    aliases: [Bộ TC]
    kind: ministry
  - name: Bộ Khoa học và Công nghệ
    code: BKHCN
    aliases: [Bộ KH&CN, Bộ KHCN]
    kind: ministry
  - name: Bộ Thông tin và Truyền thông
    code: BTTTT
    kind: ministry
    successor: Bộ Khoa học và Công nghệ
    until: 2025-02-28
  - name: Bộ Nội vụ
    kind: ministry
  - name: Bộ Tư pháp
    kind: ministry
  - name: Văn phòng Chính phủ
    code: VPCP
    kind: ministerial-agency
  - name: Thường trực Ban Chỉ đạo
    kind: steering-body
groups:
  - name: Các bộ, cơ quan ngang bộ
    aliases:
      - Các bộ, ngành
    kinds: [ministry, ministerial-agency]
  - name: Nhóm ba bộ
    members:
      - Bộ Tài chính
      - Bộ Nội vụ
      - Bộ Tư pháp
"""

# the real notices the importer is tested on, kept with the project (docs/notices)
NOTICES = Path(__file__).resolve().parents[1] / "docs" / "notices"
SEED_NOTICE = NOTICES / "thong-bao-ket-luan-2025-06-06.txt"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Repo:
    root: Path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def task(self, task_id: str, text: str) -> Path:
        return self.write(f"tasks/{task_id}.yaml", text)


def task_text(
    *,
    lead: str = "[Bộ Tài chính]",
    obligations: str = "  - id: complete\n    by: 2025-07-01\n",
    progress: str = "[]",
    extra: str = "",
    section: str = '"2.c"',
) -> str:
    return (
        "source:\n"
        "  notice: Thông báo kết luận cuộc họp ngày 06/6/2025\n"
        "  number: null\n"
        "  date: 2025-06-06\n"
        f"  section: {section}\n"
        "title: Ban hành bảng danh mục và mã số các đơn vị hành chính\n"
        f"lead: {lead}\n"
        f"{extra}"
        "obligations:\n"
        f"{obligations}"
        f"progress: {progress}\n"
    )


def read_one_task(tmp_path: Path, body: str) -> tuple[Registry, Task]:
    """The registry and the task of a data root holding REGISTRY and one task file, `body`;
    the file must have no error."""
    from tbtrack.loading.dataset import WorkingTree, load_dataset

    root = tmp_path / "root"
    (root / "tasks" / "tb").mkdir(parents=True)
    (root / "agencies.yaml").write_text(REGISTRY, encoding="utf-8")
    (root / "tasks" / "tb" / "a.yaml").write_text(body, encoding="utf-8")
    data = load_dataset(root, WorkingTree(root, use_cache=False))
    assert not data.has_errors, data.diagnostics
    return data.registry, data.tasks[0].task


# the `run` fixture: `tbtrack ARGS` through the real entry point
Run = Callable[..., Result]


def bench_generator() -> ModuleType:
    """benchmarks/generate.py as a module: synthetic repositories of any size and seed."""
    return bench_script("generate")


def bench_script(name: str) -> ModuleType:
    """benchmarks/NAME.py as a module (`bench_NAME`)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


def record_calls(monkeypatch: Any, owner: object, name: str, argument: int = 0) -> list[Any]:
    """The `argument`-th argument of every call of `owner.name` from now on in the test (the
    calls still made)."""
    seen: list[Any] = []
    real = getattr(owner, name)

    def spy(*args: Any) -> Any:
        seen.append(args[argument])
        return real(*args)

    monkeypatch.setattr(owner, name, spy)
    return seen


def record_analyses(monkeypatch: Any, module: ModuleType) -> list[str]:
    """The files `module` analyses afresh (its `analyse_bytes`), rather than takes from the
    cache, from now on in the test."""
    return record_calls(monkeypatch, module, "analyse_bytes")


def git(top: Path, *args: str) -> str:
    """Run git in `top` as a fixed author, away from the user's and the system's settings;
    its output."""
    who = ["-c", "user.name=Nguyễn Văn A", "-c", "user.email=a@example.vn"]
    done = subprocess.run(
        ["git", *who, *args],
        cwd=top,
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1"),
    )
    return done.stdout


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (True is not 1, a date is no datetime,
    keys in the same order)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    return type(a) is type(b) and a == b


# --- generated task files ---------------------------------------------------------------------


@st.composite
def task_file(draw: st.DrawFn) -> str:
    """Task files, good and bad, from the shapes check reports on."""
    section = draw(st.sampled_from(['"2.c"', "2.10", "'1'", "3"]))
    lead = draw(
        st.sampled_from(
            [
                "[Bộ Tài chính]",
                "[Các bộ, ngành]",
                "[Bộ Tài chánh]",
                "[Bo\u0323 Ta\u0300i chi\u0301nh]",
                "\n  - Bộ Tài chính\n  - Nhóm ba bộ",
                "[BTC, Bộ Nội vụ]",
            ]
        )
    )
    due = draw(
        st.sampled_from(
            [
                "by: 2025-07-01",
                "before: 2025-07-01",
                "within: 2025-Q3",
                "every: monthly",
                "undated: true",
                "ongoing: true",
                "by: 2025-06-31",
                "by: 15/6/2025",
                "by: 2025-07-01\n    before: 2025-07-02",
                "kind: report",
                "dueby: 2025-07-01",
                "every: FREQ=MONTHLY;BYMONTHDAY=31\n    start: 2025-01-01",
                "within: 2025-13",
            ]
        )
    )
    progress = draw(
        st.sampled_from(
            [
                "[]",
                "\n  - on: 2025-06-05\n    fulfils: complete",
                "\n  - on: 2025-06-05\n    fulfils: repport",
                "\n  - on: 2025-06-05\n    extends: complete\n    to: 2025-06-01",
                "\n  - on: 2025-06-05\n    fulfils: complete\n    by: Bộ Tư pháp",
                "\n  - on: 2099-01-01\n    fulfils: complete",
            ]
        )
    )
    extra = draw(
        st.sampled_from(["", "notes: &x a\nsupport: *x\n", "title: again\n", "state: cancelled\n"])
    )
    return (
        "source:\n  notice: Thông báo\n  number: null\n  date: 2025-06-06\n"
        f"  section: {section}\ntitle: Một việc\nlead: {lead}\n"
        f"obligations:\n  - id: complete\n    {due}\nprogress: {progress}\n{extra}"
    )


def shown(rows: list[Row]) -> list[tuple[object, ...]]:
    """Everything a row tells, its task and obligation by what a row may ask of them (rows a
    forked child made hold their heads, not the records: `queries.sent_rows`)."""
    return [
        (
            r.task_id,
            r.task.title,
            r.task.source,
            r.task.text,
            r.obligation.id,
            r.obligation.kind,
            r.obligation.as_written,
            *r[3:],
        )
        for r in rows
    ]
