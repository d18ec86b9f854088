"""Geometry for the server-drawn SVG charts: plain numbers the templates place.

No JavaScript, no styles in attributes: the templates give each shape a class from the
project's stylesheet. Every chart is shown with a table of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coffeechat.progress.funnel import Step
from coffeechat.progress.stats import Rate
from coffeechat.progress.weekly import Weekly

WIDTH = 640
ROW = 26
LABEL = 280  # room for the labels on the left of a horizontal bar chart


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    text_x: float = 0
    text_y: float = 0
    low_x: float | None = None  # an interval's ends, for rates
    high_x: float | None = None

    @property
    def mid_y(self) -> float:
        return round(self.y + self.height / 2, 1)


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    target_y: float | None = None  # a dashed line: the weekly target
    title: str = ""


def _scale(value: float, top: float, room: float) -> float:
    return round(room * value / top, 1) if top > 0 else 0.0


def funnel_chart(steps: Sequence[Step]) -> Chart:
    top = max((s.count or 0 for s in steps), default=0)
    room = WIDTH - LABEL - 60
    bars = []
    for index, step in enumerate(steps):
        y = index * ROW + 4
        width = _scale(step.count or 0, top, room)
        value = "not recorded" if step.count is None else str(step.count)
        bars.append(
            Bar(LABEL, y, width, ROW - 8, step.label, value, LABEL + width + 6, y + ROW - 12)
        )
    return Chart(WIDTH, len(steps) * ROW + 8, bars, title="Funnel")


def rates_chart(rates: Sequence[Rate]) -> Chart:
    """Reply rates in percent with their intervals; groups with too few are left out."""
    room = WIDTH - LABEL - 120
    shown = [r for r in rates if r.enough]
    bars = []
    for index, rate in enumerate(shown):
        y = index * ROW + 4
        width = _scale(rate.percent or 0, 100, room)
        bars.append(
            Bar(
                LABEL,
                y,
                width,
                ROW - 8,
                rate.label,
                f"{rate.percent}% ({rate.low}–{rate.high}%)",
                LABEL + room + 6,
                y + ROW - 12,
                LABEL + _scale(rate.low or 0, 100, room),
                LABEL + _scale(rate.high or 0, 100, room),
            )
        )
    return Chart(WIDTH, max(1, len(shown)) * ROW + 8, bars)


WEEK_HEIGHT = 120


def weekly_chart(data: Weekly, key: str, target: int | None) -> Chart:
    """One measure as columns, one per week, with the target as a dashed line."""
    values = [week.counts.get(key, 0) for week in data.weeks]
    top = max([*values, target or 0, 1])
    column = WIDTH / max(1, len(values))
    room = WEEK_HEIGHT - 30
    bars = []
    for index, (week, value) in enumerate(zip(data.weeks, values, strict=True)):
        height = _scale(value, top, room)
        x = round(index * column + 4, 1)
        y = 10 + room - height
        bars.append(
            Bar(
                x,
                y,
                round(column - 8, 1),
                height,
                week.label,
                str(value),
                round(x + (column - 8) / 2, 1),
                WEEK_HEIGHT - 6,
            )
        )
    target_y = None if target is None else 10 + room - _scale(target, top, room)
    return Chart(WIDTH, WEEK_HEIGHT, bars, target_y)
