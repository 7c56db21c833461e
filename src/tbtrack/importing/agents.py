"""Who a paragraph assigns: the lead (chủ trì) and the partners (phối hợp) (SPEC 10)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .phrases import phrases
from .resolver import Resolver

_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Name:
    canonical: str | None  # None: a name the registry does not know
    surface: str  # as the notice writes it


@dataclass
class NameList:
    names: list[tuple[Name, bool]]  # (name, joined as a partner by "cùng")
    end: int


@dataclass
class Agents:
    lead: list[Name] = field(default_factory=list)
    support: list[Name] = field(default_factory=list)
    subject_end: int = 0  # where the subject ends in the text (0: no subject of its own)
    heading_only: bool = False  # the paragraph is nothing but names: "a) Văn phòng Chính phủ"
    joins_heading: bool = False  # "Cùng Bộ Công an chủ trì": leads with the heading's agency


def _boundary(text: str, end: int) -> bool:
    return end >= len(text) or not _WORD.match(text[end])


class NameScanner:
    """Finds registry names at a position of a text: the longest known spelling wins."""

    def __init__(self, resolver: Resolver, on: dt.date | None) -> None:
        self._resolver = resolver
        self._on = on
        by_word: dict[str, list[str]] = {}
        for spelling in resolver.spellings():
            low = spelling.casefold()
            # one-word codes ("CA", "XD") are words of ordinary Vietnamese text too
            if " " not in low:
                continue
            by_word.setdefault(low.split(" ", 1)[0], []).append(low)
        self._by_word = {w: sorted(set(s), key=len, reverse=True) for w, s in by_word.items()}
        self._heads = [
            (pattern, head.casefold(), self._bare(head.casefold()))
            for pattern, head in phrases().shared_heads
        ]

    def _bare(self, head: str) -> dict[str, list[str]]:
        """The spellings that start with `head`, without it: "bộ tài chính" -> "tài chính"."""
        out: dict[str, list[str]] = {}
        for spellings in self._by_word.values():
            for spelling in spellings:
                if spelling.startswith(head) and len(spelling) > len(head):
                    rest = spelling[len(head) :]
                    out.setdefault(rest.split(" ", 1)[0], []).append(rest)
        return {w: sorted(s, key=len, reverse=True) for w, s in out.items()}

    def resolve(self, surface: str) -> str | None:
        return self._resolver.resolve(surface, self._on)

    @staticmethod
    def _longest(table: dict[str, list[str]], low: str, pos: int) -> int | None:
        match = re.match(r"\w+", low[pos:])
        if match is None:
            return None
        for spelling in table.get(match.group(0), ()):
            end = pos + len(spelling)
            if low.startswith(spelling, pos) and _boundary(low, end):
                return end
        return None

    def name_at(self, text: str, pos: int) -> tuple[int, list[Name]] | None:
        """The names that start at `pos` (one, or several sharing a head), and their end."""
        low = _casefold(text)
        best: tuple[int, list[Name]] | None = None
        end = self._longest(self._by_word, low, pos)
        if end is not None:
            surface = text[pos:end]
            best = (end, [Name(self.resolve(surface), surface)])
        for pattern, head, bare in self._heads:
            head_match = pattern.match(text, pos)
            if head_match is None:
                continue
            shared = self._shared(text, low, head_match.end(), head, bare)
            if shared is not None and (best is None or shared[0] > best[0]):
                best = shared
        return best

    def _shared(
        self, text: str, low: str, pos: int, head: str, bare: dict[str, list[str]]
    ) -> tuple[int, list[Name]] | None:
        names: list[Name] = []
        end = pos
        while True:
            found = self._longest(bare, low, pos)
            if found is None:
                break
            surface = text[pos:found]
            names.append(Name(self.resolve(head + surface), head.capitalize() + surface))
            end = found
            sep = phrases().separator.match(text, end)
            if sep is None:
                break
            pos = sep.end()
        return (end, names) if names else None

    def unknown_at(self, text: str, pos: int) -> tuple[int, Name] | None:
        """A name-like phrase the registry does not know: "Trung tâm Dữ liệu ..."."""
        start = phrases().unknown_start.match(text, pos)
        if start is None or not text[start.end() : start.end() + 1].isupper():
            return None
        end_match = phrases().unknown_end.search(text, pos + 1)
        end = end_match.start() if end_match else len(text)
        surface = text[pos:end].strip()
        if len(surface.split()) < 2:
            return None
        return pos + len(surface), Name(None, surface)

    def list_at(self, text: str, pos: int, *, unknown: bool = True) -> NameList:
        """A list of names at `pos`: "X, Y và Z", "X cùng Y"; unknown names kept."""
        names: list[tuple[Name, bool]] = []
        end = pos
        partner = False
        while True:
            found = self.name_at(text, pos)
            if found is None and unknown:
                single = self.unknown_at(text, pos)
                found = (single[0], [single[1]]) if single else None
            if found is None:
                break
            names.extend((name, partner) for name in found[1])
            end = found[0]
            sep = phrases().separator.match(text, end)
            if sep is None:
                break
            if phrases().partner_separator.fullmatch(sep.group(0)):
                partner = True
            pos = sep.end()
        return NameList(names, end)


def _casefold(text: str) -> str:
    # Vietnamese letters fold one to one, so positions in the folded text are positions
    # in the text; the rare letter that folds to two (ß) falls back to lower()
    folded = text.casefold()
    return folded if len(folded) == len(text) else text.lower()


def find_agents(text: str, scanner: NameScanner) -> Agents:
    """The lead and partners a paragraph names itself (an empty lead: it names none)."""
    agents = Agents()
    pos = 0
    prefix = phrases().subject_prefix.match(text)
    if prefix is not None:
        pos = prefix.end()
    together = re.match(r"cùng\s+(?:với\s+)?", text[pos:], re.IGNORECASE)
    if together is not None:  # "Cùng Bộ Công an chủ trì": with the heading's agency
        listed = scanner.list_at(text, pos + together.end())
        if listed.names and phrases().lead_mark.match(text, listed.end):
            agents.lead = [name for name, _ in listed.names]
            agents.subject_end = listed.end
            agents.joins_heading = True
        else:
            agents.support = [name for name, _ in listed.names]
        return _with_support(text, agents, scanner)
    listed = scanner.list_at(text, pos)
    if listed.names:
        chaired = phrases().lead_mark.match(text, listed.end) is not None
        for name, partner in listed.names:
            (agents.support if partner and not chaired else agents.lead).append(name)
        agents.subject_end = listed.end
        agents.heading_only = text[listed.end :].strip() in ("", ":")
    return _with_support(text, agents, scanner)


def _with_support(text: str, agents: Agents, scanner: NameScanner) -> Agents:
    for match in phrases().support.finditer(text):
        listed = scanner.list_at(text, match.end())
        agents.support.extend(name for name, _ in listed.names)
    agents.support.extend(_joined_later(text, agents, scanner))
    leads = {n.canonical or n.surface for n in agents.lead}
    seen: set[str] = set()
    support: list[Name] = []
    for name in agents.support:
        key = name.canonical or name.surface
        if key not in leads and key not in seen:
            seen.add(key)
            support.append(name)
    agents.support = support
    return agents


_LATER_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐ])")


def _joined_later(text: str, agents: Agents, scanner: NameScanner) -> list[Name]:
    """A later sentence whose subject is the lead with others ("Bộ Tài chính, Bộ Nông
    nghiệp và Phát triển nông thôn thống nhất ..."): the others work with the lead."""
    leads = {n.canonical for n in agents.lead if n.canonical}
    out: list[Name] = []
    for match in _LATER_SENTENCE.finditer(text, agents.subject_end):
        names = [name for name, _ in scanner.list_at(text, match.end(), unknown=False).names]
        if len(names) > 1 and any(n.canonical in leads for n in names):
            out.extend(n for n in names if n.canonical not in leads)
    return out


def recipient_at(text: str, pos: int, scanner: NameScanner) -> str | None:
    """Who a report or submission goes to: the known name right after its verb."""
    skip = phrases().recipient_skip.match(text, pos)
    start = skip.end() if skip else pos
    found = scanner.name_at(text, start)
    if found is None or len(found[1]) != 1:
        return None
    return found[1][0].canonical
