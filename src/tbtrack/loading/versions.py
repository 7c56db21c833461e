"""Versions of task files that git holds, parsed once and kept by their content (SPEC 8).

`log` parses every version of a file it compares, and for that imports the YAML reader and
pydantic's models, most of the cost of a `log`. What a parse makes of a version depends on its
bytes alone (and on tbtrack's code), so `ParsedVersions` keeps the task records it made, keyed
by a hash of the bytes, in a file beside the tasks' cache; a later run takes them from there
and parses nothing it has seen.

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
import tempfile
import zlib
from pathlib import Path
from typing import Any

from ..files.records import Task
from . import codec
from .cache import cache_folder, code_fingerprint, hashed, open_owned

FORMAT = 1
MAGIC = b"tbtrack versions\n"
HEADER = struct.Struct(">I32sQI")  # format, key, the body's length and CRC32
FILE_NAME = "versions.cache"
LIMIT = 20_000  # versions kept: beyond it the ones stored first are let go


def _key() -> bytes:
    return hashed(b"versions %d\0" % FORMAT + code_fingerprint())


def _digest(data: bytes) -> bytes:
    return hashed(data, 16)


class ParsedVersions:
    """Task records parsed from a file's bytes, by a hash of the bytes: `task` what was kept,
    `put` what a parse made, `save` once at the end of the run."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.path = cache_folder(root) / FILE_NAME
        self.enabled = enabled
        self._records: dict[bytes, bytes] = {}
        self._new = False
        if enabled:
            self._records = _read(self.path)

    def task(self, data: bytes) -> Task | None:
        """The task parsed from these bytes before, or None: parse them."""
        record = self._records.get(_digest(data))
        if record is None:
            return None
        try:
            return codec.decode_task(record)
        except Exception:  # a record of another shape: parsed again, and replaced
            return None

    def put(self, data: bytes, task: Task) -> None:
        if self.enabled:
            self._records[_digest(data)] = codec.encode_task(task)
            self._new = True

    def save(self) -> None:
        """Write what this run added, if anything (a full disk, say: nothing is kept)."""
        if not self._new:
            return
        records = self._records
        if len(records) > LIMIT:  # a dict keeps the order of insertion: the first go first
            records = dict(list(records.items())[-LIMIT:])
        body = marshal.dumps(records, codec.MARSHAL_VERSION)
        header = MAGIC + HEADER.pack(FORMAT, _key(), len(body), zlib.crc32(body))
        # a temporary file the tasks' cache sweeps away if this run dies while writing it
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".tasks-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(header + body)
                os.replace(name, self.path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(name)
        self._new = False


def _read(path: Path) -> dict[bytes, bytes]:
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
    fmt, key, length, crc = HEADER.unpack_from(data, len(MAGIC))
    body = data[start:]
    if fmt != FORMAT or key != _key() or len(body) != length or zlib.crc32(body) != crc:
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
