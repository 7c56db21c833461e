"""The registry over time (SPEC 3.1): who exists, who is a member and who owes, on a given day.

Direct tests of `tbtrack.registry` on the shipped `agencies.yaml` and on small registries, and
of the checks `analyse_registry` makes of since/until/successor, each at its line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers import Repo, Run
from tbtrack.checking.check import analyse_registry
from tbtrack.files.registry import LATEST, Absence, Agency, Group, Registry

PROJECT = Path(__file__).resolve().parents[2]
D = dt.date

PROVINCES = "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
PARTY_COMMITTEES = "Các tỉnh ủy, thành ủy"
MINISTRIES = "Các bộ, cơ quan ngang bộ"


@pytest.fixture(scope="module")
def registry() -> Registry:
    built, diagnostics = analyse_registry("agencies.yaml", (PROJECT / "agencies.yaml").read_bytes())
    assert built is not None, diagnostics
    assert diagnostics == []
    return built


def build(text: str) -> tuple[Registry | None, list[tuple[str, int, int]]]:
    built, diagnostics = analyse_registry("agencies.yaml", text.encode())
    return built, sorted((d.rule, d.line, d.col) for d in diagnostics)


def agencies(registry: Registry) -> list[Agency]:
    return [e for e in registry.entities.values() if isinstance(e, Agency)]


# --- groups by day ---------------------------------------------------------------------------


@pytest.mark.parametrize("group", [PROVINCES, PARTY_COMMITTEES, "UBND các tỉnh, thành phố"])
@pytest.mark.parametrize(
    ("day", "count"),
    [(D(2024, 10, 15), 63), (D(2025, 6, 30), 63), (D(2025, 7, 1), 34), (D(2026, 1, 1), 34)],
)
def test_provinces_63_then_34(registry: Registry, group: str, day: dt.date, count: int) -> None:
    members = registry.members_on(group, day)
    assert len(members) == count
    assert len(set(members)) == count


def test_ministries_22_then_17(registry: Registry) -> None:
    before = registry.members_on(MINISTRIES, D(2025, 2, 28))
    after = registry.members_on(MINISTRIES, D(2025, 3, 1))
    assert (len(before), len(after)) == (22, 17)
    kinds = [registry._agency(m).kind for m in before]
    assert (kinds.count("ministry"), kinds.count("ministerial-agency")) == (18, 4)
    assert "Ủy ban Dân tộc" in before and "Ủy ban Dân tộc" not in after
    assert "Bộ Kế hoạch và Đầu tư" in before and "Bộ Kế hoạch và Đầu tư" not in after
    assert "Bộ Nông nghiệp và Môi trường" not in before and "Bộ Nông nghiệp và Môi trường" in after
    assert set(before) - set(after) == {
        "Bộ Kế hoạch và Đầu tư",
        "Bộ Giao thông vận tải",
        "Bộ Nông nghiệp và Phát triển nông thôn",
        "Bộ Tài nguyên và Môi trường",
        "Bộ Thông tin và Truyền thông",
        "Bộ Lao động - Thương binh và Xã hội",
        "Ủy ban Dân tộc",
    }
    assert set(after) - set(before) == {"Bộ Nông nghiệp và Môi trường", "Bộ Dân tộc và Tôn giáo"}


def test_a_summary_of_2024_names_the_old_ministries(registry: Registry) -> None:
    members = registry.members_on("Các bộ, ngành, địa phương", D(2024, 10, 15))
    assert "Bộ Nông nghiệp và Phát triển nông thôn" in members
    assert "Bộ Tài nguyên và Môi trường" in members
    assert "Bộ Nông nghiệp và Môi trường" not in members
    assert "Ủy ban nhân dân tỉnh Hà Giang" in members


def test_members_keep_the_registry_order(registry: Registry) -> None:
    on = registry.members_on(PROVINCES, D(2024, 10, 15))
    assert on[:3] == (
        "Ủy ban nhân dân thành phố Hà Nội",
        "Ủy ban nhân dân tỉnh Thừa Thiên Huế",
        "Ủy ban nhân dân thành phố Hải Phòng",
    )
    # today's members are the old API's, in the same order
    group = registry.lookup(PROVINCES)
    assert isinstance(group, Group)
    assert registry.members_on(PROVINCES, D(2025, 7, 1)) == group.members


def test_an_agency_stands_for_itself_on_any_day(registry: Registry) -> None:
    assert registry.members_on("Bộ KH&ĐT", D(2026, 1, 1)) == ("Bộ Kế hoạch và Đầu tư",)
    assert registry.members_on("Bộ NN&MT", D(2024, 1, 1)) == ("Bộ Nông nghiệp và Môi trường",)
    assert registry.members_on("Bộ Không Có", D(2024, 1, 1)) == ()


def test_expand_on_a_day(registry: Registry) -> None:
    names = ["Bộ Tài chính", MINISTRIES]
    assert len(registry.expand_on(names, D(2025, 2, 28))) == 22
    assert len(registry.expand_on(names, D(2025, 3, 1))) == 17
    assert registry.expand_on(names, D(2025, 3, 1))[0] == "Bộ Tài chính"


def test_answers_remembered_over_time_are_those_of_a_registry_asked_once(
    registry: Registry,
) -> None:
    # answers are remembered per period between two changes of the registry: asked about
    # every day around each change, in one registry, each is what a fresh registry says
    names = [PROVINCES, MINISTRIES, "Bộ Kế hoạch và Đầu tư", "UBND tỉnh Hà Giang", "Bộ Tài chính"]
    changes = {a.since for a in agencies(registry) if a.since is not None}
    changes |= {a.until for a in agencies(registry) if a.until is not None}
    days = sorted(
        {c + dt.timedelta(days=d) for c in changes for d in (-1, 0, 1)} | {D(2024, 1, 1), LATEST}
    )
    asked = Registry.build(registry.source)
    for day in days:
        fresh = Registry.build(registry.source)  # asked about this day only
        for name in names:
            assert asked.members_on(name, day) == fresh.members_on(name, day), (name, day)
            assert asked.owner_on(name, day) == fresh.owner_on(name, day), (name, day)
            assert asked.expand_on(names, day) == fresh.expand_on(names, day), day
            assert asked.predecessors_on(name, day) == fresh.predecessors_on(name, day)
    assert len(days) > 6  # the shipped registry changes on several days


def test_expanded_for_many_days_at_once_as_for_each_day(registry: Registry) -> None:
    # the occurrences of a weekly report from 2024 on, across both reorganisations
    names = [PROVINCES, "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"]
    days = [D(2024, 1, 5) + dt.timedelta(weeks=n) for n in range(100)]
    each = registry.expand_each(names, days)
    fresh = Registry.build(registry.source)
    assert each == [fresh.expand_on(names, day) for day in days]
    # the provinces before 01/01/2025 (Thừa Thiên Huế), then until 30/6/2025, then merged
    assert len(set(each)) == 3


def test_thua_thien_hue_became_the_city_of_hue(registry: Registry) -> None:
    old, new = "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "Ủy ban nhân dân thành phố Huế"
    assert old in registry.members_on(PROVINCES, D(2024, 12, 31))
    assert new not in registry.members_on(PROVINCES, D(2024, 12, 31))
    assert old not in registry.members_on(PROVINCES, D(2025, 1, 1))
    assert new in registry.members_on(PROVINCES, D(2025, 1, 1))
    assert registry.owner_on("UBND tỉnh Thừa Thiên Huế", D(2025, 1, 1)) == new
    assert registry.owner_on("Tỉnh ủy Thừa Thiên Huế", D(2025, 7, 1)) == "Thành ủy Huế"
    assert registry.predecessors_on(new, D(2025, 7, 1)) == (old,)


# --- existence, owners, predecessors ---------------------------------------------------------


def test_exists(registry: Registry) -> None:
    assert registry.exists("Bộ Kế hoạch và Đầu tư", D(2025, 2, 28))
    assert not registry.exists("Bộ Kế hoạch và Đầu tư", D(2025, 3, 1))
    assert not registry.exists("Bộ Nông nghiệp và Môi trường", D(2025, 2, 28))
    assert registry.exists("Bộ NN&MT", D(2025, 3, 1))
    assert registry.exists("Bộ Tài chính", D(2000, 1, 1))
    assert registry.exists(MINISTRIES, D(2000, 1, 1))  # a group always exists
    assert not registry.exists("Bộ Không Có", D(2025, 1, 1))


def test_owner_of_the_planning_ministry(registry: Registry) -> None:
    assert registry.owner_on("Bộ Kế hoạch và Đầu tư", D(2025, 2, 28)) == "Bộ Kế hoạch và Đầu tư"
    assert registry.owner_on("Bộ Kế hoạch và Đầu tư", D(2025, 3, 1)) == "Bộ Tài chính"
    assert registry.owner_on("Bộ KH&ĐT", D(2025, 3, 1)) == "Bộ Tài chính"  # any spelling
    assert registry.owner_on("Bộ Tài chính", D(2025, 3, 1)) == "Bộ Tài chính"
    assert registry.owner_on("Bộ Kế hoạch và Đầu tư", LATEST) == "Bộ Tài chính"


def test_owner_of_a_merged_province(registry: Registry) -> None:
    assert (
        registry.owner_on("UBND tỉnh Hà Giang", D(2025, 6, 30)) == "Ủy ban nhân dân tỉnh Hà Giang"
    )
    assert (
        registry.owner_on("UBND tỉnh Hà Giang", D(2025, 7, 1)) == "Ủy ban nhân dân tỉnh Tuyên Quang"
    )
    assert registry.owner_on("Tỉnh ủy Hà Giang", D(2025, 7, 1)) == "Tỉnh ủy Tuyên Quang"
    assert registry.owner_on("Tỉnh ủy Bình Dương", D(2025, 7, 1)) == (
        "Thành ủy Thành phố Hồ Chí Minh"
    )


def test_predecessors_only_after_the_merger(registry: Registry) -> None:
    assert registry.predecessors_on("Bộ Khoa học và Công nghệ", D(2025, 2, 28)) == ()
    assert registry.predecessors_on("Bộ Khoa học và Công nghệ", D(2025, 3, 1)) == (
        "Bộ Thông tin và Truyền thông",
    )
    assert registry.predecessors_on("Bộ Tài chính", D(2025, 1, 14)) == ()
    assert registry.predecessors_on("Bộ Nông nghiệp và Môi trường", D(2025, 3, 1)) == (
        "Bộ Nông nghiệp và Phát triển nông thôn",
        "Bộ Tài nguyên và Môi trường",
    )
    assert registry.predecessors_on("Ủy ban nhân dân tỉnh Ninh Bình", D(2025, 7, 1)) == (
        "Ủy ban nhân dân tỉnh Hà Nam",
        "Ủy ban nhân dân tỉnh Nam Định",
    )
    assert registry.predecessors_on(MINISTRIES, D(2025, 7, 1)) == ()
    assert registry.predecessors_on("Bộ Nông nghiệp và Môi trường", LATEST) == (
        "Bộ Nông nghiệp và Phát triển nông thôn",
        "Bộ Tài nguyên và Môi trường",
    )


CHAIN = """\
agencies:
  - name: Sở X
    kind: other
    until: 2024-12-31
    successor: Sở Y
  - name: Sở Y
    kind: other
    since: 2025-01-01
    until: 2025-06-30
    successor: Sở Z
  - name: Sở Z
    aliases: [SZ]
    kind: other
  - name: Sở W
    kind: other
    until: 2025-03-31
