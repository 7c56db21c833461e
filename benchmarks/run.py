#!/usr/bin/env python3
"""Time tbtrack as whole processes on synthetic data, next to Taskwarrior when it is there.

    python benchmarks/run.py [--tasks 10000] [--tasks 100000] [--repeat 5] [--keep DIR]
                             [--baseline OTHER_TBTRACK]

For each size: generate a data root (benchmarks/generate.py) into a temporary folder, or
reuse the one under --keep, then run each command --repeat times and print a Markdown
table of the median and best wall-clock time and the peak resident memory of each. With
--baseline, another tbtrack (an older installation, say) runs the same commands on the same
data in the same run, command by command, their runs interleaved (one of each, then again),
each tool with its own cache warmed for itself, and the table gives new / baseline. With --instructions, each warm command also
runs once under valgrind's callgrind, which counts the instructions it executes: a figure
that the load of a shared machine does not move, for before/after ratios that wall clocks
blur. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

AS_OF = generate.BENCH_AS_OF.isoformat()  # 2025-06-30
BEFORE = "2025-07-15"
DONE_ON = generate.DONE_ON.isoformat()  # 2025-06-20
AGENCY = "Bộ Tài chính"  # among the agencies the generated tasks name most
WIDTH = "160"  # terminal width given to both tools (stdout is a file, not a terminal)


@dataclass
class Run:
    wall_s: float
    maxrss_kib: int
    exit: int


@dataclass
class Result:
    label: str
    argv: list[str]
    tool: str  # tbtrack | baseline | taskwarrior | todoman | floor
    runs: list[Run] = field(default_factory=list)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    failed: str | None = None  # the reason, when the command failed
    note: str | None = None
    output_lines: int | None = None
    best_s: float | None = None
    median_s: float | None = None
    peak_rss_mib: float | None = None
    vs_task: float | None = None  # median / median of `task ... list`
    vs_todoman: float | None = None  # a cold run's median / median of todoman's cold `list`
    vs_baseline: tuple[float, float] | None = None  # (median, best) / the baseline's
    # with --instructions: the instructions of each process of one run, largest first (a
    # tool that forks has several), and new / baseline of their sum and of the largest
    instructions: list[int] | None = None
    instructions_vs_baseline: tuple[float, float] | None = None


# Peak RSS. os.wait4() gives the child's own rusage, but Linux carries the RSS high-water
# mark of the forking process into a child across exec, so a child of this (large) runner
# would report at least the runner's own peak. GNU time forks from a small process and
# reports the child's true figure; without it, wait4's figures are upper bounds.
TIME_BIN = shutil.which("time", path="/usr/bin:/bin")


def run_once(
    argv: list[str], env: dict[str, str], out: Path, err: Path, timeout: float
) -> tuple[Run, str]:
    """Run argv to its end; wall clock, peak RSS of that process, and stderr's last line."""
    rss_file = out.with_name("maxrss")
    if TIME_BIN:
        rss_file.unlink(missing_ok=True)
        argv = [TIME_BIN, "-f", "%M", "-o", str(rss_file), *argv]
    with out.open("wb") as fout, err.open("wb") as ferr:
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=fout,
                stderr=ferr,
                env=env,
                start_new_session=True,
            )
        except OSError as e:
            return Run(0.0, 0, 127), f"cannot run {argv[0]}: {e}"
        lock = threading.Lock()

        def kill() -> None:
            with lock:
                if p.returncode is None:
                    os.killpg(p.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            with lock:
                p.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
    maxrss = usage.ru_maxrss
    if TIME_BIN:
        try:
            maxrss = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            maxrss = 0
    tail = ""
    lines = [ln for ln in err.read_bytes().decode("utf-8", "replace").splitlines() if ln.strip()]
    if lines:
        tail = lines[-1].strip()
    if wall >= timeout:
        tail = f"timed out after {timeout:g} s"
    elif p.returncode < 0:
        tail = f"killed by signal {-p.returncode}"
    return Run(wall, maxrss, p.returncode), tail


VALGRIND = shutil.which("valgrind")
_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.MULTILINE)


