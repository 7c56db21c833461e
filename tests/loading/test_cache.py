"""The cache (SPEC 8): used when it holds, never an error, never a wrong answer, never code run.

Files written by a test are as new as the cache's own write, which the cache rightly refuses
to trust (racy files); `trusting` shortens that margin and waits out one clock tick, so the
runs after it are truly warm.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import marshal
import os
import pickle
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from unittest.mock import ANY

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tbtrack.loading.cache as cache_module
import tbtrack.loading.dataset as dataset_module
from helpers import (
    REGISTRY,
    Repo,
    Result,
    Run,
    bench_generator,
    record_analyses,
    record_calls,
    task_text,
)
from tbtrack.files.records import Task
from tbtrack.files.store import CACHE_DIR, Listing, list_tasks
from tbtrack.loading import codec, split
from tbtrack.loading.cache import (
    BUCKETS,
    FILE_NAME,
    FORMAT,
    HEADER,
    MAGIC,
    ROW,
    Analysed,
    Entry,
    Index,
    TaskCache,
    bucket_of,
    cache_folder,
    encode_index,
)
from tbtrack.loading.one_task import load_one

ROOT = Path(__file__).resolve().parents[2]
# the long run (TBTRACK_HYPOTHESIS=thorough, see conftest) looks at more tasks and more rounds
THOROUGH = os.environ.get("TBTRACK_HYPOTHESIS") == "thorough"


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each run analysed (rather than took from the cache)."""
    return record_analyses(monkeypatch, dataset_module)


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)

    def settle() -> None:
        time.sleep(0.03)  # past the file system's clock tick: files now predate the next read

    return settle


@pytest.fixture(params=["listed alone", "listed beside the index"])
def listing_way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each warm run two ways: tasks/ listed, then the cache asked file by file; or (as a data
    root of many folders is) a child lists tasks/ while the index's entries are taken as they
    are, and kept only if the listing finds every file as the index has it."""
    if request.param == "listed beside the index":
        monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 1)
        monkeypatch.setattr(split, "cores", lambda: 2)
    return str(request.param)


def due_json(run: Callable[..., Result], repo: Repo, *extra: str) -> list[dict[str, object]]:
    result = run(
        "--root",
        str(repo.root),
        "--format",
        "json",
        *extra,
        "due",
        "--before",
        "2099-01-01",
        "--all",
    )
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    rows: list[dict[str, object]] = json.loads(result.out)
    return rows


def cache_file(repo: Repo) -> Path:
    return cache_folder(repo.root) / FILE_NAME


def entries(repo: Repo) -> set[str]:
    return TaskCache(repo.root, (repo.root / "agencies.yaml").read_bytes()).paths()


def by_day(day: str) -> str:
    return task_text(obligations=f"  - id: complete\n    by: {day}\n")


def test_a_warm_run_reads_no_file(
    listing_way: str, run: Run, repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    repo.task("tb/b", by_day("2025-07-02"))
    trusting()
    cold = due_json(run, repo)
    assert sorted(analysed) == ["tasks/tb/a.yaml", "tasks/tb/b.yaml"]
    assert entries(repo) == {"tasks/tb/a.yaml", "tasks/tb/b.yaml"}
    analysed.clear()
    assert due_json(run, repo) == cold
    assert analysed == []


def test_a_warm_listing_loads_neither_pydantic_nor_the_yaml_parser_nor_openssl(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    cold = due_json(run, repo)  # fills the cache
    code = (
        "import json, sys\n"
        "from tbtrack.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ['pydantic', 'ruamel.yaml', 'tbtrack.files.schema', 'tbtrack.checking.check',\n"
        "         'rich.table', 'holidays', 'dateutil.rrule', '_hashlib']\n"
        "sys.stderr.write(json.dumps([m for m in heavy if m in sys.modules]))\n"
        "sys.exit(code)\n"
    )
    args = ["--root", str(repo.root), "--format", "json", "due", "--before", "2099-01-01"]
    env = dict(os.environ, TBTRACK_TODAY="2025-06-10")
    warm = subprocess.run(
        [sys.executable, "-c", code, *args, "--all"], capture_output=True, text=True, env=env
    )
    assert warm.returncode == 0, warm.stderr
    assert json.loads(warm.stdout) == cold
    assert json.loads(warm.stderr) == []
    # a file read afresh needs them all but Rich's tables
    repo.task("tb/b", by_day("2025-07-02"))
    fresh = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    assert fresh.returncode == 0, fresh.stderr
    # (pydantic imports OpenSSL; a rule other than the shorthands and monthly days, dateutil)
    assert json.loads(fresh.stderr) == [
        "pydantic",
        "ruamel.yaml",
        "tbtrack.files.schema",
        "tbtrack.checking.check",
        "_hashlib",
    ]


def test_an_edit_of_the_same_size_with_the_old_mtime_is_seen(
    listing_way: str, run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    path = repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]
    before = os.stat(path)
    path.write_text(by_day("2025-07-09"), encoding="utf-8")  # same size, same second
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-09"]


def test_a_racy_file_is_read_again(
    listing_way: str, run: Run, repo: Repo, analysed: list[str]
) -> None:
    # with the real margin, a file changed just now is not kept: it could change again unseen
    repo.task("tb/a", by_day("2025-07-01"))
    due_json(run, repo)
    assert "tasks/tb/a.yaml" not in entries(repo)
    analysed.clear()
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]
    assert analysed == ["tasks/tb/a.yaml"]


def test_a_file_edited_just_now_is_let_go_from_the_cache(
    listing_way: str, run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept once it is old enough; edited just now, the next cache holds no entry of it, its
    old one included, whichever way tasks/ was listed."""
    repo.task("tb/a", by_day("2025-07-01"))
    repo.task("tb/b", by_day("2025-07-02"))
    with monkeypatch.context() as old_enough:
        old_enough.setattr(cache_module, "RACY_NS", -(10**18))
        due_json(run, repo)
    assert entries(repo) == {"tasks/tb/a.yaml", "tasks/tb/b.yaml"}
    repo.task("tb/a", by_day("2025-07-31") + "# edited\n")
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-02", "2025-07-31"]
    assert entries(repo) == {"tasks/tb/b.yaml"}