groups:
  - name: Các sở
    kinds: [other]
"""


def test_a_chain_is_followed_to_the_first_that_exists() -> None:
    registry, problems = build(CHAIN)
    assert registry is not None and problems == []
    assert [registry.owner_on("Sở X", day) for day in (D(2024, 12, 31), D(2025, 1, 1))] == [
        "Sở X",
        "Sở Y",
    ]
    assert registry.owner_on("Sở X", D(2025, 7, 1)) == "Sở Z"
    assert registry.owner_on("Sở Y", D(2025, 7, 1)) == "Sở Z"
    assert registry.owner_on("Sở Y", D(2024, 6, 1)) == "Sở Y"  # not yet established: itself
    assert registry.owner_on("Sở W", D(2025, 7, 1)) == "Sở W"  # ceased without a successor
    assert registry.predecessors_on("SZ", D(2025, 1, 1)) == ()
    assert registry.predecessors_on("Sở Y", D(2025, 1, 1)) == ("Sở X",)
    assert registry.predecessors_on("SZ", D(2025, 7, 1)) == ("Sở X", "Sở Y")
    assert registry.owner_on("Sở X", LATEST) == "Sở Z"
    assert registry.members_on("Các sở", D(2024, 6, 1)) == ("Sở X", "Sở Z", "Sở W")
    assert registry.members_on("Các sở", D(2025, 2, 1)) == ("Sở Y", "Sở Z", "Sở W")
    assert registry.members_on("Các sở", D(2025, 7, 1)) == ("Sở Z",)
    group = registry.lookup("Các sở")
    assert isinstance(group, Group) and group.members == ("Sở Z",)


def test_listed_members_count_only_while_they_exist() -> None:
    text = CHAIN + "  - name: Nhóm\n    members: [Sở X, Sở Y, Các sở]\n"
    registry, problems = build(text)
    assert registry is not None and problems == []
    assert registry.members_on("Nhóm", D(2024, 6, 1)) == ("Sở X", "Sở Z", "Sở W")
    assert registry.members_on("Nhóm", D(2025, 5, 1)) == ("Sở Y", "Sở Z")


# --- notes and suggestions -------------------------------------------------------------------


def test_status_note_says_why(registry: Registry) -> None:
    assert registry.status_note("Bộ Tài chính", D(2025, 1, 14)) is None
    assert registry.status_note(MINISTRIES, D(2025, 1, 14)) is None
    ceased = registry.status_note("Bộ KH&ĐT", D(2025, 3, 1))
    assert ceased == Absence(
        "Bộ Kế hoạch và Đầu tư", D(2025, 3, 1), until=D(2025, 2, 28), owner="Bộ Tài chính"
    )
    assert ceased.reason == "ceased"
    assert ceased.text("en") == (
        "Bộ Kế hoạch và Đầu tư ceased on 28/02/2025; its obligations are owed by Bộ Tài chính"
    )
    assert ceased.text("vi") == (
        "Bộ Kế hoạch và Đầu tư hoạt động đến hết ngày 28/02/2025; các nhiệm vụ của cơ quan "
        "này do Bộ Tài chính tiếp nhận"
    )
    new = registry.status_note("Bộ Nông nghiệp và Môi trường", D(2024, 10, 15))
    assert new == Absence("Bộ Nông nghiệp và Môi trường", D(2024, 10, 15), since=D(2025, 3, 1))
    assert new.reason == "not-yet"
    assert new.text() == "Bộ Nông nghiệp và Môi trường was established on 01/03/2025"
    assert new.text("vi") == "Bộ Nông nghiệp và Môi trường bắt đầu hoạt động từ ngày 01/03/2025"


def test_status_note_without_a_successor() -> None:
    registry, _ = build(CHAIN)
    assert registry is not None
    note = registry.status_note("Sở W", D(2025, 7, 1))
    assert note is not None and note.owner is None
    assert note.text() == "Sở W ceased on 31/03/2025"


def test_suggestions_prefer_what_existed_that_day(registry: Registry) -> None:
    typo = "Bộ Nông nghiệp và PTNT"
    assert registry.resolve(typo) is None
    assert registry.suggest(typo, D(2024, 10, 15))[0] == "Bộ Nông nghiệp và Phát triển nông thôn"
    assert registry.suggest(typo, D(2026, 1, 1)) == ["Bộ Nông nghiệp và Môi trường"]
    assert registry.suggest(typo) == ["Bộ Nông nghiệp và Môi trường"]
    assert registry.suggest("UBND tỉnh Hà Giangg", D(2025, 1, 1))[0] == (
        "Ủy ban nhân dân tỉnh Hà Giang"
    )


# --- the shipped data ------------------------------------------------------------------------


def test_short_forms_resolve(registry: Registry) -> None:
    for spelling, name in [
        ("UBND tỉnh Hà Giang", "Ủy ban nhân dân tỉnh Hà Giang"),
        ("Tỉnh ủy Hà Giang", "Tỉnh ủy Hà Giang"),
        ("Bộ NN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư"),
        ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
        ("KHĐT", "Bộ Kế hoạch và Đầu tư"),
        ("NNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ("UBND tỉnh Bà Rịa – Vũng Tàu", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
        ("ubnd tinh thua thien hue", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"),
    ]:
        entity = registry.resolve(spelling)
        assert entity is not None and entity.name == name, spelling


def test_every_ceased_unit_has_both_committees_and_successors(registry: Registry) -> None:
    ceased = [a for a in agencies(registry) if a.until == D(2025, 6, 30)]
    governments = [a for a in ceased if a.kind == "provincial-government"]
    committees = [a for a in ceased if a.kind == "provincial-party-committee"]
    assert (len(governments), len(committees)) == (29, 29)
    for government, committee in zip(governments, committees, strict=True):
        unit = government.name.removeprefix("Ủy ban nhân dân tỉnh ")
        assert committee.name == f"Tỉnh ủy {unit}"
        # the two committees of a unit pass to the two committees of one new unit
        assert government.successor is not None and committee.successor is not None
        new_unit = government.successor.removeprefix("Ủy ban nhân dân ")
        for prefix in ("tỉnh ", "thành phố ", "Thành phố "):
            new_unit = new_unit.removeprefix(prefix)
        assert committee.successor.endswith(new_unit), committee
    for agency in agencies(registry):
        if agency.successor is not None:
            assert agency.until is not None
            assert registry.exists(agency.successor, agency.until + dt.timedelta(days=1))


def test_units_unchanged_in_name_are_one_entry_without_dates(registry: Registry) -> None:
    for name in [
        "Ủy ban nhân dân tỉnh Tuyên Quang",
        "Tỉnh ủy Tuyên Quang",
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Bộ Tài chính",
        "Bộ Nội vụ",
    ]:
        agency = registry.entities[name]
        assert isinstance(agency, Agency)
        assert (agency.since, agency.until) == (None, None), name
    assert sum(1 for a in agencies(registry) if "Tuyên Quang" in a.name) == 2


def test_the_registry_is_rebuilt_from_what_agencies_yaml_says(registry: Registry) -> None:
    """The cache keeps `source` and calls `build` again: the same answers on every day."""
    copy = Registry.build(registry.source)
    for day in (D(2024, 10, 15), D(2025, 3, 1), D(2025, 7, 1)):
        assert copy.members_on(PROVINCES, day) == registry.members_on(PROVINCES, day)
    assert copy.owner_on("Bộ Kế hoạch và Đầu tư", D(2025, 3, 1)) == "Bộ Tài chính"


# --- check: since, until, successor ----------------------------------------------------------

GOOD = """\
agencies:
  - name: Bộ A
    kind: ministry
    until: 2025-02-28
    successor: Bộ B
  - name: Bộ B
    kind: ministry
    since: 2025-03-01
