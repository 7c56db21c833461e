"""'Did you mean ...?' for a misspelt agency name, in bounded time however many are misspelt.

The rule is `Registry.suggest`'s: the canonical names whose spelling, folded and without
diacritics, has a `difflib` ratio of at least 0.6 with the name, the best and those within
0.05 of it, at most `count`, ties in the registry's order. Comparing a name with every
spelling of the registry cost 11-13 ms, so 1,000 misspelt names took `check` 11 s. The index
bounds the work per name:

- each spelling's key and its `SequenceMatcher` (which indexes its second sequence once)
  are made once, when the index is built;
- a spelling whose length cannot give a ratio of 0.6 is never scored;
- of the rest, only the `CANDIDATES` sharing the most letter pairs with the name are
  considered (a misspelling keeps most of its pairs; ties go to the registry's order), and
  the exact ratio is computed only while `quick_ratio`, its upper bound, can still reach
  the best found;
- a name is answered once however often it is asked for.

So it gives the exhaustive search's answer unless more than `CANDIDATES` spellings share
more letter pairs with the name than the right one does (on 2,000 misspellings of the
repository's registry, none did), at about a tenth of the cost. It is deterministic: the
same registry and name give the same suggestions.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable

from .text import loose_key

THRESHOLD = 0.6  # the lowest ratio that is a suggestion
NEAR_TIE = 0.05  # suggestions within this of the best are given with it
CANDIDATES = 96  # spellings scored per name at most, chosen by shared letter pairs
# a preferred name (one that existed on the notice's date) scores this much more
PREFERRED_BONUS = 0.1
_MEMO = 4096  # names remembered per index


def _pairs(key: str) -> Counter[str]:
    padded = f" {key} "
    return Counter(padded[i : i + 2] for i in range(len(padded) - 1))


class SuggestionIndex:
    """Built once per registry from its (spelling, canonical name) pairs, in its order."""

    def __init__(self, spellings: Iterable[tuple[str, str]]) -> None:
        self._canonical: list[str] = []
        self._lengths: list[int] = []
        self._matchers: list[difflib.SequenceMatcher[str]] = []
        postings: dict[str, list[int]] = {}
        for order, (spelling, canonical) in enumerate(spellings):
            key = loose_key(spelling)
            self._canonical.append(canonical)
            self._lengths.append(len(key))
            matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None)
            matcher.set_seq2(key)
            self._matchers.append(matcher)
            for pair in set(_pairs(key)):
                postings.setdefault(pair, []).append(order)
        self._postings = postings
        self._longest = max(self._lengths, default=0)
        self._memo: dict[str, tuple[tuple[str, float], ...]] = {}

    def suggest(
        self, name: str, count: int = 3, prefer: Callable[[str], bool] | None = None
    ) -> list[str]:
        """The closest canonical names to `name`; near-ties only; [] when none is close.
        Names `prefer` accepts score PREFERRED_BONUS more."""
        wanted = loose_key(name)
        found = self._memo.get(wanted)
        if found is None:
            found = self._ranked(wanted)
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            self._memo[wanted] = found
        scored = [
            (canonical, score + (PREFERRED_BONUS if prefer and prefer(canonical) else 0.0))
            for canonical, score in found
        ]
        if not scored:
            return []
        scored.sort(key=lambda item: -item[1])  # stable: ties keep the registry's order
        best = scored[0][1]
        return [
            canonical for canonical, score in scored[: max(count, 0)] if score >= best - NEAR_TIE
        ]

    def _ranked(self, wanted: str) -> tuple[tuple[str, float], ...]:
        """Every canonical name that could still be suggested once a preference is added:
        its best score, best first, ties in the registry's order."""
        slack = NEAR_TIE + PREFERRED_BONUS
        # a ratio of 0.6 needs 2*min(la, lb) / (la + lb) >= 0.6: lb from 3/7 la to 7/3 la
        size = len(wanted)
        low, high = (3 * size + 6) // 7, (7 * size) // 3
        if size == 0 or low > self._longest:
            return ()
        shared: Counter[int] = Counter()
        for pair in set(_pairs(wanted)):
            shared.update(self._postings.get(pair, ()))
        lengths = self._lengths
        window = [order for order in shared if low <= lengths[order] <= high]
        window.sort(key=lambda order: (-shared[order], order))
        # quick_ratio bounds ratio from above: score the likeliest first, and stop once no
        # spelling left can come within NEAR_TIE of the best found
        bounded: list[tuple[float, int]] = []
        for order in window[:CANDIDATES]:
            matcher = self._matchers[order]
            matcher.set_seq1(wanted)
            bound = matcher.quick_ratio()
            if bound >= THRESHOLD:
                bounded.append((-bound, order))
        bounded.sort()
        best = 0.0
        scored: dict[str, tuple[float, int]] = {}
        for negative, order in bounded:
            if -negative < best - slack:
                break
            matcher = self._matchers[order]
            matcher.set_seq1(wanted)
            score = matcher.ratio()
            canonical = self._canonical[order]
            if score >= THRESHOLD and score > scored.get(canonical, (0.0, 0))[0]:
                scored[canonical] = (score, order)
                best = max(best, score)
        # ties go to the registry's order
        ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1]))
        return tuple((name, score) for name, (score, _) in ranked if score >= best - slack)


def suggestion_index(spellings: Iterable[tuple[str, str]]) -> SuggestionIndex:
    """The index of a registry's spellings: `suggestion_index(registry._exact.items())`."""
    return SuggestionIndex(spellings)
