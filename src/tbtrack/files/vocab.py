"""The closed vocabularies of the formats and the engine, each stated once.

Everything that checks, offers or orders one of these values (the pydantic models, the
command line's option checks, the engine, the formatters) reads it from here.
"""

from __future__ import annotations

from typing import Literal, get_args

AgencyKind = Literal[
    "ministry",
    "ministerial-agency",
    "government-agency",
    "party-body",
    "national-assembly-body",
    "steering-body",
    "provincial-party-committee",
    "provincial-government",
    "other",
]
ObligationKind = Literal["complete", "report", "submit", "milestone"]
TaskState = Literal["active", "cancelled", "superseded"]
EventShape = Literal["fulfils", "extends", "cancels"]
DueForm = Literal["by", "before", "within", "every", "ongoing", "undated"]
Status = Literal[
    "done", "done-late", "overdue", "due-soon", "upcoming", "ongoing", "undated", "cancelled"
]

AGENCY_KINDS: tuple[AgencyKind, ...] = get_args(AgencyKind)
OBLIGATION_KINDS: tuple[ObligationKind, ...] = get_args(ObligationKind)
TASK_STATES: tuple[TaskState, ...] = get_args(TaskState)
EVENT_SHAPES: tuple[EventShape, ...] = get_args(EventShape)
# the order statuses are listed and counted in, everywhere
STATUSES: tuple[Status, ...] = get_args(Status)
DUE_FORMS: tuple[DueForm, ...] = get_args(DueForm)

# while a group is not all done, the most urgent of its members' statuses is the group's
GROUP_PRECEDENCE: tuple[Status, ...] = ("overdue", "due-soon", "upcoming", "undated", "ongoing")
OPEN: frozenset[str] = frozenset({"overdue", "due-soon", "upcoming"})
FINISHED: frozenset[str] = frozenset({"done", "done-late"})

# an obligation id (SPEC 4): lower-case letters, digits and dashes
OBLIGATION_ID = r"^[a-z0-9][a-z0-9-]*$"
