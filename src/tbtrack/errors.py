"""Exceptions that end a command, each with its exit code (SPEC 5.2)."""

from __future__ import annotations

from .messages import Message, plain

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_OVERDUE = 3


class TbtrackError(Exception):
    """An error for a human: printed as one line, no traceback; `details`, lines of their own
    below it (the diagnostics that refused a write)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str | Message, details: tuple[str, ...] = ()) -> None:
        # a catalogued message is written in the run's language (`cli.failure`); str() is
        # its English text
        self.message = message if isinstance(message, Message) else plain(message)
        super().__init__(self.message.text())
        self.details = details

    def text(self, lang: str) -> str:
        return self.message.text(lang)


class UsageError(TbtrackError):
    """Bad options, an unknown ID or agency, a bad date: exit 2."""


class RootNotFound(UsageError):
    pass


class GitError(UsageError):
    """Not a git repository, an unknown revision."""


class WriteRefused(TbtrackError):
    """An edit that would make the data invalid, or a file changed under us: exit 1."""

    exit_code = EXIT_DATA
