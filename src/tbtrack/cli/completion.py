"""Shell completion for bash, zsh and fish, through Click's own machinery.

The shell runs `tbtrack` with `_TBTRACK_COMPLETE=complete_<shell>` and the words typed so far
(bash and zsh: `COMP_WORDS` and `COMP_CWORD`; fish: the line, in `COMP_WORDS`). Click resolves
which command, option or argument is being completed; this module adds what Click cannot
know (task IDs, agency names: `complete_values`), lets global options stand after the command
as they may on a real run (`argv.hoist_global_options`), and answers one line per candidate,
`type,value` (Click 8's protocol, plus `partial` for a folder of tasks that the shell leaves
open). A completion never fails: whatever goes wrong, the answer is empty.

`app.run` imports this module only when `_TBTRACK_COMPLETE` is set, and `tbtrack completion`
and `--show-completion` when they print a script.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from typer._click import Context, Parameter
from typer._click.shell_completion import (
    CompletionItem,
    ShellComplete,
    _resolve_context,
    _resolve_incomplete,
    add_completion_class,
)
from typer.models import TyperPath as PathType

from ..cli import complete_values as values
from ..cli.argv import GLOBAL_OPTIONS, hoist_global_options

PROG = "tbtrack"
COMPLETE_VAR = "_TBTRACK_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
SCRIPT_VARS = {"prog": PROG, "var": COMPLETE_VAR, "func": "_tbtrack_completion"}

# the arguments and options whose values are task IDs or agency names, by (command, name);
# "*" for an option every listing shares (`--agency`)
TASK_ID_ARGUMENTS = frozenset(
    ("show", "done", "extend", "cancel", "log", "add-obligation"),
)
AGENCY_VALUES = frozenset(
    {
        ("*", "agency"),
        ("agency", "name"),
        *((command, "by") for command in ("done", "extend", "cancel")),
        *((command, option) for command in ("new", "add-obligation") for option in ("to", "who")),
        *(("new", option) for option in ("lead", "support", "report_to")),
    }
)


class _Completion(ShellComplete):
    """What the three shells share: the candidates; each says how it reads the words typed
    and how it writes one answer."""

    name: ClassVar[str]
    source_template: ClassVar[str]
    quote: str | None = None  # the quote open in the word being completed (bash)

    def source_vars(self) -> dict[str, Any]:
        return SCRIPT_VARS

    def complete(self) -> str:
        try:
            args, incomplete = self.get_completion_args()
            return "\n".join(
                self.format_completion(i) for i in self.get_completions(args, incomplete)
            )
        except Exception:  # a completion must never show the user a traceback
            return ""

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        args = _without_equals(args)
        if args and GLOBAL_OPTIONS.get(args[-1]):
            # the value of a global option: it is the main command's, wherever it stands
            ctx = _resolve_context(self.cli, self.ctx_args, self.prog_name, [])
            obj, incomplete = _resolve_incomplete(ctx, [args[-1]], incomplete)
        else:
            ctx = _resolve_context(
                self.cli, self.ctx_args, self.prog_name, hoist_global_options(args)
            )
            obj, incomplete = _resolve_incomplete(ctx, list(args), incomplete)
        if isinstance(obj, Parameter):
            ours = _values(ctx, obj, incomplete)
            if ours is not None:
                return ours
        items = obj.shell_complete(ctx, incomplete)
        if not isinstance(obj, Parameter) and incomplete.startswith("-") and ctx.parent:
            items += _global_options(ctx, incomplete)  # accepted after the command too
        return items


def _without_equals(args: list[str]) -> list[str]:
    """bash splits `--agency=X` into `--agency`, `=`, `X`: the `=` is dropped."""
    return [a for i, a in enumerate(args) if not (a == "=" and i and args[i - 1].startswith("-"))]


def _global_options(ctx: Context, incomplete: str) -> list[CompletionItem]:
    root = ctx.find_root()
    return [
        CompletionItem(opt, help=param.help if hasattr(param, "help") else None)
        for param in root.command.get_params(root)
        for opt in param.opts
        if opt in GLOBAL_OPTIONS and opt.startswith(incomplete)
    ]


def _values(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem] | None:
    """Our candidates for `param`'s value, or None to let Click answer (choices, paths)."""
    command = ctx.info_name or ""
    name = param.name or ""
    maker: Callable[[Path, str], list[values.Value]] | None = None
    if name == "task_id" and command in TASK_ID_ARGUMENTS:
        maker = values.task_ids
    elif (command, name) in AGENCY_VALUES or ("*", name) in AGENCY_VALUES:
        maker = values.agency_names
    elif (command, name) == ("import", "folder"):
        maker = values.task_folders
    elif name == "kind" or name == "status":
        from ..files.vocab import OBLIGATION_KINDS, STATUSES

        words = OBLIGATION_KINDS if name == "kind" else STATUSES
        return [CompletionItem(w) for w in words if w.startswith(incomplete)]
    elif name == "root":
        return [CompletionItem(incomplete, type="dir")]
    elif (command, name) == ("check", "paths") or isinstance(param.type, PathType):
        # the shell's own file names (Typer's path type answers nothing)
        return [CompletionItem(incomplete, type="file")]
    if maker is None:
        return None
    given = ctx.find_root().params.get("root")
    root = values.data_root(given if isinstance(given, str) else None, os.environ, Path.cwd())
    if root is None:
        return []
    return [
        CompletionItem(v.text, type="partial" if v.partial else "plain", help=v.help)
        for v in maker(root, incomplete)
    ]


