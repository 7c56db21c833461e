"""`tbtrack import`: a notice to task files, end to end through the command (SPEC 10)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from helpers import NOTICES, SEED_NOTICE, Repo, Result
from tbtrack.editing import writer

Run = Callable[..., Result]

REPO = Path(__file__).resolve().parents[2]
SEED = SEED_NOTICE
NOTICE_467 = NOTICES / "467-TB-VPCP.txt"
SHIPPED = REPO / "src" / "tbtrack" / "data" / "agencies.yaml"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MODELINE = "# yaml-language-server: $schema=../../.tbtrack-schemas/task.schema.json\n"

HEAD = """VĂN PHÒNG CHÍNH PHỦ
Số: 999/TB-VPCP
Hà Nội, ngày 05 tháng 11 năm 2024
THÔNG BÁO
KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ VỀ ĐỀ ÁN
Ngày 01 tháng 11 năm 2024, Phó Thủ tướng Chính phủ chủ trì cuộc họp. Kết luận như sau:
"""
TAIL = "Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.\nNơi nhận:\n- Như trên;\n"
CLEAN = (
    "1. Bộ Tài chính rà soát các quy định về thuế, hoàn thành trước ngày 15/12/2024.\n"
    "2. Bộ Tư pháp hoàn thiện dự thảo Nghị định, hoàn thành trong tháng 12/2024.\n"
)
FOLDER_999 = "tasks/999-tb-vpcp-2024-11-05"


@pytest.fixture
def shipped(repo: Repo) -> Repo:
    """A data root with the registry `tbtrack init` ships: the notices' agencies, with dates."""
    shutil.copyfile(SHIPPED, repo.root / "agencies.yaml")
    return repo


def _import(run: Run, repo: Repo, *args: str) -> Result:
    return run("--root", str(repo.root), "import", *args)


def _notice(tmp_path: Path, body: str, head: str = HEAD, name: str = "notice.txt") -> Path:
    path = tmp_path / name
    path.write_text(head + body + TAIL, encoding="utf-8")
    return path


def _files(repo: Repo, folder: str) -> dict[str, str]:
    base = repo.root / folder
    if not base.exists():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(base.iterdir())}


def _review_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("# review:")]


# --- the seed notice ---------------------------------------------------------------------


def test_the_seed_notice_becomes_task_files_that_check_accepts(shipped: Repo, run: Run) -> None:
    result = _import(run, shipped, str(SEED), "--folder", "tgv-2025-06-06")
    files = _files(shipped, "tasks/tgv-2025-06-06")
    hand = sorted(p.name for p in (REPO / "tasks" / "tgv-2025-06-06").glob("*.yaml"))
    assert sorted(files) == hand  # one file per assignment, named as the transcription is
    assert result.out.splitlines() == [f"created tasks/tgv-2025-06-06/{name}" for name in hand]
    assert all(text.startswith(MODELINE) for text in files.values())
    # the review comments, each on the line above its place
    lines = files["2a-1.yaml"].splitlines()
    mark = lines.index(
        "    # review: 'từ ngày 01/7/2025' is the day it must be in place: read as by: "
        "2025-07-01; check"
    )
    assert lines[mark + 1] == "    by: 2025-07-01"
    date_note = "  # review: no date of issue in the text: source.date is the meeting's date"
    assert all(date_note + "\n  date: 2025-06-06\n" in text for text in files.values())
    # the summary counts that notice-wide note once, and every other comment
    per_file = sum(len(_review_lines(text)) - 1 for text in files.values())
    summary = (
        "tbtrack: imported 22 tasks, 30 obligations into tasks/tgv-2025-06-06/; "
        f"{per_file + 1} places to review (# review:)"
    )
    assert result.err.splitlines()[-1] == summary
    assert per_file > 0 and result.code == 1  # something to review: exit 1
    obligations = sum(text.count("\n  - id: ") for text in files.values())
    assert obligations == 30
    checked = run("--root", str(shipped.root), "check")
    assert checked.code == 0, checked.err
    assert "0 error(s)" in checked.err