def test_added_deleted_and_renamed_files(
    listing_way: str, run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    repo.task("tb/b", by_day("2025-07-02"))
    trusting()
    assert [r["task"] for r in due_json(run, repo)] == ["tb/a", "tb/b"]
    repo.task("tb/c", by_day("2025-07-03"))
    assert [r["task"] for r in due_json(run, repo)] == ["tb/a", "tb/b", "tb/c"]
    (repo.root / "tasks/tb/a.yaml").unlink()
    assert [r["task"] for r in due_json(run, repo)] == ["tb/b", "tb/c"]
    assert entries(repo) == {"tasks/tb/b.yaml", "tasks/tb/c.yaml"}  # the deleted one let go
    os.rename(repo.root / "tasks/tb/b.yaml", repo.root / "tasks/tb/z.yaml")
    assert [r["task"] for r in due_json(run, repo)] == ["tb/z", "tb/c"]  # by last day
    trusting()
    due_json(run, repo)
    assert entries(repo) == {"tasks/tb/c.yaml", "tasks/tb/z.yaml"}


def _records_rewritten(
    run: Run, repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    """Edit one task of five in the middle: the next run reads that file alone and writes the
    cache again, the others' records copied as two runs around it; the run after it reads no
    file and answers as a run without the cache does."""
    for name, day in zip(
        "abcde", ("2025-07-01", "2025-07-02", "2025-07-03", "2025-07-04", "2025-07-05"), strict=True
    ):
        repo.task(f"tb/{name}", by_day(day))
    trusting()
    due_json(run, repo)
    repo.task("tb/c", by_day("2025-08-30"))
    trusting()
    analysed.clear()
    after_edit = due_json(run, repo)
    assert analysed == ["tasks/tb/c.yaml"]
    analysed.clear()
    assert due_json(run, repo) == after_edit
    assert analysed == []  # every record, copied or written, read back from the cache
    assert after_edit == due_json(run, repo, "--no-cache")
    assert [r["task"] for r in after_edit] == ["tb/a", "tb/b", "tb/d", "tb/e", "tb/c"]


def test_a_cache_written_again_keeps_every_record_it_copies(
    listing_way: str, run: Run, repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    _records_rewritten(run, repo, trusting, analysed)


def test_records_are_copied_by_hand_where_the_kernel_cannot(
    run: Run,
    repo: Repo,
    trusting: Callable[[], None],
    analysed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*args: object) -> int:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refused)
    _records_rewritten(run, repo, trusting, analysed)


def test_an_entry_outside_the_old_records_writes_no_cache(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    repo.task("tb/b", by_day("2025-07-02"))
    trusting()
    expected = due_json(run, repo)
    key, index, records = _payload(cache_file(repo).read_bytes())
    entry = list(index["entries"]["tasks/tb/a.yaml"])
    entry[4] = index["size"] + 100  # its offset, past the end of the records
    index["entries"]["tasks/tb/a.yaml"] = tuple(entry)
    forged = _with_payload(key, index, records)
    cache_file(repo).write_bytes(forged)
    repo.task("tb/b", by_day("2025-07-03"))  # a change: the next run writes the cache again
    trusting()
    checked = run("--root", str(repo.root), "check")
    assert checked.code == 0 and "Traceback" not in checked.err, checked.err
    assert cache_file(repo).read_bytes() == forged  # refused to copy it: nothing was written
    # the listing reads tb/a's record, finds it is not one, reads the file and lets it go
    assert [r["task"] for r in due_json(run, repo)] == [r["task"] for r in expected]
    assert not cache_file(repo).exists()


def damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def damage_garbage(data: bytes) -> bytes:
    return b"\x80\x05garbage" * 100


def damage_index(data: bytes) -> bytes:
    middle = len(MAGIC) + HEADER.size + 20
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 8]) + data[middle + 8 :]


def damage_records(data: bytes) -> bytes:
    # the last bytes are the last task's record: the index still holds, the record does not
    return data[:-12] + bytes(b ^ 0x5A for b in data[-12:])


def damage_empty(data: bytes) -> bytes:
    return b""


@pytest.mark.parametrize(
    "damage", [damage_truncate, damage_garbage, damage_index, damage_records, damage_empty]
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    run: Run, repo: Repo, trusting: Callable[[], None], damage: Callable[[bytes], bytes]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    repo.task("tb/b", by_day("2025-07-02"))
    trusting()
    expected = due_json(run, repo)
    path = cache_file(repo)
    path.write_bytes(damage(path.read_bytes()))
    assert due_json(run, repo) == expected
    trusting()
    assert due_json(run, repo) == expected
    assert entries(repo) == {"tasks/tb/a.yaml", "tasks/tb/b.yaml"}


def _rewrite_header(path: Path, change: Callable[[list[int]], None]) -> bytes:
    """Rewrite a cache file's header: `change` edits its fields (the format, then each
    section's length and CRC32; the key stays). Gives the file's bytes before."""
    data = path.read_bytes()
    *fields, key = HEADER.unpack_from(data, len(MAGIC))
    change(fields)
    path.write_bytes(MAGIC + HEADER.pack(*fields, key) + data[len(MAGIC) + HEADER.size :])
    return data


def test_a_newer_format_is_ignored_and_replaced(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    expected = due_json(run, repo)
    path = cache_file(repo)
    _rewrite_header(path, lambda fields: fields.__setitem__(0, FORMAT + 1))
    assert due_json(run, repo) == expected
    (fmt,) = struct.unpack_from(">I", path.read_bytes(), len(MAGIC))
    assert fmt == FORMAT


class _Planted:
    """Unpickling this touches a file: what a cache planted in a repository could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (self.marker.touch, ())


def _with_index(
    key: bytes, registry: bytes, index: bytes, lookup: bytes = b"", rest: bytes = b""
) -> bytes:
    """A cache file of these sections, each with its right length and CRC32."""
    sections = (registry, index, lookup)
    lengths = [n for section in sections for n in (len(section), zlib.crc32(section))]
    return MAGIC + HEADER.pack(FORMAT, *lengths, key) + registry + index + lookup + rest


def _with_payload(key: bytes, payload: Any, records: bytes = b"") -> bytes:
    """A cache file whose index says what `payload` says (`{"registry", "entries", "size"}`,
    its entries by path; or `"files"`, an index in columns as it is to be written), in the
    cache's layout: the entries also in their buckets."""
    if type(payload) is not dict:
        return _with_index(key, marshal.dumps(None), marshal.dumps(payload), rest=records)
    entries = payload.get("entries")
    files = payload.get("files")
    if isinstance(entries, dict):
        files = encode_index(entries.items())
        grouped: list[list[tuple[str, Any]]] = [[] for _ in range(BUCKETS)]
        for rel, entry in entries.items():
            grouped[bucket_of(rel)].append((rel, entry))
        buckets = [marshal.dumps(encode_index(b)) for b in grouped]
    else:  # a forged index: in every bucket, for the reader of one task too
        buckets = [marshal.dumps(files)] * BUCKETS
    size = payload.get("size")
    index = {"files": files, "size": size, "lookups": sum(map(len, buckets))}
    lookup = {"buckets": [(len(b), zlib.crc32(b)) for b in buckets], "size": size}
    return _with_index(
        key,
        marshal.dumps(payload.get("registry")),
        marshal.dumps({k: v for k, v in index.items() if k != "files" or files is not None}),
        marshal.dumps(lookup),
        b"".join(buckets) + records,
    )


class _Sections(NamedTuple):
    """A cache file's key and sections as written, and where its buckets and records begin."""

    key: bytes
    registry: Any
    whole: dict[str, Any]  # the index section
    lookup: dict[str, Any]
    buckets_at: int
    records_at: int


def _sections(data: bytes) -> _Sections:
    start = len(MAGIC) + HEADER.size
    _, registry_length, _, length, _, lookup_length, _, key = HEADER.unpack_from(data, len(MAGIC))
    index_at = start + registry_length
    lookup_at = index_at + length
    index = marshal.loads(data[index_at:lookup_at])
    buckets_at = lookup_at + lookup_length
    return _Sections(
        key,
        marshal.loads(data[start:index_at]),
        index,
        marshal.loads(data[lookup_at:buckets_at]),
        buckets_at,
        buckets_at + index["lookups"],
    )


def _payload(data: bytes) -> tuple[bytes, dict[str, Any], bytes]:
    """A cache file's key, what its index says (as `_with_payload` takes it), its records."""
    found = _sections(data)
    entries = dict(Index.of(found.whole["files"]).entries())
    payload = {"registry": found.registry, "entries": entries, "size": found.whole["size"]}
    return found.key, payload, data[found.records_at :]


def _key(repo: Repo) -> bytes:
    return TaskCache(repo.root, (repo.root / "agencies.yaml").read_bytes()).key


def test_a_planted_pickle_is_never_unpickled(
    run: Run, repo: Repo, trusting: Callable[[], None], tmp_path: Path
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    expected = due_json(run, repo)
    marker = tmp_path / "ran"
    index = pickle.dumps({"registry": None, "entries": {}, "size": 0, "x": _Planted(marker)})
    # with this very installation's key, in the user's own cache folder: still never unpickled
    for key in (_key(repo), b"\0" * 32):
        for path in (cache_file(repo), repo.root / CACHE_DIR / FILE_NAME):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_with_index(key, index, index, index, index))
            assert due_json(run, repo) == expected
            assert run("--root", str(repo.root), "check").code == 0
            assert not marker.exists()
    pickle.loads(index)  # the payload does what the test looks for when it is unpickled
    assert marker.exists()


def _forged(repo: Repo, due: str) -> bytes:
    """This user's cache of `repo`, its record of tb/a changed to a task due on `due`."""
    key, index, records = _payload(cache_file(repo).read_bytes())
    entry = index["entries"]["tasks/tb/a.yaml"]
    stat, diagnostics, facts, notice, offset, _, _, task_size = entry
    task = codec.decode_task(records[offset : offset + task_size])
    obligation = task.obligations[0]._replace(by=__import__("datetime").date.fromisoformat(due))
    record = codec.encode_task(task._replace(obligations=[obligation]))
    assert obligation.by is not None
    facts = codec.encode_facts(codec.decode_facts(facts)._replace(earliest_due=obligation.by))
    index["entries"] = {
        "tasks/tb/a.yaml": (
            (stat, diagnostics, facts, notice, 0, len(record), zlib.crc32(record), len(record))
        )
    }
    index["size"] = len(record)
    return _with_payload(key, index, record)


def report_json(run: Run, repo: Repo) -> dict[str, object]:
    result = run("--root", str(repo.root), "--as-of", "2025-06-20", "report", "--format", "json")
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    report: dict[str, object] = json.loads(result.out)
    return report


def test_malformed_heads_of_a_settled_task_give_its_lines_from_the_task(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    """The heads of a settled task's rows are decoded only when the report asks for them:
    malformed then (under a right CRC), the report makes the task's lines from the task,
    and the cache is rebuilt."""
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    expected = report_json(run, repo)
    assert expected["chase"] == [{"agency": "Bộ Tài chính", "rows": [ANY]}]
    trusting()
    assert report_json(run, repo) == expected  # from the cache, settled pairs and heads
    key, index, records = _payload(cache_file(repo).read_bytes())
    entry = list(index["entries"]["tasks/tb/a.yaml"])
    offset, length, task_size = entry[4], entry[5], entry[7]
    record = records[offset : offset + length]
    source, rows, groups, _ = marshal.loads(record[task_size:])
    assert codec.decode_settled(record[task_size:], lambda: None).heads is not None
    settled = marshal.dumps((source, rows, groups, marshal.dumps(("a title", "no rows"))))
    forged = record[:task_size] + settled
    entry[4:7] = [0, len(forged), zlib.crc32(forged)]
    index["entries"] = {"tasks/tb/a.yaml": tuple(entry)}
    index["size"] = len(forged)
    cache_file(repo).write_bytes(_with_payload(key, index, forged))
    assert report_json(run, repo) == expected
    assert not cache_file(repo).exists() or _payload(cache_file(repo).read_bytes())[2] != forged


def test_what_a_child_sends_is_decoded_when_used_and_a_bad_record_read_again(
    repo: Repo,
) -> None:
    """A forked child's analysis: its diagnostics, facts and notice checked at once (a bad one
    and the parent analyses that half itself), its task and settled pairs when first used,
    and whatever of them does not decode then is read from the file again."""
    repo.task("tb/a", by_day("2025-07-01"))
    from tbtrack.checking.check import analyse_registry
    from tbtrack.loading.cache import pack_analysed, unpack_analysed
    from tbtrack.loading.dataset import _analysed

    registry, _ = analyse_registry("agencies.yaml", REGISTRY.encode())
    path = repo.root / "tasks" / "tb" / "a.yaml"
    assert registry is not None
    analysed = _analysed("tasks/tb/a.yaml", path.read_bytes(), registry, True)
    assert analysed.task is not None and analysed.settled is not None
    packed = pack_analysed(analysed)
    reread: list[str] = []

    def read_again(rel: str) -> Task:
        reread.append(rel)
        assert analysed.task is not None
        return analysed.task

    cached = unpack_analysed(packed, read_again).cached
    assert (cached.diagnostics, cached.facts) == (analysed.diagnostics, analysed.facts)
    assert cached.source is not None
    assert cached.source.task() == analysed.task
    pairs = cached.source.settled()
    assert pairs is not None and pairs.heads == analysed.settled.heads
    assert reread == []

    _, _, _, _, record, task_length = packed
    broken = (*packed[:4], b"\x00" * task_length + record[task_length:], task_length)
    broken_cached = unpack_analysed(broken, read_again).cached
    assert broken_cached.source is not None and broken_cached.source.task() == analysed.task
    assert reread == ["tasks/tb/a.yaml"]

    source, rows, groups, _ = marshal.loads(record[task_length:])
    bad_heads = marshal.dumps((source, rows, groups, marshal.dumps(("a title", []))))
    cached = unpack_analysed(
        (*packed[:4], record[:task_length] + bad_heads, task_length), read_again
    ).cached
    assert cached.source is not None
    pairs = cached.source.settled()
    assert pairs is not None and pairs.heads is None  # the task is counted from its rows
    not_pairs = (*packed[:4], record[:task_length] + b"\x00", task_length)
    cached = unpack_analysed(not_pairs, read_again).cached
    assert cached.source is not None and cached.source.settled() is None
    no_pairs = unpack_analysed((*packed[:4], record[:task_length], task_length), read_again)
    assert no_pairs.cached.source is not None and no_pairs.cached.source.settled() is None

    for malformed in [
        packed[:5],
        (*packed[:1], (("p",),), *packed[2:]),
        (*packed[:2], "x", *packed[3:]),
        (*packed[:4], record, len(record) + 1),
        (*packed[:4], "record", task_length),
        (*packed[:1], (), *packed[2:4], b"", 0),  # no task, and no error to say why
    ]:
        with pytest.raises(codec.Malformed):
            unpack_analysed(malformed, read_again)


def test_a_forged_cache_in_the_repository_is_never_read(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    due_json(run, repo)
    trusting()
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]
    forged = _forged(repo, "2025-08-15")
    # a clone that carries a cache, valid in every byte, key included: not read
    planted = repo.root / CACHE_DIR / FILE_NAME
    planted.parent.mkdir()
    planted.write_bytes(forged)
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]
    assert planted.read_bytes() == forged
    # the same bytes as this user's own cache are this user's own answers: the forgery holds
    cache_file(repo).write_bytes(forged)
    assert [r["due"] for r in due_json(run, repo)] == ["2025-08-15"]


def test_a_cache_another_user_wrote_is_never_read(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    due_json(run, repo)
    trusting()
    due_json(run, repo)
    cache_file(repo).write_bytes(_forged(repo, "2025-08-15"))
    owner = os.stat(cache_file(repo)).st_uid
    monkeypatch.setattr(os, "getuid", lambda: owner + 1)  # as another user would see it
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]


def _malformed_indexes(entry: tuple[Any, ...]) -> list[object]:
    """Indexes of the wrong shape, each made from `entry`, a whole entry of the file as it is
    now (an index of that one entry, with a good registry, would be used as it is). A number
    of a row is of its type by the row's layout: what can be wrong with one is its value."""
    from tbtrack.checking.check import analyse_registry

    refused = (None, ())  # refused, yet without an error to say why
    good = codec.encode_registry(analyse_registry("agencies.yaml", REGISTRY.encode()))
    rel = "tasks/tb/a.yaml"
    stat, diagnostics, facts, notice, offset, length, crc, split = entry
    columns = encode_index([(rel, entry)])

    def index(*fields: object) -> dict[str, object]:
        return {"registry": good, "entries": {rel: fields}, "size": length}

    def files(**changed: object) -> dict[str, object]:
        return {"registry": good, "files": {**columns, **changed}, "size": length}

    def row(field: int, value: int) -> dict[str, object]:
        numbers = list(ROW.unpack(columns["rows"]))
        numbers[field] = value
        return files(rows=ROW.pack(*numbers))

    return [
        [],
        {"entries": {}, "size": 0},
        {"registry": good, "files": [], "size": 0},
        {"registry": good, "entries": {}, "size": "0"},
        {"registry": refused, "entries": {}, "size": 0},
        {"registry": ("x", ()), "entries": {}, "size": 0},
        {"registry": (None, (("p", 1),)), "entries": {}, "size": 0},
        {"registry": ((["x"], {}, {}, []), ()), "entries": {}, "size": 0},
        {"registry": ((), ()), "entries": {}, "size": 0},
        index(stat, diagnostics, facts, notice, 0, 0, 0, 0),  # no record, and no error
        index(stat, (("p",),), facts, notice, offset, length, crc, split),
        index(stat, diagnostics, facts, notice, offset, length, crc, length + 1),
        # the columns: each of its type, as many rows as paths, tables of their shapes
        {"registry": good, "files": {k: v for k, v in columns.items() if k != "names"}},
        files(rows=columns["rows"].decode("latin-1")),
        files(rows=columns["rows"][:-1]),
        files(rows=columns["rows"] * 2),
        files(paths=f"{rel}\0{rel}"),
        files(names=[("x", 1)]),
        files(names=["x"]),
        files(notices=[None]),
        files(diagnostics={1: (("p",),)}),
        files(diagnostics={"0": ()}),
        # a row's numbers: days that are days, places within their tables
        row(9, 10**7),  # the earliest due
        row(12, 10**7),  # the day the rows are settled from
        row(13, len(columns["names"])),
        row(15, len(columns["notices"]) + 1),
    ]


def _one_task_cached(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> tuple[Any, bytes, dict[str, Any], bytes]:
    """A one-task repository's `due` answer, and its cache as written (`_payload`) after a
    run that read it back."""
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    expected = due_json(run, repo)
    trusting()
    due_json(run, repo)
    key, index, records = _payload(cache_file(repo).read_bytes())
    return expected, key, index, records


def test_an_index_written_back_as_read_is_used(
    run: Run, repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    """What `_with_payload` writes of an index as `_payload` reads it is a cache that holds:
    the malformed indexes below differ from it by one thing each."""
    expected, key, index, records = _one_task_cached(run, repo, trusting)
    cache_file(repo).write_bytes(_with_payload(key, index, records))
    analysed.clear()
    assert due_json(run, repo) == expected
    assert analysed == []  # answered from the entry as written, no file read


@pytest.mark.parametrize(
    "case", range(len(_malformed_indexes(((0,) * 4, (), (*(0,) * 5, (), ()), *[0] * 5))))
)
def test_a_malformed_index_with_a_good_key_is_ignored_and_rebuilt(
    run: Run, repo: Repo, trusting: Callable[[], None], analysed: list[str], case: int
) -> None:
    expected, key, index, records = _one_task_cached(run, repo, trusting)
    # each case is this whole entry with one thing wrong (the entry as it is is used:
    # test_an_index_written_back_as_read_is_used)
    payload: Any = _malformed_indexes(index["entries"]["tasks/tb/a.yaml"])[case]
    cache_file(repo).write_bytes(_with_payload(key, payload, records))
    analysed.clear()
    assert due_json(run, repo) == expected
    assert analysed == ["tasks/tb/a.yaml"]  # not taken from the index: the file was read
    assert run("--root", str(repo.root), "check").code == 0
    trusting()
    due_json(run, repo)
    assert entries(repo) == {"tasks/tb/a.yaml"}


def test_a_malformed_record_is_read_from_the_file(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    expected = due_json(run, repo)
    trusting()
    due_json(run, repo)
    key, index, _ = _payload(_forged(repo, "2025-08-15"))
    record = marshal.dumps(("not", "a", "task"))
    stat, diagnostics, facts, notice, *_ = index["entries"]["tasks/tb/a.yaml"]
    index["entries"]["tasks/tb/a.yaml"] = (
        stat,
        diagnostics,
        facts,
        notice,
        0,
        len(record),
        zlib.crc32(record),
        len(record),
    )
    index["size"] = len(record)
    cache_file(repo).write_bytes(_with_payload(key, index, record))
    assert due_json(run, repo) == expected
    # the entry held, its record did not: the run read the file, and let that cache go
    assert not cache_file(repo).exists()


def test_a_cache_folder_that_cannot_be_written(run: Run, repo: Repo, user_cache: Path) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    user_cache.mkdir()
    (user_cache / "tbtrack").write_text("not a folder\n")  # blocks writes even for root
    first = due_json(run, repo)
    assert [r["due"] for r in first] == ["2025-07-01"]
    result = run("--root", str(repo.root), "check")
    assert result.code == 0, result.err
    assert due_json(run, repo) == first


def test_a_read_only_data_root(run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only data root (a mounted archive, a CI checkout): no cache, same answers.

    Tests may run as root, whom chmod does not stop, so the file system's refusal is made
    explicit: creating anything in the data root fails as it would there.
    """
    repo.task("tb/a", by_day("2025-07-01"))
    os.chmod(repo.root, 0o555)
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if self == repo.root / CACHE_DIR:
            raise PermissionError(13, "Read-only file system", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse)
    try:
        assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]
        assert run("--root", str(repo.root), "check").code == 0
        assert not (repo.root / CACHE_DIR).exists()
    finally:
        os.chmod(repo.root, 0o755)


def test_no_cache_option_and_environment(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, user_cache: Path
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    assert [r["due"] for r in due_json(run, repo, "--no-cache")] == ["2025-07-01"]
    assert not user_cache.exists()
    monkeypatch.setenv("TBTRACK_NO_CACHE", "1")
    assert [r["due"] for r in due_json(run, repo)] == ["2025-07-01"]
    assert not user_cache.exists()
    monkeypatch.delenv("TBTRACK_NO_CACHE")
    due_json(run, repo)
    assert cache_file(repo).exists()
    assert not (repo.root / CACHE_DIR).exists()  # nothing is ever written in the data root


def test_a_changed_registry_is_seen_with_a_warm_cache(
    run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    repo.task("tb/a", task_text(lead="[Bộ Tài chánh]"))
    trusting()
    first = run("--root", str(repo.root), "--format", "json", "check")
    assert first.code == 1
    assert [d["rule"] for d in json.loads(first.out)] == ["unknown-agency"]
    trusting()
    assert run("--root", str(repo.root), "check").code == 1  # warm, still unknown
    registry = REGISTRY.replace("aliases: [Bộ TC]", "aliases: [Bộ TC, Bộ Tài chánh]")
    (repo.root / "agencies.yaml").write_text(registry, encoding="utf-8")
    second = run("--root", str(repo.root), "--format", "json", "check")
    assert second.code == 0, second.out
    rows = due_json(run, repo)
    assert [(r["task"], r["assignee"]) for r in rows] == [("tb/a", "Bộ Tài chính")]


def test_concurrent_runs_leave_a_whole_cache(repo: Repo) -> None:
    for index in range(60):
        repo.task(f"tb/t{index}", by_day(f"2025-07-{index % 28 + 1:02d}"))
    env = dict(os.environ, TBTRACK_TODAY="2025-06-10", COLUMNS="200")
    command = [sys.executable, "-m", "tbtrack", "--root", str(repo.root), "--format", "json"]
    expected = subprocess.run(
        [*command, "--no-cache", "due", "--before", "2099-01-01"],
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    for _ in range(6 if THOROUGH else 2):
        runs = [
            subprocess.Popen(
                [*command, "due", "--before", "2099-01-01"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
            for _ in range(4)
        ]
        for process in runs:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert out.decode() == expected
    leftovers = [p.name for p in cache_folder(repo.root).iterdir() if p.name != FILE_NAME]
    assert leftovers == []


# --- the same answers with and without the cache, on generated data --------------------------


QUERIES = [
    ("due",),
    ("due", "--before", "2025-07-15"),
    ("due", "--before", "2025-09-01", "--all"),
    ("due", "--after", "2025-06-01", "--before", "2025-08-01"),
    ("overdue",),
    ("summary",),
    ("summary", "--by", "notice"),
    # settled tasks are counted from their stored pairs: later days, another window, workdays
    ("summary", "--as-of", "2026-09-01"),
    ("--within", "20", "--workdays", "summary", "--as-of", "2025-12-01"),
    ("report", "--compare", "2025-05-31"),
    ("report", "--as-of", "2026-08-31", "--next", "60"),
    ("--workdays", "due", "--before", "2025-07-15"),
    ("due", "--before", "2025-12-31", "--agency", "Bộ Tài chính"),
    ("agency", "Bộ Tài chính"),
    # tasks are read only when their facts name the agency, a group it is in, or a predecessor
    ("due", "--before", "2026-06-30", "--agency", "Bộ Nông nghiệp và Môi trường"),
    ("agency", "Bộ Nông nghiệp và Môi trường", "--as-of", "2025-09-01"),
    ("agency", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"),
    ("due", "--before", "2026-06-30", "--agency", "Ủy ban nhân dân thành phố Hải Phòng"),
    ("recurring",),
    ("check",),
]


def test_results_are_the_same_cold_warm_and_without_cache(
    run: Run, tmp_path: Path, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    generate = bench_generator()
    root = tmp_path / "generated"
    tasks = 300 if THOROUGH else 80
    generate.generate(root, tasks, 7, None)
    monkeypatch.setattr(split, "MIN_ITEMS", 50)  # cold reads analysed by two processes too

    def outputs(*extra: str, queries: list[tuple[str, ...]] = QUERIES) -> list[str]:
        out = []
        for query in queries:
            result = run(
                "--root", str(root), "--as-of", "2025-06-30", "--format", "json", *extra, *query
            )
            assert result.code in (0, 1, 3), result.err
            out.append(result.out)
        return out

    plain = outputs("--no-cache")
    assert not cache_folder(root).exists()
    with monkeypatch.context() as alone:  # and by one: the files read are the same
        alone.setattr(split, "MIN_ITEMS", 10**9)
        read_whole = [("due", "--before", "2025-09-01", "--all"), ("check",)]
        assert outputs("--no-cache", queries=read_whole) == [
            plain[QUERIES.index(query)] for query in read_whole
        ]
    trusting()
    cold = outputs()
    warm = outputs()
    assert len(entries_of(root)) == tasks
    assert cold == plain
    assert warm == plain
    assert any(json.loads(o) for o in plain[:5])  # the queries did find rows


def entries_of(root: Path) -> set[str]:
    return TaskCache(root, (root / "agencies.yaml").read_bytes()).paths()


# --- a cold read's files analysed by two processes ---------------------------------------------


def test_in_two_gives_every_answer_in_order_and_survives_a_failing_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(split, "MIN_ITEMS", 4)
    monkeypatch.setattr(split, "cores", lambda: 2)
    items = list(range(10))
    assert split.in_two(items, lambda i: (i, str(i)), list, tuple) == [(i, str(i)) for i in items]
    parent = os.getpid()

    def only_here(i: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return i * 2

    assert split.in_two(items, only_here, int, int) == [i * 2 for i in items]

    def a_bad_answer(i: int) -> int:  # the child's answer does not unpack: computed here
        return i

    def unpack(value: object) -> int:
        raise ValueError("not an answer")

    assert split.in_two(items, a_bad_answer, int, unpack) == items

    def fails_here(i: int) -> int:
        if os.getpid() == parent:
            raise KeyError("bad")
        return i

    with pytest.raises(KeyError):
        split.in_two(items, fails_here, int, int)  # and the child is not left over


def test_in_two_splits_the_items_into_halves_of_their_weight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(split, "MIN_ITEMS", 4)
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()

    def where(i: int) -> tuple[int, bool]:
        return i, os.getpid() == parent

    items = list(range(10))

    def here(weights: list[int]) -> list[int]:
        answers = split.in_two(items, where, list, tuple, weight=weights.__getitem__)
        assert [i for i, _ in answers] == items
        return [i for i, mine in answers if mine]

    assert here([9, 1, 1, 1, 1, 1, 1, 1, 1, 1]) == [0]  # the first item is half the work
    assert here([1] * 10) == [0, 1, 2, 3, 4]
    assert here([1, 1, 1, 1, 1, 1, 1, 1, 1, 9]) == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert here([0] * 10) == [0]  # each process has at least one item
    assert here([3, 3, 2, 2, 1, 1, 1, 1, 1, 1]) == [0, 1, 2]  # 8 of 16
    more = split.in_two(items, where, list, tuple, weight=lambda _: 1, share=0.7)
    assert [i for i, mine in more if mine] == [0, 1, 2, 3, 4, 5, 6]  # this process's share


def test_in_two_parts_gives_each_part_s_answer_or_one_answer_for_few_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()
    items = list(range(10))

    def where(part: Sequence[int]) -> tuple[list[int], bool]:
        return list(part), os.getpid() == parent

    def unpack(value: Any, part: Sequence[int]) -> tuple[list[int], bool]:
        numbers, here = value
        assert numbers == list(part)  # given the part the child worked on
        return numbers, here

    assert split.in_two_parts(items, where, list, unpack, least=11) == [(items, True)]
    assert split.in_two_parts(items, where, list, unpack, least=10) == [
        (items[:5], True),
        (items[5:], False),
    ]
    weights = [5, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    weighed = split.in_two_parts(items, where, list, unpack, weights.__getitem__, 2)
    assert [part for part, _ in weighed] == [
        items[:1],
        items[1:],
    ]
    # this process's share of the weights, or of the items
    shared = split.in_two_parts(items, where, list, unpack, weights.__getitem__, 2, share=0.7)
    assert [part for part, _ in shared] == [items[:3], items[3:]]  # 7 of the 10
    assert [
        part for part, _ in split.in_two_parts(items, where, list, unpack, least=2, share=0.8)
    ] == [
        items[:8],
        items[8:],
    ]
    assert split.in_two_parts(items, where, list, unpack, least=2, share=1.0)[0][0] == items[:9]

    def refused(value: Any, part: Sequence[int]) -> tuple[list[int], bool]:
        raise ValueError("not an answer")

    assert split.in_two_parts(items, where, list, refused, least=2) == [
        (items[:5], True),
        (items[5:], True),  # counted here
    ]

    def failing_in_the_child(part: Sequence[int]) -> tuple[list[int], bool]:
        if os.getpid() != parent:
            os._exit(3)
        return where(part)

    assert split.in_two_parts(items, failing_in_the_child, list, unpack, least=2) == [
        (items[:5], True),
        (items[5:], True),
    ]


def test_the_working_tree_is_listed_on_two_processes_as_on_one(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A child lists the second half of tasks/'s folders; the listing is the one walk's."""
    for i in range(5):
        repo.task(f"tb-{i}/a", by_day("2025-07-01"))
        repo.task(f"tb-{i}/b", by_day("2025-07-01"))
    repo.write("tasks/tb-3/notes.txt", "a stray\n")
    alone = list_tasks(repo.root)
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()
    sent = tmp_path / "sent"
    packed = Listing.packed

    def sending(listing: Listing) -> tuple[Any, ...]:
        assert os.getpid() != parent  # only the child sends its part
        sent.write_text("\n".join(listing.tasks))
        return packed(listing)

    monkeypatch.setattr(Listing, "packed", sending)
    tree = dataset_module.WorkingTree(repo.root)
    assert tree._listing == alone
    assert list(tree._listing.tasks) == list(alone.tasks)
    assert sent.read_text().split("\n") == list(alone.tasks)[4:]  # tb-2 to tb-4


def _listing_where(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[], list[str]]:
    """Which process made each whole listing of tasks/ from now on: "child" or "here"."""
    parent = os.getpid()
    log = tmp_path / "listed-by"
    log.write_text("")
    real = list_tasks  # the one dataset calls

    def listing(root: Path, in_parts: Any = None) -> Listing:
        with log.open("a") as out:  # a child's own record: appended before it sends
            out.write("child\n" if os.getpid() != parent else "here\n")
        return real(root, in_parts)

    monkeypatch.setattr(dataset_module, "list_tasks", listing)
    return lambda: log.read_text().split()


def test_a_cold_run_lists_tasks_in_a_child_while_it_analyses_the_registry(
    run: Run,
    repo: Repo,
    trusting: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """With no registry in the cache, a child lists tasks/ while this process analyses
    agencies.yaml; the answer is the one a single process gives, and the cache the same."""
    _many_folders(repo)
    repo.write("tasks/tb-2/bad.yaml", "title: [\n")
    left = repo.write("tasks/tb-0/.a.yaml.x1y2z3.tmp", "left by an interrupted write\n")
    os.utime(left, (time.time() - 3600, time.time() - 3600))  # abandoned an hour ago
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 4)
    trusting()
    with monkeypatch.context() as alone:
        alone.setattr(split, "cores", lambda: 1)
        one = run("--root", str(repo.root), "--no-cache", "--format", "json", "due", "--all")
        check_alone = run("--root", str(repo.root), "--no-cache", "check")
    monkeypatch.setattr(split, "cores", lambda: 2)
    where = _listing_where(monkeypatch, tmp_path)
    registry_by = record_calls(monkeypatch, dataset_module, "analyse_agencies")
    cold = run("--root", str(repo.root), "--format", "json", "due", "--all")
    assert (cold.code, cold.out, cold.err) == (one.code, one.out, one.err)
    assert "tasks/tb-2/bad.yaml" in cold.err
    assert where() == ["child"] and len(registry_by) == 1  # the registry analysed here
    assert len(entries_of(repo.root)) == 13  # 12 tasks and the bad file
    no_cache = run("--root", str(repo.root), "--no-cache", "check")
    assert (no_cache.code, no_cache.out, no_cache.err) == (
        check_alone.code,
        check_alone.out,
        check_alone.err,
    )
    assert ".a.yaml.x1y2z3.tmp" in no_cache.out
    assert where() == ["child", "child"]


def test_a_run_that_holds_the_registry_or_few_folders_lists_tasks_itself(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The registry from the cache costs nothing to wait for, and a small tasks/ less than a
    child: both list tasks/ here, as `_answers` says."""
    _many_folders(repo)
    monkeypatch.setattr(split, "cores", lambda: 2)
    where = _listing_where(monkeypatch, tmp_path)
    first = due_json(run, repo)  # 7 entries in tasks/, fewer than SPLIT_LISTING_AT
    assert where() == ["here"]
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 4)
    repo.write("tasks/tb-0/a.yaml", by_day("2025-07-09"))  # the index no longer holds
    assert due_json(run, repo) != first
    assert where() == ["here", "here"]


def test_a_failing_child_that_lists_beside_the_registry_leaves_the_listing_to_this_process(
    run: Run,
    repo: Repo,
    trusting: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _many_folders(repo)
    trusting()
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 4)
    alone = run("--root", str(repo.root), "--no-cache", "--format", "json", "due", "--all")
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()
    packed = Listing.packed

    def failing_in_the_child(listing: Listing) -> tuple[Any, ...]:
        if os.getpid() != parent:
            os._exit(3)
        return packed(listing)

    monkeypatch.setattr(Listing, "packed", failing_in_the_child)
    where = _listing_where(monkeypatch, tmp_path)
    cold = run("--root", str(repo.root), "--format", "json", "due", "--all")
    assert (cold.code, cold.out, cold.err) == (alone.code, alone.out, alone.err)
    assert where() == ["child", "here"]
    assert len(entries_of(repo.root)) == 12


def test_a_cold_read_on_two_processes_keeps_diagnostics_facts_and_the_cache(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(split, "MIN_ITEMS", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    for i in range(6):
        repo.task(f"tb/t{i}", by_day("2025-07-01"))
    repo.write("tasks/tb/bad.yaml", "title: [\n")
    trusting()
    cold = run("--root", str(repo.root), "--format", "json", "due", "--all")
    monkeypatch.setattr(split, "MIN_ITEMS", 10**9)
    alone = run("--root", str(repo.root), "--no-cache", "--format", "json", "due", "--all")
    warm = run("--root", str(repo.root), "--format", "json", "due", "--all")
    assert (cold.code, cold.out, cold.err) == (alone.code, alone.out, alone.err)
    assert (warm.code, warm.out, warm.err) == (alone.code, alone.out, alone.err)
    assert "tasks/tb/bad.yaml" in alone.err
    assert len(entries_of(repo.root)) == 7


def test_the_listing_is_in_the_order_of_sorted_paths(tmp_path: Path) -> None:
    from tbtrack.files.store import list_tasks

    names = [
        "tb/1.yaml",
        "tb/1-1.yaml",
        "tb/10.yaml",
        "tb/sub/2.yaml",
        "tb/sub-a/3.yaml",
        "tb-2/1.yaml",
        "tb.x/1.yaml",
        "tb0/1.yaml",
        "a/b/c/d.yaml",
        "a/b-c/d.yaml",
        "tb/notes.txt",
        "tb-2/1.yaml.bak",
        "tb/.hidden.yaml",
    ]
    for name in names:
        path = tmp_path / "tasks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    listing = list_tasks(tmp_path)
    expected = sorted(f"tasks/{n}" for n in names if n.endswith(".yaml") and "/." not in n)
    assert list(listing.tasks) == expected
    assert listing.strays == ["tasks/tb-2/1.yaml.bak", "tasks/tb/notes.txt"]
    stat = (tmp_path / "tasks/tb/10.yaml").stat()
    assert listing.tasks["tasks/tb/10.yaml"] == (
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ino,
        stat.st_ctime_ns,
    )
    assert listing.tasks["tasks/tb/10.yaml"].mtime_ns == stat.st_mtime_ns


@pytest.mark.parametrize("section", [0, 1, 2])
def test_a_header_that_claims_more_than_the_file_holds_is_ignored(
    run: Run,
    repo: Repo,
    trusting: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    section: int,
) -> None:
    repo.task("tb/a", by_day("2025-07-01"))
    trusting()
    expected = due_json(run, repo)
    # a section of four exbibytes
    data = _rewrite_header(
        cache_file(repo), lambda fields: fields.__setitem__(1 + 2 * section, 2**62)
    )
    asked = record_calls(monkeypatch, os, "pread", argument=1)  # the lengths read
    assert load_one(repo.root, "tb/a") is not None  # the one-task reader refuses it (read only)
    assert due_json(run, repo) == expected  # and so does a listing, which rebuilds it
    assert asked and max(asked) < len(data)  # never a read of what the file cannot hold


def test_thecode_fingerprint_holds_every_source_file_but_compiled_ones(tmp_path: Path) -> None:
    from tbtrack.loading.cache import _source_files

    package = tmp_path / "pkg"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "b.py").write_text("x = 1\n")
    (package / "a.txt").write_text("not source\n")
    (package / "sub" / "c.py").write_text("y = 22\n")
    (package / "sub" / "__pycache__" / "c.cpython-311.py").write_text("")
    os.utime(package / "b.py", ns=(1, 10**18))

    def parts() -> list[str]:
        found: list[str] = []
        _source_files(str(package), "", found)
        return found

    before = parts()
    mtime = (package / "sub" / "c.py").stat().st_mtime_ns
    assert before == ["b.py:6:1000000000000000000", f"sub/c.py:7:{mtime}"]
    os.utime(package / "sub" / "c.py", ns=(1, mtime + 1))  # an edit that keeps the size
    assert parts() == [before[0], f"sub/c.py:7:{mtime + 1}"]


# --- the index in columns ----------------------------------------------------------------------

_TEXTS = st.tuples() | st.tuples(st.sampled_from(["Bộ Tài chính", "Bộ Công an"]))
_ENTRIES = st.dictionaries(
    st.from_regex(r"tasks/[a-z0-9]{1,3}/[a-z0-9]{1,3}\.yaml", fullmatch=True),
    st.builds(
        lambda stat, diagnostics, facts, notice, where: (stat, diagnostics, facts, notice, *where),
        st.tuples(
            st.integers(0, 2**64 - 1),
            st.integers(-(2**63), 2**63 - 1),
            st.integers(0, 2**64 - 1),
            st.integers(-(2**63), 2**63 - 1),
        ),
        st.sampled_from([(), (("tasks/x.yaml", 1, 1, "warning", "m", "r", None),)]),
        st.none()
        | st.tuples(*[st.integers(0, 800_000)] * 5, _TEXTS, _TEXTS).filter(lambda f: f[1] > 0),
        st.none() | st.tuples(st.sampled_from(["1/TB", "2/TB"]), st.integers(1, 9), st.just("t")),
        st.tuples(*[st.integers(0, 2**32 - 1)] * 4).map(lambda w: (w[0] * 7, *w[1:])),
    ),
    max_size=12,
)


@given(entries=_ENTRIES, asked=st.lists(st.integers(0, 15), max_size=15), extra=st.booleans())
def test_an_index_gives_back_every_entry_and_finds_each_file_in_any_order(
    entries: dict[str, tuple[Any, ...]], asked: list[int], extra: bool
) -> None:
    """What `encode_index` writes, `Index.of` reads back whole, through marshal; and a file
    asked for is found at its row whether the files are asked for in the index's order (no
    lookup) or in another, some of them unknown to it."""
    written = list(entries.items())
    index = Index.of(marshal.loads(marshal.dumps(encode_index(written))))
    assert [(rel, tuple(entry)) for rel, entry in index.entries()] == written
    paths = list(entries)
    for files in (paths, [paths[i] for i in asked if i < len(paths)] + ["tasks/no.yaml"] * extra):
        found = list(index.rows_of(files))
        assert len(found) == len(files)
        for rel, (at, row) in zip(files, found, strict=True):
            if rel not in entries:
                assert (at, row) == (-1, None)
                continue
            assert paths[at] == rel and row is not None
            assert (row[:4], row[4:8]) == (entries[rel][0], entries[rel][4:8])
            assert tuple(index.entry(at)) == entries[rel]


def _many_folders(repo: Repo) -> None:
    for i in range(6):
        repo.task(f"tb-{i}/a", by_day(f"2025-07-0{i + 1}"))
        repo.task(f"tb-{i}/b", by_day(f"2025-08-0{i + 1}"))
    repo.write("tasks/tb-3/notes.txt", "a stray\n")


def test_a_warm_run_takes_the_index_as_the_child_lists_it_unchanged(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a test that passes by never taking it: with every file as the index has it, the
    index's entries taken as they are answer, and no file is asked of the cache one by one;
    a file changed since is read afresh, the others' entries as they were taken; a file added
    makes the listing ask the cache file by file."""
    _many_folders(repo)
    trusting()
    cold = due_json(run, repo)
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    asked = record_calls(monkeypatch, TaskCache, "get_all", 1)
    guessed = record_calls(monkeypatch, TaskCache, "get_all_as_indexed", 0)
    analysed = record_analyses(monkeypatch, dataset_module)
    assert due_json(run, repo) == cold
    assert len(guessed) == 1 and asked == [] and analysed == []
    strays = run("--root", str(repo.root), "check")
    assert "tasks/tb-3/notes.txt" in strays.out + strays.err  # the child's listing, whole
    repo.task("tb-4/b", by_day("2025-09-30"))
    trusting()  # kept by the next run, whose answer the one after it takes
    before = len(guessed)
    warm = due_json(run, repo)
    assert [r["due"] for r in warm if r["task"] == "tb-4/b"] == ["2025-09-30"]
    assert analysed == ["tasks/tb-4/b.yaml"] and asked == [] and len(guessed) == before + 1
    assert warm == due_json(run, repo, "--no-cache")
    analysed.clear()
    asked.clear()
    trusting()
    repo.task("tb-4/c", by_day("2025-10-31"))
    warm = due_json(run, repo)
    assert analysed == ["tasks/tb-4/c.yaml"] and len(asked) == 1 and len(guessed) == before + 2
    assert list(asked[0]) == list(list_tasks(repo.root).tasks)  # the listing, in its order
    assert warm == due_json(run, repo, "--no-cache")


def test_the_files_a_child_listed_are_made_the_listing_s_only_when_asked(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run that takes the index whole never makes the child's part of the listing; the
    tree's listing, asked for later, holds every file in its order, and its strays."""
    _many_folders(repo)
    trusting()
    due_json(run, repo)
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    made = record_calls(monkeypatch, Listing, "tasks_of")
    tree = dataset_module.WorkingTree(repo.root)
    data = tree.load()
    assert made == [] and len(data.tasks) == 12
    whole = list_tasks(repo.root)
    assert tree.strays() == whole.strays == ["tasks/tb-3/notes.txt"]
    registry = data.registry
    assert [r.path for r in tree.read_tasks(registry)] == list(whole.tasks)
    assert len(made) == 1
    assert list(tree._listing.tasks.items()) == list(whole.tasks.items())


def test_a_failing_listing_child_leaves_the_cache_asked_file_by_file(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_folders(repo)
    trusting()
    cold = due_json(run, repo)
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()
    packed = Listing.packed

    def failing_in_the_child(listing: Listing) -> tuple[Any, ...]:
        if os.getpid() != parent:
            os._exit(3)
        return packed(listing)

    monkeypatch.setattr(Listing, "packed", failing_in_the_child)
    asked = record_calls(monkeypatch, TaskCache, "get_all", 1)
    analysed = record_analyses(monkeypatch, dataset_module)
    assert due_json(run, repo) == cold
    assert len(asked) == 1 and analysed == []
    assert list(asked[0]) == list(list_tasks(repo.root).tasks)


def test_the_index_s_stats_are_those_a_listing_sends(repo: Repo) -> None:
    _many_folders(repo)
    listing = list_tasks(repo.root)
    paths, stats = listing.packed()[:2]
    entry = Entry((0, 0, 0, 0), (), None, None, 0, 0, 0, 0)
    index = encode_index(
        (rel, entry._replace(stat=(stat.size, stat.mtime_ns, stat.inode, stat.ctime_ns)))
        for rel, stat in listing.tasks.items()
    )
    assert (index["paths"], index["stats"]) == (paths, stats)
    # a number past what a listing sends: stats no listing gives
    huge = encode_index([("tasks/tb/a.yaml", entry._replace(stat=(1, 2, 2**63, 4)))])
    assert huge["stats"] == b""
    assert Index.of(huge).stats == b""
    for bad in (None, "x", stats[:-8]):
        with pytest.raises(ValueError):
            Index.of({**index, "stats": bad})


def _two_agencies(repo: Repo) -> None:
    """Six folders, each with a task of Bộ Tài chính's and one of Bộ Tư pháp's; one of the
    latter names Bộ Tài chính in support, and two of them give one notice number two dates."""
    for i in range(6):
        repo.task(f"tb-{i}/a", by_day(f"2025-07-0{i + 1}"))
        numbered = task_text(
            lead="[Bộ Tư pháp]",
            obligations=f"  - id: complete\n    by: 2025-08-0{i + 1}\n",
            extra="support: [Bộ Tài chính]\n" if i == 5 else "",
        )
        if i in (2, 4):
            numbered = numbered.replace("number: null", "number: 12/TB-VPCP")
            numbered = numbered.replace("date: 2025-06-06", f"date: 2025-06-0{i}")
        repo.task(f"tb-{i}/b", numbered)


def _about_one_agency(run: Run, repo: Repo, *extra: str) -> list[tuple[int, str, str]]:
    """`due --agency` and `agency` of Bộ Tài chính, as a user sees them, code and all."""
    seen = []
    for command in (["due", "--agency", "Bộ TC", "--all"], ["agency", "BTC"]):
        result = run("--root", str(repo.root), "--format", "json", *extra, *command)
        assert "Traceback" not in result.err
        seen.append((result.code, result.out, result.err))
    return seen


def _beside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset_module, "SPLIT_LISTING_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)


def test_a_warm_run_about_one_agency_makes_only_the_tasks_that_name_it(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a test that passes by never taking the shortcut: the index's files naming the
    agency (as lead, in support, or through a group it is in) are the tasks made; every file's
    problems are still reported (the notice in conflict is of files that do not name it)."""
    from tbtrack.queries import listings

    _two_agencies(repo)
    trusting()
    plain = _about_one_agency(run, repo, "--no-cache")
    assert "notice-conflict" in plain[0][2] and plain[0][0] == 1  # an error: exit 1
    assert '"Bộ Tài chính"' in plain[1][1] and "tb-5/b" in plain[1][1]  # in support
    due_json(run, repo)  # the cache written
    written = cache_file(repo).stat().st_ino
    _beside(monkeypatch)
    narrowed = record_calls(monkeypatch, TaskCache, "get_naming_as_indexed", 2)
    asked = record_calls(monkeypatch, TaskCache, "get_all", 1)
    analysed = record_analyses(monkeypatch, dataset_module)
    assert _about_one_agency(run, repo) == plain
    assert narrowed == [frozenset({"Bộ Tài chính", "Các bộ, cơ quan ngang bộ", "Nhóm ba bộ"})] * 2
    assert asked == [] and analysed == []
    assert cache_file(repo).stat().st_ino == written  # every entry kept: nothing written
    naming = listings.naming("Bộ TC", dt.date(2025, 6, 10))
    data = dataset_module.WorkingTree(repo.root).load(naming)
    made = sorted(t.id for t in data.tasks)
    assert made == [f"tb-{i}/a" for i in range(6)] + ["tb-5/b"]
    assert [d.rule for d in data.diagnostics] == ["notice-conflict"]
    unknown = dataset_module.WorkingTree(repo.root).load(listings.naming("Bộ X", dt.date.min))
    assert len(unknown.tasks) == 12  # a name of no agency narrows nothing: the query says why


def test_an_index_about_one_agency_that_does_not_hold_is_not_taken(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose names are past the table of names, or one kept without its task and
    without an error to say why, among files that do not name the agency: the cache is then
    asked file by file, and the answer is the plain one."""
    _two_agencies(repo)
    trusting()
    plain = _about_one_agency(run, repo, "--no-cache")
    due_json(run, repo)
    key, payload, records = _payload(cache_file(repo).read_bytes())
    files = encode_index(payload["entries"].items())
    at = files["paths"].split("\0").index("tasks/tb-1/b.yaml")
    numbers = list(ROW.unpack_from(files["rows"], at * ROW.size))
    numbers[13] = len(files["names"])  # the place of its names
    rows = bytearray(files["rows"])
    ROW.pack_into(rows, at * ROW.size, *numbers)
    stat, _, facts, notice, *_ = payload["entries"]["tasks/tb-1/b.yaml"]
    unexplained = {**payload["entries"], "tasks/tb-1/b.yaml": (stat, (), facts, notice, *[0] * 4)}
    _beside(monkeypatch)
    for forged in ({**payload, "entries": None, "files": {**files, "rows": bytes(rows)}},
                   {**payload, "entries": unexplained}):  # fmt: skip
        cache_file(repo).write_bytes(_with_payload(key, forged, records))
        asked = record_calls(monkeypatch, TaskCache, "get_all", 1)
        assert _about_one_agency(run, repo) == plain
        # the guess forgotten, the listing asked of the cache (the file kept without its task
        # read afresh: the next run's cache holds, and its guess is taken)
        assert list(asked[0]) == list(list_tasks(repo.root).tasks)


# --- a write after an edit: the old file with this run's changes ------------------------------


class _Written(NamedTuple):
    """A cache file as written: each file's entry with its record (as the whole index gives
    them, in its order), each bucket's bytes, and the records' bytes."""

    entries: dict[str, tuple[Any, ...]]
    offsets: dict[str, int]
    buckets: list[bytes]
    records: bytes


def _written(path: Path) -> _Written:
    """What a cache file holds, asserting that it holds together: every bucket gives each of
    its files' entries as the whole index does, every file in its own bucket, every record
    as its CRC32 says."""
    data = path.read_bytes()
    found = _sections(data)
    index, lookup, first = found.whole, found.lookup, found.buckets_at
    records = data[found.records_at :]
    assert len(records) == index["size"] == lookup["size"]

    def held(value: Any) -> dict[str, tuple[Any, ...]]:
        out = {}
        for rel, entry in Index.of(value).entries():
            record = records[entry.offset : entry.offset + entry.length]
            assert zlib.crc32(record) == entry.crc
            out[rel] = (*entry[:4], record, entry.task_length)
        return out

    whole = held(index["files"])
    buckets, from_buckets, at = [], {}, first
    for number, (size, crc) in enumerate(lookup["buckets"]):
        bucket = data[at : at + size]
        at += size
        assert zlib.crc32(bucket) == crc
        part = held(marshal.loads(bucket))
        assert all(bucket_of(rel) == number for rel in part)
        from_buckets.update(part)
        buckets.append(bucket)
    assert from_buckets == whole
    offsets = {rel: entry.offset for rel, entry in Index.of(index["files"]).entries()}
    return _Written(whole, offsets, buckets, records)


UNDATED = task_text(obligations="  - id: complete\n    undated: true\n")  # a warning


def _twelve_tasks(repo: Repo) -> None:
    for i in range(4):
        for name, month in zip("abc", "789", strict=True):
            repo.task(f"tb-{i}/{name}", by_day(f"2025-0{month}-0{i + 1}"))
    repo.task("tb-1/b", UNDATED)  # a file with diagnostics of its own


def test_a_write_after_an_edit_keeps_the_other_records_where_they_were(
    listing_way: str, run: Run, repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    _twelve_tasks(repo)
    trusting()
    due_json(run, repo)
    before = _written(cache_file(repo))
    edited = "tasks/tb-2/b.yaml"
    repo.task("tb-2/b", by_day("2025-09-30"))
    trusting()
    after_edit = due_json(run, repo)
    after = _written(cache_file(repo))
    # the new record follows the old records, which are copied whole, where they were
    assert after.records.startswith(before.records)
    assert after.offsets[edited] == len(before.records)
    assert {rel: at for rel, at in after.offsets.items() if rel != edited} == {
        rel: at for rel, at in before.offsets.items() if rel != edited
    }
    assert list(after.entries) == list(before.entries)  # in the listing's order
    changed = [
        n for n, (a, b) in enumerate(zip(before.buckets, after.buckets, strict=True)) if a != b
    ]
    assert changed == [bucket_of(edited)]  # every other bucket copied byte for byte
    analysed.clear()
    assert due_json(run, repo) == after_edit
    assert analysed == []
    assert after_edit == due_json(run, repo, "--no-cache")
    assert "2025-09-30" in [row["due"] for row in after_edit if row["task"] == "tb-2/b"]
    shown = run("--root", str(repo.root), "--format", "json", "show", "tb-2/b")
    assert shown.code == 0 and "2025-09-30" in shown.out, shown.err


def test_records_let_go_are_left_out_once_they_would_be_too_many(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edit leaves its file's old record in the file, unread; the write that would leave
    more than UNREAD_AT_MOST of the records so writes the whole cache again, without them."""
    _twelve_tasks(repo)
    trusting()
    due_json(run, repo)
    sizes = [len(_written(cache_file(repo)).records)]
    for day in range(1, 8):
        repo.task("tb-0/a", by_day(f"2025-10-{day:02}") + "#" * day)  # a new size each time
        trusting()
        assert due_json(run, repo) == due_json(run, repo, "--no-cache")
        written = _written(cache_file(repo))
        sizes.append(len(written.records))
        held = sum(len(entry[4]) for entry in written.entries.values())
        assert len(written.records) - held <= cache_module.UNREAD_AT_MOST * len(written.records)
    grew = [later > earlier for earlier, later in itertools.pairwise(sizes)]
    assert True in grew and False in grew  # appended, and written whole again
    monkeypatch.setattr(cache_module, "UNREAD_AT_MOST", 0.0)
    repo.task("tb-1/c", by_day("2025-11-11"))
    trusting()
    due_json(run, repo)
    written = _written(cache_file(repo))
    assert len(written.records) == sum(len(entry[4]) for entry in written.entries.values())


def test_files_added_deleted_and_renamed_after_a_write_by_appending(
    listing_way: str, run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    _twelve_tasks(repo)
    trusting()
    due_json(run, repo)
    steps: list[Callable[[], object]] = [
        lambda: repo.task("tb-1/d", by_day("2025-12-01")),
        lambda: (repo.root / "tasks/tb-0/b.yaml").unlink(),
        lambda: os.rename(repo.root / "tasks/tb-3/a.yaml", repo.root / "tasks/tb-3/z.yaml"),
    ]
    for step in steps:
        before = _written(cache_file(repo))
        step()
        trusting()
        assert due_json(run, repo) == due_json(run, repo, "--no-cache")
        after = _written(cache_file(repo))
        assert after.records.startswith(before.records)  # appended
        assert set(after.entries) == {
            str(path.relative_to(repo.root)) for path in (repo.root / "tasks").rglob("*.yaml")
        }
    for task, code in (("tb-1/d", 0), ("tb-3/z", 0), ("tb-0/b", 2), ("tb-3/a", 2)):
        assert run("--root", str(repo.root), "show", task).code == code, task


_STEPS = st.lists(
    st.tuples(st.sampled_from(["edit", "add", "delete", "rename"]), st.integers(0, 99)),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=200 if THOROUGH else 12,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=_STEPS, beside=st.booleans())
def test_a_cache_written_by_appending_holds_what_one_written_anew_holds(
    steps: list[tuple[str, int]], beside: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """After any edits, additions, deletions and renames, the cache written from the one
    before (appended to, or written whole again) holds every file's entry and record exactly
    as a cache written anew from the files does, in the same order, its buckets too; and the
    tasks it gives are those the files give, whether tasks/ was listed alone or beside the
    index's entries taken as they are (those of changed files then let go)."""
    base = tmp_path_factory.mktemp("appending")
    repo = Repo(base / "data")
    (repo.root / "tasks").mkdir(parents=True)
    (repo.root / "agencies.yaml").write_text(REGISTRY, encoding="utf-8")
    _twelve_tasks(repo)
    appended, anew = base / "appended", base / "anew"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "RACY_NS", -(10**18))  # every file as old as can be
        if beside:
            patch.setattr(dataset_module, "SPLIT_LISTING_AT", 1)
            patch.setattr(split, "cores", lambda: 2)
        patch.setenv("XDG_CACHE_HOME", str(appended))
        dataset_module.WorkingTree(repo.root).load()
        for number, (kind, pick) in enumerate(steps, 1):
            files = sorted((repo.root / "tasks").rglob("*.yaml"))
            chosen = files[pick % len(files)] if files else None
            text = UNDATED if pick % 3 == 0 else by_day(f"2025-10-{number:02}")
            if kind == "add" or chosen is None:
                repo.task(f"tb-{pick % 5}/n{number}", text)
            elif kind == "edit":  # a new size each time: never an edit the stat cannot see
                chosen.write_text(text + "#" * number, "utf-8")
            elif kind == "delete":
                chosen.unlink()
            else:
                chosen.rename(chosen.with_name(f"r{number}.yaml"))
            patch.setenv("XDG_CACHE_HOME", str(appended))
            warm = dataset_module.WorkingTree(repo.root).load()
            shutil.rmtree(anew, ignore_errors=True)
            patch.setenv("XDG_CACHE_HOME", str(anew))
            dataset_module.WorkingTree(repo.root).load()
            plain = dataset_module.WorkingTree(repo.root, use_cache=False).load()
            kept = _written(cache_folder(repo.root, {"XDG_CACHE_HOME": str(appended)}) / FILE_NAME)
            fresh = _written(cache_folder(repo.root, {"XDG_CACHE_HOME": str(anew)}) / FILE_NAME)
            assert list(kept.entries.items()) == list(fresh.entries.items())
            assert [(t.path, t.task) for t in warm.tasks] == [(t.path, t.task) for t in plain.tasks]
            assert warm.diagnostics == plain.diagnostics


@given(
    old=st.lists(st.binary(min_size=4, max_size=4), max_size=40),
    changes=st.lists(st.tuples(st.integers(0, 39), st.binary(min_size=4, max_size=4))),
)
def test_the_stats_that_differ_are_found_by_halves_as_one_by_one(
    old: list[bytes], changes: list[tuple[int, bytes]]
) -> None:
    new = list(old)
    for at, value in changes:
        if at < len(new):
            new[at] = value
    expected = [at for at, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    assert cache_module._differing(b"".join(old), b"".join(new), 4) == expected


def _bucket_span(data: bytes, number: int) -> slice:
    """Where one bucket lies in a cache file's bytes."""
    found = _sections(data)
    buckets = found.lookup["buckets"]
    at = found.buckets_at + sum(size for size, _ in buckets[:number])
    return slice(at, at + buckets[number][0])


def _damage_bucket(path: Path, number: int) -> bytes:
    """Flip a byte in the middle of one bucket of a cache file, leaving the rest as it is; the
    bucket's bytes so damaged."""
    data = bytearray(path.read_bytes())
    span = _bucket_span(bytes(data), number)
    assert span.stop > span.start
    data[(span.start + span.stop) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return bytes(data[span])


@pytest.mark.parametrize("where", ["the edited file's bucket", "another bucket"])
def test_a_damaged_bucket_costs_a_read_never_a_wrong_answer(
    where: str, run: Run, repo: Repo, trusting: Callable[[], None]
) -> None:
    """The write after an edit reads the buckets it changes: a damaged one makes it the whole
    write, which writes every bucket anew. A damaged bucket it does not change is copied as it
    is, with its checksum, and an answer about one of its tasks reads that task's file."""
    _twelve_tasks(repo)
    trusting()
    due_json(run, repo)
    edited, other = "tasks/tb-2/b.yaml", "tasks/tb-0/a.yaml"
    assert bucket_of(edited) != bucket_of(other)
    damaged = bucket_of(edited if where == "the edited file's bucket" else other)
    damaged_bytes = _damage_bucket(cache_file(repo), damaged)
    before = cache_file(repo).read_bytes()
    repo.task("tb-2/b", by_day("2025-09-30"))
    trusting()
    assert due_json(run, repo) == due_json(run, repo, "--no-cache")
    if where == "the edited file's bucket":
        after = _written(cache_file(repo))  # every bucket as its checksum says
        assert not after.records.startswith(_payload(before)[2])  # written whole
    else:  # appended to, the damaged bucket copied as it was
        data = cache_file(repo).read_bytes()
        assert data[_bucket_span(data, damaged)] == damaged_bytes
        assert _payload(data)[2].startswith(_payload(before)[2])  # the old records, whole
    for task, day in (("tb-2/b", "2025-09-30"), ("tb-0/a", "2025-07-01")):
        shown = run("--root", str(repo.root), "--format", "json", "show", task)
        assert shown.code == 0 and day in shown.out, shown.err


# --- the cache a command learnt, written by a child while the command answers -----------------


def _writing_behind(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The children `split.behind` makes, as it makes them (few tasks are many here)."""
    monkeypatch.setattr(split, "MIN_ITEMS", 4)
    monkeypatch.setattr(split, "cores", lambda: 2)
    made: list[int] = []
    real = split.behind

    def behind(work: Callable[[], object]) -> bool:
        started = real(work)
        if started:
            made.append(split._BEHIND[-1])
        return started

    monkeypatch.setattr(split, "behind", behind)
    return made


def _all_files(repo: Repo) -> set[str]:
    return set(list_tasks(repo.root).tasks)


def test_a_command_s_cache_is_written_by_a_child_before_the_command_ends(
    run: Run,
    repo: Repo,
    trusting: Callable[[], None],
    analysed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _twelve_tasks(repo)
    made = _writing_behind(monkeypatch)
    parent = os.getpid()
    real = TaskCache._written

    def in_the_child_only(self: TaskCache, fd: int, name: str) -> bool:
        assert os.getpid() != parent, "written by the command itself"
        return real(self, fd, name)

    monkeypatch.setattr(TaskCache, "_written", in_the_child_only)
    trusting()
    cold = due_json(run, repo)
    assert len(made) == 1 and split._BEHIND == []  # one child, waited for
    assert entries(repo) == _all_files(repo)
    analysed.clear()
    assert due_json(run, repo) == cold and analysed == []  # the child's cache answers
    assert len(made) == 1  # a warm run has nothing to write
    assert cold == due_json(run, repo, "--no-cache")


def test_a_cache_still_being_written_is_waited_for_before_it_is_read(
    repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _twelve_tasks(repo)
    made = _writing_behind(monkeypatch)
    held, release = os.pipe()
    real = TaskCache._written

    def once_released(self: TaskCache, fd: int, name: str) -> bool:
        os.close(release)  # the child's copy: it waits for the test's byte
        os.read(held, 1)
        return real(self, fd, name)

    monkeypatch.setattr(TaskCache, "_written", once_released)
    trusting()
    try:
        dataset_module.WorkingTree(repo.root, write_behind=True).load()
        assert len(made) == 1 and made == split._BEHIND  # this process went on
        assert not cache_file(repo).exists()
        os.write(release, b"x")
        assert entries(repo) == _all_files(repo)  # read once the child has written it
        assert split._BEHIND == []
    finally:
        os.close(held)
        os.close(release)
        split.wait_behind()


def test_without_a_child_the_command_writes_the_cache_itself(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _twelve_tasks(repo)
    made = _writing_behind(monkeypatch)

    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    trusting()
    cold = due_json(run, repo)
    assert made == [] and entries(repo) == _all_files(repo)
    assert cold == due_json(run, repo, "--no-cache")


def test_a_child_that_cannot_write_the_cache_leaves_no_file_and_the_answer_whole(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _twelve_tasks(repo)
    made = _writing_behind(monkeypatch)
    parent = os.getpid()
    real = TaskCache._write

    def full_disk(self: TaskCache, fd: int) -> None:
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")
        real(self, fd)

    monkeypatch.setattr(TaskCache, "_write", full_disk)
    trusting()
    rows = due_json(run, repo)
    assert rows == due_json(run, repo, "--no-cache") and len(made) == 1
    left = [p.name for p in cache_folder(repo.root).iterdir()]
    assert FILE_NAME not in left and not [n for n in left if n.endswith(".tmp")]
    monkeypatch.setattr(TaskCache, "_write", real)
    assert due_json(run, repo) == rows  # cold again, and written this time
    assert entries(repo) == _all_files(repo) and len(made) == 2


def test_a_cache_whose_writer_made_the_encodings_holds_what_the_analyses_would_have_made(
    repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This process leaves its analyses' encodings to the child that writes the cache (the
    child that analysed the other files sends its own encoded): the same entries and records,
    in the same order."""
    _twelve_tasks(repo)
    made = _writing_behind(monkeypatch)
    encoded_here: list[str] = []
    real = cache_module.encoding  # as the dataset module calls it

    def encoding(result: Analysed) -> Analysed:
        encoded_here.append(result.path)
        return real(result)

    monkeypatch.setattr(dataset_module, "encoding", encoding)
    trusting()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "here"))
    dataset_module.WorkingTree(repo.root).load()
    here = _written(cache_file(repo))
    assert encoded_here and made == []  # the files this process analysed, encoded as it did
    encoded_here.clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "behind"))
    dataset_module.WorkingTree(repo.root, write_behind=True).load()
    split.wait_behind()
    behind = _written(cache_file(repo))
    assert encoded_here == [] and len(made) == 1
    assert list(behind.entries) == list(here.entries) == sorted(_all_files(repo))
    assert behind.entries == here.entries


def test_a_command_that_fails_after_its_load_still_waits_for_the_cache_s_writer(
    run: Run, repo: Repo, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _twelve_tasks(repo)
    made = _writing_behind(monkeypatch)
    trusting()
    result = run("--root", str(repo.root), "due", "--before", "15/13/2025")  # read after the load
    assert result.code == 2 and "--before" in result.err and "Traceback" not in result.err
    assert len(made) == 1 and split._BEHIND == []
    assert entries(repo) == _all_files(repo)
