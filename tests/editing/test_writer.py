"""The write: atomic, under the repository's edit lock, refusing what an editor would refuse."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result, task_text
from tbtrack.files.yamlread import decode, load

Run = Callable[..., Result]

WRITERS = 20
ROUNDS = 3

# One harness process imports tbtrack and warms it up once (importing it costs a second of
# CPU, twenty times over on two cores would be the whole test), then forks one process per
# writer. At the start signal every writer, for each round, runs the real entry point until
# its `done` is written or refused for another reason than a change on disk, waiting a
# random, growing moment between tries (as a user running the command again would), so
# the writers do not all plan at once. On an idle 2-core machine this takes about 4 s.
HARNESS = textwrap.dedent(
    """
    import contextlib, io, os, random, sys, time
    from pathlib import Path
    from tbtrack.__main__ import main

    root, rounds, names = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]

    def tbtrack(*args):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["--root", str(root), *args])
        return code, err.getvalue()

    assert tbtrack("done", "r/0", names[0], "--on", "2025-06-09", "--dry-run")[0] == 0
    start, signal = os.pipe()
    children = []
    for name in names:
        pid = os.fork()
        if pid == 0:
            os.close(signal)
            os.read(start, 1)
            random.seed(name)
            for r in range(rounds):
                for attempt in range(400):
                    code, err = tbtrack("done", f"r/{r}", name, "--on", "2025-06-09")
                    if code == 0 or "changed on disk" not in err:
                        break
                    time.sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 4)))
                os.write(1, f"{r} {name} {code}\\n".encode())
            os._exit(0)
        children.append(pid)
    os.write(signal, b"x" * len(names))
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    sys.exit(1 if failed else 0)
    """
)


def test_concurrent_writers_never_lose_a_reported_success(repo: Repo, tmp_path: Path) -> None:
    names = [f"o{i:02d}" for i in range(WRITERS)]
    obligations = "".join(f"  - id: {n}\n    by: 2025-07-01\n" for n in names)
    for r in range(ROUNDS):
        repo.task(f"r/{r}", task_text(obligations=obligations))
    script = tmp_path / "harness.py"
    script.write_text(HARNESS, encoding="utf-8")
    env = {**os.environ, "TBTRACK_TODAY": "2025-06-10", "LANG": "C.UTF-8"}
    harness = subprocess.run(
        [sys.executable, str(script), str(repo.root), str(ROUNDS), *names],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert harness.returncode == 0, harness.stderr
    succeeded: dict[int, list[str]] = {r: [] for r in range(ROUNDS)}
    reported = harness.stdout.splitlines()
    assert len(reported) == WRITERS * ROUNDS
    for line in reported:
        round_, name, code = line.split()
        if code == "0":
            succeeded[int(round_)].append(name)
    for r in range(ROUNDS):
        path = repo.root / "tasks" / "r" / f"{r}.yaml"
        events = load(decode(path.read_bytes()))[0]["progress"]
        written = [event["fulfils"] for event in events]
        # every command that said it succeeded has its event in the file, exactly once
        assert sorted(written) == sorted(succeeded[r]), r
        assert len(set(written)) == len(written)
        assert len(written) == WRITERS  # and with retries, every writer got through
    folder = repo.root / "tasks" / "r"
    assert sorted(p.name for p in folder.iterdir()) == [f"{r}.yaml" for r in range(ROUNDS)]


def test_the_lock_lives_in_the_cache_folder(repo: Repo, run: Run) -> None:
    repo.task("n/a", task_text())
    assert run("--root", str(repo.root), "done", "n/a", "--on", "2025-06-09").code == 0
    assert (repo.root / ".tbtrack" / "edit.lock").is_file()


def test_a_read_only_task_file_is_refused(repo: Repo, run: Run) -> None:
    path = repo.task("n/a", task_text())
    path.chmod(0o444)
    before = path.read_bytes()
    result = run("--root", str(repo.root), "done", "n/a", "--on", "2025-06-09")
    assert result.code == 1
    assert "tasks/n/a.yaml is read-only; nothing written" in result.err
    assert "chmod u+w" in result.err
    assert path.read_bytes() == before
    assert (path.stat().st_mode & 0o777) == 0o444
    # a dry run only shows the change
    assert run("--root", str(repo.root), "done", "n/a", "--dry-run").code == 0


def test_a_read_only_folder_is_a_clear_error(
    repo: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo.task("n/a", task_text())
    before = path.read_bytes()

    # what the system says in a folder this user may not write in (chmod cannot show it to root)
    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = run("--root", str(repo.root), "done", "n/a", "--on", "2025-06-09")
    assert result.code == 1, result
    assert "cannot write tasks/n/a.yaml: Permission denied" in result.err
    assert "(the folder tasks/n/ is read-only); nothing written" in result.err
    assert "Traceback" not in result.err and "crash" not in result.err
    assert path.read_bytes() == before


def test_a_batch_is_refused_whole_when_one_file_appeared_meanwhile(tmp_path: Path) -> None:
    import datetime as dt
    import shutil

    from tbtrack.editing.writer import write_all
    from tbtrack.errors import WriteRefused
    from tbtrack.importing.apply import plan_import

    root = tmp_path / "data"
    (root / "tasks").mkdir(parents=True)
    shutil.copyfile(Path(__file__).parents[2] / "agencies.yaml", root / "agencies.yaml")
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "Số: 999/TB-VPCP\nHà Nội, ngày 05 tháng 11 năm 2024\nTHÔNG BÁO\nKết luận như sau:\n"
        "1. Bộ Tài chính rà soát, hoàn thành trước ngày 15/12/2024.\n"
        "2. Bộ Tư pháp rà soát, hoàn thành trước ngày 15/12/2024.\n",
        encoding="utf-8",
    )
    plan = plan_import(root, notice, today=dt.date(2024, 11, 6))
    folder = root / "tasks" / plan.folder
    folder.mkdir()
    (folder / "2.yaml").write_text("another edit\n", encoding="utf-8")
    with pytest.raises(WriteRefused, match=r"2\.yaml appeared on disk meanwhile"):
        write_all(plan.changes)
    assert sorted(p.name for p in folder.iterdir()) == ["2.yaml"]  # and no temporary file
