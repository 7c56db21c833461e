"""Task files parsed or checked once and kept by their content (SPEC 8).

`log` parses every version of a file it compares, and for that imports the YAML reader and
pydantic's models, most of the cost of a `log`. What a parse makes of a version depends on its
bytes alone (and on tbtrack's code), so `ParsedVersions` keeps the task records it made, keyed
by a hash of the bytes, in a file beside the tasks' cache; a later run takes them from there
and parses nothing it has seen. `CheckedFiles` does the same for what an edit checks: a task
file's analysis depends on its path, its bytes and agencies.yaml's bytes alone.

The same trust as the tasks' cache (`loading/cache.py`): only a file in this user's cache
folder, owned by this user; `marshal` of plain values, whole under a CRC32 and checked by shape
as it is read, never unpickled; a key of its format and of tbtrack's own source files. A file
that is missing, damaged or another's is parsed afresh, and a record that does not decode is
parsed again: it costs time, never an answer.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import zlib
from pathlib import Path
from typing import Any

from ..files.diagnostics import Diagnostic
from ..files.records import Task
from . import codec
from .cache import cache_folder, code_fingerprint, hashed, open_owned

FORMAT = 1
MAGIC = b"tbtrack versions\n"
HEADER = struct.Struct(">I32sQI")  # format, key, the body's length and CRC32
FILE_NAME = "versions.cache"
LIMIT = 20_000  # versions kept: beyond it the ones stored first are let go
CHECKED_FILE_NAME = "checked.cache"
CHECKED_LIMIT = 2_000  # files checked by edits: an import of a notice makes a few dozen


def _key() -> bytes:
    return hashed(b"versions %d\0" % FORMAT + code_fingerprint())


def _checked_key() -> bytes:
    return hashed(b"checked %d\0" % FORMAT + code_fingerprint())


def _digest(data: bytes) -> bytes:
    return hashed(data, 16)


class KeptRecords:
    """Records kept by a digest in one file of the cache folder: `get` what was kept, `put`
    what a run made, `save` once at the end of the run. The file is read when first asked."""

    def __init__(self, path: Path, key: bytes, limit: int, *, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled
        self._key = key
        self._limit = limit
        self._records: dict[bytes, bytes] | None = None if enabled else {}
        self._new = False

    def get(self, digest: bytes) -> bytes | None:
        if self._records is None:
            self._records = _read(self.path, self._key)
        return self._records.get(digest)

    def put(self, digest: bytes, record: bytes) -> None:
        if self.enabled:
            if self._records is None:
                self._records = _read(self.path, self._key)
            self._records.pop(digest, None)  # kept again: the last to go
            self._records[digest] = record
            self._new = True

    def save(self) -> None:
        """Write what this run added, if anything (a full disk, say: nothing is kept)."""
        if not self._new or self._records is None:
            return
        records = self._records
        if len(records) > self._limit:  # a dict keeps the order of insertion: the first go first
            records = dict(list(records.items())[-self._limit :])
        body = marshal.dumps(records, codec.MARSHAL_VERSION)
        header = MAGIC + HEADER.pack(FORMAT, self._key, len(body), zlib.crc32(body))
        # a temporary file the tasks' cache sweeps away if this run dies while writing it
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            import tempfile  # a run that keeps nothing new does not import it

            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".tasks-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(header + body)
                os.replace(name, self.path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(name)
        self._new = False


class ParsedVersions:
    """Task records parsed from a file's bytes, by a hash of the bytes: `task` what was kept,
    `put` what a parse made, `save` once at the end of the run."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self._kept = KeptRecords(cache_folder(root) / FILE_NAME, _key(), LIMIT, enabled=enabled)

    def task(self, data: bytes) -> Task | None:
        """The task parsed from these bytes before, or None: parse them."""
        record = self._kept.get(_digest(data))
        if record is None:
            return None
        try:
            return codec.decode_task(record)
        except Exception:  # a record of another shape: parsed again, and replaced
            return None

    def put(self, data: bytes, task: Task) -> None:
        self._kept.put(_digest(data), codec.encode_task(task))

    def save(self) -> None:
        self._kept.save()


class CheckedFiles:
    """What `check` made of a task file, by its path and exact bytes under one agencies.yaml:
    the task (when valid) and the diagnostics, as `dataset.analyse_bytes` gives them.

    An edit checks the bytes it is about to write, and the file as it was: a dry run and then
    the edit check the same bytes, and the listing after the edit finds the file it wrote
    already checked, so neither imports the YAML parser's checks or pydantic again. Only edits
    keep analyses here (a listing keeps its own by the file's stat, in the tasks' cache)."""

    def __init__(
        self, root: Path, registry_data: bytes, *, enabled: bool = True, adding: bool = True
    ) -> None:
        self._kept = KeptRecords(
            cache_folder(root) / CHECKED_FILE_NAME, _checked_key(), CHECKED_LIMIT, enabled=enabled
        )
        self._registry = hashed(registry_data)
        self._adding = adding  # a listing only looks: what it reads, its own cache keeps

    def _digest(self, rel: str, data: bytes) -> bytes:
        return hashed(self._registry + rel.encode("utf-8", "surrogateescape") + b"\0" + data, 16)

    def analysis(self, rel: str, data: bytes) -> tuple[Task | None, tuple[Diagnostic, ...]] | None:
        """The task and diagnostics these bytes gave at `rel` before, or None: check them."""
        record = self._kept.get(self._digest(rel, data))
        if record is None:
            return None
        try:
            return _analysis_of(record)
        except Exception:  # a record of another shape: checked again, and replaced
            return None

    def put(
        self, rel: str, data: bytes, task: Task | None, diagnostics: tuple[Diagnostic, ...]
    ) -> None:
        if self._kept.enabled and self._adding:
            encoded = codec.encode_task(task) if task is not None else b""
            record = (encoded, codec.encode_diagnostics(diagnostics))
            self._kept.put(self._digest(rel, data), marshal.dumps(record, codec.MARSHAL_VERSION))

    def save(self) -> None:
        self._kept.save()


def _analysis_of(record: bytes) -> tuple[Task | None, tuple[Diagnostic, ...]]:
    value: Any = marshal.loads(record)
    if type(value) is not tuple or len(value) != 2 or type(value[0]) is not bytes:
        raise codec.Malformed("not an analysis")
    task_record, encoded = value
    diagnostics = codec.decode_diagnostics(encoded)
    if not task_record and not any(d.severity == "error" for d in diagnostics):
        raise codec.Malformed("a task left out without an error to say why")
    return (codec.decode_task(task_record) if task_record else None), diagnostics


def _read(path: Path, key: bytes) -> dict[bytes, bytes]:
    """The records of the file, or none when it is not one this code wrote."""
    opened = open_owned(path)
    if opened is None:
        return {}
    try:
        with os.fdopen(opened[0], "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    start = len(MAGIC) + HEADER.size
    if len(data) < start or not data.startswith(MAGIC):
        return {}
    fmt, found, length, crc = HEADER.unpack_from(data, len(MAGIC))
    body = data[start:]
    if fmt != FORMAT or found != key or len(body) != length or zlib.crc32(body) != crc:
        return {}
    try:
        records: Any = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return {}
    if type(records) is not dict or not all(
        type(k) is bytes and type(v) is bytes for k, v in records.items()
    ):
        return {}
    return records
