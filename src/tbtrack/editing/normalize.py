"""`tbtrack check --fix`: files whose text is not in Unicode NFC, rewritten in NFC (SPEC 6).

NFC changes only the runs of text that are not NFC (a letter and its combining marks become
the one precomposed letter), so every other byte of the file stays as it was.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from .change import Change


def plan_nfc(root: Path) -> list[Change]:
    """A change for agencies.yaml and each task file whose text is not NFC; none is written."""
    from ..files.store import AGENCIES_FILE, list_tasks

    changes = []
    for rel in [AGENCIES_FILE, *list_tasks(root).tasks]:
        path = root / rel
        if path.is_symlink():
            continue  # the file it points to is someone else's (as for every edit)
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except (OSError, UnicodeDecodeError):
            continue  # `check` reports a file it cannot read or decode
        if unicodedata.is_normalized("NFC", text):
            continue
        new = unicodedata.normalize("NFC", text).encode("utf-8")
        changes.append(Change(rel, path, data, new, f"rewrote {rel} in Unicode NFC", mode))
    return changes
