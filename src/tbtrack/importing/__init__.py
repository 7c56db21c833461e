"""The notice importer's core (SPEC 10): a notice file to drafts of task files.

    text = extract_text(Path("467-TB-VPCP.pdf"))
    draft = parse_notice(text, RegistryResolver(registry))

Deterministic and offline: the phrases it reads are data (`phrases.toml`).
"""

from __future__ import annotations

from .draft import KeyPath, NoticeDraft, NoticeSource, TaskDraft
from .errors import NeedsOcr, NoticeReadError, NotUtf8, UnsupportedFormat
from .extract import extract_text
from .notice import parse_notice
from .resolver import RegistryResolver, Resolver

__all__ = [
    "KeyPath",
    "NeedsOcr",
    "NotUtf8",
    "NoticeDraft",
    "NoticeReadError",
    "NoticeSource",
    "RegistryResolver",
    "Resolver",
    "TaskDraft",
    "UnsupportedFormat",
    "extract_text",
    "parse_notice",
]
