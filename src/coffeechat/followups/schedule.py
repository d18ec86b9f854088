"""When each rule's follow-up is due: pure functions, no database, no clock.

Every function takes the moment or date it works from and the user's time zone
or country, so the tests can cover weekends, public holidays, time zones and
daylight-saving changes without freezing anything but the arguments.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Due:
    """A due date (the user's local day) and, when it matters, an instant (UTC)."""

    on: datetime.date
    at: datetime.datetime | None = None


def local_moment(
    day: datetime.date, hour: int, zone: zoneinfo.ZoneInfo, minute: int = 0
) -> datetime.datetime:
    """``hour:minute`` local on ``day`` as an aware UTC datetime (a gap hour moves forward)."""
    naive = datetime.datetime.combine(day, datetime.time(hour, minute))
    local = naive.replace(tzinfo=zone)
    # A wall time skipped by a daylight-saving change does not exist: round-tripping
    # through UTC moves it forward, which is what a person would expect.
    return local.astimezone(datetime.UTC)


def thank_you_due(
    ended_at: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    *,
    timing: str = "same_day",
    morning_hour: int = 9,
) -> Due:
    """A thank-you: the same local day as the conversation ended, or the next morning."""
    local_end = ended_at.astimezone(zone)
    if timing == "next_morning":
        day = local_end.date() + datetime.timedelta(days=1)
        return Due(day, local_moment(day, morning_hour, zone))
    return Due(local_end.date(), ended_at.astimezone(datetime.UTC))


def debrief_due(ended_at: datetime.datetime, zone: zoneinfo.ZoneInfo, *, minutes: int = 60) -> Due:
    """A debrief reminder ``minutes`` after the conversation ended."""
    at = (ended_at + datetime.timedelta(minutes=minutes)).astimezone(datetime.UTC)
    return Due(at.astimezone(zone).date(), at)


def prepare_due(starts_at: datetime.datetime, zone: zoneinfo.ZoneInfo) -> Due:
    """Preparation: the local day before the conversation starts."""
    return Due(starts_at.astimezone(zone).date() - datetime.timedelta(days=1))


def keep_in_touch_due(
    *,
    since: datetime.date,
    last_contacted_on: datetime.date | None,
    every_days: int | None,
    next_check_in_on: datetime.date | None,
    may_keep_in_touch: bool = True,
) -> datetime.date | None:
    """The next keep-in-touch date, as the person asked; None when they did not ask.

    A named date ("in the spring" → the date the user chose) wins while it is still
    ahead of the last contact; otherwise the cadence counts from the last contact
    (or from ``since``, when the person was added, if never contacted).
    """
    if not may_keep_in_touch:
        return None
    if next_check_in_on is not None and (
        last_contacted_on is None or next_check_in_on > last_contacted_on
    ):
        return next_check_in_on
    if every_days:
        return (last_contacted_on or since) + datetime.timedelta(days=every_days)
    return None


def supervisor_check_in_due(
    *, since: datetime.date, last_contacted_on: datetime.date | None, every_days: int = 90
) -> datetime.date:
    """Check in with a prospective supervisor with nothing open: every ``every_days``."""
    return (last_contacted_on or since) + datetime.timedelta(days=every_days)


def promise_due(
    said_on: datetime.date, due_on: datetime.date | None = None, *, default_days: int = 7
) -> datetime.date:
    """A promise from a debrief: on the date named, else a week after it was made."""
    return due_on or said_on + datetime.timedelta(days=default_days)


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of ``day``'s week."""
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def digest_is_due(now: datetime.datetime, zone: zoneinfo.ZoneInfo, hour: int) -> bool:
    """Whether the user's digest time has come today, in their own time zone."""
    return now.astimezone(zone).hour >= hour
