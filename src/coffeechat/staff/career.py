"""The career-centre view: anonymous figures over the users who agreed to be counted.

Every figure uses the progress page's definitions (``coffeechat.progress``: a
conversation held, one with someone who hires, the days from a first note to a
conversation held) over the consenting users' rows together. A figure that rests on
fewer than :data:`MIN_USERS` users is withheld ("too few to show"), and nothing names,
links to or counts a single user.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, QuerySet
from django.db.models.functions import TruncMonth

from coffeechat.accounts.models import User
from coffeechat.conversations.models import Conversation
from coffeechat.outreach.models import Message
from coffeechat.outreach.purposes import FIRST_NOTES
from coffeechat.outreach.services.reading import messages_that_went_out
from coffeechat.progress.funnel import held, with_someone_who_hires
from coffeechat.progress.rates import days_to_conversation
from coffeechat.staff.models import CareerCentreConsent

MIN_USERS = 5  # a figure from fewer consenting users than this is not shown
MONTHS = 12
TOO_FEW = "too few to show"


def is_counted(user: Any) -> bool:
    return CareerCentreConsent.objects.filter(user=user).exists()


@transaction.atomic
def set_counted(user: Any, counted: bool) -> None:
    """Opt in to (or out of) the career centre's anonymous figures."""
    if counted:
        CareerCentreConsent.objects.get_or_create(user=user)
    else:
        CareerCentreConsent.objects.filter(user=user).delete()


def consenting_users() -> QuerySet[User]:
    return User.objects.filter(career_centre_consent__isnull=False, is_active=True)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and how many consenting users it rests on; withheld under MIN_USERS."""

    raw: float | None
    users: int

    @property
    def shown(self) -> bool:
        return self.users >= MIN_USERS

    @property
    def value(self) -> float | None:
        return self.raw if self.shown else None


@dataclass(frozen=True, slots=True)
class Month:
    first_day: datetime.date
    conversations_held: Figure
    with_someone_who_hires: Figure
    days_to_conversation: Figure  # the median


@dataclass(frozen=True, slots=True)
class CareerCentre:
    consenting: int
    months: list[Month]
    total: Month  # every month together (all time)

    @property
    def enough_users(self) -> bool:
        return self.consenting >= MIN_USERS


def _month_starts(today: datetime.date) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(MONTHS):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _counts(conversations: QuerySet[Conversation]) -> tuple[dict[datetime.date, Figure], Figure]:
    rows = (
        conversations.annotate(month=TruncMonth("starts_at", tzinfo=datetime.UTC))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), users=Count("owner", distinct=True))
    )
    per_month = {row["month"].date(): Figure(row["n"], row["users"]) for row in rows}
    total = conversations.order_by().aggregate(n=Count("pk"), users=Count("owner", distinct=True))
    return per_month, Figure(total["n"], total["users"])


def _medians(owners: QuerySet[User]) -> tuple[dict[datetime.date, Figure], Figure]:
    """Days from each person's first first note to the first conversation held with them,
    the median per month of that first note (all time: the progress page's figure with
    the period "All time", over every consenting user's people)."""
    first_note: dict[int, datetime.datetime] = {}
    owner_of: dict[int, int] = {}
    rows = (
        messages_that_went_out(Message.objects.filter(owner__in=owners))
        .filter(purpose__in=FIRST_NOTES, sent_at__isnull=False)
        .order_by()
        .values("person_id", "owner_id")
        .annotate(first=Min("sent_at"))
    )
    for row in rows:
        first_note[row["person_id"]] = row["first"]
        owner_of[row["person_id"]] = row["owner_id"]
    days = days_to_conversation(first_note, owner__in=owners)
    grouped: dict[datetime.date, list[tuple[int, float]]] = defaultdict(list)
    for person, value in days.items():
        sent = first_note[person]
        grouped[datetime.date(sent.year, sent.month, 1)].append((owner_of[person], value))

    def figure(pairs: list[tuple[int, float]]) -> Figure:
        if not pairs:
            return Figure(None, 0)
        median = round(statistics.median(value for _owner, value in pairs), 1)
        return Figure(median, len({owner for owner, _value in pairs}))

    everything = [pair for pairs in grouped.values() for pair in pairs]
    return {month: figure(pairs) for month, pairs in grouped.items()}, figure(everything)


def career_centre(today: datetime.date) -> CareerCentre:
    """The figures of the last 12 months (UTC months, ``today``'s last) and of all time.

    A constant number of queries whatever the number of users or rows.
    """
    owners = consenting_users()
    consenting = owners.count()
    conversations = held(Conversation.objects.filter(owner__in=owners))
    held_months, held_total = _counts(conversations)
    hiring_months, hiring_total = _counts(with_someone_who_hires(conversations))
    median_months, median_total = _medians(owners)
    none = Figure(None, 0)
    months = [
        Month(
            start,
            held_months.get(start, Figure(0, 0)),
            hiring_months.get(start, Figure(0, 0)),
            median_months.get(start, none),
        )
        for start in _month_starts(today)
    ]
    return CareerCentre(
        consenting, months, Month(months[0].first_day, held_total, hiring_total, median_total)
    )
