"""What each command's `--help` shows below its options: one or two examples, written out as
they are typed, and the global options, which stand before or after the command (SPEC 5;
`argv.hoist_global_options`).

The examples are kept here, together, so that they read alike; the global options are the
main command's own, listed from it, so their help is written once (`app._globals`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer.core import TyperCommand, TyperGroup

from ..cli.argv import GLOBAL_OPTIONS

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter

# each as a user types it; a long one goes on over lines ending in " \\", as in a shell
EXAMPLES: dict[str, tuple[str, ...]] = {
    "tbtrack": (  # the main command
        'tbtrack due --agency "Bộ Tài chính"',
        'tbtrack done tgv-2025-06-06/2c --evidence "Báo cáo số 123/BC-BTC"',
    ),
    "due": (
        'tbtrack due --agency "Bộ Tài chính"',
        "tbtrack due --before 31/7/2025 --status overdue --format csv > han.csv",
    ),
    "overdue": (
        "tbtrack overdue",
        'tbtrack overdue --agency "Các bộ, ngành" --fail-on-overdue',
    ),
    "agency": (
        'tbtrack agency "Bộ Tài chính"',
        "tbtrack agency BTC --as-of 30/6/2025 --lang vi",
    ),
    "summary": (
        "tbtrack summary",
        "tbtrack summary --by notice --format markdown",
    ),
    "show": (
        "tbtrack show tgv-2025-06-06/2c",
        "tbtrack show 2c --workdays",
    ),
    "recurring": (
        "tbtrack recurring",
        'tbtrack recurring --from 1/1/2025 --to 31/12/2025 --agency "Bộ Tài chính"',
    ),
    "check": (
        "tbtrack check",
        "tbtrack check tasks/tgv-2025-06-06 --fix",
    ),
    "done": (
        'tbtrack done tgv-2025-06-06/2c --on 3/7/2025 --evidence "Báo cáo số 123/BC-BTC"',
        'tbtrack done tgv-2025-06-06/5a report --by "Bộ Tài chính" --by "Bộ Tư pháp" \\\n'
        "    --dry-run",
    ),
    "extend": (
        "tbtrack extend tgv-2025-06-06/2c complete --to 31/8/2025 \\\n"
        '    --evidence "Công văn số 456/VPCP-KGVX"',
    ),
    "cancel": (
        'tbtrack cancel tgv-2025-06-06/2c report --evidence "Thông báo số 50-TB/TGV"',
        'tbtrack cancel tgv-2025-06-06/2d --reason "Kết luận số 12-KL/TW"',
    ),
    "new": (
        'tbtrack new tgv-2025-06-06/7a --notice "Kết luận của Tổ Giúp việc" \\\n'
        '    --date 6/6/2025 --section 7.a --title "Rà soát thủ tục hành chính" \\\n'
        '    --lead "Bộ Tư pháp" --by 30/9/2025',
    ),
    "add-obligation": (
        "tbtrack add-obligation tgv-2025-06-06/2c report --kind report --before 15/6/2025",
        "tbtrack add-obligation tgv-2025-06-06/2c monthly --kind report --every monthly \\\n"
        '    --start 1/7/2025 --who "Bộ Tài chính"',
    ),
    "init": (
        "tbtrack init",
        "tbtrack init theo-doi --dry-run",
    ),
    "import": (
        "tbtrack import 47-TB-TGV.pdf --dry-run",
        "tbtrack import thong-bao.docx --folder tb-2025-07-01 --date 1/7/2025",
    ),
    "diff": (
        "tbtrack diff",
        "tbtrack diff HEAD~3 HEAD --format markdown --fail-on-flags",
    ),
    "log": ("tbtrack log tgv-2025-06-06/2c",),
    "report": (
        "tbtrack report -o bao-cao-thang-6.xlsx",
        "tbtrack report --as-of 30/6/2025 --compare 31/5/2025 -o bao-cao.html",
    ),
    "ical": (
        "tbtrack ical -o han.ics",
        'tbtrack ical --agency "Bộ Tài chính" --todo -o btc.ics',
    ),
    "schema": ("tbtrack schema task > task.schema.json",),
    "completion": (
        "tbtrack completion bash --install",
        "tbtrack completion fish > ~/.config/fish/completions/tbtrack.fish",
    ),
}


def write_examples(ctx: Context, formatter: HelpFormatter) -> None:
    examples = EXAMPLES.get(ctx.info_name or "", ())
    if examples:
        with formatter.section("Examples"):
            for example in examples:  # as typed: never wrapped, never joined
                for line in example.splitlines():
                    formatter.write(f"{'':>{formatter.current_indent}}{line}\n")


class MainHelp(TyperGroup):
    """`tbtrack --help`: the commands, then examples."""

    def format_epilog(self, ctx: Context, formatter: HelpFormatter) -> None:
        write_examples(ctx, formatter)
        super().format_epilog(ctx, formatter)


class CommandHelp(TyperCommand):
    """A command whose help ends with its examples and the global options."""

    def format_epilog(self, ctx: Context, formatter: HelpFormatter) -> None:
        write_examples(ctx, formatter)
        root = ctx.find_root()
        records = [
            record
            for param in root.command.get_params(root)
            if set(param.opts) & set(GLOBAL_OPTIONS)
            and (record := param.get_help_record(root)) is not None
        ]
        with formatter.section("Global options (before or after the command)"):
            formatter.write_dl(records)
        super().format_epilog(ctx, formatter)
