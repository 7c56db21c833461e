"""A notice's text to drafts of task files: one per assignment (SPEC 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .agents import Agents, Name, NameScanner, find_agents, recipient_at
from .cleanup import paragraphs
from .deadlines import Due, find_dues
from .draft import NoticeDraft, NoticeSource, TaskDraft
from .header import NO_DATE_NOTES, addressee, folder_name, read_source
from .phrases import phrases
from .resolver import Resolver
from .structure import Node, outline
from .title import task_title


@dataclass
class _Unit:
    """One assignment: a paragraph of the notice (with the bullets it introduces)."""

    node: Node
    text: str
    agents: Agents
    lead: list[Name]
    parent: _Unit | None  # the assignment it stands under: its deadline may carry down
    dues: list[Due] = field(default_factory=list)  # its own obligations, once read


def parse_notice(text: str, resolver: Resolver, date: dt.date | None = None) -> NoticeDraft:
    """Drafts of the task files for the notice `text` (deterministic, no network).

    `date`, when given, is the notice's date whatever its text says (a copy without its
    header, a date the text gets wrong): names resolve as of it."""
    outlined = outline(paragraphs(text))
    # the header names the notice's date, as of which every name resolves; a first
    # scanner without a date reads it
    source, review = read_source(outlined.preamble, NameScanner(resolver, None))
    if date is not None:
        source = NoticeSource(source.title, source.number, date)
        review = [note for note in review if not note.startswith(NO_DATE_NOTES)]
    scanner = NameScanner(resolver, source.date)
    default_lead = addressee(outlined.preamble, scanner)
    units: list[_Unit] = []
    _collect(outlined.sections, scanner, None, default_lead, None, units)
    # a date without a year takes the notice's; with no date, such a date is a review note
    year = source.date.year if source.date else None
    if not units:
        review.append("no assignment found: nothing in the body names who is to do what")
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.node.key] = counts.get(unit.node.key, 0) + 1
    seen: dict[str, int] = {}
    tasks: list[TaskDraft] = []
    for unit in units:
        key = unit.node.key
        seen[key] = seen.get(key, 0) + 1
        task_id = key if counts[key] == 1 else f"{key}-{seen[key]}"
        tasks.append(_task(task_id, unit, source, scanner, year))
    return NoticeDraft(source, folder_name(source.number, source.date), tasks, review)


def _collect(
    nodes: list[Node],
    scanner: NameScanner,
    inherited: list[Name] | None,
    default_lead: list[Name],
    parent: _Unit | None,
    out: list[_Unit],
) -> None:
    for node in nodes:
        agents = find_agents(node.text, scanner)
        if phrases().topic_heading.match(node.text) and not agents.lead:
            _collect(node.children, scanner, inherited, default_lead, parent, out)
            continue
        if agents.heading_only and agents.lead:  # "a) Văn phòng Chính phủ": the bullets' lead
            _collect(node.children, scanner, agents.lead, default_lead, parent, out)
            continue
        if agents.joins_heading:
            lead = (inherited or []) + agents.lead
        else:
            lead = agents.lead or inherited or default_lead
        if not lead:  # says no one is to do anything: an explanation, not an assignment
            _collect(node.children, scanner, inherited, default_lead, parent, out)
            continue
        merged = _introduces(node, scanner)
        text = node.text
        if merged:
            text = "\n".join([text] + [_bulleted(child) for child in node.children])
        unit = _Unit(node, text, agents, lead, parent)
        out.append(unit)
        if not merged:
            _collect(node.children, scanner, lead, default_lead, unit, out)


def _introduces(node: Node, scanner: NameScanner) -> bool:
    """Whether the bullets are the parts of this one assignment: it ends "... bảo đảm thêm
    một số yêu cầu sau:" and they name no one of their own."""
    if not node.children or not node.text.rstrip().endswith(":"):
        return False
    for child in node.children:
        if child.children or phrases().topic_heading.match(child.text):
            return False
        if find_agents(child.text, scanner).lead:
            return False
    return True


def _bulleted(node: Node) -> str:
    return f"- {node.text}" if node.kind == "bullet" else node.text


