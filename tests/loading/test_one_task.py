"""`load_one` answers as the whole dataset would, from the registry and one task file.

Whenever it gives a dataset, its `find` picks the task the full dataset's `find` picks, with
the same task, registry and diagnostics for that file; otherwise it gives None and the caller
loads everything. Through the cache or not, on generated repositories.
"""

from __future__ import annotations

import marshal
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tbtrack.loading.cache as cache_module
import tbtrack.loading.one_task as one_task
from helpers import REGISTRY, Repo, record_analyses, task_text
from tbtrack.errors import UsageError
from tbtrack.files.store import AGENCIES_FILE, list_tasks, task_id
from tbtrack.loading.cache import FILE_NAME, HEADER, MAGIC, bucket_of, cache_folder
from tbtrack.loading.dataset import Dataset, LoadedTask, WorkingTree, load_dataset
from tbtrack.loading.one_task import load_one

IDS = ("tb/2c", "tb/x", "tb-a/2c", "tb-a/tb/2c", "2c", "x")
CONTENTS = {
    "plain": task_text(),
    "numbered": task_text(extra="").replace("number: null", "number: 1/TB"),
    # the same number with another date: a notice conflict, found only across files
    "conflicting": task_text()
    .replace("number: null", "number: 1/TB")
    .replace("date: 2025-06-06", "date: 2025-06-07"),
    "done": task_text(
        obligations="  - id: complete\n    by: 2025-06-20\n",
        progress="\n  - on: 2025-06-09\n    fulfils: complete\n    evidence: Báo cáo số 1\n",
    ),
    "undated": task_text(obligations="  - id: complete\n    undated: true\n"),  # a warning
    "unknown-agency": task_text(lead="[Bộ Không Có]"),
    "bad-yaml": "title: [unclosed\n",
    "not-a-task": "- a list\n",
}
REGISTRIES = {
    "plain": REGISTRY,
    # a flow list that may have split a name: a warning
    "warned": REGISTRY.replace(
        "groups:", "  - name: Bộ Y tế\n    aliases: [Bộ Y, tế]\n    kind: ministry\ngroups:"
    ),
    "broken": "agencies: [\n",
}
QUERIES = ("2c", "x", "tb/2c", "a/tb/2c", "tasks/tb/x.yaml", "/tb/x/", "TB/2C", "nope", "")


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each run analysed (rather than took from the cache)."""
    return record_analyses(monkeypatch, one_task)


def _found(dataset: Dataset, text: str) -> LoadedTask | str:
    try:
        return dataset.find(text)
    except UsageError as exc:
        return str(exc)


def assert_as_the_full_load(
    root: Path, text: str, use_cache: bool, full: Dataset | None = None
) -> Dataset | None:
    one = load_one(root, text, use_cache=use_cache)
    if one is None:
        return None
    if full is None:
        full = load_dataset(root, WorkingTree(root, use_cache=use_cache))
    if not one.tasks:  # no file could be meant: both say there is no such task
        said = _found(full, text)
        assert isinstance(said, str) and _found(one, text) == said
        return one
    mine, theirs = one.find(text), _found(full, text)
    assert isinstance(theirs, LoadedTask), theirs
    assert (mine.id, mine.path) == (theirs.id, theirs.path)
    assert mine.task == theirs.task
    assert mine.facts == theirs.facts
    assert one.registry == full.registry
    # what concerns the one file and the registry; a notice conflict is found across files
    concerning = [
        d
        for d in full.diagnostics
        if d.path in (mine.path, AGENCIES_FILE) and d.rule != "notice-conflict"
    ]
    assert one.diagnostics == concerning
    assert not one.has_errors
    assert one.read(mine.path) == (root / mine.path).read_bytes()
    return one


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.dictionaries(st.sampled_from(IDS), st.sampled_from(sorted(CONTENTS))),
    registry=st.sampled_from(sorted(REGISTRIES)),
    warm=st.booleans(),
)
# a suffix two valid tasks share, one valid among broken ones, one conflicting with another
@example(files={"tb/2c": "plain", "tb-a/2c": "done"}, registry="plain", warm=False)
@example(
    files={"tb/2c": "bad-yaml", "tb-a/tb/2c": "plain", "2c": "bad-yaml"},
    registry="plain",
    warm=True,
)
@example(files={"tb/x": "numbered", "x": "conflicting"}, registry="warned", warm=True)
def test_load_one_answers_as_the_full_load(
    files: dict[str, str],
    registry: str,
    warm: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        repo = Repo(root)
        repo.write(AGENCIES_FILE, REGISTRIES[registry])
        (root / "tasks").mkdir()
        for identifier, kind in files.items():
            repo.task(identifier, CONTENTS[kind])
        if warm:
            time.sleep(0.02)  # past the clock's tick: the files can be trusted to the cache
            load_dataset(root, WorkingTree(root))
        for use_cache in (True, False):
            full = load_dataset(root, WorkingTree(root, use_cache=use_cache))
            for text in (*QUERIES, *files):
                one = assert_as_the_full_load(root, text, use_cache, full)
                # the shortcut is taken wherever it can answer alone
                exact = files.get(text)
                if exact in ("plain", "numbered", "conflicting", "done", "undated"):
                    assert one is not None or registry == "broken", text


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    return lambda: time.sleep(0.03)


def _cache_state(root: Path) -> tuple[bytes, list[str]]:
    folder = cache_folder(root)
    return (folder / FILE_NAME).read_bytes(), sorted(os.listdir(folder))


def test_a_warm_cache_answers_and_is_left_as_it_was(
    repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    repo.task("tb/a", task_text())
    repo.task("tb/b", task_text())
    trusting()
    load_dataset(repo.root, WorkingTree(repo.root))
    before = _cache_state(repo.root)
    assert assert_as_the_full_load(repo.root, "tb/a", True) is not None
    assert analysed == []  # from the cache
    # an edited file is read afresh, and what was read is not written to the cache
    repo.task("tb/a", task_text(section='"3.a"'))
    one = load_one(repo.root, "a", use_cache=True)
    assert one is not None and one.find("a").task.source.section == "3.a"
    assert analysed == ["tasks/tb/a.yaml"]
    assert _cache_state(repo.root) == before
    assert assert_as_the_full_load(repo.root, "a", True) is not None


def _damage_bucket(path: Path, rel: str) -> None:
    """Flip a byte of the bucket of the cache's lookup that holds `rel`."""
    data = bytearray(path.read_bytes())
    start = len(MAGIC) + HEADER.size
    _, registry_length, _, length, _, lookup_length, _, _ = HEADER.unpack_from(data, len(MAGIC))
    at = start + registry_length + length
    lookup = marshal.loads(bytes(data[at : at + lookup_length]))
    at += lookup_length
    for number, (size, _crc) in enumerate(lookup["buckets"]):
        if number == bucket_of(rel):
            data[at] ^= 0xFF
            break
        at += size
    path.write_bytes(bytes(data))


