"""Weekly-target progress: a small registry of counters, one query each.

``register_counter(name, label, fn)`` where ``fn(owner, week_start, week_end) -> int``
counts what the user did in that week (local dates, both ends included). The
targets come from the user's settings: ``weekly_<name>_target``. The timeline
counters below are defaults; ``wiring.py`` replaces them with counts of first notes
sent and of conversations.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coffeechat.core.calendar import user_zone
from coffeechat.network.models import Direction, Interaction, InteractionKind

CounterFunction = Callable[[Any, datetime.date, datetime.date], int]


@dataclass(frozen=True)
class Counter:
    name: str
    label: str
    count: CounterFunction


COUNTERS: dict[str, Counter] = {}


def register_counter(name: str, label: str, fn: CounterFunction) -> CounterFunction:
    """Register (or replace) the counter ``name``; the last registration wins."""
    COUNTERS[name] = Counter(name, label, fn)
    return fn


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


def weekly_progress(
    owner: Any, settings: Any, week_start: datetime.date, week_end: datetime.date
) -> list[Progress]:
    """Each counter with a target (``weekly_<name>_target`` on the settings)."""
    rows = []
    for counter in COUNTERS.values():
        target = getattr(settings, f"weekly_{counter.name}_target", None)
        if target is None:
            continue
        rows.append(
            Progress(
                counter.name, counter.label, counter.count(owner, week_start, week_end), target
            )
        )
    return rows


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


def _timeline(kinds: list[str], direction: str | None) -> CounterFunction:
    def count(owner: Any, start: datetime.date, end: datetime.date) -> int:
        begin, finish = local_range(owner, start, end)
        rows = Interaction.objects.filter(
            owner=owner, kind__in=kinds, occurred_at__gte=begin, occurred_at__lt=finish
        )
        if direction:
            rows = rows.filter(direction=direction)
        return rows.count()

    return count


# Defaults over the timeline; wiring.py replaces them with outreach and conversation counts.
register_counter(
    "outreach",
    "New outreach messages",
    _timeline([InteractionKind.EMAIL, InteractionKind.LINKEDIN_MESSAGE], Direction.SENT),
)
register_counter("conversation", "Conversations", _timeline([InteractionKind.CONVERSATION], None))
