"""What the importer produces: drafts of task files, with the places a person must check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# a place in a task file: ("lead", 0), ("obligations", 1, "before")
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class NoticeSource:
    title: str
    number: str | None  # "467/TB-VPCP"
    date: dt.date | None  # the date of issue, else the meeting's; None when the text has none


@dataclass
class TaskDraft:
    """One draft task file: `data` holds exactly the keys and value types a task file takes,
    in the file's key order (SPEC 4); `review` the doubts, by the place they concern."""

    id: str  # the file ID inside the folder: "2dd", "2e-1"
    data: dict[str, Any]
    review: dict[KeyPath, list[str]] = field(default_factory=dict)
    unknown_names: list[str] = field(default_factory=list)  # kept in `notes` and in `review`
    # the unknown names by the key that would hold them ("lead", "support"), as written:
    # `data` leaves them out, a file written from the draft keeps them where they stand
    unknown_in: dict[str, list[str]] = field(default_factory=dict)

    def note(self, path: KeyPath, message: str) -> None:
        self.review.setdefault(path, [])
        if message not in self.review[path]:
            self.review[path].append(message)


@dataclass
class NoticeDraft:
    source: NoticeSource
    folder: str  # the default folder under tasks/: "467-tb-vpcp-2024-10-14"
    tasks: list[TaskDraft]
    review: list[str] = field(default_factory=list)  # doubts about the notice as a whole

    @property
    def task_count(self) -> int:
        return len(self.tasks)

    @property
    def obligation_count(self) -> int:
        return sum(len(task.data["obligations"]) for task in self.tasks)

    @property
    def review_count(self) -> int:
        """Places to review: each path of each task with a note, and each notice-wide note."""
        return sum(len(task.review) for task in self.tasks) + len(self.review)

    @property
    def unknown_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for task in self.tasks:
            seen.update(dict.fromkeys(task.unknown_names))
        return list(seen)
