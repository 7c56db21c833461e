"""The queries' shortcuts give exactly what the plain path gives (SPEC 8).

With the facts the cache keeps, a listing skips tasks unread: a notice after A, a task that
names neither the agency asked about nor a group it is in nor an agency it took over from,
and `summary` counts a settled task from its stored pairs. Without the cache (`--no-cache`)
no task has facts and every task is read. Both datasets come from the same generated
repository; each query must answer the same on any day, for any agency or group.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from helpers import bench_generator, shown
from tbtrack.engine.settled import Settled
from tbtrack.engine.status import Row, Settings, Wanted, task_rows
from tbtrack.engine.workdays import WorkCalendar
from tbtrack.files.vocab import OPEN
from tbtrack.loading import cache as cache_module
from tbtrack.loading import dataset as dataset_module
from tbtrack.loading import split
from tbtrack.loading.dataset import Dataset, WorkingTree, load_dataset
from tbtrack.queries import listings, sent_rows
from tbtrack.queries.monthly_report import monthly_report
from tbtrack.queries.report_data import Counts

THOROUGH = os.environ.get("TBTRACK_HYPOTHESIS") == "thorough"
# the tests that fork a child for each example run fewer of them, but for the long run
FORKING = hypothesis_settings(max_examples=1000 if THOROUGH else 12)
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
CALENDAR = WorkCalendar()


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset, list[str]]:
    """The same generated repository read with the cache's facts and without them."""
    root = tmp_path_factory.mktemp("shortcuts") / "root"
    bench_generator().generate(root, 400 if THOROUGH else 100, 5, None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root.parent / "cache"))  # this module's own cache
        load_dataset(root, WorkingTree(root))  # writes the cache
        cached = load_dataset(root, WorkingTree(root))
    plain = load_dataset(root, WorkingTree(root, use_cache=False))
    assert all(t.facts is not None for t in cached.tasks)
    assert all(t.facts is None for t in plain.tasks)
    names = sorted(
        {n for t in plain.tasks for o in t.task.obligations for n in o.assignees(t.task)}
    )
    names += sorted({n for t in plain.tasks for n in t.task.support})
    return cached, plain, names


def seen(rows: list[Row]) -> list[tuple[object, ...]]:
    return [
        (r.task_id, r.obligation.id, r.occurrence, r.assignee, r.status, r.due, r.days_left)
        for r in rows
    ]


days = st.dates(FIRST, LAST)
settings_of = st.builds(
    Settings,
    as_of=days,
    window=st.integers(0, 30),
    calendar=st.sampled_from([None, CALENDAR]),
)


@given(pick=st.integers(0, 10**6), settings=settings_of, before=days)
def test_an_agency_s_rows_are_the_same_read_through_its_index(
    both: tuple[Dataset, Dataset, list[str]], pick: int, settings: Settings, before: dt.date
) -> None:
    cached, plain, names = both
    assert_same_about(names[pick % len(names)], settings, before, cached, plain)


def assert_same_about(
    name: str, settings: Settings, before: dt.date, data: Dataset, plain: Dataset
) -> None:
    """`due --agency NAME --before B --all` and `agency NAME` from `data` are those from
    `plain`, and so are the notes on agencies that did not exist."""
    filters = listings.Filters(agency=name)
    for each in (data, plain):
        each.absences.clear()
    due = [
        seen(listings.due(d, settings, filters, before=before, after=None, include_done=True))
        for d in (data, plain)
    ]
    assert due[0] == due[1]
    views = [listings.agency(d, settings, name, listings.Filters()) for d in (data, plain)]
    assert seen(views[0].rows) == seen(views[1].rows)
    assert views[0].counts == views[1].counts
    assert data.absences == plain.absences


@pytest.fixture(scope="module")
def indexed(both: tuple[Dataset, Dataset, list[str]]) -> Path:
    """Where the generated repository's cache holds every file (its files all older than the
    read that wrote it: no racy margin)."""
    folder = both[0].root.parent / "indexed"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.setattr(cache_module, "RACY_NS", 0)
        load_dataset(both[0].root, WorkingTree(both[0].root))
    return folder