groups:
  - name: Nhóm
    members: [Bộ B]
"""


def test_good_succession_passes() -> None:
    assert build(GOOD)[1] == []


def test_successor_without_until() -> None:
    registry, problems = build(GOOD.replace("    until: 2025-02-28\n", ""))
    assert registry is None
    assert problems == [("successor-without-until", 4, 5)]


def test_until_before_since() -> None:
    text = GOOD.replace("    since: 2025-03-01\n", "    since: 2025-03-01\n    until: 2025-02-01\n")
    assert build(text)[1] == [
        ("successor-not-existing", 5, 16),  # Bộ B never exists now
        ("until-before-since", 9, 12),
    ]


def test_successor_not_yet_established() -> None:
    _, problems = build(GOOD.replace("since: 2025-03-01", "since: 2025-04-01"))
    assert problems == [("successor-not-existing", 5, 16)]


def test_successor_already_ceased() -> None:
    text = GOOD.replace("    since: 2025-03-01\n", "    until: 2025-01-31\n")
    _, problems = build(text)
    assert problems == [("successor-not-existing", 5, 16)]


def test_successor_that_is_a_group() -> None:
    _, problems = build(GOOD.replace("successor: Bộ B", "successor: Nhóm"))
    assert problems == [("successor-not-agency", 5, 16)]


def test_successor_cycle() -> None:
    text = """\
agencies:
  - name: Bộ A
    kind: ministry
    until: 2025-02-28
    successor: Bộ B
  - name: Bộ B
    kind: ministry
    until: 2025-03-31
    successor: Bộ C
  - name: Bộ C
    kind: ministry
    until: 2025-04-30
    successor: Bộ A
"""
    registry, problems = build(text)
    assert registry is None
    # reported once, at the first agency of the cycle; the cycle's last link also points at
    # an agency that has ceased
    assert problems == [("successor-cycle", 5, 16), ("successor-not-existing", 13, 16)]
    _, self_loop = build(
        "agencies:\n  - name: Bộ A\n    kind: ministry\n    until: 2025-02-28\n"
        "    successor: Bộ A\n"
    )
    assert self_loop == [("successor-cycle", 5, 16)]


def test_check_prints_the_located_error(run: Run, repo: Repo) -> None:
    path = repo.root / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    until: 2025-02-28\n", ""), encoding="utf-8")
    result = run("--root", str(repo.root), "check")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "agencies.yaml:13:5: error: 'Bộ Thông tin và Truyền thông' has a successor but no "
        "until: the successor takes over from the day after until (add until: with its last "
        "day (YYYY-MM-DD)) [successor-without-until]"
    )
