"""How outreach and conversations feed the follow-ups: signal receivers, the weekly
counters, the calendar feed's conversations and the composer links.

Connected once, from FollowupsConfig.ready(). Every receiver calls the idempotent
triggers, so a signal sent twice (a retried request, two workers) creates nothing new.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from coffeechat.conversations import signals as conversation_signals
from coffeechat.conversations.models import Conversation, PromiseDirection
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.followups import triggers
from coffeechat.followups.counters import local_range, register_counter
from coffeechat.followups.feed import FeedItem, register_feed_provider
from coffeechat.followups.models import ACTIVE, FollowUp, Kind
from coffeechat.followups.rules import rule
from coffeechat.followups.services import complete, register_draft_url
from coffeechat.network.models import Person
from coffeechat.outreach import purposes
from coffeechat.outreach import signals as outreach_signals
from coffeechat.outreach.models import Message, Purpose
from coffeechat.outreach.models import Status as MessageStatus

# What waits for an answer, and what counts toward the weekly outreach target:
# the purposes table says (coffeechat.outreach.purposes).
AWAITS_REPLY = purposes.AWAITS_REPLY
FIRST_NOTES = purposes.FIRST_NOTES


def composer_url(person: Person, purpose: str, **params: Any) -> str:
    query = {"person": person.pk, "purpose": purpose, **params}
    return f"{reverse('outreach:compose')}?{urlencode(query)}"


def _thread(message: Message) -> tuple[Message, int]:
    """The first message of a nudge chain, and how many nudges followed it."""
    root, nudges, seen = message, 0, {message.pk}
    while root.nudge_of_id is not None and root.nudge_of_id not in seen:
        seen.add(root.nudge_of_id)
        parent = Message.objects.filter(pk=root.nudge_of_id).first()
        if parent is None:
            break
        root, nudges = parent, nudges + 1
    return root, nudges


def _link(items: list[FollowUp], **fields: Any) -> None:
    FollowUp.objects.filter(pk__in=[item.pk for item in items]).update(**fields)


def on_message_sent(sender: Any, message: Message, **kwargs: Any) -> None:
    owner = message.owner
    when = message.sent_at or datetime.datetime.now(datetime.UTC)
    if message.purpose == Purpose.THANK_YOU:
        # Sending the thank-you (or marking it sent) closes its follow-up.
        if message.conversation_id:
            triggers.thank_you_sent(
                owner,
                conversation_id=message.conversation_id,
                person_id=message.person_id,
                when=when,
            )
        else:
            _close_kind(owner, message.person_id, Kind.THANK_YOU, when)
        return
    if message.purpose == Purpose.KEEP_IN_TOUCH:
        _close_kind(owner, message.person_id, Kind.KEEP_IN_TOUCH, when)
        return
    if message.purpose == Purpose.SUPERVISOR_STAY_IN_TOUCH:
        _close_kind(owner, message.person_id, Kind.SUPERVISOR_CHECK_IN, when)
    if message.purpose not in AWAITS_REPLY:
        return
    root, nudges = _thread(message)
    made = triggers.message_sent(
        owner,
        thread_id=root.pk,
        person=message.person,
        sent_at=when,
        organization=message.organization,
        nudges_sent=nudges,
        action_url=composer_url(message.person, Purpose.NUDGE, nudge_of=message.pk),
    )
    _link(made, message=message)


def _close_kind(owner: Any, person_id: int, kind: str, when: datetime.datetime) -> int:
    return FollowUp.objects.filter(
        owner=owner, person_id=person_id, kind=kind, status__in=ACTIVE
    ).update(status="done", done_at=when)


def on_message_replied(sender: Any, message: Message, **kwargs: Any) -> None:
    root, _nudges = _thread(message)
    triggers.message_replied(
        message.owner,
        thread_id=root.pk,
        when=message.replied_at or datetime.datetime.now(datetime.UTC),
    )


def on_status_changed(sender: Any, message: Message, old: str, new: str, **kwargs: Any) -> None:
    if new == MessageStatus.BOUNCED:
        # A bounced address: no nudge will reach them; finding another way is the task.
        root, _nudges = _thread(message)
        complete(message.owner, prefix=f"no_reply:message:{root.pk}:")


def _people(conversation: Conversation) -> list[Person]:
    return [row.person for row in conversation.participant_rows.select_related("person")]


def on_conversation_scheduled(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    item = triggers.conversation_scheduled(
        conversation.owner,
        conversation_id=conversation.pk,
        people=_people(conversation),
        starts_at=conversation.starts_at,
        organization=conversation.organization,
        prep_url=reverse(
            "conversations:conversation-prep", kwargs={"conversation_id": conversation.pk}
        ),
    )
    if item is not None:
        _link([item], conversation=conversation)


def on_conversation_rescheduled(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    triggers.conversation_rescheduled(
        conversation.owner, conversation_id=conversation.pk, starts_at=conversation.starts_at
    )


def on_conversation_cancelled(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    FollowUp.objects.filter(
        owner=conversation.owner,
        rule_key=f"prepare:conversation:{conversation.pk}",
        status__in=ACTIVE,
    ).update(status="skipped", skip_reason="The conversation was cancelled.")


def on_conversation_held(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    _after_conversation(conversation, _people(conversation))


@rule("passed_conversations", "Thank-yous and debriefs for conversations that took place")
def passed_conversations(now: datetime.datetime) -> int:
    """A scheduled conversation whose end has passed took place even if nobody said so:
    the thank-yous and the debrief reminder come anyway (once: the triggers are
    idempotent). Looks back two weeks, so downtime is caught up."""
    made = 0
    recent = Conversation.objects.filter(
        status=ConversationStatus.SCHEDULED,
        debriefed_at__isnull=True,
        starts_at__lte=now,
        starts_at__gte=now - datetime.timedelta(days=14),
    ).prefetch_related("participant_rows__person")
    for conversation in recent.select_related("owner", "organization"):
        if conversation.ends_at > now:
            continue
        people = [row.person for row in conversation.participant_rows.all()]
        made += len(_after_conversation(conversation, people, now=now))
    return made


def _after_conversation(
    conversation: Conversation, people: list[Person], now: datetime.datetime | None = None
) -> list[FollowUp]:
    from coffeechat.conversations.services import thank_you_url

    owner = conversation.owner
    ended = min(conversation.ends_at, now or datetime.datetime.now(datetime.UTC))
    made = triggers.conversation_held(
        owner,
        conversation_id=conversation.pk,
        participants=[
            triggers.Participant(p, thank_you_url(conversation, p) or "") for p in people
        ],
        ended_at=ended,
        organization=conversation.organization,
        notes_empty=not (conversation.quick_notes.strip() or conversation.debrief_notes.strip()),
        debrief_url=reverse(
            "conversations:conversation-debrief", kwargs={"conversation_id": conversation.pk}
        ),
    )
    _link(made, conversation=conversation)
    # Holding the next conversation with someone is keeping in touch with them.
    FollowUp.objects.filter(
        owner=owner,
        person__in=people,
        kind__in=[Kind.KEEP_IN_TOUCH, Kind.SUPERVISOR_CHECK_IN],
        status__in=ACTIVE,
    ).update(status="done", done_at=ended)
    return made


def on_debrief_saved(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    owner = conversation.owner
    said_on = conversation.starts_at.date()
    promises = [
        triggers.Promise(
            title=(
                f"You promised: {promise.text}"
                if promise.direction == PromiseDirection.MINE
                else f"Check that this happened: {promise.text}"
            ),
            said_on=said_on,
            due_on=promise.due_on,
            person=promise.person,
        )
        for promise in conversation.promises.select_related("person").filter(done=False)
    ]
    made = triggers.debrief_saved(
        owner,
        conversation_id=conversation.pk,
        when=conversation.debriefed_at or datetime.datetime.now(datetime.UTC),
        promises=promises,
        organization=conversation.organization,
    )
    _link(made, conversation=conversation)


def _count_first_notes(owner: Any, start: datetime.date, end: datetime.date) -> int:
    begin, finish = local_range(owner, start, end)
    return Message.objects.filter(
        owner=owner,
        purpose__in=FIRST_NOTES,
        sent_at__gte=begin,
        sent_at__lt=finish,
    ).count()


def _count_conversations(owner: Any, start: datetime.date, end: datetime.date) -> int:
    begin, finish = local_range(owner, start, end)
    return (
        Conversation.objects.filter(owner=owner, starts_at__gte=begin, starts_at__lt=finish)
        .filter(~Q(status=ConversationStatus.CANCELLED))
        .count()
    )


def conversation_feed(owner: Any, today: datetime.date) -> list[FeedItem]:
    since = datetime.datetime.combine(
        today - datetime.timedelta(days=30), datetime.time(), tzinfo=datetime.UTC
    )
    rows = (
        Conversation.objects.filter(owner=owner, starts_at__gte=since)
        .exclude(status=ConversationStatus.CANCELLED)
        .select_related("organization")
        .prefetch_related("participant_rows__person")
        .order_by("starts_at")
    )
    items = []
    for conversation in rows:
        names = ", ".join(row.person.full_name for row in conversation.participant_rows.all())
        at = f" ({conversation.organization.name})" if conversation.organization else ""
        items.append(
            FeedItem(
                uid=f"conversation-{conversation.uid}",
                summary=f"Coffee chat: {names}{at}",
                start=conversation.starts_at,
                end=conversation.ends_at,
                description=conversation.get_mode_display(),
                url=conversation.get_absolute_url(),
            )
        )
    return items


def connect() -> None:
    outreach_signals.message_sent.connect(on_message_sent, dispatch_uid="followups.sent")
    outreach_signals.message_replied.connect(on_message_replied, dispatch_uid="followups.replied")
    outreach_signals.message_status_changed.connect(
        on_status_changed, dispatch_uid="followups.status"
    )
    conversation_signals.conversation_scheduled.connect(
        on_conversation_scheduled, dispatch_uid="followups.scheduled"
    )
    conversation_signals.conversation_rescheduled.connect(
        on_conversation_rescheduled, dispatch_uid="followups.rescheduled"
    )
    conversation_signals.conversation_cancelled.connect(
        on_conversation_cancelled, dispatch_uid="followups.cancelled"
    )
    conversation_signals.conversation_held.connect(
        on_conversation_held, dispatch_uid="followups.held"
    )
    conversation_signals.debrief_saved.connect(on_debrief_saved, dispatch_uid="followups.debrief")
    register_counter("outreach", "New outreach messages", _count_first_notes)
    register_counter("conversation", "Conversations", _count_conversations)
    register_feed_provider("conversations", conversation_feed)
    register_draft_url(lambda person, purpose: composer_url(person, purpose))
