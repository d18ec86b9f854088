"""Reading conversations: with their people, and their start in each person's zone."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.models import Person


def with_people(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Conversations with their organization, posting and participants (with e-mails)."""
    return queryset.select_related("organization", "posting", "owner__profile").prefetch_related(
        Prefetch(
            "participants",
            queryset=Person.objects.order_by("participations__position", "pk").prefetch_related(
                "email_addresses"
            ),
        )
    )


def conversations_for_list(owner: Any) -> QuerySet[Conversation]:
    """What a row of the conversations list shows: the organization and the names of
    the people taking part (not their addresses, the posting or the owner's profile)."""
    return (
        owned(Conversation, owner)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Person.objects.order_by("participations__position", "pk").only(
                    "first_name", "last_name"
                ),
            )
        )
    )


def aware(day: date, at: time, zone_name: str) -> datetime:
    """``day`` at ``at`` in the named zone, as an aware datetime (UTC is stored)."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": f"Unknown time zone {zone_name!r}."}) from None
    return datetime.combine(day, at, tzinfo=zone)


@dataclass(frozen=True, slots=True)
class LocalTime:
    label: str
    zone: str
    at: datetime

    @property
    def text(self) -> str:
        """The time as shown in its own zone (templates would convert it to mine)."""
        return f"{self.at:%a} {self.at.day} {self.at:%b %Y, %H:%M}"


def local_times(conversation: Conversation, user: Any) -> list[LocalTime]:
    """The start in my zone and in each participant's zone that differs from mine."""
    mine = user_zone(user)
    found = [LocalTime("your time", str(mine), conversation.starts_at.astimezone(mine))]
    seen = {str(mine)}
    for person in conversation.participants.all():
        if not person.time_zone or person.time_zone in seen:
            continue
        try:
            zone = zoneinfo.ZoneInfo(person.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        seen.add(person.time_zone)
        found.append(
            LocalTime(
                f"{person.first_name}'s time",
                person.time_zone,
                conversation.starts_at.astimezone(zone),
            )
        )
    return found


def fresh(owner: Any, conversation: Conversation) -> Conversation:
    """The conversation again, with its people, for calendar files and messages."""
    return with_people(owned(Conversation, owner)).get(pk=conversation.pk)
