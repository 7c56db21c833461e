"""benchmarks/run.py gives the baseline the generated tasks in the files it reads: as they are
for the code before a change, in its own release's files for an older release."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import bench_generator, bench_script

# an older release, as far as the runner asks it: `init DIR` writes its own registry, and its
# `check` refuses today's files (it knows no `state_on`)
OLD_RELEASE = """\
import pathlib, sys
if sys.argv[1] == "init":
    folder = pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True)
    (folder / "agencies.yaml").write_text("# the old release's registry\\n")
    sys.exit(0)
sys.exit(1 if "check" in sys.argv else 2)
"""


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def _generated(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    bench_generator().generate(root, 60, 1, None)
    assert any(b"\nstate_on:" in data for data in _files(root).values())  # what is at stake
    return root


def test_the_code_before_a_change_reads_the_files_as_they_are(tmp_path: Path) -> None:
    root = _generated(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    copy = bench_script("run").baseline_root(root, [sys.executable, "-m", "tbtrack"], work)
    assert copy != root
    assert _files(copy) == _files(root)
    assert not (work / "baseline-check-cache").exists()  # its check leaves no warm cache


def test_an_older_release_reads_them_in_its_own_files(tmp_path: Path) -> None:
    root = _generated(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    old = tmp_path / "old.py"
    old.write_text(OLD_RELEASE, encoding="utf-8")
    copy = bench_script("run").baseline_root(root, [sys.executable, str(old)], work)
    before, after = _files(root), _files(copy)
    assert after["agencies.yaml"] == b"# the old release's registry\n"
    assert before.keys() == after.keys()
    for rel, data in before.items():
        if rel != "agencies.yaml":
            kept = b"".join(
                line for line in data.splitlines(keepends=True) if not line.startswith(b"state_on:")
            )
            assert after[rel] == kept, rel
    assert not any(b"\nstate_on:" in data for data in after.values())


def test_the_data_root_is_one_packed_commit_before_the_baseline_s_copy(tmp_path: Path) -> None:
    """`log ID` needs the data root in git; its objects are packed at once, so that no `gc
    --auto` git detaches removes loose objects while the runner copies the root."""
    root = _generated(tmp_path)
    run = bench_script("run")
    assert run.committed(root)
    git = ["git", "-C", str(root)]
    count = subprocess.run([*git, "count-objects", "-v"], capture_output=True, text=True)
    numbers = dict(line.split(": ") for line in count.stdout.splitlines())
    assert numbers["count"] == "0" and int(numbers["in-pack"]) > 60  # the tasks, in a pack
    listed = subprocess.run([*git, "ls-files"], capture_output=True, text=True).stdout.split()
    assert sorted(listed) == sorted(_files(root))
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert run.committed(root)  # made once: kept as it is
    again = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert again == head
    work = tmp_path / "work"
    work.mkdir()
    copy = run.baseline_root(root, [sys.executable, "-m", "tbtrack"], work)
    assert _files(copy) == _files(root)
