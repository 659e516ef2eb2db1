"""The geometry of a chart the server draws as SVG (``templates/metrics/_chart.html``), and how its
labels and the tables' cells are written in the reader's language (through Babel, never by hand)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal, parse_pattern

from club.core.i18n import current_language
from club.core.templating import format_local, number
from club.metrics.tables import Month

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 8, 28, 16
MAX_BAR = 64  # a lone bar stays a bar, not a wall


@dataclass
class Mark:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


def scale_top(values: list[float], percent: bool = False) -> float:
    """The value at the top of the chart: 100% for shares up to 1, else the largest value (at least 1)."""
    largest = max([v for v in values if v is not None] or [0])
    if percent:
        return max(1.0, largest)
    return max(1.0, float(largest))


def axis_label(value) -> str:
    """What names a bar or point: a month by its name ("Mar", «март»), a date in full, text as it is."""
    if isinstance(value, Month):
        return format_local(value, "month")
    if isinstance(value, date):
        return format_local(value, "day_month")
    return str(value)


def percent(share: float | None, decimals: int = 0) -> str:
    """A share (0–1) as a percentage the reader's way: "12.5%", «12,5 %»."""
    if share is None:
        return ""
    language = current_language()
    return _percent_pattern(language, decimals).apply(share, _locale(language))


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@lru_cache(maxsize=16)
def _percent_pattern(language: str, decimals: int):
    pattern = parse_pattern(_locale(language).percent_formats[None].pattern)  # "#,##0%", «#,##0 %»
    pattern.frac_prec = (decimals, decimals)
    return pattern


def amount(value: float | None) -> str:
    """A value on a bar, the reader's way (3.5, «3,5»)."""
    return number(value)


def _number(value: int | float) -> str:
    """``club.core.templating.number`` for a table's many cells, without parsing the locale each time.
    Under 1,000 an integer is written the same in every language the club speaks (no grouping)."""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)
    return format_decimal(value, locale=_locale(current_language()))


def cell(value) -> str:
    """A plain cell of a table: a month as "2026-03", a date in the reader's language, a number their way."""
    if isinstance(value, Month):
        return value.isoformat()
    if isinstance(value, date):
        return format_local(value, "date")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return value


def marks(labels: list[str], values: list[float | None], percent: bool = False) -> list[Mark]:
    """One bar (or point) per value, in a WIDTH × HEIGHT box, bottom-up; missing values draw as 0."""
    if not values:
        return []
    top = scale_top(values, percent)
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(values)
    out = []
    for i, (label, value) in enumerate(zip(labels, values)):
        v = float(value or 0)
        h = plot * v / top
        width = min(slot * 0.7, MAX_BAR)
        out.append(Mark(round(LEFT + i * slot + (slot - width) / 2, 1), round(TOP + plot - h, 1), round(width, 1),
                        round(h, 1), axis_label(label), v))
    return out


def polyline(points: list[Mark]) -> str:
    """The ``points`` attribute of a line through the middle top of each mark."""
    return " ".join(f"{m.x + m.width / 2},{m.y}" for m in points)