def count_instructions(
    argv: list[str], env: dict[str, str], out: Path, err: Path, timeout: float
) -> list[int] | None:
    """The instructions each process of one run of argv executes, largest first (callgrind
    follows a fork, not an exec); None when valgrind is absent or the run fails."""
    if VALGRIND is None:
        return None
    # one hash seed: the order of a set of strings, and so the work, is the same every run
    counted = [VALGRIND, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv]
    run, _ = run_once(counted, dict(env, PYTHONHASHSEED="0"), out, err, timeout * 100)
    if run.exit not in (0, 3):
        return None
    found = [int(n) for n in _COLLECTED.findall(err.read_text("utf-8", "replace"))]
    return sorted(found, reverse=True) or None


class Bench:
    def __init__(
        self,
        env: dict[str, str],
        work: Path,
        repeat: int,
        timeout: float,
        instructions: bool = False,
    ) -> None:
        self.env = env
        self.work = work
        self.repeat = repeat
        self.timeout = timeout
        self.instructions = instructions
        self.results: list[Result] = []

    def measure(
        self,
        label: str,
        argv: list[str],
        tool: str,
        **options: Any,
    ) -> Result:
        """One tool's command, run `repeat` times (see `compare`)."""
        return self.compare(label, {tool: argv}, **options)[tool]

    def compare(
        self,
        label: str,
        argvs: dict[str, list[str]],
        *,
        before_each: Callable[[], None] | None = None,
        after_each: Callable[[str, Result], None] | None = None,
        prime: bool = False,
        env: dict[str, str] | None = None,
        envs: dict[str, dict[str, str]] | None = None,
        ok_exits: tuple[int, ...] = (0, 3),
        repeat: int | None = None,
        count: bool = False,
        uncounted: frozenset[str] = frozenset(),
        labels: dict[str, str] | None = None,
    ) -> dict[str, Result]:
        """The same command of each tool, their runs interleaved (a run of each, then again):
        a machine that slows down for a while slows every tool alike, and the ratios of one
        run hold. `before_each` runs before every run, `after_each(tool, result)` after;
        `envs` gives a tool an environment of its own, `labels` a label of its own, and the
        tools in `uncounted` are not counted under valgrind even when `count` is set."""
        named = labels or {}
        results = {tool: Result(named.get(tool, label), argv, tool) for tool, argv in argvs.items()}
        self.results.extend(results.values())
        out, err = self.work / "stdout", self.work / "stderr"
        env = env or self.env
        attempts = (["prime"] if prime else []) + ["run"] * (repeat or self.repeat)
        load_before = os.getloadavg()[0]
        lines: dict[str, int] = {}
        for what in attempts:
            for tool, res in results.items():
                if res.failed is not None:
                    continue
                if before_each is not None:
                    before_each()
                run, tail = run_once(res.argv, (envs or {}).get(tool, env), out, err, self.timeout)
                if run.exit not in ok_exits:
                    res.failed = tail or f"exit {run.exit}"
                    res.runs.append(run)
                    continue
                with out.open("rb") as f:
                    lines[tool] = sum(1 for _ in f)
                if after_each is not None:
                    after_each(tool, res)
                if what == "run":
                    res.runs.append(run)
        load_after = os.getloadavg()[0]
        for tool, res in results.items():
            res.load = (load_before, load_after)
            print(f"  {tool}: {res.label} ...", end="", file=sys.stderr, flush=True)
            if res.failed is not None:
                print(f" FAILED: {res.failed}", file=sys.stderr)
                continue
            times = [r.wall_s for r in res.runs]
            res.best_s = min(times)
            res.median_s = statistics.median(times)
            res.peak_rss_mib = max(r.maxrss_kib for r in res.runs) / 1024
            res.output_lines = lines[tool]
            print(f" median {res.median_s:.3f} s, best {res.best_s:.3f} s", file=sys.stderr)
            if self.instructions and count and tool not in uncounted:
                if before_each is not None:
                    before_each()
                tool_env = (envs or {}).get(tool, env)
                res.instructions = count_instructions(res.argv, tool_env, out, err, self.timeout)
                if after_each is not None:
                    after_each(tool, res)
                if res.instructions:
                    print(f"    {sum(res.instructions) / 1e9:.3f} G instructions", file=sys.stderr)
        return results


# --------------------------------------------------------------------------------------


