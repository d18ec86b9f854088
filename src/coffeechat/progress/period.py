"""The period a progress page looks at: the last 30, 90 or 365 local days, or all time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from coffeechat.core.calendar import local_today
from coffeechat.followups.counters import local_range

CHOICES: dict[str, str] = {
    "30": "Last 30 days",
    "90": "Last 90 days",
    "365": "Last 365 days",
    "all": "All time",
}
DEFAULT = "90"


@dataclass(frozen=True, slots=True)
class Period:
    key: str
    first_day: datetime.date | None  # None: all time
    last_day: datetime.date  # today, in the user's zone
    begin: datetime.datetime | None
    end: datetime.datetime

    @property
    def label(self) -> str:
        return CHOICES[self.key]

    def instants(self, field: str) -> dict[str, datetime.datetime]:
        """Filter keywords: ``field`` within the period (local days, today included)."""
        found = {f"{field}__lt": self.end}
        if self.begin is not None:
            found[f"{field}__gte"] = self.begin
        return found

    def days(self, field: str) -> dict[str, datetime.date]:
        """Filter keywords: the date ``field`` within the period."""
        found = {f"{field}__lte": self.last_day}
        if self.first_day is not None:
            found[f"{field}__gte"] = self.first_day
        return found


def period_for(user: Any, key: str | None) -> Period:
    """The period named ``key`` (an unknown or missing key gives the default)."""
    key = key if key in CHOICES else DEFAULT
    today = local_today(user)
    first = None if key == "all" else today - datetime.timedelta(days=int(key) - 1)
    begin, end = local_range(user, first or today, today)
    return Period(key, first, today, begin if first else None, end)
