"""The options several commands share, declared once; the listing filters parsed once.

A command that lists rows asks for `filters` in its signature: `app.register` gives it the
`--agency`, `--notice`, `--kind`, `--tag` and `--status` options and hands it their values
as one `Filters`.
"""

from __future__ import annotations

import inspect
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import UsageError
from ..messages import Message

if TYPE_CHECKING:
    from ..queries.listings import Filters


class By(StrEnum):
    agency = "agency"
    notice = "notice"


IdArg = Annotated[str, typer.Argument(metavar="ID", help="A task ID or a unique suffix of one.")]
FailOpt = Annotated[
    bool, typer.Option("--fail-on-overdue", help="Exit 3 when anything shown is overdue.")
]


def _option(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )


FILTER_OPTIONS = {
    "agency": _option(
        "agency",
        Annotated[
            str | None,
            typer.Option("--agency", metavar="NAME", help="Only what this agency or group owes."),
        ],
    ),
    "notice": _option(
        "notice",
        Annotated[
            str | None,
            typer.Option(
                "--notice",
                metavar="TEXT",
                help="Only tasks whose notice (title, number, date or folder) contains TEXT.",
            ),
        ],
    ),
    "kind": _option(
        "kind",
        Annotated[
            list[str] | None,
            typer.Option(
                "--kind", metavar="KIND", help="Only obligations of this kind (repeatable)."
            ),
        ],
    ),
    "tag": _option(
        "tag",
        Annotated[
            list[str] | None,
            typer.Option("--tag", metavar="TAG", help="Only tasks with this tag (repeatable)."),
        ],
    ),
    "status": _option(
        "status",
        Annotated[
            list[str] | None,
            typer.Option(
                "--status", metavar="STATUS", help="Only rows with this status (repeatable)."
            ),
        ],
    ),
}


def _closed(
    option: str, values: list[str] | None, allowed: tuple[str, ...], key: str
) -> tuple[str, ...]:
    for value in values or ():
        if value not in allowed:
            args = {"option": option, "value": value, "allowed": ", ".join(allowed)}
            raise UsageError(Message(key, args))
    return tuple(values or ())


def parse_filters(values: dict[str, Any]) -> Filters:
    """The filter options' values as one `Filters`; kinds and statuses from `files.vocab`."""
    from ..files.vocab import OBLIGATION_KINDS, STATUSES
    from ..queries.listings import Filters

    for option in ("agency", "notice"):
        if values.get(option) is not None and not values[option].strip():
            raise UsageError(Message("no-value", {"option": f"--{option}"}))
    return Filters(
        values.get("agency"),
        values.get("notice"),
        _closed("--kind", values.get("kind"), OBLIGATION_KINDS, "not-a-kind"),
        tuple(values.get("tag") or ()),
        _closed("--status", values.get("status"), STATUSES, "not-a-status"),
    )
