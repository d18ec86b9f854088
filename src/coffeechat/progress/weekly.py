"""Weekly activity against the weekly targets, over the last weeks (local Monday to Sunday).

Notes and conversations are counted by the follow-up app's counters (the same numbers
as the Today page's "this week"), with the targets from the follow-up settings.
Thank-yous and follow-ups have no target: they are shown as done. A constant number of
queries: one per counter (for every week at once), one for thank-yous, one for follow-ups.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.scoping import owned
from coffeechat.followups.counters import local_range, progress_by_week
from coffeechat.followups.models import FollowUp
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.followups.services import settings_for
from coffeechat.outreach.models import Purpose
from coffeechat.outreach.services.reading import went_out

WEEKS = 12


@dataclass(slots=True)
class Week:
    first_day: datetime.date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def last_day(self) -> datetime.date:
        return self.first_day + datetime.timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.first_day:%d %b}"


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    label: str
    target: int | None


@dataclass(frozen=True, slots=True)
class Weekly:
    weeks: list[Week]
    measures: list[Measure]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly(user: Any, weeks: int = WEEKS) -> Weekly:
    """The last ``weeks`` weeks, oldest first, the current (unfinished) week last."""
    this_monday = _monday(local_today(user))
    rows = [Week(this_monday - datetime.timedelta(weeks=n)) for n in reversed(range(weeks))]
    settings = settings_for(user)
    targets: dict[str, int] = {}
    labels = {"outreach": "First notes", "conversation": "Conversations"}
    found = progress_by_week(user, settings, [(week.first_day, week.last_day) for week in rows])
    for week, progress_of_week in zip(rows, found, strict=True):
        for progress in progress_of_week:
            week.counts[progress.name] = progress.done
            targets[progress.name] = progress.target
    zone = user_zone(user)
    begin, end = local_range(user, rows[0].first_day, rows[-1].last_day)
    by_monday = {week.first_day: week for week in rows}
    for week in rows:
        week.counts.update(thank_you=0, on_time=0, late=0)
    for (sent_at,) in (
        went_out(user)
        .filter(purpose=Purpose.THANK_YOU, sent_at__gte=begin, sent_at__lt=end)
        .values_list("sent_at")
    ):
        if sent_at is not None:
            by_monday[_monday(sent_at.astimezone(zone).date())].counts["thank_you"] += 1
    for done_at, due_on in (
        owned(FollowUp, user)
        .filter(status=FollowUpStatus.DONE, done_at__gte=begin, done_at__lt=end)
        .values_list("done_at", "due_on")
    ):
        if done_at is None:
            continue
        day = done_at.astimezone(zone).date()
        by_monday[_monday(day)].counts["on_time" if day <= due_on else "late"] += 1
    measures = [
        Measure(name, labels.get(name, name), targets.get(name))
        for name in labels
        if name in targets
    ]
    measures += [
        Measure("thank_you", "Thank-yous", None),
        Measure("on_time", "Follow-ups done on time", None),
        Measure("late", "Follow-ups done later", None),
    ]
    return Weekly(rows, measures)