class BashComplete(_Completion):
    name = "bash"
    source_template = """\
%(func)s() {
    local IFS=$'\\n' response line kind value
    response=$(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \\
        %(var)s=complete_bash "$1" 2>/dev/null)
    COMPREPLY=()
    while IFS= read -r line; do
        kind=${line%%%%,*}
        value=${line#*,}
        case $kind in
            plain) COMPREPLY+=("$value") ;;
            partial) COMPREPLY+=("$value"); compopt -o nospace 2>/dev/null ;;
            dir) compopt -o dirnames 2>/dev/null ;;
            file) compopt -o default 2>/dev/null ;;
        esac
    done <<< "$response"
    return 0
}

# bash before 4.4 has no nosort: there the candidates come sorted by bash
complete -o nosort -F %(func)s %(prog)s 2>/dev/null || complete -F %(func)s %(prog)s
"""

    def get_completion_args(self) -> tuple[list[str], str]:
        words, self.quote = split_words(os.environ.get("COMP_WORDS", ""))
        cword = int(os.environ.get("COMP_CWORD", len(words)))
        if cword != len(words) - 1:
            self.quote = None  # the word being completed is not the last one typed
        return words[1:cword], words[cword] if cword < len(words) else ""

    def format_completion(self, item: CompletionItem) -> str:
        # bash inserts what it is given as it is: outside quotes a space must be escaped;
        # after an opening quote the shell itself closes it
        return f"{item.type},{bash_quoted(item.value, self.quote)}"


class ZshComplete(_Completion):
    name = "zsh"
    source_template = """\
#compdef %(prog)s

%(func)s() {
    local -a response described plain partial
    local kind value help
    response=("${(@f)$(env COMP_WORDS="${words[*]}" COMP_CWORD=$((CURRENT-1)) \\
        %(var)s=complete_zsh "${words[1]}" 2>/dev/null)}")
    for kind value help in "${response[@]}"; do
        case $kind in
            plain)
                if [[ $help == _ ]]; then plain+=("$value")
                else described+=("${value//:/\\\\:}:$help"); fi ;;
            partial) partial+=("$value") ;;
            dir) _path_files -/ ;;
            file) _path_files -f ;;
        esac
    done
    (( ${#described} )) && _describe -V unsorted described -U
    (( ${#plain} )) && compadd -U -V unsorted -a plain
    (( ${#partial} )) && compadd -U -S '' -V unsorted -a partial
    return 0
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    %(func)s "$@"
else
    compdef %(func)s %(prog)s
fi
"""

    get_completion_args = BashComplete.get_completion_args

    def format_completion(self, item: CompletionItem) -> str:
        # zsh quotes what it inserts itself (compadd)
        help_text = " ".join((item.help or "").split()) or "_"
        return f"{item.type}\n{item.value}\n{help_text}"