def find_tbtrack(given: str | None) -> list[str]:
    if given:
        argv = shlex.split(given)
        exe = shutil.which(argv[0]) or argv[0]
        return [exe, *argv[1:]]
    found = shutil.which("tbtrack")
    if found:
        return [found]
    beside = Path(sys.executable).with_name("tbtrack")
    if beside.exists():
        return [str(beside)]
    sys.exit("run.py: tbtrack not found on PATH; install it (pip install -e .) or give --tbtrack")


def version_of(argv: list[str]) -> str:
    try:
        p = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable ({e})"
    text = (p.stdout or p.stderr).strip().splitlines()
    return text[0] if text else f"exit {p.returncode}"


def todoman_data(tasks_json: Path, base: Path) -> tuple[Path, Path]:
    """The Taskwarrior import's work as a todoman collection: one list per project (the
    notice folder), one VTODO per file as vdirsyncer keeps them, written with icalendar.
    Returns the collection and todoman's configuration (its cache under base, which the
    runner deletes for a cold run). Made once per data size and kept with the data."""
    from icalendar import Calendar, Todo

    vdir = base / "todoman"
    config = base / "todoman-config.py"
    cache = base / "todoman-cache.sqlite3"
    done_mark = vdir / ".complete"
    if not done_mark.exists():
        shutil.rmtree(vdir, ignore_errors=True)
        vdir.mkdir(parents=True)
        for t in json.loads(tasks_json.read_text(encoding="utf-8")):
            folder = vdir / str(t["project"]).replace("/", "_")
            folder.mkdir(exist_ok=True)
            todo = Todo()
            todo.add("uid", t["uuid"])
            todo.add("summary", t["description"])
            todo.add("status", "NEEDS-ACTION")
            todo.add("categories", t["tags"])
            todo.add("dtstamp", time_of(str(t["entry"])))
            todo.add("created", time_of(str(t["entry"])))
            if "due" in t:
                todo.add("due", time_of(str(t["due"])).date())
            cal = Calendar()
            cal.add("prodid", "-//tbtrack benchmark//EN")
            cal.add("version", "2.0")
            cal.add_component(todo)
            (folder / f"{t['uuid']}.ics").write_bytes(cal.to_ical())
        done_mark.touch()
    # todoman's configuration is Python that it executes; this one is the runner's own
    config.write_text(
        f'path = {str(vdir / "*")!r}\ncache_path = {str(cache)!r}\ndate_format = "%Y-%m-%d"\n',
        encoding="utf-8",
    )
    return config, cache


def time_of(stamp: str) -> datetime:
    """A Taskwarrior time stamp (20250630T000000Z) as an aware datetime."""
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def machine_info(tbtrack: list[str], task: str | None) -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    mem = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "tbtrack": " ".join(tbtrack),
        "tbtrack_version": version_of(tbtrack),
        "task_version": version_of([task]) if task else None,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "rss_from": "GNU time %M" if TIME_BIN else "os.wait4 (upper bound: see run.py)",
    }


