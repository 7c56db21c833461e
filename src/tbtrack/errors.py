"""Exceptions that end a command, each with its exit code (SPEC 5.2)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_OVERDUE = 3


class TbtrackError(Exception):
    """An error for a human: printed as one line, no traceback; `details`, lines of their own
    below it (the diagnostics that refused a write)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class UsageError(TbtrackError):
    """Bad options, an unknown ID or agency, a bad date: exit 2."""


class RootNotFound(UsageError):
    pass


class GitError(UsageError):
    """Not a git repository, an unknown revision."""


class WriteRefused(TbtrackError):
    """An edit that would make the data invalid, or a file changed under us: exit 1."""

    exit_code = EXIT_DATA
