"""Tables as a terminal of any width shows them: what a user types is never cut, the rest
gives way (SPEC 5: listings, summary, recurring)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable

import pytest
from rich.cells import cell_len

from helpers import REGISTRY, Repo, Result, task_text
from tbtrack.render.labels import status_label

Run = Callable[..., Result]

LONG_NAME = "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"
TITLE = "Đưa Cổng Dịch vụ công quốc gia thành điểm tập trung duy nhất cung cấp dịch vụ công"


def _task(lead: str, obligations: str, progress: str = "[]", title: str = TITLE, **kw: str) -> str:
    text = task_text(lead=lead, obligations=obligations, progress=progress, **kw)
    return text.replace(
        "title: Ban hành bảng danh mục và mã số các đơn vị hành chính", f"title: {title}"
    )


@pytest.fixture
def wide(repo: Repo) -> Repo:
    """Task IDs as long as the repository's own, Vietnamese titles, a group, an extension,
    a done row, a wide agency name and a title written in NFD."""
    repo.write(
        "agencies.yaml",
        REGISTRY.replace(
            "groups:\n", f"  - name: {LONG_NAME}\n    kind: ministerial-agency\ngroups:\n"
        ),
    )
    repo.task(
        "tgv-2025-06-06/2a-1",
        _task(
            "[Bộ Tài chính]",
            "  - id: report\n    kind: report\n    before: 2025-06-08\n"
            "  - id: complete\n    by: 2025-07-01\n",
            extra="support: [Bộ Nội vụ]\n",
        ),
    )
    repo.task(
        "tgv-2025-06-06/2dd",
        _task(
            "[Nhóm ba bộ]",
            "  - id: report\n    kind: report\n    before: 2025-06-15\n",
            "\n  - on: 2025-06-09\n    fulfils: report\n    by: Bộ Tài chính\n"
            "    evidence: Báo cáo số 12/BC-BTC\n",
        ),
    )
    repo.task(
        "tgv-2025-06-06/5b-2",
        _task(
            f"[{LONG_NAME}]",
            "  - id: report\n    kind: report\n    by: 2025-06-12\n",
            "\n  - on: 2025-06-09\n    extends: report\n    to: 2025-07-20\n"
            "    evidence: Công văn 45/VPCP\n",
        ),
    )
    repo.task(
        "tgv-2025-06-06/6a",
        _task(
            "[Bộ Tài chính]",
            "  - id: report\n    kind: report\n    by: 2025-06-09\n",
            "\n  - on: 2025-06-08\n    fulfils: report\n    evidence: Báo cáo số 7\n",
        ),
    )
    repo.task(
        "tgv-2025-06-06/6b",
        _task(
            "[Bộ Tài chính]",
            "  - id: report\n    kind: report\n    by: 2025-06-30\n",
            title=unicodedata.normalize("NFD", TITLE),
        ),
    )
    repo.task(
        "tgv-2025-06-06/3b",
        _task(
            "[Bộ Nội vụ]",
            "  - id: complete\n    by: 2025-06-07\n",
            "\n  - on: 2025-06-09\n    fulfils: complete\n    evidence: Báo cáo số 9\n",
        ),
    )
    return repo


WIDTHS = (60, 72, 80, 100, 120, 200)
LISTINGS = (("due", "--before", "2025-08-01"), ("overdue",), ("agency", "Bộ Tài chính"))


def table(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, width: int, *args: str
) -> tuple[list[str], list[dict[str, object]]]:
    """The table's lines at `width` columns, and the same listing's rows as JSON."""
    monkeypatch.setenv("COLUMNS", str(width))
    drawn = run("--root", str(repo.root), "--no-color", *args)
    assert drawn.code == 0, drawn.err
    records = run("--root", str(repo.root), "--format", "json", *args)
    return drawn.out.splitlines(), json.loads(records.out)


def assert_uncut(lines: list[str], rows: list[dict[str, object]], lang: str) -> None:
    """Each row's line holds its task ID, its dates, its days left and its status whole."""
    body = lines[-len(rows) :]
    assert len(body) == len(rows)
    for line, row in zip(body, rows, strict=True):
        words = line.split()
        assert row["task"] in words, line
        due = str(row.get("due_workday") or row["due"] or "")
        assert due in line, line
        if row["days_left"] is not None:
            assert str(row["days_left"]) in words, line
        assert f" {status_label(str(row['status']), lang)}" in line, line


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_row_tables_never_cut_ids_dates_days_or_statuses(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch, width: int, lang: str
) -> None:
    for listing in LISTINGS:
        lines, rows = table(run, wide, monkeypatch, width, "--lang", lang, *listing)
        assert rows, listing
        assert_uncut(lines, rows, lang)
        if fits(listing[0], lang, width):
            assert max(map(cell_len, lines)) <= width, (listing, lines)


