"""Small-number honesty: the threshold, the Wilson interval, the median.

A rate from fewer than :data:`MIN_COUNT` messages is "too few to tell"; otherwise it
comes with a Wilson score 95% interval, which stays inside 0–100% and is honest for
small counts (unlike the normal approximation).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIN_COUNT = 5  # fewer messages than this in a group: "too few to tell"
Z_95 = 1.959963984540054


def wilson(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for ``successes`` of ``total``, as fractions (0–1)."""
    if total <= 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True, slots=True)
class Rate:
    """``replied`` of ``sent`` for one group of messages."""

    key: str
    label: str
    sent: int
    replied: int

    @property
    def enough(self) -> bool:
        return self.sent >= MIN_COUNT

    @property
    def percent(self) -> int | None:
        return round(100 * self.replied / self.sent) if self.sent else None

    @property
    def low(self) -> int | None:
        """The interval's lower end in percent; None when there are too few to tell."""
        return round(100 * wilson(self.replied, self.sent)[0]) if self.enough else None

    @property
    def high(self) -> int | None:
        return round(100 * wilson(self.replied, self.sent)[1]) if self.enough else None


@dataclass(frozen=True, slots=True)
class Duration:
    """The median of some durations in days, and how many there were."""

    label: str
    median_days: float | None
    count: int


def median_days(label: str, days: Sequence[float]) -> Duration:
    if not days:
        return Duration(label, None, 0)
    return Duration(label, round(statistics.median(days), 1), len(days))
