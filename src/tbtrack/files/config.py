"""`tbtrack.toml`: optional settings of a data root; each has a command-line option too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from ..errors import UsageError
from ..files.schedule import FIRST_YEAR, LAST_YEAR
from ..files.store import CONFIG_FILE

KNOWN = {"within", "lang", "workdays", "holidays", "workdays_extra", "title"}
# A due-soon window longer than a century is a typo; it is also where adding it to a date of
# the format's calendar (up to 2200) would leave Python's dates (OverflowError).
MAX_WITHIN_DAYS = 36_500


class Config(NamedTuple):
    within: int | None = None  # the due-soon window W, in days
    lang: str | None = None
    workdays: bool = False
    holidays: tuple[dt.date, ...] = ()  # extra days off
    workdays_extra: tuple[dt.date, ...] = ()  # weekend days worked
    title: str | None = None  # the monthly report's title (SPEC 5.3)


def load_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    import tomllib  # only when there is a tbtrack.toml to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: error: {exc} [config]") from None
    unknown = set(data) - KNOWN
    if unknown:
        raise UsageError(
            f"{path}: error: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(KNOWN))} [config]"
        )
    within = data.get("within")
    if within is not None and (
        not isinstance(within, int) or isinstance(within, bool) or within < 0
    ):
        raise UsageError(f"{path}: error: within must be a whole number of days [config]")
    if within is not None and within > MAX_WITHIN_DAYS:
        raise UsageError(
            f"{path}: error: within is at most {MAX_WITHIN_DAYS:,} days, not {within:,} [config]"
        )
    lang = data.get("lang")
    if lang is not None and lang not in ("vi", "en"):
        raise UsageError(f"{path}: error: lang must be 'vi' or 'en' [config]")
    workdays = data.get("workdays", False)
    if not isinstance(workdays, bool):
        raise UsageError(f"{path}: error: workdays must be true or false [config]")
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise UsageError(f"{path}: error: title must be a non-empty string [config]")
    return Config(
        title=title.strip() if title else None,
        within=within,
        lang=lang,
        workdays=workdays,
        holidays=_dates(path, data, "holidays"),
        workdays_extra=_dates(path, data, "workdays_extra"),
    )


def _dates(path: Path, data: dict[str, object], key: str) -> tuple[dt.date, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(
        isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values
    ):
        raise UsageError(f"{path}: error: {key} must be a list of dates like [2025-09-01] [config]")
    for value in values:
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise UsageError(
                f"{path}: error: {key}: {value.isoformat()} is out of range: dates are from "
                f"{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31 [config]"
            )
    return tuple(values)
