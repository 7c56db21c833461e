"""`tbtrack report`, `ical` and `schema` run on a small repository (SPEC 5.3-5.5)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest

from helpers import Repo, Result, task_text

Run = Callable[..., Result]
AS_OF = ("--as-of", "2025-07-01")


@pytest.fixture
def month(repo: Repo) -> Repo:
    """Two notices: an extended deadline missed, a group with one member late and one missing,
    a deadline in the chase window and one beyond it, an ongoing task."""
    repo.task(
        "tgv-2025-06-06/1",
        task_text(
            section='"1"',
            obligations="  - id: complete\n    by: 2025-06-20\n"
            "    as_written: Hoàn thành trước ngày 20/6/2025\n",
            progress="\n  - on: 2025-06-18\n    extends: complete\n    to: 2025-06-25\n"
            "    evidence: Công văn 12/VPCP",
        ),
    )
    repo.task(
        "tgv-2025-06-06/2",
        task_text(
            section='"2"',
            lead="[Nhóm ba bộ]",
            obligations="  - id: report\n    kind: report\n    by: 2025-06-15\n",
            progress="\n  - on: 2025-06-14\n    fulfils: report\n    by: Bộ Tài chính\n"
            "  - on: 2025-06-20\n    fulfils: report\n    by: Bộ Nội vụ\n",
        ),
    )
    repo.task(
        "tgv-2025-06-06/3",
        task_text(
            section='"3"',
            lead="[Bộ Khoa học và Công nghệ]",
            obligations="  - id: draft\n    kind: submit\n    by: 2025-07-20\n"
            "  - id: complete\n    by: 2025-09-30\n",
        ),
    )
    repo.task(
        "vpcp-2025-05-20/1",
        task_text(lead="[Văn phòng Chính phủ]", obligations="  - id: run\n    ongoing: true\n")
        .replace("  number: null\n", "  number: 12/TB-VPCP\n")
        .replace("2025-06-06", "2025-05-20"),
    )
    return repo


def _yaml(text: str) -> object:
    """A YAML file as a YAML language server sees it: dates are strings."""
    from ruamel.yaml import YAML

    return json.loads(json.dumps(YAML(typ="safe").load(text), default=str))


def _root(repo: Repo) -> tuple[str, str]:
    return "--root", str(repo.root)


def _json(result: Result) -> object:
    assert result.code == 0, result.err
    return json.loads(result.out)


COUNTS = ("done", "done-late", "overdue", "ongoing", "undated")


def test_report_json_exact(month: Repo, run: Run) -> None:
    report = _json(run(*_root(month), *AS_OF, "--format", "json", "report"))
    assert isinstance(report, dict)
    assert report["title"] == "Báo cáo tình hình thực hiện các nhiệm vụ được giao"
    assert (report["as_of"], report["by"], report["next"], report["compare"]) == (
        "2025-07-01",
        "agency",
        30,
        None,
    )
    assert report["notices"] == [
        {
            "folder": "vpcp-2025-05-20",
            "number": "12/TB-VPCP",
            "date": "2025-05-20",
            "title": "Thông báo kết luận cuộc họp ngày 06/6/2025",
            "tasks": 1,
            "name": "12/TB-VPCP (2025-05-20)",
        },
        {
            "folder": "tgv-2025-06-06",
            "number": None,
            "date": "2025-06-06",
            "title": "Thông báo kết luận cuộc họp ngày 06/6/2025",
            "tasks": 3,
            "name": "tgv-2025-06-06 (2025-06-06)",
        },
    ]

    def row(name: str, **counts: object) -> dict[str, object]:
        base: dict[str, object] = {
            "agency": name,
            "total": 0,
            "done": 0,
            "done-late": 0,
            "open": 0,
            "overdue": 0,
            "extended": 0,
            "on_time_rate": None,
            "ongoing": 0,
            "undated": 0,
        }
        base.update(
            {k.replace("_", "-") if k != "on_time_rate" else k: v for k, v in counts.items()}
        )
        return base

    # the registry's order, not the alphabet's
    assert report["counts"] == [
        row("Bộ Tài chính", total=2, done=1, overdue=1, extended=1, on_time_rate=0.5),
        row("Bộ Khoa học và Công nghệ", total=2, open=2),
        row("Bộ Nội vụ", total=1, done_late=1, on_time_rate=0.0),
        row("Bộ Tư pháp", total=1, overdue=1, on_time_rate=0.0),
        row("Văn phòng Chính phủ", ongoing=1),
    ]
    totals = row("", total=6, done=1, done_late=1, open=2, overdue=2, extended=1, ongoing=1)
    del totals["agency"]
    totals["on_time_rate"] = 0.25
    assert report["totals"] == totals
    overdue = report["overdue"]
    assert [(r["assignee"], r["task"], r["days_late"], r["days_left"]) for r in overdue] == [
        ("Bộ Tài chính", "tgv-2025-06-06/1", 6, -6),
        ("Bộ Tư pháp", "tgv-2025-06-06/2", 16, -16),
    ]
    first = overdue[0]
    assert (first["due"], first["original_due"], first["as_written"], first["via"]) == (
        "2025-06-25",
        "2025-06-20",
        "Hoàn thành trước ngày 20/6/2025",
        None,
    )
    assert overdue[1]["via"] == "Nhóm ba bộ"  # the group resolved to its member
    assert set(first) >= {
        "task", "obligation", "kind", "occurrence", "assignee", "due", "original_due",
        "days_left", "status", "done_on", "members_total", "members_done", "title",
        "section", "notice", "notice_date", "evidence", "days_late",
    }  # fmt: skip
    chase = report["chase"]
    assert [(g["agency"], [(r["task"], r["obligation"], r["days_left"]) for r in g["rows"]])
            for g in chase] == [
        ("Bộ Tài chính", [("tgv-2025-06-06/1", "complete", -6)]),
        ("Bộ Khoa học và Công nghệ", [("tgv-2025-06-06/3", "draft", 19)]),
        ("Bộ Tư pháp", [("tgv-2025-06-06/2", "report", -16)]),
    ]  # fmt: skip


def test_report_counts_are_summarys(month: Repo, run: Run) -> None:
    for by, key in (("agency", "agency"), ("notice", "notice")):
        report = _json(run(*_root(month), *AS_OF, "--format", "json", "report", "--by", by))
        summary = _json(run(*_root(month), *AS_OF, "--format", "json", "summary", "--by", by))
        assert isinstance(report, dict) and isinstance(summary, list)
        mine = {r[key]: r for r in report["counts"]}
        theirs = {r[key]: r for r in summary}
        assert set(mine) == set(theirs)
        for name, counts in theirs.items():
            assert {k: mine[name][k] for k in COUNTS} == {k: counts[k] for k in COUNTS}
            assert mine[name]["open"] == counts["due-soon"] + counts["upcoming"]
            assert mine[name]["on_time_rate"] == counts["on_time_rate"]


def test_report_compare_and_title_from_settings(month: Repo, run: Run) -> None:
    (month.root / "tbtrack.toml").write_text('title = "Báo cáo tháng 7"\n', encoding="utf-8")
    report = _json(
        run(*_root(month), *AS_OF, "--format", "json", "report", "--compare", "2025-06-10")
    )
    assert isinstance(report, dict)
    assert report["title"] == "Báo cáo tháng 7" and report["compare"] == "2025-06-10"
    btc = report["counts"][0]
    assert btc["agency"] == "Bộ Tài chính"
    # on 10/6 nothing was done yet and nothing overdue
    assert (btc["previous"]["done"], btc["previous"]["overdue"], btc["previous"]["open"]) == (
        0,
        0,
        2,
    )
    assert report["totals"]["previous"]["total"] == 6


def test_report_table_is_vietnamese_by_default_english_with_lang(month: Repo, run: Run) -> None:
    vi = run(*_root(month), *AS_OF, "--no-color", "report")
    assert vi.code == 0, vi.err
    assert vi.out.startswith("Báo cáo tình hình thực hiện các nhiệm vụ được giao\n")
    assert "Tổng cộng" in vi.out and "Danh sách đôn đốc" in vi.out
    assert "25/06/2025" in vi.out
    en = run(*_root(month), *AS_OF, "--no-color", "--lang", "en", "report")
    assert en.code == 0, en.err
    assert en.out.startswith("Report on the tasks assigned\n")
    assert "Chase list" in en.out and "Tổng cộng" not in en.out


def test_report_files_by_suffix(month: Repo, run: Run, tmp_path: Path) -> None:
    import openpyxl

    xlsx = tmp_path / "bao-cao.xlsx"
    result = run(*_root(month), *AS_OF, "report", "-o", str(xlsx))
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(xlsx)
    sheet = book.worksheets[0]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Cơ quan")
    assert sheet.cell(header + 1, 1).value == "Bộ Tài chính"
    assert sheet.cell(header + 1, 2).value == 2 and isinstance(sheet.cell(header + 1, 2).value, int)
    overdue = book.worksheets[1]
    dates = [
        c.value for row in overdue.iter_rows() for c in row if isinstance(c.value, dt.datetime)
    ]
    assert dt.datetime(2025, 6, 25) in dates

    html = tmp_path / "bao-cao.htm"
    assert run(*_root(month), *AS_OF, "report", "-o", str(html)).code == 0
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Bộ Tư pháp" in page

    for suffix, start in ((".md", "# Báo cáo"), (".json", "{"), (".csv", "\ufeffCơ quan,")):
        target = tmp_path / f"bao-cao{suffix}"
        result = run(*_root(month), *AS_OF, "--bom", "report", "-o", str(target))
        assert result.code == 0, result.err
        text = target.read_text(encoding="utf-8")
        assert text.startswith(start), text[:40]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "{tmp}/missing/x.xlsx"), "no such folder"),
        (("-o", "{tmp}/x.pdf"), "unknown suffix"),
        (("-o", "{tmp}/readonly.html"), "read-only"),
        (("-o", "{tmp}/folder.html"), "is a folder"),
        (("--compare", "2025-07-01", "-o", "{tmp}/x.html"), "must be before"),
        (("--compare", "2025-08-01"), "must be before"),
    ],
)
def test_report_errors_exit_2_and_leave_no_file(
    month: Repo, run: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "folder.html").mkdir()
    readonly = out / "readonly.html"
    readonly.write_text("old", encoding="utf-8")
    readonly.chmod(0o444)
    before = sorted(p.name for p in out.iterdir())
    result = run(*_root(month), *AS_OF, "report", *(a.format(tmp=out) for a in args))
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert sorted(p.name for p in out.iterdir()) == before
    assert readonly.read_text(encoding="utf-8") == "old"


def test_an_error_while_writing_leaves_no_partial_file(
    month: Repo, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tbtrack.render import report_xlsx

    def broken(report: object, lang: str, target: Path) -> None:
        Path(target).write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_xlsx, "write_xlsx", broken)
    result = run(*_root(month), *AS_OF, "report", "-o", str(tmp_path / "x.xlsx"))
    assert result.code == 2 and "No space left on device" in result.err
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".tmp")] == []


def test_html_format_is_for_report_only(month: Repo, run: Run) -> None:
    result = run(*_root(month), "--format", "html", "due")
    assert result.code == 2 and "for `tbtrack report` only" in result.err


# --- ical ----------------------------------------------------------------------------------


def test_ical_parsed_back_with_stable_uids(month: Repo, run: Run, tmp_path: Path) -> None:

    target = tmp_path / "feed.ics"
    args = (*_root(month), "--as-of", "2025-06-10", "ical", "--agency", "Bộ Tư pháp")
    assert run(*args, "-o", str(target)).code == 0
    first = target.read_bytes()
    events = [c for c in _calendar(first).walk() if c.name == "VEVENT"]
    assert [(e["dtstart"].dt, str(e["summary"])) for e in events] == [
        (dt.date(2025, 6, 15), "Ban hành bảng danh mục và mã số các đơn vị hành chính — Bộ Tư pháp")
    ]
    assert "Sec.: 2" in str(events[0]["description"])  # $LANG is C: English
    assert events[0].walk("VALARM")[0]["trigger"].dt == -dt.timedelta(days=7)
    again = run(*args)  # stdout this time
    assert again.code == 0
    uids = [str(c["uid"]) for c in _calendar(again.out).walk("VEVENT")]
    assert uids == [str(events[0]["uid"])]
    todo = run(*args, "--todo")
    todos = _calendar(todo.out).walk("VTODO")
    assert [t["due"].dt for t in todos] == [dt.date(2025, 6, 15)]


def test_ical_range(month: Repo, run: Run) -> None:

    result = run(*_root(month), *AS_OF, "ical", "--to", "2025-08-01")
    assert result.code == 0, result.err
    events = _calendar(result.out).walk("VEVENT")
    # from A: the overdue ones are before it; 30/9 is after --to
    assert [e["dtstart"].dt for e in events] == [dt.date(2025, 7, 20)]
    bad = run(*_root(month), *AS_OF, "ical", "--from", "2025-08-01", "--to", "2025-07-01")
    assert bad.code == 2 and "before --from" in bad.err


# --- schema, init, new, --bom --------------------------------------------------------------


def test_schema_validates_the_repositorys_tasks(run: Run) -> None:
    import jsonschema

    result = run("schema", "task")
    assert result.code == 0, result.err
    schema = json.loads(result.out)
    validator = jsonschema.Draft202012Validator(schema)
    here = Path(__file__).resolve().parents[2] / "tasks"
    files = sorted(here.rglob("*.yaml"))
    assert files
    for path in files:
        data = _yaml(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        assert not list(validator.iter_errors(data)), path
        data["unknown_key"] = 1
        assert list(validator.iter_errors(data)), path
    agencies = json.loads(run("schema", "agencies").out)
    registry = _yaml((here.parent / "agencies.yaml").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(agencies).iter_errors(registry))
    assert run("schema", "nothing").code == 2


def test_init_writes_schemas_and_editor_settings_that_new_names(tmp_path: Path, run: Run) -> None:
    import jsonschema

    target = tmp_path / "repo"
    assert run("init", str(target)).code == 0
    settings = json.loads((target / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {
        "yaml.schemas": {
            ".tbtrack-schemas/task.schema.json": ["tasks/**/*.yaml"],
            ".tbtrack-schemas/agencies.schema.json": ["agencies.yaml"],
        }
    }
    result = run(
        "--root", str(target), "new", "tb-1/2a", "--notice", "Thông báo", "--date", "2025-06-06",
        "--section", "2.a", "--title", "Việc", "--lead", "Bộ Tài chính", "--undated",
    )  # fmt: skip
    assert result.code == 0, result.err
    written = (target / "tasks" / "tb-1" / "2a.yaml").read_text(encoding="utf-8")
    first = written.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../.tbtrack-schemas/task.schema.json"
    schema_path = (target / "tasks" / "tb-1" / first.split("=", 1)[1]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(_yaml(written), schema)


def test_bom_on_every_csv_listing(month: Repo, run: Run) -> None:
    for command in (("due",), ("overdue",), ("summary",), ("agency", "Bộ Tài chính")):
        plain = run(*_root(month), *AS_OF, "--format", "csv", *command)
        marked = run(*_root(month), *AS_OF, "--format", "csv", "--bom", *command)
        assert plain.code == marked.code == 0
        assert not plain.out.startswith("\ufeff")
        assert marked.out == "\ufeff" + plain.out
        assert marked.out.encode("utf-8")[:3] == b"\xef\xbb\xbf"


def test_bom_bytes_in_a_report_file(month: Repo, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    assert run(*_root(month), *AS_OF, "--bom", "report", "-o", str(target)).code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    rows = io.StringIO(data.decode("utf-8-sig")).read().splitlines()
    assert rows[-1].startswith("Tổng cộng,6,1,1,2,2,1,0.25,1,0")


def _calendar(data: str | bytes) -> Any:
    """A calendar parsed back, its properties read as they are (icalendar's union of property
    types says nothing a test could check more)."""
    return icalendar.Calendar.from_ical(data)
