"""loading.versions: tasks parsed from git's versions of a file, kept by their bytes."""

from __future__ import annotations

import marshal
import pickle
import zlib
from pathlib import Path

import pytest

from helpers import read_one_task, task_text
from tbtrack.files.records import Task
from tbtrack.loading import codec, versions
from tbtrack.loading.cache import cache_folder
from tbtrack.loading.versions import FILE_NAME, ParsedVersions


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
