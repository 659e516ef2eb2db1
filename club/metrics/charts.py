"""The geometry of a chart the server draws as SVG (``templates/metrics/_chart.html``). Pure."""
from __future__ import annotations

from dataclasses import dataclass

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
                        round(h, 1), str(label), v))
    return out


def polyline(points: list[Mark]) -> str:
    """The ``points`` attribute of a line through the middle top of each mark."""
    return " ".join(f"{m.x + m.width / 2},{m.y}" for m in points)
