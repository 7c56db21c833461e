"""Tables as a terminal of any width shows them: what a user types is never cut, the rest
gives way (SPEC 5: listings, summary, recurring)."""

from __future__ import annotations

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
        # due and overdue fit the terminal; the agency view, with its role column and the
        # long "done" labels, is wider than 60 or 72 columns, and drawn whole, not cut
        if listing[0] != "agency" or width >= 80:
            assert max(map(cell_len, lines)) <= width, (listing, lines)
