"""Shell completion: what the program answers a shell (Click's protocol, driven in-process
through the environment a shell sets, as Click's own tests do), the scripts, and bash itself
running the script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Repo, Result
from tbtrack.cli.completion import bash_quoted, split_words

Run = Callable[..., Result]


@pytest.fixture
def complete(run: Run, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """The answer to bash for the words typed so far (the last one being completed)."""

    def answer(*words: str, shell: str = "bash", cwd: Path | None = None) -> list[str]:
        monkeypatch.setenv("_TBTRACK_COMPLETE", f"complete_{shell}")
        # bash and zsh: the words and which is being completed; fish: the line (the same)
        monkeypatch.setenv("COMP_WORDS", " ".join(("tbtrack", *words)))
        monkeypatch.setenv("COMP_CWORD", str(len(words)))
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = run()
        assert (result.code, result.err) == (0, "")
        answer = result.out.removesuffix("\n")  # one line per candidate; none: an empty line
        return answer.split("\n") if answer else []

    return answer


@pytest.fixture
def tasks(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    # completion reads only the names of the files: their content does not matter
    for task in ("tgv-2025-06-06/2c", "tgv-2025-06-06/2d", "tgv-2025-06-06/3a", "tb-47/1"):
        repo.write(f"tasks/{task}.yaml", "not: [even yaml")
    repo.write("tasks/.hidden/x.yaml", "")
    repo.write("tasks/tgv-2025-06-06/notes.txt", "")
    monkeypatch.chdir(repo.root)
    return repo


def test_commands_and_options_complete(complete: Callable[..., list[str]], tasks: Repo) -> None:
    assert complete("d") == ["plain,due", "plain,done", "plain,diff"]
    assert complete("add") == ["plain,add-obligation"]
    # a command's own options, then the global ones, which may stand after it
    assert complete("overdue", "--") == [
        "plain,--fail-on-overdue",
        "plain,--agency",
        "plain,--notice",
        "plain,--kind",
        "plain,--tag",
        "plain,--status",
        "plain,--help",
        "plain,--root",
        "plain,--as-of",
        "plain,--format",
        "plain,--lang",
        "plain,--no-color",
        "plain,--workdays",
        "plain,--rev",
        "plain,--within",
        "plain,--no-cache",
        "plain,--bom",
    ]
    assert complete("--format", "") == [
        "plain,table",
        "plain,json",
        "plain,csv",
        "plain,markdown",
        "plain,html",
        "plain,xlsx",
    ]
    assert complete("due", "--lang", "") == ["plain,vi", "plain,en"]
    assert complete("due", "--kind", "r") == ["plain,report"]
    assert complete("due", "--status", "over") == ["plain,overdue"]
    assert complete("summary", "--by", "") == ["plain,agency", "plain,notice"]
    assert complete("completion", "") == ["plain,bash", "plain,zsh", "plain,fish"]
    # files and folders: the shell's own completion
    assert complete("import", "") == ["file,"]
    assert complete("check", "") == ["file,"]
    assert complete("--root", "") == ["dir,"]


def test_task_ids_one_folder_at_a_time(complete: Callable[..., list[str]], tasks: Repo) -> None:
    # a folder is left open for the next Tab; hidden folders and other files are not IDs
    assert complete("show", "") == ["partial,tb-47/", "partial,tgv-2025-06-06/"]
    assert complete("log", "tgv") == ["partial,tgv-2025-06-06/"]
    assert complete("done", "tgv-2025-06-06/") == [
        "plain,tgv-2025-06-06/2c",
        "plain,tgv-2025-06-06/2d",
        "plain,tgv-2025-06-06/3a",
    ]
    assert complete("extend", "tgv-2025-06-06/2") == [
        "plain,tgv-2025-06-06/2c",
        "plain,tgv-2025-06-06/2d",
    ]
    # the commands take a unique suffix: so does completion, when no ID starts so
    assert complete("cancel", "2c") == ["plain,tgv-2025-06-06/2c"]
    assert complete("add-obligation", "1") == ["plain,tb-47/1"]
    assert complete("show", "nothing") == []
    # the obligation after the ID is not a task ID
    assert complete("done", "tgv-2025-06-06/2c", "") == []


def test_agency_names_quoted_for_bash(complete: Callable[..., list[str]], tasks: Repo) -> None:
    # outside quotes bash inserts the words as given: spaces are escaped
    assert complete("agency", "Bộ\\ T") == [
        r"plain,Bộ\ Tài\ chính",
        r"plain,Bộ\ Thông\ tin\ và\ Truyền\ thông",
        r"plain,Bộ\ Tư\ pháp",
    ]
    # after an opening quote bash closes the quote itself: the name as it is
    assert complete("due", "--agency", '"Bộ Tư') == ["plain,Bộ Tư pháp"]
    assert complete("due", "--agency", "'Bộ Tà") == ["plain,Bộ Tài chính"]
    # names compare as the commands compare them: case, diacritics, codes and aliases aside
    assert complete("done", "x", "--by", "bo\\ tai") == [r"plain,Bộ\ Tài\ chính"]
    assert complete("new", "x", "--to", "VPC") == [r"plain,Văn\ phòng\ Chính\ phủ"]
    assert complete("new", "x", "--lead", "các\\ bộ\\,\\ ng") == [
        r"plain,Các\ bộ,\ cơ\ quan\ ngang\ bộ"
    ]
    # a name holding a special character of the shell
    assert complete("add-obligation", "x", "y", "--who", "Bộ\\ KH&") == [
        r"plain,Bộ\ Khoa\ học\ và\ Công\ nghệ"
    ]
    # Vietnamese alphabetical order: Bộ Nội vụ before Bộ Tài chính, Nhóm after Bộ
    assert complete("summary", "--agency", "") == [
        r"plain,Bộ\ Khoa\ học\ và\ Công\ nghệ",
        r"plain,Bộ\ Nội\ vụ",
        r"plain,Bộ\ Tài\ chính",
        r"plain,Bộ\ Thông\ tin\ và\ Truyền\ thông",
        r"plain,Bộ\ Tư\ pháp",
        r"plain,Các\ bộ,\ cơ\ quan\ ngang\ bộ",
        r"plain,Nhóm\ ba\ bộ",
        r"plain,Thường\ trực\ Ban\ Chỉ\ đạo",
        r"plain,Văn\ phòng\ Chính\ phủ",
    ]
    # bash splits `--agency=X` at the `=`
    assert complete("due", "--agency", "=", "Bộ\\ N") == [r"plain,Bộ\ Nội\ vụ"]
    # `new --by` is a date, `import --folder` a folder under tasks/
    assert complete("new", "x", "--by", "") == []
    assert complete("import", "n.pdf", "--folder", "tg") == ["plain,tgv-2025-06-06"]


def test_the_data_root_as_the_commands_find_it(
    complete: Callable[..., list[str]],
    tasks: Repo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = str(tasks.root)
    # no data root: nothing to offer, no message, no traceback
    assert complete("show", "", cwd=elsewhere) == []
    assert complete("agency", "B") == []
    # --root before the command, or after it as on a real run, or $TBTRACK_ROOT
    assert complete("--root", root, "show", "tb") == ["partial,tb-47/"]
    assert complete("show", "--root", root, "tb") == ["partial,tb-47/"]
    monkeypatch.setenv("TBTRACK_ROOT", root)
    assert complete("agency", "VP") == [r"plain,Văn\ phòng\ Chính\ phủ"]
    # an agencies.yaml that cannot be read, or that is not a registry: nothing
    for text in ("agencies: [unclosed", "just a string", "agencies:\n  - name: [1]\n", ""):
        (tasks.root / "agencies.yaml").write_text(text, encoding="utf-8")
        assert complete("agency", "") == []
    (tasks.root / "agencies.yaml").write_bytes(b"\xff\xfe")
    assert complete("agency", "") == []
    # an option the command does not know: no answer rather than an error
    assert complete("due", "--nonsense", "--agency", "") == []


def test_zsh_and_fish_answers(complete: Callable[..., list[str]], tasks: Repo) -> None:
    # zsh and fish quote what they insert themselves: the names as they are, with a help
    assert complete("agency", "Bộ\\ Tà", shell="zsh") == ["plain", "Bộ Tài chính", "BTC"]
    assert complete("sh", shell="zsh") == [
        "plain",
        "show",
        "One task: fields, each obligation with its...",
    ]
    assert complete("agency", "'Bộ T", shell="fish") == [
        "plain,Bộ Tài chính\tBTC",
        "plain,Bộ Thông tin và Truyền thông\tBTTTT",
        "plain,Bộ Tư pháp",
    ]
    # fish gives the line: a space at its end starts a new word
    assert complete("summary", "--by", "", shell="fish") == ["plain,agency", "plain,notice"]


def test_scripts(run: Run) -> None:
    for shell, marker in (
        ("bash", "complete -o nosort -F _tbtrack_completion tbtrack 2>/dev/null ||"),
        ("zsh", "compdef _tbtrack_completion tbtrack"),
        (
            "fish",
            "complete --no-files --keep-order --command tbtrack --arguments '(_tbtrack_completion)'",
        ),
    ):
        result = run("completion", shell)
        assert result.code == 0, result.err
        assert f"_TBTRACK_COMPLETE=complete_{shell}" in result.out
        assert marker in result.out
        # the conventional options say the same
        assert run("--show-completion", shell).out == result.out
    assert run("completion", "tcsh").code == 2
    assert "'tcsh' is not one of" in run("--show-completion", "tcsh").err


def test_install(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    (home / ".bashrc").write_text("alias ll='ls -l'", encoding="utf-8")
    script = home / ".local" / "share" / "tbtrack" / "completion.bash"
    first = run("completion", "bash", "--install")
    assert first.code == 0
    assert first.err.splitlines() == [
        f"tbtrack: wrote {script}",
        f"tbtrack: added a line to {home / '.bashrc'} that loads it",
        "tbtrack: open a new terminal for completion to take effect",
    ]
    assert script.read_text(encoding="utf-8") == run("completion", "bash").out.rstrip("\n") + "\n"
    # again: the line is there once, what was there before kept as it was
    assert "loads it already" in run("--install-completion", "bash").err
    assert (home / ".bashrc").read_text(encoding="utf-8") == (
        f"alias ll='ls -l'\n# tbtrack completion\nsource '{script}'\n"
    )
    assert run("completion", "zsh", "--install").code == 0
    assert f"source '{home}/.local/share/tbtrack/completion.zsh'" in (home / ".zshrc").read_text(
        encoding="utf-8"
    )
    assert run("completion", "fish", "--install").code == 0
    assert (home / "config" / "fish" / "completions" / "tbtrack.fish").is_file()


def test_install_where_nothing_can_be_written(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    result = run("completion", "bash", "--install")
    assert result.code == 1
    assert result.err == (
        f"tbtrack: error: cannot install the completion script: {home}/.local/share/tbtrack: Not a directory\n"
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_runs_the_script(run: Run, tasks: Repo, tmp_path: Path) -> None:
    script = tmp_path / "tbtrack.bash"
    script.write_text(run("completion", "bash").out, encoding="utf-8")
    # what readline would hand the function for `tbtrack agency Bộ\ T<Tab>`
    line = (
        f"source {script}; COMP_WORDS=(tbtrack agency 'Bộ\\ T'); COMP_CWORD=2; "
        '_tbtrack_completion tbtrack; printf "<%s>\\n" "${COMPREPLY[@]}"'
    )
    done = in_shell(["bash", "--norc", "-c", line], tasks, tmp_path)
    assert done.stdout.splitlines() == [
        r"<Bộ\ Tài\ chính>",
        r"<Bộ\ Thông\ tin\ và\ Truyền\ thông>",
        r"<Bộ\ Tư\ pháp>",
    ], done.stderr


def in_shell(argv: list[str], tasks: Repo, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """A shell run in the data root, which finds this tbtrack first on its PATH."""
    program = tmp_path / "bin" / "tbtrack"
    program.parent.mkdir(exist_ok=True)
    program.write_text(f'#!/bin/sh\nexec {sys.executable} -m tbtrack "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    env = {**os.environ, "PATH": f"{program.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        argv, cwd=tasks.root, env=env, capture_output=True, text=True, timeout=10, check=False
    )


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_runs_the_script(run: Run, tasks: Repo, tmp_path: Path) -> None:
    script = tmp_path / "tbtrack.fish"
    script.write_text(run("completion", "fish").out, encoding="utf-8")
    # fish completes a command line on its own with `complete -C`
    line = f"source {script}; complete -C 'tbtrack agency Bộ\\ T'"
    done = in_shell(["fish", "--no-config", "-c", line], tasks, tmp_path)
    assert done.stdout.splitlines() == [
        "Bộ Tài chính\tBTC",
        "Bộ Thông tin và Truyền thông\tBTTTT",
        "Bộ Tư pháp",
    ], done.stderr


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_reads_the_script(run: Run, tmp_path: Path) -> None:
    script = tmp_path / "_tbtrack"
    script.write_text(run("completion", "zsh").out, encoding="utf-8")
    done = subprocess.run(["zsh", "-n", str(script)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")


def test_words_as_a_shell_reads_them() -> None:
    assert split_words("tbtrack agency 'Bộ T") == (["tbtrack", "agency", "Bộ T"], "'")
    assert split_words('a "b \\" c" d\\ e ') == (["a", 'b " c', "d e"], None)
    assert split_words("") == ([], None)
    assert bash_quoted("Bộ KH&CN (cũ)", None) == "Bộ\\ KH\\&CN\\ \\(cũ\\)"
    assert bash_quoted('say "$x"', '"') == 'say \\"\\$x\\"'
    assert bash_quoted("it's", "'") == "it's"
