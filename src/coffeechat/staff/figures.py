"""What staff may see: counts per account and for the instance, never a row's content."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from coffeechat.accounts.models import ApiToken, User
from coffeechat.conversations.models import Conversation
from coffeechat.network.models import Person
from coffeechat.progress.funnel import held

ACTIVE_DAYS = 7


def _count_of(queryset: QuerySet[Any]) -> Any:
    """A subquery counting ``queryset``'s rows of the outer user (by ``owner``)."""
    counted = (
        queryset.filter(owner=OuterRef("pk"))
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def users_for_staff(search: str = "") -> QuerySet[User]:
    """Every account with its counts (people, conversations held), newest first; one
    query whatever the number of accounts or rows. ``search`` matches the e-mail."""
    users = (
        User.objects.accounts()
        .annotate(
            people_count=_count_of(Person.objects.all()),
            conversations_held=_count_of(held(Conversation.objects.all())),
        )
        .order_by("-date_joined", "-pk")
    )
    search = search.strip()
    if search:
        users = users.filter(email__icontains=search)
    return users.only("pk", "email", "date_joined", "last_login", "is_active", "is_staff")


def _active_since(since: datetime.datetime) -> Q:
    used_a_token = ApiToken.objects.filter(last_used_at__gte=since)
    return Q(last_login__gte=since) | Q(pk__in=used_a_token.values("owner"))


@dataclass(frozen=True, slots=True)
class Usage:
    accounts: int
    active_accounts: int
    active_this_week: int
    conversations_held: int


def usage(now: datetime.datetime) -> Usage:
    """The instance's counts: accounts, active this week (signed in, or used an API
    token, in the last 7 days), conversations held."""
    since = now - datetime.timedelta(days=ACTIVE_DAYS)
    counts = User.objects.accounts().aggregate(
        accounts=Count("pk"),
        active_accounts=Count("pk", filter=Q(is_active=True)),
        active_this_week=Count("pk", filter=Q(is_active=True) & _active_since(since)),
    )
    return Usage(
        counts["accounts"],
        counts["active_accounts"],
        counts["active_this_week"],
        held(Conversation.objects.all()).count(),
    )