def test_one_task_reads_its_own_bucket_of_the_index_only(
    repo: Repo, trusting: Callable[[], None], analysed: list[str]
) -> None:
    repo.task("tb/a", task_text())
    repo.task("tb/b", task_text())
    a, b = "tasks/tb/a.yaml", "tasks/tb/b.yaml"
    assert bucket_of(a) != bucket_of(b)
    assert load_one(repo.root, "tb/a", use_cache=True) is not None  # no cache yet
    assert analysed == [a]
    assert not cache_folder(repo.root).exists()  # and none made
    trusting()
    load_dataset(repo.root, WorkingTree(repo.root))
    analysed.clear()
    assert assert_as_the_full_load(repo.root, "tb/a", True) is not None
    assert analysed == []  # from the cache, whatever its size
    # with tb/b's bucket damaged, tb/a's answer still comes from the cache: it never read it
    _damage_bucket(cache_folder(repo.root) / FILE_NAME, b)
    assert load_one(repo.root, "tb/a", use_cache=True) is not None
    assert analysed == []
    assert load_one(repo.root, "tb/b", use_cache=True) is not None
    assert analysed == [b]  # its bucket is damaged: the file is read
    analysed.clear()
    assert load_one(repo.root, "tb/a", use_cache=False) is not None
    assert analysed == [a]


def test_a_damaged_record_is_read_from_the_file(repo: Repo, trusting: Callable[[], None]) -> None:
    repo.task("tb/a", task_text())
    trusting()
    full = load_dataset(repo.root, WorkingTree(repo.root))
    path = cache_folder(repo.root) / FILE_NAME
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # inside the one record
    path.write_bytes(bytes(data))
    one = load_one(repo.root, "tb/a")
    assert one is not None
    assert one.find("tb/a").task == full.find("tb/a").task


def test_what_only_the_full_load_can_say_is_left_to_it(repo: Repo) -> None:
    repo.task("tb/a", task_text())
    repo.task("tb-2/a", task_text())
    repo.task("tb/broken", "title: [unclosed\n")
    assert load_one(repo.root, "a") is None  # ambiguous
    nothing = load_one(repo.root, "nope")  # no such file: a dataset of no task says so
    assert nothing is not None and nothing.tasks == []
    assert load_one(repo.root, "broken") is None  # its errors, said by the full load
    assert load_one(repo.root, "tb/a") is not None
    (repo.root / AGENCIES_FILE).write_text("agencies: [\n", encoding="utf-8")
    assert load_one(repo.root, "tb/a") is None
    (repo.root / AGENCIES_FILE).unlink()
    assert load_one(repo.root, "tb/a") is None
    assert [task_id(rel) for rel in list_tasks(repo.root).tasks] == ["tb-2/a", "tb/a", "tb/broken"]
