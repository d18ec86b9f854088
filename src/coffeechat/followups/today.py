"""The today list: overdue, today and the next seven days, in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import owned
from coffeechat.followups.counters import Progress, weekly_progress
from coffeechat.followups.models import ACTIVE, FollowUp, FollowUpSettings, Status
from coffeechat.followups.schedule import week_bounds
from coffeechat.followups.services import settings_for

HORIZON_DAYS = 7
CLOSED_DAYS = 7  # "Closed lately" looks this far back
CLOSED_SHOWN = 10


@dataclass
class TodayList:
    today: datetime.date
    overdue: list[FollowUp] = field(default_factory=list)
    due_today: list[FollowUp] = field(default_factory=list)
    upcoming: list[FollowUp] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    settings: FollowUpSettings | None = None
    closed: list[FollowUp] = field(default_factory=list)  # closed lately, with the reason

    @property
    def groups(self) -> list[tuple[str, str, list[FollowUp]]]:
        return [
            ("overdue", "Overdue", self.overdue),
            ("today", "Today", self.due_today),
            ("upcoming", "Next 7 days", self.upcoming),
        ]

    @property
    def count_now(self) -> int:
        return len(self.overdue) + len(self.due_today)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.upcoming)


def today_list(owner: Any, now: datetime.datetime | None = None) -> TodayList:
    today = local_today(owner, now)
    items = (
        owned(FollowUp, owner)
        .filter(status__in=ACTIVE)
        .filter(remind_on__lte=today + datetime.timedelta(days=HORIZON_DAYS))
        .select_related("person", "organization", "message")
        .order_by("remind_on", "due_at", "kind", "pk")
    )
    result = TodayList(today=today, settings=settings_for(owner))
    for item in items:
        if item.remind_on < today:
            result.overdue.append(item)
        elif item.remind_on == today:
            result.due_today.append(item)
        else:
            result.upcoming.append(item)
    since = (now or timezone.now()) - datetime.timedelta(days=CLOSED_DAYS)
    result.closed = list(
        owned(FollowUp, owner)
        .filter(status__in=[Status.DONE, Status.RETIRED], updated_at__gte=since)
        .exclude(closed_reason="")
        .select_related("person")
        .order_by("-updated_at", "-pk")[:CLOSED_SHOWN]
    )
    start, end = week_bounds(today)
    result.progress = weekly_progress(owner, result.settings, start, end)
    return result


def due_counts(owner: Any, now: datetime.datetime | None = None) -> dict[str, int]:
    """Overdue and due today, in one query (for the navigation)."""
    today = local_today(owner, now)
    counts = (
        owned(FollowUp, owner)
        .filter(status__in=ACTIVE)
        .aggregate(
            overdue=Count("pk", filter=Q(remind_on__lt=today)),
            today=Count("pk", filter=Q(remind_on=today)),
        )
    )
    return {"overdue": counts["overdue"] or 0, "today": counts["today"] or 0}
