"""Weekly-target progress: the counters, one query each, listed in ``COUNTERS``.

A counter ``count(owner, week_start, week_end) -> int`` counts what the user did in
that week (local dates, both ends included). Its target comes from the user's
settings: ``weekly_<name>_target``. To add one, write the function here and add it
to ``COUNTERS`` (and the target field to ``FollowUpSettings``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coffeechat.conversations.models import Conversation
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import user_zone
from coffeechat.outreach import purposes
from coffeechat.outreach.models import Message

CounterFunction = Callable[[Any, datetime.date, datetime.date], int]


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


def count_first_notes(owner: Any, start: datetime.date, end: datetime.date) -> int:
    """First notes sent (nudges and thank-yous do not count)."""
    begin, finish = local_range(owner, start, end)
    return Message.objects.filter(
        owner=owner, purpose__in=purposes.FIRST_NOTES, sent_at__gte=begin, sent_at__lt=finish
    ).count()


def count_conversations(owner: Any, start: datetime.date, end: datetime.date) -> int:
    """Conversations held or planned in the week (cancelled ones do not count)."""
    begin, finish = local_range(owner, start, end)
    return (
        Conversation.objects.filter(owner=owner, starts_at__gte=begin, starts_at__lt=finish)
        .exclude(status=ConversationStatus.CANCELLED)
        .count()
    )


COUNTERS: tuple[Counter, ...] = (
    Counter("outreach", "New outreach messages", count_first_notes),
    Counter("conversation", "Conversations", count_conversations),
)


def weekly_progress(
    owner: Any, settings: Any, week_start: datetime.date, week_end: datetime.date
) -> list[Progress]:
    """Each counter with a target (``weekly_<name>_target`` on the settings)."""
    rows = []
    for counter in COUNTERS:
        target = getattr(settings, f"weekly_{counter.name}_target", None)
        if target is None:
            continue
        rows.append(
            Progress(
                counter.name, counter.label, counter.count(owner, week_start, week_end), target
            )
        )
    return rows