def test_the_default_folder_comes_from_the_number_and_date(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    result = _import(run, shipped, str(_notice(tmp_path, CLEAN)))
    assert result.code == 0, result.err  # nothing to review: exit 0
    assert sorted(_files(shipped, FOLDER_999)) == ["1.yaml", "2.yaml"]
    assert result.err.splitlines()[-1] == (
        f"tbtrack: imported 2 tasks, 2 obligations into {FOLDER_999}/; nothing to review"
    )
    text = _files(shipped, FOLDER_999)["1.yaml"]
    assert "  number: 999/TB-VPCP\n  date: 2024-11-05\n" in text
    assert "    before: 2024-12-15\n    as_written: hoàn thành trước ngày 15/12/2024\n" in text
    assert "# review:" not in text


def test_dry_run_prints_the_files_and_writes_nothing(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    notice = _notice(tmp_path, CLEAN)
    dry = _import(run, shipped, str(notice), "--dry-run")
    assert _files(shipped, FOLDER_999) == {}
    assert list((shipped.root / "tasks").iterdir()) == []
    assert dry.err.splitlines()[-1].startswith("tbtrack: dry run, nothing written: would import")
    written = _import(run, shipped, str(notice))
    files = _files(shipped, FOLDER_999)
    # exactly what the real run writes, each file under its path
    assert dry.out == "".join(
        f"==> {FOLDER_999}/{name} <==\n{text}" for name, text in files.items()
    )
    assert written.code == dry.code == 0


def test_an_existing_folder_is_refused_unless_forced(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    notice = _notice(tmp_path, CLEAN)
    assert _import(run, shipped, str(notice)).code == 0
    first = _files(shipped, FOLDER_999)
    edited = shipped.root / FOLDER_999 / "1.yaml"
    edited.write_text(first["1.yaml"].replace("rà soát", "RÀ SOÁT"), encoding="utf-8")
    (shipped.root / FOLDER_999 / "9.yaml").write_text(first["2.yaml"], encoding="utf-8")
    refused = _import(run, shipped, str(notice))
    assert refused.code == 2
    assert refused.err == (
        f"tbtrack: error: {FOLDER_999}/ already exists; import into another folder with "
        "--folder NAME, or write over its files with --force\n"
    )
    assert "RÀ SOÁT" in edited.read_text(encoding="utf-8")
    forced = _import(run, shipped, str(notice), "--force")
    assert forced.code == 0, forced.err
    assert forced.out.splitlines() == [
        f"replaced {FOLDER_999}/1.yaml",
        f"replaced {FOLDER_999}/2.yaml",
    ]
    assert f"kept 1 file(s) of {FOLDER_999}/ the notice does not give: 9.yaml" in forced.err
    assert _files(shipped, FOLDER_999) == {**first, "9.yaml": first["2.yaml"]}


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("Tgv", "'Tgv' is not a valid ID segment"),
        ("a/b", "a folder is one ID segment, without '/'"),
        ("../x", "'..' is not a valid ID segment"),
    ],
)
def test_a_bad_folder_name_is_refused(
    shipped: Repo, run: Run, tmp_path: Path, folder: str, message: str
) -> None:
    result = _import(run, shipped, str(_notice(tmp_path, CLEAN)), "--folder", folder)
    assert result.code == 2
    assert result.err.startswith(f"tbtrack: error: --folder: bad folder name '{folder}': ")
    assert message in result.err and len(result.err.splitlines()) == 1
    assert list((shipped.root / "tasks").iterdir()) == []


# --- names: unknown ones, and as of the notice's date ------------------------------------


def test_an_unknown_name_is_written_as_given_and_check_reports_it(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    body = (
        "1. Trung tâm Dữ liệu quốc gia chủ trì, phối hợp với Bộ Tài chính xây dựng cơ sở "
        "dữ liệu, hoàn thành trước ngày 15/12/2024.\n"
    )
    result = _import(run, shipped, str(_notice(tmp_path, body)))
    assert result.code == 1
    text = _files(shipped, FOLDER_999)["1.yaml"]
    assert (
        "# review: 'Trung tâm Dữ liệu quốc gia' is not in the registry (kept in notes); add it "
        "to agencies.yaml or fix the name\nlead:\n  - Trung tâm Dữ liệu quốc gia\n"
    ) in text
    assert "notes: 'Không có trong danh mục cơ quan: Trung tâm Dữ liệu quốc gia.'" in text
    line = text.splitlines().index("  - Trung tâm Dữ liệu quốc gia") + 1
    located = (
        f"{FOLDER_999}/1.yaml:{line}:5: error: unknown agency or group 'Trung tâm Dữ liệu quốc gia'"
    )
    assert result.err.startswith(located)
    assert "1 name not in agencies.yaml" in result.err
    checked = run("--root", str(shipped.root), "check")
    assert checked.code == 1 and checked.out.startswith(located)


def test_a_2024_notice_names_the_ministries_of_2024(shipped: Repo, run: Run) -> None:
    result = _import(run, shipped, str(NOTICE_467))
    assert result.code == 1  # it has places to review
    files = _files(shipped, "tasks/467-tb-vpcp-2024-10-14")
    assert "lead:\n  - Bộ Nông nghiệp và Phát triển nông thôn\n" in files["2-7.yaml"]
    naming = [n for n, t in files.items() if "  - Bộ Tài nguyên và Môi trường\n" in t]
    assert len(naming) >= 3
    assert not any("Nông nghiệp và Môi trường" in t for t in files.values())
    assert run("--root", str(shipped.root), "check").code == 0
    # as of the notice's time, the engine counts what they owe
    rows = run(
        "--root",
        str(shipped.root),
        "--as-of",
        "2024-10-15",
        "--format",
        "json",
        "agency",
        "Bộ Tài nguyên và Môi trường",
    )
    assert sorted(r["task"].rsplit("/", 1)[1] + ".yaml" for r in json.loads(rows.out)) == naming
    summary = run(
        "--root", str(shipped.root), "--as-of", "2024-10-15", "--format", "json", "summary"
    )
    counted = {r["agency"]: r for r in json.loads(summary.out)}
    leads = sum(t.count("lead:\n  - Bộ Tài chính\n") for t in files.values())
    finance = counted["Bộ Tài chính"]
    assert finance["due-soon"] + finance["undated"] == leads


def test_a_name_that_did_not_exist_on_the_notices_date_is_to_review(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    body = "1. Bộ Nông nghiệp và Môi trường rà soát, hoàn thành trước ngày 15/12/2024.\n"
    result = _import(run, shipped, str(_notice(tmp_path, body)))
    assert result.code == 1
    assert (
        "lead:\n  # review: not an agency on the notice's date: Bộ Nông nghiệp và Môi trường was "
        "established on 01/03/2025; check\n  - Bộ Nông nghiệp và Môi trường\n"
    ) in _files(shipped, FOLDER_999)["1.yaml"]


# --- the notice's date -------------------------------------------------------------------


def test_a_notice_without_a_date_needs_date(shipped: Repo, run: Run, tmp_path: Path) -> None:
    notice = _notice(tmp_path, CLEAN, head="THÔNG BÁO\nKẾT LUẬN VỀ ĐỀ ÁN\nKết luận như sau:\n")
    refused = _import(run, shipped, str(notice))
    assert refused.code == 2
    assert refused.err == (
        "tbtrack: error: notice.txt gives no date (neither of issue nor of the meeting); "
        "give the notice's date with --date DATE\n"
    )
    assert list((shipped.root / "tasks").iterdir()) == []
    dated = _import(run, shipped, str(notice), "--date", "2024-11-05")
    assert dated.code == 0, dated.err
    text = _files(shipped, "tasks/thong-bao-2024-11-05")["1.yaml"]
    assert "  date: 2024-11-05\n" in text and "# review:" not in text
    bad = _import(run, shipped, str(notice), "--date", "05/13/2024", "--folder", "x")
    assert bad.code == 2 and bad.err.startswith("tbtrack: error: --date: ")


# --- what cannot be imported -------------------------------------------------------------


def test_unreadable_notices_are_one_line_errors(shipped: Repo, run: Run, tmp_path: Path) -> None:
    rtf = tmp_path / "notice.rtf"
    rtf.write_text("{\\rtf1}", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Bộ Tài chính".encode("utf-16"))
    cases = {
        str(rtf): "tbtrack: error: notice.rtf: cannot import a '.rtf' file; give a .pdf, "
        ".docx, .txt file\n",
        str(tmp_path / "missing.txt"): f"tbtrack: error: cannot read {tmp_path / 'missing.txt'}: "
        "No such file or directory\n",
        str(latin): "tbtrack: error: latin.txt is not UTF-8 text (byte 0); save it as UTF-8 "
        "and import again\n",
    }
    for path, message in cases.items():
        result = _import(run, shipped, path)
        assert (result.code, result.err, result.out) == (2, message, "")
    assert list((shipped.root / "tasks").iterdir()) == []


def test_a_scanned_pdf_needs_ocr(shipped: Repo, run: Run, tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")  # a page that is a picture, no text
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    result = _import(run, shipped, str(path))
    assert result.code == 2
    assert result.err == (
        "tbtrack: error: scan.pdf has no text layer (a scanned PDF?); run it through OCR "
        "first (e.g. ocrmypdf -l vie) and import the result\n"
    )


def test_a_notice_without_assignments_writes_nothing(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    notice = _notice(tmp_path, "Các đại biểu đã thảo luận về Đề án.\n")
    result = _import(run, shipped, str(notice))
    assert result.code == 1
    assert result.err == (
        "tbtrack: error: notice.txt: no assignment found (nothing in its body names who is "
        "to do what); nothing written\n"
    )
    assert list((shipped.root / "tasks").iterdir()) == []


# --- .docx and .pdf, through the command once ----------------------------------------------


def test_a_docx_and_a_pdf_give_the_files_their_text_gives(
    shipped: Repo, run: Run, tmp_path: Path
) -> None:
    text_path = _notice(tmp_path, CLEAN)
    paragraphs = text_path.read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(tmp_path / "notice.docx"))
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(tmp_path / "notice.pdf"))
    outputs = {}
    for name in ("notice.txt", "notice.docx", "notice.pdf"):
        result = _import(run, shipped, str(tmp_path / name), "--dry-run")
        assert result.code == 0, (name, result.err)
        outputs[name] = result.out
    assert outputs["notice.docx"] == outputs["notice.txt"] == outputs["notice.pdf"]


# --- all the files or none -----------------------------------------------------------------


def test_a_failure_while_writing_leaves_nothing(
    shipped: Repo, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []

    def fail_on_the_third(path: Path) -> None:
        seen.append(path)
        if len(seen) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "_before_replace", fail_on_the_third)
    result = _import(run, shipped, str(SEED))
    assert result.code == 1
    assert result.err.splitlines()[-1].endswith("No space left on device; nothing written")
    assert list((shipped.root / "tasks").iterdir()) == []  # neither files nor the folder


def test_a_failed_forced_import_puts_the_old_files_back(
    shipped: Repo, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = _notice(tmp_path, CLEAN)
    assert _import(run, shipped, str(notice)).code == 0
    for path in (shipped.root / FOLDER_999).iterdir():
        path.write_text(path.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    before = _files(shipped, FOLDER_999)
    seen: list[Path] = []

    def fail_on_the_second(path: Path) -> None:
        seen.append(path)
        if len(seen) == 2:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(writer, "_before_replace", fail_on_the_second)
    result = _import(run, shipped, str(notice), "--force")
    assert result.code == 1 and "nothing written" in result.err
    assert _files(shipped, FOLDER_999) == before  # no temporary or backup file left either


def test_json_output_holds_the_files(shipped: Repo, run: Run, tmp_path: Path) -> None:
    result = run(
        "--root", str(shipped.root), "--format", "json", "import", str(_notice(tmp_path, CLEAN))
    )
    value = json.loads(result.out)
    files = _files(shipped, FOLDER_999)
    assert value["folder"] == f"{FOLDER_999}/" and value["written"] is True
    assert (value["tasks"], value["obligations"], value["review"], value["unknown"]) == (
        2,
        2,
        0,
        [],
    )
    assert [(f["path"], f["text"]) for f in value["files"]] == [
        (f"{FOLDER_999}/{name}", text) for name, text in files.items()
    ]


def test_an_import_keeps_what_it_checked_in_one_write(
    shipped: Repo, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tbtrack.loading import versions

    writes: list[int] = []
    save = versions.KeptRecords.save

    def counted(self: versions.KeptRecords) -> None:
        writes.append(len(self._records or {}))
        save(self)

    monkeypatch.setattr(versions.KeptRecords, "save", counted)
    assert _import(run, shipped, str(SEED), "--dry-run").code == 1  # places to review
    # the files checked, and the registry's: one write of the checked files at the end
    assert len(writes) == 1 and writes[0] > 1
