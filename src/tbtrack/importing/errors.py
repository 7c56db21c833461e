"""Why a notice could not be read: one line for a human, no traceback (SPEC 5.2)."""

from __future__ import annotations

from ..errors import UsageError


class NoticeReadError(UsageError):
    """The notice file could not be turned into text: exit 2, like any bad input."""


class UnsupportedFormat(NoticeReadError):
    """A suffix the importer does not read."""


class NeedsOcr(NoticeReadError):
    """A PDF without a text layer: a scan, which has to go through OCR first."""


class NotUtf8(NoticeReadError):
    """A text file that is not UTF-8."""