class FishComplete(_Completion):
    name = "fish"
    source_template = """\
function %(func)s
    set -l response (env %(var)s=complete_fish COMP_WORDS=(commandline -cp) %(prog)s 2>/dev/null)
    for line in $response
        set -l parts (string split -m 1 , -- $line)
        switch $parts[1]
            case plain partial
                printf '%%s\\n' $parts[2]
            case dir
                __fish_complete_directories (commandline -ct)
            case file
                __fish_complete_path (commandline -ct)
        end
    end
end

complete --no-files --keep-order --command %(prog)s --arguments '(%(func)s)'
"""

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("COMP_WORDS", "")
        words, quote = split_words(line)
        ended = quote is None and (not line or line[-1].isspace())
        if ended or not words:
            return words[1:], ""
        return words[1:-1], words[-1]

    def format_completion(self, item: CompletionItem) -> str:
        # fish quotes what it inserts itself; a tab starts the description
        if item.help:
            return f"{item.type},{item.value}\t{' '.join(item.help.split())}"
        return f"{item.type},{item.value}"


def split_words(line: str) -> tuple[list[str], str | None]:
    """The words of a command line as a POSIX shell reads them, and the quote still open at
    its end (None, `'` or `"`): unlike `shlex`, an unfinished last word is kept."""
    words: list[str] = []
    word: list[str] = []
    quote: str | None = None
    started = escaped = False
    for ch in line:
        if escaped:
            word.append(ch)
            escaped = False
        elif quote == "'":
            if ch == "'":
                quote = None
            else:
                word.append(ch)
        elif quote == '"':
            if ch == '"':
                quote = None
            elif ch == "\\":
                escaped = True
            else:
                word.append(ch)
        elif ch == "\\":
            escaped = started = True
        elif ch in "'\"":
            quote, started = ch, True
        elif ch.isspace():
            if started:
                words.append("".join(word))
                word, started = [], False
        else:
            word.append(ch)
            started = True
    if started:
        words.append("".join(word))
    return words, quote


_SPECIAL = frozenset(" \t\n\"'\\$`;&|<>()[]{}*?!#~=^")


def bash_quoted(value: str, quote: str | None) -> str:
    """`value` as bash must be given it to insert: after an opened `'` as it is, after `"`
    with its `"`, `\\`, `$` and backquotes escaped, else each special character escaped."""
    if quote == "'":
        return value
    if quote == '"':
        return "".join("\\" + ch if ch in '"\\$`' else ch for ch in value)
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in value)


def enable() -> None:
    """Answer the shells' requests (`_TBTRACK_COMPLETE=complete_bash ...`) with ours."""
    for shell in (BashComplete, ZshComplete, FishComplete):
        add_completion_class(shell, shell.name)


def script(shell: str) -> str:
    """The script that makes `shell` complete tbtrack's words."""
    classes = {"bash": BashComplete, "zsh": ZshComplete, "fish": FishComplete}
    return classes[shell].source_template % SCRIPT_VARS


def install_target(shell: str, environ: os._Environ[str] | dict[str, str], home: Path) -> Path:
    """Where `--install` puts the script: where each shell looks for it, or for bash a file
    that ~/.bashrc sources."""
    data = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    config = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
    if shell == "fish":
        return config / "fish" / "completions" / f"{PROG}.fish"  # fish loads it itself
    return data / PROG / f"completion.{shell}"


def install(shell: str, environ: os._Environ[str] | dict[str, str], home: Path) -> list[str]:
    """Write the script where `shell` finds it; for bash and zsh also a line in the rc file
    that loads it (once). What was done, one line each."""
    target = install_target(shell, environ, home)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script(shell), encoding="utf-8")
    done = [f"wrote {target}"]
    if shell == "fish":
        return done
    rc = home / (".bashrc" if shell == "bash" else ".zshrc")
    line = f"source '{target}'"
    if shell == "zsh":
        line = f"(( $+functions[compdef] )) || {{ autoload -Uz compinit && compinit }}; {line}"
    old = rc.read_text(encoding="utf-8") if rc.is_file() else ""
    if line not in old:
        separator = "" if not old or old.endswith("\n") else "\n"
        with rc.open("a", encoding="utf-8") as handle:
            handle.write(f"{separator}# tbtrack completion\n{line}\n")
        done.append(f"added a line to {rc} that loads it")
    else:
        done.append(f"{rc} loads it already")
    return done
