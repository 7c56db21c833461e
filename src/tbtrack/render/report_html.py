"""The monthly report as one self-contained HTML page (SPEC 5.3).

Rendered by Jinja2 with autoescaping from `templates/report.html.j2`: every text that comes
from a task file or the registry is escaped there, never pasted into markup here. The page
needs no network and no JavaScript; its CSS is inline, its chart an inline SVG whose geometry
is computed below, so the template only draws it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..queries.report_data import MonthlyReport
from .report_labels import (
    COMPARED,
    FOUR_WAY,
    change_text,
    count_headers,
    day_text,
    kind_word,
    meta_text,
    notice_headers,
    rate_text,
    report_word,
    status_word,
)

if TYPE_CHECKING:
    from jinja2 import Template

TEMPLATES = Path(__file__).parent / "templates"

# chart geometry, in SVG user units (about CSS pixels at full width)
BAR_HEIGHT = 16
ROW_PITCH = 24
LEGEND_HEIGHT = 34
BAR_AREA = 380
NUMBER_AREA = 48
CHAR_WIDTH = 6.4  # an average glyph of 12px sans-serif text, Vietnamese marks included
LABEL_MIN, LABEL_MAX = 120, 300


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    x: float
    width: float
    value: int


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    label: str  # shortened to fit the label area
    name: str
    segments: list[Segment]
    total: int
    total_x: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: float
    height: float
    label_width: float
    bars: list[Bar]
    legend: list[tuple[str, str, float]]  # (key, label, x)


def build_chart(report: MonthlyReport, lang: str) -> Chart:
    """A horizontal bar per row of part 2, stacked done / done-late / open / overdue; a row
    with nothing in the four-way count (only ongoing or undated pairs) has no bar to draw."""
    rows = [row for row in report.counts if row.counts.total]
    longest = max((len(row.name) for row in rows), default=0)
    label_width = min(LABEL_MAX, max(LABEL_MIN, longest * CHAR_WIDTH + 8))
    fits = int((label_width - 8) / CHAR_WIDTH)
    largest = max((row.counts.total for row in rows), default=0)
    scale = BAR_AREA / largest if largest else 0.0
    bars = []
    for i, row in enumerate(rows):
        x = label_width
        segments = []
        for key in FOUR_WAY:
            value = int(row.counts.value(key) or 0)
            if value:
                segments.append(Segment(key, round(x, 2), round(value * scale, 2), value))
                x += value * scale
        label = row.name if len(row.name) <= fits else row.name[: fits - 1].rstrip() + "…"
        y = LEGEND_HEIGHT + i * ROW_PITCH
        bars.append(Bar(y, label, row.name, segments, row.counts.total, round(x + 6, 2)))
    legend, x = [], label_width
    for key in FOUR_WAY:
        text = report_word(key, lang)
        legend.append((key, text, x))
        x += 22 + len(text) * CHAR_WIDTH * 0.95
    width = max(label_width + BAR_AREA + NUMBER_AREA, x)
    height = LEGEND_HEIGHT + len(rows) * ROW_PITCH
    return Chart(round(width), height, label_width, bars, legend)


def trend(key: str, change: int | float | None) -> str:
    """`up` when a change since D0 is good news, `down` when it is bad, else empty: more done
    on time or a higher rate is better, more overdue worse, the other counts just move."""
    if key == "on_time_rate" and change is not None:
        change = round(change * 100)  # as shown: in whole percentage points
    if not change or key not in ("done", "on_time_rate", "overdue"):
        return ""
    better = change < 0 if key == "overdue" else change > 0
    return "up" if better else "down"


@functools.cache
def _template() -> Template:
    import jinja2  # a listing never pays for the template engine

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["day"] = day_text
    environment.filters["rate"] = rate_text
    return environment.get_template("report.html.j2")


def render_html(report: MonthlyReport, lang: str) -> str:
    """The page as text; the caller writes it (to a temporary file it then renames)."""
    context: dict[str, Any] = {
        "report": report,
        "lang": lang,
        "chart": build_chart(report, lang),
        "bar_height": BAR_HEIGHT,
        "headers": count_headers(report.by, lang),
        "meta": meta_text(report.as_of, report.compare, lang),
        "notice_headers": notice_headers(lang),
        "four_way": FOUR_WAY,
        "compared": COMPARED,
        "trend": trend,
        "w": functools.partial(report_word, lang=lang),
        "kind": functools.partial(kind_word, lang=lang),
        "status": functools.partial(status_word, lang=lang),
        "change": functools.partial(change_text, lang=lang),
        "chase_range": report_word("chase_range", lang).format(
            start=day_text(report.as_of, lang),
            end=day_text(report.as_of + dt.timedelta(days=report.next_days), lang),
        ),
    }
    return _template().render(context)