@FORKING
@given(pick=st.integers(0, 10**6), settings=settings_of, before=days)
def test_an_agency_s_rows_are_the_same_from_the_tasks_that_name_it_alone(
    both: tuple[Dataset, Dataset, list[str]],
    indexed: Path,
    pick: int,
    settings: Settings,
    before: dt.date,
) -> None:
    """A warm dataset made of the index's files that name the agency alone (`load`'s
    naming) answers `due --agency` and `agency` as the plain path does, with the same
    problems."""
    cached, plain, names = both
    name = names[pick % len(names)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(indexed))
        patch.setattr(dataset_module, "SPLIT_LISTING_AT", 1)
        patch.setattr(split, "cores", lambda: 2)
        narrowed = load_dataset(
            cached.root, WorkingTree(cached.root), listings.naming(name, settings.as_of)
        )
    sought = listings.naming(name, settings.as_of)(plain.registry)
    assert sought is not None
    # the shortcut is taken: the tasks made are those whose facts name one of the names
    assert [t.id for t in narrowed.tasks] == [
        t.id
        for t in cached.tasks
        if t.facts is not None and not sought.isdisjoint(t.facts.names + t.facts.supports)
    ]
    assert narrowed.diagnostics == plain.diagnostics
    assert_same_about(name, settings, before, narrowed, plain)


@given(settings=settings_of)
def test_summary_counts_the_same_from_stored_pairs(
    both: tuple[Dataset, Dataset, list[str]], settings: Settings
) -> None:
    cached, plain = both[0], both[1]
    found = [listings.tally(d, settings, "agency", listings.Filters()) for d in (cached, plain)]
    assert found[0].table == found[1].table
    assert found[0].extended == found[1].extended
    assert found[0].notices == found[1].notices


def test_the_shortcuts_are_taken(both: tuple[Dataset, Dataset, list[str]]) -> None:
    """Not a test that passes by never taking them: settled pairs and names are there."""
    cached = both[0]
    as_of = dt.date(2026, 12, 31)
    assert sum(t.settled(as_of) is not None for t in cached.tasks) > len(cached.tasks) // 4
    assert all(t.facts is not None and t.facts.names for t in cached.tasks)


@given(settings=settings_of, next_days=st.integers(0, 60))
def test_the_report_s_lines_are_each_task_s_open_pairs_through_a_plus_n(
    both: tuple[Dataset, Dataset, list[str]], settings: Settings, next_days: int
) -> None:
    """The report makes a recurring task's rows once, through A + N, and counts those through
    A + W: its chase list is what each task's rows through A + N give, pair by pair, and its
    counts are `summary`'s."""
    cached, plain = both[0], both[1]
    end = settings.as_of + dt.timedelta(days=next_days)
    wide = settings._replace(horizon=end)
    wanted = Wanted(OPEN, before=end + dt.timedelta(days=1), dated=True)
    expected = sorted(
        (listings.owner(plain, m.agency, settings.as_of), r.task_id, r.obligation.id, r.occurrence)
        for t in plain.tasks
        for r in task_rows(t.id, t.task, plain.registry, wide, wanted)
        if wanted.row(r)
        for m in r.members
        if m.status in OPEN
    )
    summary = listings.tally(plain, settings, "agency", listings.Filters())
    counts = {
        name: Counts.from_tally(tallied, extended=summary.extended.get(name, 0))
        for name, tallied in summary.table.items()
    }
    for data in (cached, plain):
        report = monthly_report(data, settings, "agency", listings.Filters(), next_days=next_days)
        lines = sorted(
            (group.agency, line.task, line.obligation, line.occurrence)
            for group in report.chase
            for line in group.rows
        )
        assert lines == expected
        assert {row.name: row.counts for row in report.counts} == counts


