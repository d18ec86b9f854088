"""Conversations asked for and agreed to, but not scheduled yet: "to schedule".

Outreach records what a message asked for (its purpose) and whether it was answered
(status "replied"), not what the answer said. So the rule is the honest version of
"they said yes": a message whose purpose asks for a conversation was sent, they
replied within the last :data:`TO_SCHEDULE_DAYS` days, and no conversation with them
has been put in the calendar since the message went out (whatever became of it:
a cancelled one was scheduled too). Scheduling a conversation with them, or marking
the reply otherwise, takes them off the list.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from coffeechat.conversations.models import Participant
from coffeechat.outreach.models import Message, Status
from coffeechat.outreach.purposes import ASKS_FOR_CONVERSATION

# A reply older than this is history, not something to schedule.
TO_SCHEDULE_DAYS = 90


def to_schedule(
    owner: Any, person_ids: list[int] | None = None, now: datetime | None = None
) -> QuerySet[Message]:
    """The latest answered request per person with no conversation scheduled since.

    Newest reply first, with the person; ``person_ids`` narrows it to those people.
    One query, whatever the number of messages and conversations.
    """
    moment = now or timezone.now()
    requests = Message.objects.filter(
        owner=owner,
        purpose__in=ASKS_FOR_CONVERSATION,
        status=Status.REPLIED,
        replied_at__gte=moment - timedelta(days=TO_SCHEDULE_DAYS),
    )
    if person_ids is not None:
        requests = requests.filter(person_id__in=person_ids)
    scheduled_since = Participant.objects.filter(
        owner=owner,
        person_id=OuterRef("person_id"),
        conversation__created_at__gte=OuterRef("asked_at"),
    )
    later_request = requests.filter(
        person_id=OuterRef("person_id"), replied_at__gt=OuterRef("replied_at")
    )
    return (
        requests.annotate(asked_at=Coalesce(F("sent_at"), F("created_at")))
        .exclude(Exists(scheduled_since))
        .exclude(Exists(later_request))
        .select_related("person")
        .order_by("-replied_at", "-pk")
    )


def one_per_person(messages: QuerySet[Message], limit: int) -> list[Message]:
    """At most ``limit`` requests, one per person (two replies at the same second)."""
    found: dict[int, Message] = {}
    for message in messages[: limit * 2]:
        found.setdefault(message.person_id, message)
    return list(found.values())[:limit]
