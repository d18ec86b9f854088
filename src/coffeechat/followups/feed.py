"""The private calendar feed: follow-ups and conversations as iCalendar.

The feed's items come from the functions in ``SOURCES`` (``fn(owner, today) ->
Iterable[FeedItem]``). Follow-ups are all-day events (the kind every calendar
application shows) or, with ``?todo=1``, VTODOs, and free time (TRANSPARENT);
conversations are timed events, busy time (OPAQUE), with the same UID and SEQUENCE as
their invitation, so a calendar that has both shows one event.

UIDs do not depend on the site's address; links are absolute. Each item's DTSTAMP is
its last change, so the same data gives the same bytes: the view's ETag and 304 rest on
that.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import icalendar
from django.db.models import Max
from django.utils import timezone

from coffeechat.conversations.models import Conversation
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.links import absolute_url
from coffeechat.core.scoping import owned
from coffeechat.followups.models import ACTIVE, FollowUp, FollowUpSettings

PAST_DAYS = 30
AHEAD_DAYS = 366
REFRESH = datetime.timedelta(hours=1)  # the hint to calendar applications


@dataclass(frozen=True)
class FeedItem:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    url: str = ""
    todo: bool = False  # may be shown as a to-do
    done: bool = False
    busy: bool = False  # OPAQUE (a meeting) or TRANSPARENT (a reminder)
    sequence: int = 0
    stamp: datetime.datetime | None = None  # its last change


FeedSource = Callable[[Any, datetime.date], Iterable[FeedItem]]


def follow_up_items(owner: Any, today: datetime.date) -> Iterable[FeedItem]:
    rows = (
        owned(FollowUp, owner)
        .filter(status__in=ACTIVE)
        .filter(
            remind_on__gte=today - datetime.timedelta(days=PAST_DAYS),
            remind_on__lte=today + datetime.timedelta(days=AHEAD_DAYS),
        )
        .select_related("person", "organization")
        .order_by("remind_on", "pk")
    )
    for item in rows:
        about = [x for x in (item.person, item.organization) if x is not None]
        lines = [item.get_kind_display()]
        if about:
            lines.append("With: " + ", ".join(str(x) for x in about))
        if item.channel:
            lines.append(f"Channel: {item.get_channel_display()}")
        if item.note:
            lines.append(item.note)
        yield FeedItem(
            uid=follow_up_uid(owner, item.pk),
            summary=item.title,
            start=item.remind_on,
            end=item.remind_on + datetime.timedelta(days=1),
            description="\n".join(lines),
            url=item.safe_action_url or item.get_absolute_url(),
            todo=True,
            stamp=item.updated_at,
        )


def follow_up_uid(owner: Any, pk: int) -> str:
    """Stable for the follow-up's life, whatever the site's address; unique per account."""
    account = f"{owner.pk}:{owner.date_joined.isoformat()}".encode()
    return f"follow-up-{pk}-{hashlib.sha256(account).hexdigest()[:12]}@coffeechat"


def conversation_items(owner: Any, today: datetime.date) -> Iterable[FeedItem]:
    """Conversations of the last 30 days and to come (not the cancelled ones)."""
    since = datetime.datetime.combine(
        today - datetime.timedelta(days=PAST_DAYS), datetime.time(), tzinfo=datetime.UTC
    )
    rows = (
        owned(Conversation, owner)
        .filter(starts_at__gte=since)
        .exclude(status=ConversationStatus.CANCELLED)
        .select_related("organization")
        .prefetch_related("participant_rows__person")
        .order_by("starts_at")
    )
    for conversation in rows:
        names = ", ".join(row.person.full_name for row in conversation.participant_rows.all())
        at = f" ({conversation.organization.name})" if conversation.organization else ""
        yield FeedItem(
            uid=conversation.uid,  # the invitation's
            summary=f"Coffee chat: {names}{at}",
            start=conversation.starts_at,
            end=conversation.ends_at,
            description=conversation.get_mode_display(),
            url=conversation.get_absolute_url(),
            busy=True,
            sequence=conversation.sequence,
            stamp=conversation.updated_at,
        )


SOURCES: tuple[FeedSource, ...] = (follow_up_items, conversation_items)


def last_change(owner: Any) -> datetime.datetime | None:
    """The owner's latest change that can alter the feed, deletions included.

    Every conversation's and follow-up's ``updated_at`` counts (a cancelled or closed one
    leaves the feed, so its own stamp is no longer among the items), and the moment the
    last one was deleted (``FollowUpSettings.feed_changed_at``, set on every delete).
    """
    stamps = [
        owned(Conversation, owner).aggregate(latest=Max("updated_at"))["latest"],
        owned(FollowUp, owner).aggregate(latest=Max("updated_at"))["latest"],
        FollowUpSettings.objects.filter(owner=owner)
        .values_list("feed_changed_at", flat=True)
        .first(),
    ]
    known = [stamp for stamp in stamps if stamp is not None]
    return max(known) if known else None


@dataclass(frozen=True)
class Feed:
    body: bytes
    last_modified: datetime.datetime  # the latest change of an item, or today's start


def build_feed(owner: Any, *, todo: bool = False, now: datetime.datetime | None = None) -> Feed:
    now = now or timezone.now()
    today = local_today(owner, now)
    start_of_today = datetime.datetime.combine(today, datetime.time(), tzinfo=user_zone(owner))
    latest = start_of_today.astimezone(datetime.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Coffeechat//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Coffeechat")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for source in SOURCES:
        for item in source(owner, today):
            stamp = (item.stamp or now).astimezone(datetime.UTC).replace(microsecond=0)
            latest = max(latest, stamp)
            as_todo = todo and item.todo
            component = icalendar.Todo() if as_todo else icalendar.Event()
            component.add("uid", item.uid)
            component.add("dtstamp", stamp)
            if item.sequence:
                component.add("sequence", item.sequence)
            component.add("summary", item.summary)
            if as_todo:
                component.add("due", item.start)
                component.add("status", "COMPLETED" if item.done else "NEEDS-ACTION")
            else:
                component.add("dtstart", item.start)
                if item.end is not None:
                    component.add("dtend", item.end)
                component.add("transp", "OPAQUE" if item.busy else "TRANSPARENT")
            if item.description:
                component.add("description", item.description)
            if item.url:
                component.add("url", absolute_url(item.url))  # opened from a calendar
            calendar.add_component(component)
    changed = last_change(owner)
    if changed is not None:
        latest = max(latest, changed.astimezone(datetime.UTC).replace(microsecond=0))
    return Feed(calendar.to_ical(), min(latest, now))


def build_calendar(
    owner: Any, *, todo: bool = False, now: datetime.datetime | None = None
) -> bytes:
    return build_feed(owner, todo=todo, now=now).body