def prepare_data(base: Path, n: int, seed: int) -> tuple[Path, dict[str, object], float | None]:
    """The data root for n tasks under base: reused when it matches, else generated."""
    root = base / "root"
    meta_file = root / ".bench.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        tw = meta.get("taskwarrior")
        if (
            meta.get("tasks") == n
            and meta.get("seed") == seed
            and isinstance(tw, dict)
            and Path(str(tw["file"])).is_file()
        ):
            shutil.rmtree(root / ".tbtrack", ignore_errors=True)
            return root, meta, None
    if base.exists():
        if any(base.iterdir()) and not meta_file.is_file():
            sys.exit(f"run.py: {base} exists and was not made by run.py; give another --keep")
        shutil.rmtree(base)
    base.mkdir(parents=True)
    print(f"generating {n:,} tasks into {root} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    meta = generate.generate(root, n, seed, base / "taskwarrior.json")
    return root, meta, time.perf_counter() - t0


@dataclass
class Tool:
    """One tbtrack to time: the one under test, or the baseline it is compared with."""

    name: str  # tbtrack | baseline
    argv: list[str]
    root: Path | None = None  # its data root, set for each size


def committed(root: Path) -> bool:
    """The data root as one git commit, for `log ID`: made once, kept with the data."""
    if (root / ".git").exists():
        return True
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    who = ["-c", "user.name=Benchmark", "-c", "user.email=bench@example.vn"]
    # the commit's thousands of loose objects are packed here, before anything is timed or
    # copied: left to itself, git packs them in a `gc --auto` it detaches, which removed
    # objects under the copy made for the baseline
    steps = (["init", "-q"], ["add", "-A"], [*who, "commit", "-qm", "Dữ liệu thử"], ["gc", "-q"])
    for args in steps:
        command = ["git", "-c", "gc.auto=0", *args]
        done = subprocess.run(command, cwd=root, env=env, capture_output=True)
        if done.returncode != 0:
            print(f"  log: git {args[0]} failed, skipped", file=sys.stderr)
            shutil.rmtree(root / ".git", ignore_errors=True)
            return False
    return True


def baseline_root(root: Path, baseline: list[str], work: Path) -> Path:
    """The same tasks for the baseline, in a copy of the data root (its own path, so its own
    cache folder). A baseline whose `check` accepts the files as they are (the code before a
    change) reads them so; an older release reads them in its own files: its own shipped
    agencies.yaml (as its `init` writes it), and no `state_on` (a key that release does not
    know; the generator gives it only to tasks inactive from their notice's day, what its
    absence meant).
    """
    out = root.with_name("root-baseline")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(root, out, ignore=shutil.ignore_patterns(".tbtrack"))
    if reads_as_is(baseline, out, work):
        return out
    fresh = work / "baseline-init"
    shutil.rmtree(fresh, ignore_errors=True)
    made = subprocess.run(
        [*baseline, "init", str(fresh)], capture_output=True, text=True, timeout=120
    )
    registry = fresh / "agencies.yaml"
    if made.returncode != 0 or not registry.is_file():
        sys.exit(f"run.py: `{' '.join(baseline)} init` gave no agencies.yaml: {made.stderr}")
    shutil.copyfile(registry, out / "agencies.yaml")
    for dirpath, _, names in os.walk(out / "tasks"):
        for name in names:
            file = Path(dirpath, name)
            text = file.read_bytes()
            if b"\nstate_on:" in text:
                lines = text.splitlines(keepends=True)
                file.write_bytes(b"".join(ln for ln in lines if not ln.startswith(b"state_on:")))
    return out


def reads_as_is(baseline: list[str], root: Path, work: Path) -> bool:
    """Whether the baseline's `check` passes the data root (warnings allowed), with a cache
    folder of its own that is removed after, so that no run of it starts warm."""
    cache = work / "baseline-check-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    try:
        checked = subprocess.run(
            [*baseline, "--root", str(root), "check"], capture_output=True, env=env, timeout=600
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(root / ".tbtrack", ignore_errors=True)  # where 0.1's first releases kept it
    return checked.returncode == 0


def bench_size(
    n: int,
    base: Path,
    args: argparse.Namespace,
    tools: list[Tool],
    task: str | None,
    todoman: str | None,
) -> dict[str, object]:
    root, meta, gen_s = prepare_data(base, n, args.seed)
    work = base / "work"
    work.mkdir(exist_ok=True)
    # a private cache folder: the runner's own, so that "cold" removes only what it made
    xdg = base / "xdg-cache"
    env = dict(os.environ, COLUMNS=WIDTH, LINES="50", XDG_CACHE_HOME=str(xdg))
    env.pop("TBTRACK_ROOT", None)
    env.pop("TBTRACK_NO_CACHE", None)
    # an installed tbtrack runs from compiled bytecode (pip writes it at install time); a
    # development shell that forbids writing it would time the compiler on every run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bench = Bench(env, work, args.repeat, args.timeout, args.instructions)

    history = committed(root)  # before the baseline's copy, which takes the history along
    for tool in tools:
        tool.root = root if tool.name == "tbtrack" else baseline_root(root, tool.argv, work)

    todoman_cache = base / "todoman-cache.sqlite3"

    def cold() -> None:
        # every place a tbtrack keeps its cache: `.tbtrack/` of the data root (tbtrack 0.1's
        # first releases) and the user's cache folder (now); each tool is cold for itself
        for tool in tools:
            assert tool.root is not None
            shutil.rmtree(tool.root / ".tbtrack", ignore_errors=True)
        shutil.rmtree(xdg / "tbtrack", ignore_errors=True)
        # and todoman's, whose cold list is the reference for a cold read
        todoman_cache.unlink(missing_ok=True)

    a = ["--as-of", AS_OF]
    load_start = os.getloadavg()
    print(f"benchmarking {n:,} tasks in {root}", file=sys.stderr)

    # floors: what any Python tool pays before it does any work
    py = sys.executable
    bench.measure("python -c pass (floor)", [py, "-c", "pass"], "floor")
    read_all = (
        "import os,sys\n"
        "for d,_,fs in os.walk(sys.argv[1]):\n"
        "    for f in fs:\n"
        "        open(os.path.join(d,f),'rb').read()"
    )
    bench.measure(
        "read every task file (floor)", [py, "-c", read_all, str(root / "tasks")], "floor"
    )

    for tool in tools:
        # one unmeasured run first, so that no measured run pays for compiling its modules
        run_once(
            [*tool.argv, "--root", str(tool.root), *a, "due", "--before", BEFORE],
            env,
            work / "stdout",
            work / "stderr",
            args.timeout,
        )
    cold()

    target = meta.get("done")
    done_args: list[str] = []
    originals: dict[Path, bytes] = {}
    if isinstance(target, dict):
        for tool in tools:
            assert tool.root is not None
            file = tool.root / str(target["path"])
            originals[file] = file.read_bytes()
        done_args = [
            "done",
            str(target["task"]),
            str(target["obligation"]),
            "--on",
            DONE_ON,
            "--evidence",
            "Báo cáo số 1/BC",
        ]
    else:
        print("  show, done: no target task in .bench.json, skipped", file=sys.stderr)

    def restore() -> None:
        for file, original in originals.items():
            file.write_bytes(original)

    edits = itertools.count(1)

    def edit() -> None:
        # the target's file changed before each run, in size and time, as an edit changes it:
        # the listing then reads that file again and writes the cache
        number = next(edits)
        for file, original in originals.items():
            ending = b"" if original.endswith(b"\n") else b"\n"  # a comment on a line of its own
            file.write_bytes(original + ending + b"# edited %d\n" % number)

    # (label, arguments after the tool, how: "plain" | "cold" | "warm" | "edited" | "write",
    # exits)
    plan: list[tuple[str, list[str], str, tuple[int, ...]]] = [
        ("--version", ["--version"], "plain", (0,)),
        (f"due --before {BEFORE}, cold", [*a, "due", "--before", BEFORE], "cold", (0, 3)),
        (f"due --before {BEFORE}, warm", [*a, "due", "--before", BEFORE], "warm", (0, 3)),
        ("summary, cold", [*a, "summary"], "cold", (0, 3)),
        ("summary, warm", [*a, "summary"], "warm", (0, 3)),
        # one agency's answers: made of the tasks that name it, not of the whole repository
        (f"due --agency {AGENCY}, warm", [*a, "due", "--agency", AGENCY], "warm", (0, 3)),
        (f"agency {AGENCY}, warm", [*a, "agency", AGENCY], "warm", (0, 3)),
        # the monthly report: summary's counts plus the overdue and chase lists (SPEC 5.3);
        # a baseline without the command shows as failed on these lines
        ("report, warm", [*a, "report"], "warm", (0,)),
        *(
            (
                f"report -o report.{suffix}, warm",
                [*a, "report", "-o", str(work / f"report.{suffix}")],
                "warm",
                (0,),
            )
            for suffix in ("xlsx", "html")
        ),
        # exit 0 only: the generated data must pass `check` (warnings allowed)
        ("check, warm", ["check"], "warm", (0,)),
    ]
    if done_args:
        assert isinstance(target, dict)
        plan += [
            # the listing a secretariat runs after recording progress: one file changed
            (
                f"due --before {BEFORE}, after an edit",
                [*a, "due", "--before", BEFORE],
                "edited",
                (0, 3),
            ),
            (f"show {target['task']}, warm", [*a, "show", str(target["task"])], "warm", (0,)),
            (
                f"done {target['task']} {target['obligation']} --dry-run, warm",
                [*a, *done_args, "--dry-run"],
                "warm",
                (0,),
            ),
            (
                f"done {target['task']} {target['obligation']}, warm",
                [*a, *done_args],
                "write",
                (0,),
            ),
        ]
        if history:
            plan.append((f"log {target['task']}", ["log", str(target["task"])], "warm", (0,)))

    # Taskwarrior's listing runs beside every command below, interleaved with it, so that
    # "× task list" is a ratio of runs made side by side, as new / baseline is
    task_list: Result | None = None
    tw_import_s: float | None = None
    tw_argv: list[str] | None = None
    tenv: dict[str, str] = env
    tw = meta.get("taskwarrior")
    if task and not args.no_taskwarrior and isinstance(tw, dict):
        data = base / "taskdata"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        rc = base / "taskrc"
        rc.write_text(
            f"data.location={data}\n"
            "confirmation=off\n"
            "verbose=nothing\n"
            "hooks=off\n"
            "color=off\n"
            f"defaultwidth={WIDTH}\n"
            "news.version=2.6.2\n",
            encoding="utf-8",
        )
        tenv = dict(env, TASKRC=str(rc), TASKDATA=str(data))
        imp = bench.measure(
            f"task import ({tw['tasks']:,} tasks, once)",
            [task, "import", str(tw["file"])],
            "taskwarrior",
            env=tenv,
            ok_exits=(0,),
            repeat=1,
        )
        tw_import_s = imp.best_s
        if imp.failed is None:
            tw_argv = [task, f"due.before:{BEFORE}", "list"]
    tw_label = f"task due.before:{BEFORE} list"

    # todoman lists the same work from a collection of iCalendar files; its cold `list`
    # (its cache deleted) runs beside each cold command, interleaved with it
    todo_argv: list[str] | None = None
    todo_env: dict[str, str] = env
    if todoman and not args.no_todoman and isinstance(tw, dict):
        config, cache = todoman_data(Path(str(tw["file"])), base)
        assert cache == todoman_cache
        todo_env = dict(env, TODOMAN_CONFIG=str(config))
        todo_argv = [todoman, "--colour", "never", "list"]

    def unchanged(tool_name: str, res: Result) -> None:
        # a write that exits 0 must have written: checked after each run, then undone
        tool = next((t for t in tools if t.name == tool_name), None)
        if tool is None:  # Taskwarrior's listing, beside it
            return
        assert tool.root is not None and isinstance(target, dict)
        file = tool.root / str(target["path"])
        if file.read_bytes() == originals[file]:
            res.note = "exit 0 but the task file was not changed"
        restore()

    pairs: list[tuple[str, dict[str, Result]]] = []
    try:
        for label, rest, how, exits in plan:
            argvs = {}
            for tool in tools:
                assert tool.root is not None
                argvs[tool.name] = (
                    [*tool.argv, *rest]
                    if how == "plain"
                    else [*tool.argv, "--root", str(tool.root), *rest]
                )
            if tw_argv is not None and how != "plain":
                argvs["taskwarrior"] = tw_argv
            if todo_argv is not None and how == "cold":
                argvs["todoman"] = todo_argv
            due_warm = label == f"due --before {BEFORE}, warm"
            row = bench.compare(
                label,
                argvs,
                before_each={"cold": cold, "write": restore, "edited": edit}.get(how),
                after_each=unchanged if how == "write" else None,
                prime=how in ("warm", "write", "edited"),
                envs={"taskwarrior": tenv, "todoman": todo_env},
                ok_exits=exits,
                # counted: what runs warm in a few seconds (under valgrind, fifty times
                # that), and the listing after an edit; cold reads and the files the report
                # writes are left out, and Taskwarrior's listing is counted once, beside the
                # warm `due`
                count=how in ("plain", "warm", "edited") and "-o" not in rest,
                uncounted=frozenset() if due_warm else frozenset({"taskwarrior"}),
                labels={
                    "taskwarrior": f"{tw_label}, beside {label}",
                    "todoman": f"todoman list, cold, beside {label}",
                },
            )
            listing = row.get("taskwarrior")
            if listing is not None:
                if listing.failed is None and listing.median_s:
                    for res in row.values():
                        if res.median_s is not None:
                            res.vs_task = res.median_s / listing.median_s
                if due_warm and listing.failed is None:
                    task_list = listing
            todo_list = row.get("todoman")
            if todo_list is not None and todo_list.failed is None and todo_list.median_s:
                for res in row.values():
                    if res.median_s is not None:
                        res.vs_todoman = res.median_s / todo_list.median_s
            pairs.append((label, row))
            if how == "edited":
                restore()
    finally:
        restore()

    for _, row in pairs:
        new, old = row.get("tbtrack"), row.get("baseline")
        if new and old and new.median_s and old.median_s and new.best_s and old.best_s:
            new.vs_baseline = (new.median_s / old.median_s, new.best_s / old.best_s)
        if new and old and new.instructions and old.instructions:
            new.instructions_vs_baseline = (
                sum(new.instructions) / sum(old.instructions),
                new.instructions[0] / old.instructions[0],
            )
    return {
        "tasks": n,
        "root": str(root),
        "kept": args.keep is not None,
        "meta": meta,
        "generate_s": gen_s,
        "taskwarrior_import_s": tw_import_s,
        "load_average": {"start": load_start, "end": os.getloadavg()},
        "task_list": asdict(task_list) if task_list else None,
        "results": [asdict(r) for r in bench.results],
    }


# --------------------------------------------------------------------------------------


def fmt_s(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def fmt_vs(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}×"


def markdown(machine: dict[str, object], sizes: list[dict[str, object]], repeat: int) -> str:
    out = [
        "# tbtrack benchmark",
        "",
        f"- machine: {machine['nproc']} CPUs available ({machine['cpu']}),"
        f" {machine['memory_gib']} GiB, {machine['os']}",
        f"- python (runner): {machine['python']}; tbtrack: `{machine['tbtrack']}`"
        f" ({machine['tbtrack_version']})"
        + (
            f"; baseline: `{machine['baseline']}` ({machine['baseline_version']})"
            if machine.get("baseline")
            else ""
        )
        + f"; Taskwarrior: {machine['task_version'] or 'absent'}"
        + f"; todoman: {machine.get('todoman_version') or 'absent'}",
        f"- {repeat} runs per command, wall clock of the whole process; peak RSS of the"
        f" process (max over runs, from {machine['rss_from']}); --as-of {AS_OF};"
        f" {machine['date']}",
    ]
    for s in sizes:
        meta = s["meta"]
        assert isinstance(meta, dict)
        tw = meta.get("taskwarrior")
        gen = s["generate_s"]
        load = s["load_average"]
        assert isinstance(load, dict)
        task_list = s["task_list"]
        out += [
            "",
            f"## {s['tasks']:,} tasks",
            "",
            f"{meta['notices']:,} notices, {meta['obligations']:,} obligations,"
            f" {meta['events']:,} progress events"
            + (f"; Taskwarrior: {tw['tasks']:,} pending tasks" if isinstance(tw, dict) else "")
            + (f". Generated in {gen:.2g} s" if isinstance(gen, float) else ". Reused")
            + (f" (`{s['root']}`)." if s["kept"] else ".")
            + " Load average (1, 5, 15 min) at the start: "
            + ", ".join(f"{x:.2f}" for x in load["start"])
            + "; at the end: "
            + ", ".join(f"{x:.2f}" for x in load["end"])
            + ".",
            "",
            "| command | tool | median s | best s | new / baseline (median, best)"
            " | × task list (median) | × todoman list, cold (median) | peak RSS MiB | load"
            " | output lines |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        results = s["results"]
        assert isinstance(results, list)
        for r in results:
            label = f"`{r['label']}`"
            if r["failed"] is not None:
                reason = str(r["failed"]).replace("|", "\\|")
                out.append(f"| {label} | {r['tool']} | FAILED: {reason} | | | | | | | |")
                continue
            vb = r["vs_baseline"]
            ratio = "" if vb is None else f"{vb[0]:.2f}×, {vb[1]:.2f}×"
            note = f" ({r['note']})" if r["note"] else ""
            out.append(
                f"| {label}{note} | {r['tool']} | {fmt_s(r['median_s'])} | {fmt_s(r['best_s'])}"
                f" | {ratio} | {fmt_vs(r['vs_task'])} | {fmt_vs(r.get('vs_todoman'))}"
                f" | {r['peak_rss_mib']:.0f}"
                f" | {r['load'][0]:.2f} | {r['output_lines']:,} |"
            )
        if isinstance(task_list, dict):
            out += [
                "",
                f"× task list: a command's median over the median of `task due.before:{BEFORE}"
                " list` run beside it, interleaved with its runs (beside the warm `due`:"
                f" {fmt_s(task_list['median_s'])} s). load: the 1-minute load average when the"
                " command's runs began.",
            ]
        if any(r.get("vs_todoman") for r in results):
            out += [
                "",
                "× todoman list, cold: a cold command's median over the median of todoman's"
                " `list` run beside it with its cache deleted before each run, the same work as"
                " Taskwarrior's import, one iCalendar file per task.",
            ]
        out += instructions_table(results)
    return "\n".join(out) + "\n"


def instructions_table(results: list[dict[str, object]]) -> list[str]:
    """The instructions counted with --instructions, as a table (none: no lines)."""
    counted = [r for r in results if r.get("instructions")]
    if not counted:
        return []
    out = [
        "",
        "Instructions executed, one run of each under valgrind's callgrind (PYTHONHASHSEED=0),"
        " summed over the processes of the run; the largest process is the one a wall clock"
        " waits for when the others run on other cores:",
        "",
        "| command | tool | instructions (G) | processes | largest process (G)"
        " | new / baseline (sum, largest) |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for r in counted:
        counts = r["instructions"]
        assert isinstance(counts, list)
        vb = r.get("instructions_vs_baseline")
        ratio = f"{vb[0]:.2f}×, {vb[1]:.2f}×" if isinstance(vb, list | tuple) else ""
        out.append(
            f"| `{r['label']}` | {r['tool']} | {sum(counts) / 1e9:.3f} | {len(counts)}"
            f" | {counts[0] / 1e9:.3f} | {ratio} |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--tasks",
        type=int,
        action="append",
        metavar="N",
        help="data size; repeatable (default: 10000)",
    )
    p.add_argument("--repeat", type=int, default=5, help="timed runs per command (default 5)")
    p.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="generate into DIR/<N> and keep it; reuse it when it is already there",
    )
    p.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    p.add_argument("--tbtrack", metavar="PATH", help="the tbtrack command (default: on PATH)")
    p.add_argument(
        "--baseline",
        metavar="PATH",
        help="another tbtrack (an older installation) timed on the same data in the same run",
    )
    p.add_argument("--no-taskwarrior", action="store_true", help="skip Taskwarrior")
    p.add_argument("--no-todoman", action="store_true", help="skip todoman")
    p.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write raw results here")
    p.add_argument(
        "--instructions",
        action="store_true",
        help="also count each warm command's instructions once under valgrind (callgrind)",
    )
    args = p.parse_args(argv)
    sizes_wanted = args.tasks or [10_000]
    if args.repeat < 1 or any(n < 1 for n in sizes_wanted):
        p.error("--repeat and --tasks must be at least 1")
    if args.instructions and VALGRIND is None:
        p.error("--instructions needs valgrind (apt-get install valgrind)")

    tbtrack = find_tbtrack(args.tbtrack)
    task = shutil.which("task")
    todoman = None if args.no_todoman else shutil.which("todoman") or shutil.which("todo")
    machine = machine_info(tbtrack, task)
    machine["todoman_version"] = version_of([todoman]) if todoman else None
    tools = [Tool("tbtrack", tbtrack)]
    if args.baseline:
        baseline = find_tbtrack(args.baseline)
        machine["baseline"] = " ".join(baseline)
        machine["baseline_version"] = version_of(baseline)
        tools.insert(0, Tool("baseline", baseline))
    sizes = []
    tmp: Path | None = None
    try:
        if args.keep is None:
            tmp = Path(tempfile.mkdtemp(prefix="tbtrack-bench-"))
        for n in sizes_wanted:
            base = (args.keep if args.keep is not None else tmp) / str(n)  # type: ignore[operator]
            sizes.append(bench_size(n, base, args, tools, task, todoman))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    report = markdown(machine, sizes, args.repeat)
    print(report)
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine, "sizes": sizes}, indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
