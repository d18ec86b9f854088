"""A message's status: sent, replied, any other; each change on the timeline and signalled."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.network.models import Direction, Interaction, InteractionKind
from coffeechat.network.services import mark_bouncing
from coffeechat.outreach import policy
from coffeechat.outreach.models import Channel, Message, Status
from coffeechat.outreach.purposes import AWAITS_REPLY
from coffeechat.outreach.signals import message_replied, message_sent, message_status_changed

INTERACTION_KINDS: dict[str, str] = {
    Channel.EMAIL: InteractionKind.EMAIL,
    Channel.LINKEDIN: InteractionKind.LINKEDIN_MESSAGE,
    Channel.PHONE: InteractionKind.PHONE,
}


def _change_status(message: Message, new: str, **fields: Any) -> None:
    old = message.status
    message.status = new
    message.status_changed_at = timezone.now()
    for key, value in fields.items():
        setattr(message, key, value)
    message.save()
    if old != new:
        message_status_changed.send(sender=Message, message=message, old=old, new=new)


def _timeline(message: Message, direction: str, when: datetime.datetime, key: str) -> None:
    subject = message.subject or message.get_purpose_display()
    if direction == Direction.RECEIVED:
        subject = f"Reply: {subject}"
    Interaction.objects.update_or_create(
        owner=message.owner,
        source_key=key,
        defaults={
            "person": message.person,
            "occurred_at": when,
            "kind": INTERACTION_KINDS.get(message.channel, InteractionKind.NOTE),
            "direction": direction,
            "subject": subject[:300],
            "body": message.body if direction == Direction.SENT else "",
        },
    )


def thread_of(message: Message) -> tuple[Message, int]:
    """The first message of ``message``'s nudge chain, and how many nudges lead from it
    to ``message`` (0 for a first message)."""
    root, nudges, seen = message, 0, {message.pk}
    while root.nudge_of_id is not None and root.nudge_of_id not in seen:
        seen.add(root.nudge_of_id)
        parent = Message.objects.filter(pk=root.nudge_of_id).first()
        if parent is None:
            break
        root, nudges = parent, nudges + 1
    return root, nudges


def mark_sent(message: Message, when: datetime.datetime | None = None) -> Message:
    """Record that ``message`` went out (by hand or by e-mail): dates, timeline, signals."""
    if message.pk is None:
        raise ValidationError("Save the draft first.")
    if message.status != Status.DRAFT:
        raise ValidationError(f"This message is already {message.get_status_display().lower()}.")
    when = when or timezone.now()
    dates = policy.NoReplyDates(None, None)
    if message.purpose in AWAITS_REPLY:
        _root, nudges = thread_of(message)
        dates = policy.dates_for(message.owner, when, nudges_sent=nudges)
    with transaction.atomic():
        _change_status(
            message,
            Status.SENT,
            sent_at=when,
            queued_at=None,
            try_another_on=dates.try_another_on,
            nudge_due_on=dates.nudge_on,
            send_error="",
        )
        _timeline(message, Direction.SENT, when, f"outreach:message:{message.pk}")
        message_sent.send(sender=Message, message=message)
    return message


def mark_replied(message: Message, when: datetime.datetime | None = None) -> Message:
    """They answered: the message (and the ones it nudged) are replied; on the timeline."""
    if message.status == Status.DRAFT:
        raise ValidationError("This message has not been sent yet.")
    if message.status == Status.REPLIED:
        return message
    when = when or timezone.now()
    with transaction.atomic():
        _change_status(message, Status.REPLIED, replied_at=when)
        _timeline(message, Direction.RECEIVED, when, f"outreach:reply:{message.pk}")
        earlier = message.nudge_of
        seen = {message.pk}
        while earlier is not None and earlier.pk not in seen:
            seen.add(earlier.pk)
            if earlier.status in {Status.SENT, Status.NO_REPLY}:
                _change_status(earlier, Status.REPLIED, replied_at=when)
            earlier = earlier.nudge_of
        message_replied.send(sender=Message, message=message)
    return message


def set_status(message: Message, status: str, when: datetime.datetime | None = None) -> Message:
    """Any status change: sent and replied go through mark_sent and mark_replied."""
    if status not in Status.values:
        raise ValidationError({"status": f"“{status}” is not a status."})
    if status == Status.SENT and message.status == Status.DRAFT:
        return mark_sent(message, when)
    if status == Status.REPLIED:
        return mark_replied(message, when)
    if status == Status.DRAFT:
        if message.status != Status.DRAFT:
            raise ValidationError("A message that went out cannot become a draft again.")
        return message
    if message.status == Status.DRAFT:
        raise ValidationError("This message has not been sent yet.")
    with transaction.atomic():
        _change_status(message, status)
        if status == Status.BOUNCED and message.channel == Channel.EMAIL and message.to_email:
            # The address it went to is marked bouncing: the composer warns next time.
            mark_bouncing(
                message.owner, message.person_id, message.to_email, when or timezone.now()
            )
    return message
