"""Weekly-target progress: the counters, one query each, listed in ``COUNTERS``.

A counter ``count(owner, weeks) -> [int, ...]`` counts what the user did in each of
``weeks`` (pairs of local dates, both ends included), in one query whatever their
number (the progress page asks for twelve weeks at once). Its target comes from the
user's settings: ``weekly_<name>_target``. To add one, write the function here and add
it to ``COUNTERS`` (and the target field to ``FollowUpSettings``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from coffeechat.conversations.models import Conversation
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import user_zone
from coffeechat.outreach import purposes
from coffeechat.outreach.models import Message

Week = tuple[datetime.date, datetime.date]  # first and last local day

CounterFunction = Callable[[Any, Sequence[Week]], list[int]]


@dataclass(frozen=True)
class Counter:
    name: str
    label: str
    count: CounterFunction


@dataclass(frozen=True)
class Progress:
    name: str
    label: str
    done: int
    target: int

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 100
        return min(100, round(100 * self.done / self.target))

    @property
    def met(self) -> bool:
        return self.done >= self.target


def local_range(
    owner: Any, start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants that bound local days ``start``..``end`` (inclusive) for ``owner``."""
    zone = user_zone(owner)
    begin = datetime.datetime.combine(start, datetime.time(), tzinfo=zone)
    finish = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
    )
    return begin, finish


def count_in_weeks(
    queryset: QuerySet[Any], field: str, owner: Any, weeks: Sequence[Week]
) -> list[int]:
    """How many rows of ``queryset`` have ``field`` within each of ``weeks``: one query."""
    if not weeks:
        return []
    ranges = [local_range(owner, start, end) for start, end in weeks]
    counts = queryset.filter(
        **{f"{field}__gte": min(b for b, _f in ranges), f"{field}__lt": max(f for _b, f in ranges)}
    ).aggregate(
        **{
            f"week{i}": Count("pk", filter=Q(**{f"{field}__gte": begin, f"{field}__lt": finish}))
            for i, (begin, finish) in enumerate(ranges)
        }
    )
    return [counts[f"week{i}"] or 0 for i in range(len(ranges))]


def count_first_notes(owner: Any, weeks: Sequence[Week]) -> list[int]:
    """First notes sent (nudges and thank-yous do not count)."""
    notes = Message.objects.filter(owner=owner, purpose__in=purposes.FIRST_NOTES)
    return count_in_weeks(notes, "sent_at", owner, weeks)


def count_conversations(owner: Any, weeks: Sequence[Week]) -> list[int]:
    """Conversations held or planned in the week (cancelled ones do not count)."""
    conversations = Conversation.objects.filter(owner=owner).exclude(
        status=ConversationStatus.CANCELLED
    )
    return count_in_weeks(conversations, "starts_at", owner, weeks)


COUNTERS: tuple[Counter, ...] = (
    Counter("outreach", "New outreach messages", count_first_notes),
    Counter("conversation", "Conversations", count_conversations),
)


def weekly_progress(
    owner: Any, settings: Any, week_start: datetime.date, week_end: datetime.date
) -> list[Progress]:
    """Each counter with a target (``weekly_<name>_target`` on the settings)."""
    return progress_by_week(owner, settings, [(week_start, week_end)])[0]


def progress_by_week(owner: Any, settings: Any, weeks: Sequence[Week]) -> list[list[Progress]]:
    """:func:`weekly_progress` for each of ``weeks``, in one query per counter."""
    found: list[list[Progress]] = [[] for _week in weeks]
    for counter in COUNTERS:
        target = getattr(settings, f"weekly_{counter.name}_target", None)
        if target is None:
            continue
        for rows, done in zip(found, counter.count(owner, weeks), strict=True):
            rows.append(Progress(counter.name, counter.label, done, target))
    return found
