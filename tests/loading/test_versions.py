"""loading.versions: tasks parsed from git's versions of a file, and files an edit checked,
kept by their bytes."""

from __future__ import annotations

import marshal
import pickle
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from helpers import REGISTRY, read_one_task, task_file, task_text
from tbtrack.files.records import Task
from tbtrack.files.registry import Registry
from tbtrack.loading import codec, versions
from tbtrack.loading.cache import cache_folder
from tbtrack.loading.dataset import analyse_bytes
from tbtrack.loading.versions import CHECKED_FILE_NAME, FILE_NAME, CheckedFiles, ParsedVersions


def _task(tmp_path: Path) -> tuple[bytes, Task]:
    text = task_text(progress="\n  - on: 2025-06-09\n    fulfils: complete\n")
    return text.encode(), read_one_task(tmp_path, text)[1]


def _file(root: Path) -> Path:
    return cache_folder(root) / FILE_NAME


def test_a_task_kept_is_given_back_for_the_same_bytes_only(tmp_path: Path) -> None:
    data, task = _task(tmp_path)
    kept = ParsedVersions(tmp_path)
    assert kept.task(data) is None
    kept.put(data, task)
    kept.save()
    again = ParsedVersions(tmp_path)
    assert again.task(data) == task
    assert again.task(data + b"\n") is None  # other bytes: parse them
    assert ParsedVersions(tmp_path / "other").task(data) is None  # another data root's


def test_without_the_cache_nothing_is_read_or_written(tmp_path: Path) -> None:
    data, task = _task(tmp_path)
    kept = ParsedVersions(tmp_path)
    kept.put(data, task)
    kept.save()
    off = ParsedVersions(tmp_path, enabled=False)
    assert off.task(data) is None
    off.put(data + b" ", task)
    off.save()
    assert ParsedVersions(tmp_path).task(data + b" ") is None


def test_the_first_kept_go_first_beyond_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, task = _task(tmp_path)
    monkeypatch.setattr(versions, "LIMIT", 2)
    kept = ParsedVersions(tmp_path)
    for n in range(3):
        kept.put(data + b"#%d\n" % n, task)
    kept.save()
    again = ParsedVersions(tmp_path)
    assert [again.task(data + b"#%d\n" % n) is not None for n in range(3)] == [False, True, True]


def _written(body: bytes, *, fmt: int = versions.FORMAT, key: bytes | None = None) -> bytes:
    key = versions._key() if key is None else key
    return versions.MAGIC + versions.HEADER.pack(fmt, key, len(body), zlib.crc32(body)) + body


@pytest.mark.parametrize(
    "damage",
    [
        "magic",
        "truncated",
        "crc",
        "format",
        "key",
        "not marshal",
        "another shape",
        "a record of another shape",
    ],
)
def test_a_file_this_code_did_not_write_is_never_used(tmp_path: Path, damage: str) -> None:
    data, task = _task(tmp_path)
    kept = ParsedVersions(tmp_path)
    kept.put(data, task)
    kept.save()
    path = _file(tmp_path)
    good = path.read_bytes()
    body = good[len(versions.MAGIC) + versions.HEADER.size :]
    forged = {
        "magic": b"tbtrack versionz\n" + good[len(versions.MAGIC) :],
        "truncated": good[:-3],
        "crc": good[:-1] + bytes([good[-1] ^ 1]),
        "format": _written(body, fmt=versions.FORMAT + 1),
        "key": _written(body, key=b"\0" * 32),
        # pickle's bytes under a right header and CRC: never unpickled, marshal refuses them
        "not marshal": _written(pickle.dumps({versions._digest(data): b"record"})),
        "another shape": _written(marshal.dumps({"digest": "record"})),
        "a record of another shape": _written(
            marshal.dumps({versions._digest(data): marshal.dumps(("not", "a", "task"))})
        ),
    }[damage]
    path.write_bytes(forged)
    assert ParsedVersions(tmp_path).task(data) is None
    assert codec.decode_task(codec.encode_task(task)) == task  # what a good record gives


# --- CheckedFiles: what an edit checked, by path and bytes under one agencies.yaml -----------

RELS = ("tasks/tb/a.yaml", "tasks/tb/b.yaml")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(task_file())
def test_an_analysis_kept_is_the_analysis_afresh(
    tmp_path: Path, registry: Registry, text: str
) -> None:
    data = text.encode()
    fresh = analyse_bytes(RELS[0], data, registry)
    kept = CheckedFiles(tmp_path, REGISTRY.encode())
    assert analyse_bytes(RELS[0], data, registry, kept) == fresh  # checked, and kept
    kept.save()
    again = CheckedFiles(tmp_path, REGISTRY.encode())
    assert again.analysis(RELS[0], data) == (fresh.task, fresh.diagnostics)
    assert analyse_bytes(RELS[0], data, registry, again) == fresh


def test_an_analysis_is_kept_for_the_same_path_bytes_and_registry_only(
    tmp_path: Path, registry: Registry
) -> None:
    data = task_text().encode()
    kept = CheckedFiles(tmp_path, REGISTRY.encode())
    analyse_bytes(RELS[0], data, registry, kept)
    kept.save()
    again = CheckedFiles(tmp_path, REGISTRY.encode())
    assert again.analysis(RELS[0], data) is not None
    assert again.analysis(RELS[0], data + b"\n") is None
    assert again.analysis(RELS[1], data) is None  # a task's ID is its path
    assert CheckedFiles(tmp_path, REGISTRY.encode() + b"\n").analysis(RELS[0], data) is None
    assert CheckedFiles(tmp_path / "other", REGISTRY.encode()).analysis(RELS[0], data) is None


def test_a_listing_looks_but_keeps_nothing_and_without_the_cache_nothing_is_read(
    tmp_path: Path, registry: Registry
) -> None:
    data = task_text().encode()
    looking = CheckedFiles(tmp_path, REGISTRY.encode(), adding=False)
    analyse_bytes(RELS[0], data, registry, looking)
    looking.save()
    assert not (cache_folder(tmp_path) / CHECKED_FILE_NAME).exists()
    kept = CheckedFiles(tmp_path, REGISTRY.encode())
    analyse_bytes(RELS[0], data, registry, kept)
    kept.save()
    assert CheckedFiles(tmp_path, REGISTRY.encode(), enabled=False).analysis(RELS[0], data) is None


@pytest.mark.parametrize(
    "record",
    [
        marshal.dumps(("not", "an", "analysis")),
        marshal.dumps((b"", ())),  # a task left out without an error to say why
        marshal.dumps((b"not a task", ())),
        marshal.dumps((b"", (("x",),))),  # diagnostics of another shape
        b"\xff not marshal",
    ],
)
def test_a_record_of_another_shape_is_checked_again(
    tmp_path: Path, registry: Registry, record: bytes
) -> None:
    data = task_text().encode()
    kept = CheckedFiles(tmp_path, REGISTRY.encode())
    kept._kept.put(kept._digest(RELS[0], data), record)
    assert kept.analysis(RELS[0], data) is None
    assert analyse_bytes(RELS[0], data, registry, kept) == analyse_bytes(RELS[0], data, registry)
    assert kept.analysis(RELS[0], data) is not None  # replaced by what the check made
