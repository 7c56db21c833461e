"""`tbtrack.toml`: optional settings of a data root; each has a command-line option too."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..files.store import CONFIG_FILE

KNOWN = {"within", "lang", "workdays", "holidays", "workdays_extra"}
MAX_WITHIN = 3660  # ten years of days: a longer due-soon window is a typing error


@dataclass(frozen=True)
class Config:
    within: int | None = None  # the due-soon window W, in days
    lang: str | None = None
    workdays: bool = False
    holidays: tuple[dt.date, ...] = field(default=())  # extra days off
    workdays_extra: tuple[dt.date, ...] = field(default=())  # weekend days worked


def load_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
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
        not isinstance(within, int) or isinstance(within, bool) or not 0 <= within <= MAX_WITHIN
    ):
        raise UsageError(
            f"{path}: error: within must be a whole number of days, 0 to {MAX_WITHIN} [config]"
        )
    lang = data.get("lang")
    if lang is not None and lang not in ("vi", "en"):
        raise UsageError(f"{path}: error: lang must be 'vi' or 'en' [config]")
    workdays = data.get("workdays", False)
    if not isinstance(workdays, bool):
        raise UsageError(f"{path}: error: workdays must be true or false [config]")
    return Config(
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
    return tuple(values)
