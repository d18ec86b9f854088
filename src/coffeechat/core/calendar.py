"""Business days and local time, shared by outreach (nudge dates) and follow-ups.

Business days skip Saturdays, Sundays and the public holidays of the user's
country (the holidays package). Without a country only weekends are skipped.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache
from typing import Any

import holidays


@lru_cache(maxsize=64)
def _holidays_for(country: str, year: int) -> frozenset[datetime.date]:
    if not country:
        return frozenset()
    try:
        calendar = holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(calendar.keys())


def is_business_day(day: datetime.date, country: str = "") -> bool:
    return day.weekday() < 5 and day not in _holidays_for(country, day.year)


def add_business_days(start: datetime.date, days: int, country: str = "") -> datetime.date:
    """The date ``days`` business days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_business_day(day, country):
            counted += 1
    return day


def business_days_between(start: datetime.date, end: datetime.date, country: str = "") -> int:
    """Business days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_business_day(day, country):
            count += 1
    return count


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone of that name, UTC when empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def user_zone(user: Any) -> zoneinfo.ZoneInfo:
    """The user's time zone from their profile, UTC when unset or unknown."""
    profile = getattr(user, "profile", None)
    return zone_named(getattr(profile, "time_zone", ""))


def user_country(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "country", "") or ""


def local_today(user: Any, now: datetime.datetime | None = None) -> datetime.date:
    from django.utils import timezone

    moment = now or timezone.now()
    return moment.astimezone(user_zone(user)).date()
