"""What every command is given: the global options, the data root, its settings and the one
output, each built when first asked for."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import UsageError
from ..messages import Message
from ..render.output import Output

if TYPE_CHECKING:
    from ..engine.status import Settings
    from ..files.config import Config
    from ..loading.dataset import Dataset, Naming


class Globals(NamedTuple):
    """The global options as given (a named tuple: a dataclass costs every run a millisecond
    to make)."""

    root: str | None = None
    as_of: str | None = None
    fmt: str = "table"
    lang: str | None = None
    color: bool = True
    workdays: bool = False
    rev: str | None = None
    within: int | None = None
    cache: bool = True  # --no-cache, or $TBTRACK_NO_CACHE=1: read every task file afresh
    bom: bool = False  # --bom: CSV starts with a UTF-8 byte-order mark


class Run:
    """One run of the program: its output exists before any option is read, for errors.

    A plain class: a dataclass costs every run a millisecond to make."""

    __slots__ = ("configured", "default_lang", "file_formats", "globals", "out")

    def __init__(self, out: Output | None = None) -> None:
        self.out = Output() if out is None else out
        self.globals = Globals()
        # what a command sets before it opens its session: `report`'s readers read
        # Vietnamese, and only `report` makes the file formats (html, xlsx)
        self.default_lang: str | None = None
        self.file_formats = False
        self.configured = False  # the output set from the options (`configure_output`)

    def lang(self) -> str:
        """The language of the run's messages: the output's once it is set up; before that
        (no data root found yet) --lang, the command's own default, else $LANG."""
        if self.configured:
            return self.out.lang
        return self.globals.lang or self.default_lang or lang_from_env()


def lang_from_env() -> str:
    return "vi" if os.environ.get("LANG", "").lower().startswith("vi") else "en"


def color_from_env() -> bool:
    return not os.environ.get("NO_COLOR")


def configure_output(run: Run, config: Config | None = None) -> Output:
    """The run's output set from the options (and the data root's settings, when there is one)."""
    from ..render.output import FORMATS

    g = run.globals
    lang = g.lang or (config.lang if config else None) or run.default_lang or lang_from_env()
    workdays = g.workdays or (config.workdays if config else False)
    fmt = g.fmt
    if fmt not in FORMATS:  # html, xlsx: a file `report` writes itself, no formatter
        if not run.file_formats:
            raise UsageError(f"--format {fmt} is for `tbtrack report` only")
        fmt = "table"
    run.out.configure(fmt, lang, g.color and color_from_env(), workdays, g.bom)
    run.configured = True
    return run.out


class Session:
    """A command's view of the data root: found, its settings read, the output configured."""

    def __init__(self, run: Run) -> None:
        from ..files.config import load_config
        from ..files.store import find_root

        self.g = run.globals
        self.root = find_root(self.g.root, os.environ, Path.cwd())
        self.config = load_config(self.root)
        self.workdays = self.g.workdays or self.config.workdays
        self.out = configure_output(run, self.config)
        self.loaded = False  # a dataset loaded from the working tree (`dataset`)

    def close(self) -> None:
        """The command is done: a cache its dataset left a child to write is written."""
        if self.loaded:
            from ..loading.split import wait_behind

            wait_behind()

    def today(self) -> dt.date:
        from ..cli.dates import ENV_TODAY, check_as_of, date_message, today_from_env

        try:
            given = today_from_env(os.environ, dt.date.today())
        except ValueError as exc:
            raise UsageError(date_message(exc)) from None
        return dt.date.today() if given is None else check_as_of(given, ENV_TODAY)

    def date(self, text: str, option: str) -> dt.date:
        from ..cli.dates import date_message, parse_cli_date

        try:
            return parse_cli_date(text, self.today())
        except ValueError as exc:
            raise UsageError(
                Message("option", {"option": option, "message": date_message(exc)})
            ) from None

    def as_of(self) -> dt.date:
        from ..cli.dates import check_as_of

        if self.g.as_of is None:
            return self.today()
        return check_as_of(self.date(self.g.as_of, "--as-of"), "--as-of")

    def settings(self) -> Settings:
        from ..engine.status import Settings

        calendar = None
        if self.workdays:
            from ..engine.workdays import WorkCalendar

            calendar = WorkCalendar(self.config.holidays, self.config.workdays_extra)
        window = self.g.within if self.g.within is not None else self.config.within
        return Settings(
            as_of=self.as_of(), window=7 if window is None else window, calendar=calendar
        )

    def dataset(self, naming: Naming | None = None) -> Dataset:
        """The data root's dataset (at --rev); `naming`: the query reads only tasks that name
        these agencies (`WorkingTree.load`)."""
        from ..loading.dataset import WorkingTree, load_dataset

        if self.g.rev:
            from ..review.gitio import Revision

            data = load_dataset(self.root, Revision(self.root, self.g.rev))
        else:
            tree = WorkingTree(self.root, use_cache=self.g.cache, write_behind=True)
            data = load_dataset(self.root, tree, naming)
            self.loaded = True
        KEPT.append(data)
        return data

    def task_dataset(self, text: str) -> Dataset:
        """What an answer about the one task `text` names needs: that task and the registry
        when they are enough to answer as the whole dataset would, else the whole dataset."""
        from ..loading.one_task import load_one, load_one_at

        if self.g.rev:
            from ..loading.dataset import load_dataset
            from ..review.gitio import Revision

            revision = Revision(self.root, self.g.rev)
            one = load_one_at(self.root, revision, revision.task_files(), text)
            data = one if one is not None else load_dataset(self.root, revision)
            KEPT.append(data)
            return data
        one = load_one(self.root, text, use_cache=self.g.cache)
        return one if one is not None else self.dataset()


# Every dataset a run reads lives until the run ends: the program leaves with os._exit
# (`__main__`), and freeing 10,000 decoded tasks one object at a time when a command returns
# would cost a twentieth of a listing. `app.run` lets go of the previous run's.
KEPT: list[object] = []