@given(settings=settings_of, next_days=st.integers(0, 60))
def test_the_report_is_the_same_made_from_stored_pairs(
    both: tuple[Dataset, Dataset, list[str]], settings: Settings, next_days: int
) -> None:
    """A settled task's lines come from its stored pairs and rows' heads, not from its rows:
    every line, field by field and in order, is the one its rows give."""
    cached, plain = both[0], both[1]
    reports = [
        monthly_report(d, settings, "agency", listings.Filters(), next_days=next_days)
        for d in (cached, plain)
    ]
    assert reports[0] == reports[1]


def test_the_report_s_lines_come_from_stored_pairs(
    both: tuple[Dataset, Dataset, list[str]],
) -> None:
    """Not a test that passes by never taking the shortcut: settled tasks give lines."""
    cached = both[0]
    settings = Settings(as_of=dt.date(2025, 6, 30))
    from_pairs = {
        t.id
        for t in cached.tasks
        if (settled := t.settled(settings.as_of)) is not None and settled.has_open
    }
    report = monthly_report(cached, settings, "agency", listings.Filters())
    listed = {line.task for group in report.chase for line in group.rows}
    assert len(listed & from_pairs) > 10


def test_a_damaged_record_of_a_settled_task_s_rows_gives_the_lines_of_its_rows(
    both: tuple[Dataset, Dataset, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heads of a settled task's rows are decoded when the report first asks for them;
    found damaged then (None), the task's lines are made from its rows."""
    cached, plain = both[0], both[1]
    settings = Settings(as_of=dt.date(2025, 6, 30))
    expected = monthly_report(plain, settings, "agency", listings.Filters())
    monkeypatch.setattr(Settled, "heads", property(lambda self: None))
    assert monthly_report(cached, settings, "agency", listings.Filters()) == expected


# --- a count on two processes --------------------------------------------------------------

FILTERS = [
    listings.Filters(),
    listings.Filters(kinds=("report",)),
    listings.Filters(statuses=("overdue", "done-late")),
    listings.Filters(notice="2025"),
]


def in_order(found: listings.Tally) -> list[list[tuple[object, object]]]:
    """Every table of a tally, with the order of its keys."""
    return [
        list(found.table.items()),
        list(found.extended.items()),
        list(found.notices.items()),
    ]


@FORKING
@given(
    settings=settings_of,
    by=st.sampled_from(["agency", "notice"]),
    filters=st.sampled_from(FILTERS),
)
def test_a_count_on_two_processes_is_the_count_on_one(
    both: tuple[Dataset, Dataset, list[str]],
    settings: Settings,
    by: str,
    filters: listings.Filters,
) -> None:
    """The child counts the second half of the tasks, this process the first, and the sum is
    what one pass gives: the same counts, and the same order of agencies and notices."""
    for data in both[:2]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(listings, "SPLIT_TALLY_AT", 10**9)
            alone = listings.tally(data, settings, by, filters)
            patch.setattr(listings, "SPLIT_TALLY_AT", 2)
            patch.setattr(split, "cores", lambda: 2)
            halves = listings.tally(data, settings, by, filters)
        assert in_order(halves) == in_order(alone)


def test_the_child_counts_half_and_a_failing_child_changes_nothing(
    both: tuple[Dataset, Dataset, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Not a test that passes by never forking: the child sends its half's counts; and when
    the child fails, this process counts that half itself."""
    cached = both[0]
    settings = Settings(as_of=dt.date(2025, 6, 30))
    expected = in_order(listings.tally(cached, settings, "agency", listings.Filters()))
    assert expected[0]  # something was counted
    monkeypatch.setattr(listings, "SPLIT_TALLY_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()
    sent = tmp_path / "sent"
    packed = listings.Tally.packed

    def sending(found: listings.Tally) -> object:
        assert os.getpid() != parent  # only the child packs its counts
        sent.write_text(str(sum(sum(c.values()) for c in found.table.values())))
        return packed(found)

    monkeypatch.setattr(listings.Tally, "packed", sending)
    assert in_order(listings.tally(cached, settings, "agency", listings.Filters())) == expected
    assert int(sent.read_text()) > 0

    part = listings._tally_part

    def failing_in_the_child(*args: Any, **kwargs: Any) -> listings.Tally:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return part(*args, **kwargs)

    monkeypatch.setattr(listings, "_tally_part", failing_in_the_child)
    assert in_order(listings.tally(cached, settings, "agency", listings.Filters())) == expected


def test_a_tally_packed_and_unpacked_is_the_tally() -> None:
    found = listings.Tally.empty()
    found.table["Bộ Tài chính"] = dict.fromkeys(listings.COUNTED, 0)
    found.table["Bộ Tài chính"]["overdue"] = 3
    found.extended["Bộ Tài chính"] = 1
    found.notices["tgv-2025-06-06"] = listings.NoticeSeen(
        "45/TB-VPCP", dt.date(2025, 6, 6), "Thông báo kết luận", 7
    )
    found.notices["tb-x"] = listings.NoticeSeen(None, dt.date(2024, 1, 1), "Khác", 1)
    value = marshal.loads(marshal.dumps(found.packed()))
    assert in_order(listings.Tally.unpacked(value)) == in_order(found)
    bad_values: list[object] = [
        [],
        ({}, {}, []),
        ({}, {}, {"tb": (None, "2024-01-01", "t", 1)}),
        None,
    ]
    for bad in bad_values:
        with pytest.raises((ValueError, TypeError)):
            listings.Tally.unpacked(bad)


def test_a_later_tally_adds_its_counts_and_keeps_what_the_first_met_first() -> None:
    """As one pass would: a notice's fields are those of the first of its tasks met (tasks of
    one folder may disagree), agencies and notices met first come first."""
    first, later = listings.Tally.empty(), listings.Tally.empty()
    first.table["B"] = {"overdue": 1, "done": 0}
    later.table["A"] = {"overdue": 0, "done": 2}
    later.table["B"] = {"overdue": 4, "done": 1}
    later.extended["B"] = 2
    first.notices["tb"] = listings.NoticeSeen("1/TB", dt.date(2025, 1, 2), "first", 2)
    later.notices["tb"] = listings.NoticeSeen("2/TB", dt.date(2025, 3, 4), "later", 3)
    later.notices["tc"] = listings.NoticeSeen(None, dt.date(2025, 5, 6), "other", 1)
    first.add(later)
    assert in_order(first) == [
        [("B", {"overdue": 5, "done": 1}), ("A", {"overdue": 0, "done": 2})],
        [("B", 2)],
        [
            ("tb", listings.NoticeSeen("1/TB", dt.date(2025, 1, 2), "first", 5)),
            ("tc", listings.NoticeSeen(None, dt.date(2025, 5, 6), "other", 1)),
        ],
    ]


def listed(
    data: Dataset, settings: Settings, before: dt.date, name: str, filters: listings.Filters
) -> list[list[tuple[object, ...]]]:
    """The rows of every query that makes rows of many tasks: due, overdue, an agency's."""
    data.absences.clear()
    return [
        shown(listings.due(data, settings, filters, before=before, include_done=True)),
        shown(listings.due(data, settings, filters)),
        shown(listings.overdue(data, settings, filters)),
        shown(listings.agency(data, settings, name, filters).rows),
        shown(listings.due(data, settings, filters._replace(agency=name), before=before)),
    ]


@FORKING
@given(
    settings=settings_of,
    before=days,
    pick=st.integers(0, 10**6),
    filters=st.sampled_from(FILTERS),
)
def test_rows_made_on_two_processes_are_the_rows_made_on_one(
    both: tuple[Dataset, Dataset, list[str]],
    settings: Settings,
    before: dt.date,
    pick: int,
    filters: listings.Filters,
) -> None:
    """A child makes the rows of the second half of the tasks and this process the first:
    the same rows, each telling the same, in the same order."""
    names = both[2]
    name = names[pick % len(names)]
    for data in both[:2]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(listings, "SPLIT_ROWS_AT", 10**9)
            alone = listed(data, settings, before, name, filters)
            patch.setattr(listings, "SPLIT_ROWS_AT", 2)
            patch.setattr(listings, "DECODED_AT_MOST", 1.0)  # tasks read afresh here too
            patch.setattr(split, "cores", lambda: 2)
            halves = listed(data, settings, before, name, filters)
        assert halves == alone


def test_the_child_makes_half_the_rows_and_a_failing_child_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Not a test that passes by never forking: the child sends the rows of its half, whose
    tasks this process never decodes; when the child fails, this process makes them."""
    root = tmp_path / "root"
    bench_generator().generate(root, 60, 5, None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # files just written are cached all the same
    load_dataset(root, WorkingTree(root))  # writes the cache
    cached = load_dataset(root, WorkingTree(root))
    assert all(t._task is None for t in cached.tasks)  # as a warm run finds them: not decoded
    settings = Settings(as_of=dt.date(2025, 6, 30))
    before = dt.date(2026, 12, 31)
    plain = load_dataset(root, WorkingTree(root, use_cache=False))
    expected = shown(listings.due(plain, settings, listings.Filters(), before=before))
    assert len(expected) > 20
    monkeypatch.setattr(listings, "SPLIT_ROWS_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)
    parent = os.getpid()
    sent = tmp_path / "sent"
    packed = sent_rows.packed

    def sending(rows: list[Row], texts: bool = False) -> object:
        assert os.getpid() != parent  # only the child packs its rows
        sent.write_text("\n".join(sorted({r.task_id for r in rows})))
        return packed(rows, texts)

    def decoded() -> set[str]:
        return {t.id for t in cached.tasks if t._task is not None}

    monkeypatch.setattr(sent_rows, "packed", sending)
    for texts in (False, True):
        for loaded in cached.tasks:
            loaded._task = None  # not decoded, as a warm run finds them
        rows = listings.due(cached, settings, listings.Filters(), before=before, texts=texts)
        theirs = set(sent.read_text().split("\n"))
        assert theirs and len(theirs) < len({r.task_id for r in rows})
        assert all(type(r.task) is sent_rows.TaskHead for r in rows if r.task_id in theirs)
        assert all(type(r.task) is not sent_rows.TaskHead for r in rows if r.task_id not in theirs)
        assert decoded() and not decoded() & theirs  # the child's half: decoded by it alone
        assert shown(rows) == expected  # texts too: sent, or read from the tasks when asked
        assert (decoded() & theirs == set()) is texts

    make = listings._rows_of_tasks

    def failing_in_the_child(*args: Any) -> list[Row]:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return make(*args)

    monkeypatch.setattr(listings, "_rows_of_tasks", failing_in_the_child)
    monkeypatch.setattr(sent_rows, "packed", packed)
    for loaded in cached.tasks:
        loaded._task = None  # not decoded, as before
    rows = listings.due(cached, settings, listings.Filters(), before=before)
    assert shown(rows) == expected
    assert not any(type(r.task) is sent_rows.TaskHead for r in rows)


def test_rows_of_tasks_decoded_already_are_made_in_one_process(
    both: tuple[Dataset, Dataset, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a cold read this process holds the tasks decoded: it makes their rows itself."""
    plain = both[1]
    settings = Settings(as_of=dt.date(2025, 6, 30))
    assert all(loaded.decoded for loaded in plain.tasks)  # read afresh, so in memory
    monkeypatch.setattr(listings, "SPLIT_ROWS_AT", 2)
    monkeypatch.setattr(split, "cores", lambda: 2)

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    assert listings.due(plain, settings, listings.Filters(), before=dt.date(2026, 12, 31))