def _dues(unit: _Unit, year: int | None) -> tuple[list[Due], list[str], _Unit | None]:
    """The unit's obligations, the doubts about them, and the unit whose deadline they
    carry down when the paragraph gives none of its own."""
    found = find_dues(unit.text, year)
    unit.dues = found.dues
    if found.dues:
        return found.dues, found.doubts, None
    if unit.parent is not None:
        # "Trong đó chú ý một số nội dung sau:" and the points below it: the points are
        # part of the work the paragraph above dates
        dated = [d for d in unit.parent.dues if d.form in ("by", "before", "within")]
        if dated:
            carried = [Due(d.form, d.value, "complete", "", d.start, d.end) for d in dated]
            return carried, found.doubts, unit.parent
    return [Due("undated", True, "complete", "", 0, 0)], found.doubts, None


def _task(
    task_id: str, unit: _Unit, source: NoticeSource, scanner: NameScanner, year: int | None
) -> TaskDraft:
    draft = TaskDraft(task_id, {})
    dues, doubts, inherited_from = _dues(unit, year)
    lead = [n.canonical for n in unit.lead if n.canonical]
    support = [n.canonical for n in unit.agents.support if n.canonical]
    unknown = [n.surface for n in unit.lead + unit.agents.support if n.canonical is None]
    draft.unknown_names.extend(unknown)
    report_to = None
    obligations: list[dict[str, Any]] = []
    used: dict[str, int] = {}
    for index, due in enumerate(dues):
        obligation = _obligation(due, used)
        recipient = (
            recipient_at(unit.text, due.verb_end, scanner)
            if due.verb_end is not None and due.kind in ("report", "submit")
            else None
        )
        if due.kind == "report" and recipient is not None and report_to is None:
            report_to = recipient  # the task's default recipient: its first report's
        if recipient is not None and not (due.kind == "report" and recipient == report_to):
            obligation["to"] = recipient
        obligations.append(obligation)
        for doubt in due.doubts:
            draft.note(("obligations", index, due.form), doubt)
        if due.form == "undated" and not due.as_written:
            draft.note(("obligations", index, "undated"), "no deadline phrase: undated; check")
        if inherited_from is not None:
            draft.note(
                ("obligations", index),
                "no deadline of its own: inherited from the paragraph it stands under "
                f"(section {inherited_from.node.section}); check",
            )
    for doubt in doubts:
        draft.note(("obligations",), doubt)
    for name in unknown:
        where = "lead" if any(n.surface == name for n in unit.lead) else "support"
        draft.unknown_in.setdefault(where, []).append(name)
        draft.note(
            (where,),
            f"'{name}' is not in the registry (kept in notes); add it to agencies.yaml or "
            "fix the name",
        )
    if not lead and not draft.unknown_in.get("lead"):
        draft.note(("lead",), "no known lead: name the lead agency")
    data: dict[str, Any] = {
        "source": {
            "notice": source.title,
            "number": source.number,
            "date": source.date,
            "section": unit.node.section,
        },
        "title": task_title(unit.text, unit.agents.subject_end, unit.node.section, scanner),
        "text": unit.text,
        "lead": lead,
    }
    if support:
        data["support"] = support
    if report_to is not None:
        data["report_to"] = report_to
    data["state"] = "active"
    data["obligations"] = obligations
    data["progress"] = []
    if unknown:
        data["notes"] = "Không có trong danh mục cơ quan: " + "; ".join(unknown) + "."
        draft.note(("notes",), "names the registry does not know, kept here verbatim")
    draft.data = data
    return draft


def _obligation(due: Due, used: dict[str, int]) -> dict[str, Any]:
    base = "ongoing" if due.form == "ongoing" else due.kind  # ids: report, submit, complete
    used[base] = used.get(base, 0) + 1
    obligation: dict[str, Any] = {
        "id": base if used[base] == 1 else f"{base}-{used[base]}",
        "kind": due.kind,
        due.form: due.value,
    }
    if due.first is not None:
        obligation["start"] = due.first
    if due.as_written:
        obligation["as_written"] = due.as_written
    return obligation
