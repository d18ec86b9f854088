"""Retention: "forget candidates not in touch for N months", enforced by the worker.

A bench holds other people's data, so a user may have it forgotten after a while
(``BenchSettings.forget_after_months``, off by default). A person is *in touch* on the
latest of: the last contact logged on the bench, their "last contacted" date in the
network, and the day the entry was made (in the owner's time zone). Once that day is
more than N months before the owner's today, the worker (``coffeechat.server.worker``,
every tick) takes the entry off the bench through :func:`services.remove_entry`: the
entry goes with its skills, contacts and outcomes, and the keep-warm cadence the bench
gave is taken back. The person stays in the network with their timeline.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from coffeechat.bench import services
from coffeechat.bench.models import BenchContact, BenchEntry, BenchSettings
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.scoping import owned

logger = logging.getLogger(__name__)

# "Who would be forgotten soon" looks this many days ahead.
SOON_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def cutoff(today: datetime.date, months: int) -> datetime.date:
    """Entries last in touch before this day are forgotten today."""
    return add_months(today, -months)


@dataclass(frozen=True)
class Stale:
    entry: BenchEntry
    last_touch: datetime.date
    forget_on: datetime.date  # the first day the worker removes it


def _rows(owner: Any) -> QuerySet[BenchEntry]:
    return (
        owned(BenchEntry, owner)
        .select_related("person")
        .annotate(
            last_logged=Subquery(
                BenchContact.objects.filter(entry=OuterRef("pk")).order_by("-on").values("on")[:1]
            )
        )
    )


def last_touch(entry: BenchEntry, owner: Any) -> datetime.date:
    """The latest of the logged contacts, the person's last contact and the entry's day."""
    made = timezone.localtime(entry.created_at, user_zone(owner)).date()
    days = [made, getattr(entry, "last_logged", None), entry.person.last_contacted_on]
    return max(day for day in days if day is not None)


def _stale_before(owner: Any, before: datetime.date) -> QuerySet[BenchEntry]:
    """Entries whose every date lies before ``before`` (the database does the sorting out)."""
    zone = user_zone(owner)
    start = datetime.datetime.combine(before, datetime.time.min, tzinfo=zone)
    return _rows(owner).filter(
        Q(last_logged__isnull=True) | Q(last_logged__lt=before),
        Q(person__last_contacted_on__isnull=True) | Q(person__last_contacted_on__lt=before),
        created_at__lt=start,
    )


def forgotten_soon(
    owner: Any, months: int | None, today: datetime.date | None = None, days: int = SOON_DAYS
) -> list[Stale]:
    """Who the worker would take off the bench within ``days`` days, soonest first."""
    if not months:
        return []
    today = today or local_today(owner)
    horizon = cutoff(today + datetime.timedelta(days=days), months)
    found = []
    for entry in _stale_before(owner, horizon):
        touched = last_touch(entry, owner)
        forget_on = max(today, add_months(touched, months) + datetime.timedelta(days=1))
        found.append(Stale(entry, touched, forget_on))
    found.sort(key=lambda s: (s.forget_on, s.entry.person.last_name.casefold(), s.entry.pk))
    return found


def forget_stale(owner: Any, months: int, today: datetime.date | None = None) -> list[str]:
    """Take off ``owner``'s bench everyone not in touch for ``months`` months; their names."""
    today = today or local_today(owner)
    before = cutoff(today, months)
    removed = []
    for entry in _stale_before(owner, before):
        if last_touch(entry, owner) < before:  # the entry's day in the owner's zone
            services.remove_entry(owner, entry)
            removed.append(entry.person.full_name)
    return removed


def enforce(now: datetime.datetime | None = None) -> int:
    """The worker's rule: apply every user's retention setting; how many entries went.

    Safe to run again and in two workers at once (an entry already gone is not there to
    remove); one user's failure does not stop the others."""
    now = now or timezone.now()
    removed = 0
    chosen = BenchSettings.objects.filter(forget_after_months__isnull=False).select_related(
        "owner__profile"
    )
    for setting in chosen:
        if setting.forget_after_months is None:
            continue
        try:
            names = forget_stale(
                setting.owner, setting.forget_after_months, local_today(setting.owner, now)
            )
        except Exception:
            logger.exception("Bench retention failed for user %s", setting.owner_id)
            continue
        removed += len(names)
    return removed