def test_row_tables_at_every_width_from_60_to_130(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each width once, the language and the listing taking turns."""
    records: dict[tuple[str, int], list[dict[str, object]]] = {}
    for width in range(60, 131):
        lang, listing = ("en", "vi")[width % 2], LISTINGS[width % 3]
        monkeypatch.setenv("COLUMNS", str(width))
        lines = run("--root", str(wide.root), "--no-color", "--lang", lang, *listing).out
        if (lang, width % 3) not in records:
            out = run("--root", str(wide.root), "--format", "json", *listing).out
            records[lang, width % 3] = json.loads(out)
        assert_uncut(lines.splitlines(), records[lang, width % 3], lang)
        if fits(listing[0], lang, width):
            assert max(map(cell_len, lines.splitlines())) <= width, (width, lines)


def fits(command: str, lang: str, width: int) -> bool:
    """Whether the table fits the terminal: always, but for the agency view below 72 columns
    (80 in Vietnamese), where a 19-character task ID, the day, the days, the longest status
    ("Done on time", "Hoàn thành đúng hạn") and the role leave the assignee less than its
    least width; the table is then drawn whole, for the terminal to wrap, rather than cut."""
    return command != "agency" or width >= (72 if lang == "en" else 80)


@pytest.mark.parametrize("width", [60, 80, 200])
def test_workdays_keeps_the_moved_day_and_the_last_day(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    lines, rows = table(
        run, wide, monkeypatch, width, "--workdays", "due", "--before", "2025-08-01"
    )
    assert_uncut(lines, rows, "en")
    moved = 0
    for line, row in zip(lines[1:], rows, strict=True):
        if row["due_workday"] != row["due"]:  # a Saturday or a Sunday: both days shown
            workday = dt.date.fromisoformat(str(row["due_workday"]))
            assert f"{row['due']} → {workday}" in line, line
            moved += 1
    assert moved == 3
    if width >= 72:  # at 60 the two dates leave the assignee less than its least width
        assert max(map(cell_len, lines)) <= width


def test_an_nfd_title_is_shortened_as_its_nfc_form(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines, rows = table(run, wide, monkeypatch, 100, "due", "--before", "2025-08-01")
    by_task = {row["task"]: line for line, row in zip(lines[1:], rows, strict=True)}
    nfc, nfd = by_task["tgv-2025-06-06/2a-1"], by_task["tgv-2025-06-06/6b"]
    start = lines[0].index("Title")
    title = nfc[start : nfc.index("…") + 1]
    assert title.startswith("Đưa Cổng Dịch")
    assert nfd[start : start + len(title)] == title  # the same cut, at the same place
    assert unicodedata.is_normalized("NFC", "\n".join(lines))


@pytest.mark.parametrize("width", [60, 70])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_agency_count_line_breaks_between_counts_only(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch, width: int, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run("--root", str(wide.root), "--lang", lang, "agency", "Bộ Tài chính").out
    label = {s: status_label(s, lang) for s in ("done", "done-late", "overdue", "upcoming")}
    counts = [
        f"{label['done']}: 2",
        f"{label['done-late']}: 0",
        f"{label['overdue']}: 1",
        f"{label['upcoming']}/{status_label('due-soon', lang)}: 2",
        f"{status_label('ongoing', lang)}: 0",
        f"{status_label('undated', lang)}: 0",
    ]
    screen = out.splitlines()
    header = next(i for i, line in enumerate(screen) if line.startswith(("Task", "Nhiệm vụ")))
    lines = screen[1:header]  # between the agency's name and the table
    assert all(cell_len(line) <= width for line in lines)
    assert [item for line in lines for item in line.split(" · ")] == counts
    assert len(lines) > 1


# --- summary ---------------------------------------------------------------------------------


def summary_lines(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, width: int, *args: str
) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run("--root", str(repo.root), "--no-color", *args, "summary")
    assert result.code == 0, result.err
    return result.out.splitlines()


NAMES = ["Bộ Nội vụ", "Bộ Tài chính", "Bộ Tư pháp", LONG_NAME]
# done, done late, due soon, upcoming, overdue, ongoing, no date: the total's rate is
# 2 / (2 + 1 + 1), not a mean of the rows' rates (0% and 67%)
TOTAL = ["2", "1", "2", "3", "1", "0", "0", "50%"]


def test_summary_names_are_whole_on_a_wide_terminal_with_the_headers_in_words(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = summary_lines(run, wide, monkeypatch, 250)
    assert lines[0].split("  ")[0] == "Agency"
    assert (
        " Done on time Done late Due soon Upcoming Overdue Ongoing No date On-time rate"
        in (lines[0])
    )
    assert [line[: len(name)] for line, name in zip(lines[1:5], NAMES, strict=True)] == NAMES
    assert lines[2].split()[-8:] == ["2", "0", "0", "2", "1", "0", "0", "67%"]
    assert lines[5].split() == ["Total", *TOTAL]
    assert len(lines) == 6


@pytest.mark.parametrize(("lang", "total"), [("en", ["Total"]), ("vi", ["Tổng", "cộng"])])
def test_summary_at_eighty_columns_has_one_header_line_and_a_legend(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch, lang: str, total: list[str]
) -> None:
    lines = summary_lines(run, wide, monkeypatch, 80, "--lang", lang)
    name = "Agency" if lang == "en" else "Cơ quan"
    assert lines[0].split() == [*name.split(), "✓", "✓!", "!", "·", "✗", "~", "?", "%"]
    assert [line[: len(n)] for line, n in zip(lines[1:5], NAMES, strict=True)] == NAMES
    assert lines[5].split() == [*total, *TOTAL]
    assert all(cell_len(line) <= 80 for line in lines)
    legend = [item for line in lines[6:] for item in line.split("  ")]
    assert legend == [
        *(f"{symbol} {status_label(s, lang)}" for symbol, s in SYMBOLS),
        "% " + ("On-time rate" if lang == "en" else "Tỷ lệ đúng hạn"),
    ]


SYMBOLS = [
    ("✓", "done"),
    ("✓!", "done-late"),
    ("!", "due-soon"),
    ("·", "upcoming"),
    ("✗", "overdue"),
    ("~", "ongoing"),
    ("?", "undated"),
]


def test_summary_total_rate_is_a_dash_when_nothing_is_due_yet(
    run: Run, wide: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = summary_lines(run, wide, monkeypatch, 120, "--as-of", "2025-06-06")
    assert lines[5].split()[0] == "Total"
    assert lines[5].split()[-1] == "—"


def test_summary_markdown_has_the_total_row_and_json_none(run: Run, wide: Repo) -> None:
    root = str(wide.root)
    markdown = run("--root", root, "--format", "markdown", "--lang", "vi", "summary")
    assert markdown.out.splitlines()[-1] == "| **Tổng cộng** | " + " | ".join(TOTAL) + " |"
    records = json.loads(run("--root", root, "--format", "json", "summary").out)
    assert [r["agency"] for r in records] == NAMES  # the JSON contract: one object per agency
    csv = run("--root", root, "--format", "csv", "summary").out.splitlines()
    assert [line.split(",")[0] for line in csv[1:]] == NAMES  # CSV: records, no total


def test_summary_of_nothing_says_so(run: Run, repo: Repo) -> None:
    result = run("--root", str(repo.root), "summary")
    assert (result.code, result.out, result.err) == (0, "Nothing to show.\n", "")
    vi = run("--root", str(repo.root), "--lang", "vi", "summary")
    assert vi.out == "Không có nhiệm vụ nào.\n"


# --- recurring grid --------------------------------------------------------------------------


@pytest.fixture
def monthly(repo: Repo) -> Repo:
    """A monthly report owed by a group of three, one of which sent December's."""
    repo.task(
        "tgv-2025-06-06/4a",
        _task(
            "[Nhóm ba bộ]",
            "  - id: report\n    kind: report\n    every: monthly\n",
            "\n  - on: 2026-01-05\n    fulfils: report\n    for: 2025-12-31\n"
            "    by: Bộ Tài chính\n    evidence: Báo cáo số 1\n",
        ),
    )
    repo.task(
        "tgv-2025-06-06/4b",
        _task(
            "[Bộ Thông tin và Truyền thông]",
            "  - id: report\n    kind: report\n    every: monthly\n",
        ),
    )
    return repo


def test_recurring_grid_across_years_shows_the_year_and_members_done(
    run: Run, monthly: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run(
        "--root", str(monthly.root), "--as-of", "2026-01-10", "--no-color",
        "recurring", "--from", "2025-11-01", "--to", "2026-02-28",
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    header, rows = lines[0], lines[1:3]
    months = ["11/2025", "12/2025", "01/2026", "02/2026"]
    assert header.split()[-4:] == months
    # every cell under its header, the same width in its column, names of any width aside
    assert len({cell_len(line) for line in lines[:3]}) == 1
    cells = [
        [row[header.index(m) : header.index(m) + len(m)].strip() for m in months] for row in rows
    ]
    assert cells == [["0/3", "1/3", "0/3", "0/3"], ["✗", "✗", "·", "·"]]
    assert rows[1].startswith("tgv-2025-06-06/4b:report")
    assert "Bộ Thông tin và Truyền thông" in rows[1]
    markdown = run(
        "--root", str(monthly.root), "--as-of", "2026-01-10", "--format", "markdown",
        "recurring", "--from", "2025-11-01", "--to", "2026-02-28",
    ).out.splitlines()  # fmt: skip
    assert markdown[0] == "| Task | Assignee | " + " | ".join(months) + " |"
    assert markdown[2] == "| tgv-2025-06-06/4a:report | Nhóm ba bộ | 0/3 | 1/3 | 0/3 | 0/3 |"


@pytest.mark.parametrize("width", [60, 72, 80])
def test_a_grid_wider_than_the_terminal_keeps_every_date_whole(
    run: Run, monthly: Repo, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(
        "--root", str(monthly.root), "--as-of", "2026-01-10", "--no-color",
        "recurring", "--from", "2025-06-01", "--to", "2026-02-28",
    )  # fmt: skip
    assert result.code == 0, result.err
    header = result.out.splitlines()[0]
    months = [f"{m:02d}/2025" for m in range(6, 13)] + ["01/2026", "02/2026"]
    assert header.split()[-9:] == months  # none cut to "06/20…"
    assert "…" not in header
