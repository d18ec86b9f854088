"""What follow-ups do when something happens in outreach or conversations.

Plain functions, one per event, called by the one-line signal receivers in
wiring.py (and by tests directly). Each calls the idempotent triggers, so the same
event twice (a retried request, two workers) creates nothing new. Every follow-up
they close says what closed it (see docs/follow-ups.md).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coffeechat.conversations.chains import introducers
from coffeechat.conversations.models import Answer, Conversation, Participant, PromiseDirection
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.conversations.services import thank_you_url
from coffeechat.core.scoping import owned
from coffeechat.followups import triggers
from coffeechat.followups.models import ACTIVE, FollowUp, FollowUpSettings, Kind, Status
from coffeechat.followups.services import draft_url, retire
from coffeechat.network.models import Person
from coffeechat.outreach.models import Message, Purpose
from coffeechat.outreach.models import Status as MessageStatus
from coffeechat.outreach.purposes import rule_of
from coffeechat.outreach.services import thread_of


def _link(items: list[FollowUp], **fields: Any) -> None:
    FollowUp.objects.filter(pk__in=[item.pk for item in items]).update(**fields)


def _close_kind(owner: Any, person_id: int, kind: str, when: datetime.datetime, reason: str) -> int:
    """Close the person's active follow-ups of ``kind`` that were there (or due) by
    ``when``: mail older than a follow-up does not answer it."""
    return (
        FollowUp.objects.filter(owner=owner, person_id=person_id, kind=kind, status__in=ACTIVE)
        .filter(Q(created_at__lte=when) | Q(due_on__lte=triggers.local_day(owner, when)))
        .update(status=Status.DONE, done_at=when, closed_reason=reason, updated_at=timezone.now())
    )


# Outreach -----------------------------------------------------------------------------


def after_message_sent(message: Message, *, awaits_reply: bool) -> None:
    """A message went out: it closes the follow-up that asked for it (a thank-you, a
    keep-in-touch note, a check-in) and, when it awaits a reply, plans the nudges."""
    owner = message.owner
    when = message.sent_at or datetime.datetime.now(datetime.UTC)
    day = triggers.on_day(owner, when)
    if message.purpose == Purpose.THANK_YOU:
        _thanked(owner, message.person_id, when, conversation_id=message.conversation_id)
        return
    if message.purpose == Purpose.KEEP_IN_TOUCH:
        _close_kind(
            owner, message.person_id, Kind.KEEP_IN_TOUCH, when, f"You wrote to them on {day}."
        )
        return
    if message.purpose == Purpose.OPENING:
        # The bench's "tell them about the opening" follow-ups for this person.
        FollowUp.objects.filter(
            owner=owner,
            person_id=message.person_id,
            rule=rule_of(Purpose.OPENING).closes_follow_up,
            status__in=ACTIVE,
        ).update(
            status=Status.DONE,
            done_at=when,
            closed_reason=f"You told them about the opening on {day}.",
            updated_at=timezone.now(),
        )
        return
    if message.purpose == Purpose.SUPERVISOR_STAY_IN_TOUCH:
        _close_kind(
            owner,
            message.person_id,
            Kind.SUPERVISOR_CHECK_IN,
            when,
            f"You checked in with them on {day}.",
        )
    if not awaits_reply:
        return
    root, nudges = thread_of(message)
    _nudged(owner, root, message, nudges, when)


def _thanked(
    owner: Any,
    person_id: int,
    when: datetime.datetime,
    *,
    conversation_id: int | None = None,
    reason: str = "",
) -> int:
    """A thank-you went out to this person: it closes the thank-you follow-up of its
    conversation, or (not knowing which) every open thank-you of theirs whose
    conversation had begun by then (and those of no conversation)."""
    if conversation_id:
        return triggers.thank_you_sent(
            owner, conversation_id=conversation_id, person_id=person_id, when=when, reason=reason
        )
    day = triggers.on_day(owner, when)
    return (
        FollowUp.objects.filter(
            owner=owner, person_id=person_id, kind=Kind.THANK_YOU, status__in=ACTIVE
        )
        .filter(
            Q(conversation__isnull=True, created_at__lte=when)
            | Q(conversation__starts_at__lte=when)
        )
        .update(
            status=Status.DONE,
            done_at=when,
            closed_reason=reason or f"You sent a thank-you on {day}.",
            updated_at=timezone.now(),
        )
    )


def _nudged(
    owner: Any,
    root: Message,
    message: Message,
    nudges: int,
    when: datetime.datetime,
    reason: str = "",
) -> None:
    """``message`` (the thread's ``nudges``-th nudge, 0 for the first message) went out:
    the thread's plan moves on (the nudge asked for is done, the next steps planned)."""
    made = triggers.message_sent(
        owner,
        thread_id=root.pk,
        person=message.person,
        sent_at=when,
        organization=message.organization,
        nudges_sent=nudges,
        action_url=draft_url(message.person, Purpose.NUDGE, nudge_of=message.pk),
        reason=reason,
    )
    _link(made, message=message)


NUDGE_KEY = re.compile(r"^no_reply:message:(\d+):nudge:(\d+)$")


def after_mail_sent_elsewhere(owner: Any, person_ids: list[int], when: datetime.datetime) -> None:
    """Mail I sent to these people from another program (the mailbox's sent folder) does
    what a message sent from Coffeechat does: it is the thank-you an open thank-you
    follow-up asks for, the nudge an open nudge asks for (the thread's plan moves on),
    and the note a keep-in-touch item asks for. Each closes saying so."""
    reason = f"Sent from your mailbox on {triggers.on_day(owner, when)}."
    for person_id in person_ids:
        _thanked(owner, person_id, when, reason=reason)
        for kind in (Kind.KEEP_IN_TOUCH, Kind.SUPERVISOR_CHECK_IN):
            _close_kind(owner, person_id, kind, when, reason)
    nudges = (
        FollowUp.objects.filter(
            owner=owner, person_id__in=person_ids, kind=Kind.NUDGE, status__in=ACTIVE
        )
        .filter(message__sent_at__lt=when)
        .select_related("message__person", "message__organization")
        .order_by("pk")
    )
    threads: set[int] = set()
    for item in nudges:
        match = NUDGE_KEY.match(item.rule_key)
        if match is None or item.message is None or int(match.group(1)) in threads:
            continue
        threads.add(int(match.group(1)))
        root = Message(pk=int(match.group(1)), owner=owner)
        _nudged(owner, root, item.message, int(match.group(2)), when, reason)


def after_message_replied(message: Message) -> None:
    root, _nudges = thread_of(message)
    triggers.message_replied(
        message.owner,
        thread_id=root.pk,
        when=message.replied_at or datetime.datetime.now(datetime.UTC),
        who=message.person.full_name,
    )


def after_message_status_changed(message: Message, old: str, new: str) -> None:
    if new == MessageStatus.BOUNCED:
        # No nudge will reach them; finding another way (the "try another" item) stays.
        root, _nudges = thread_of(message)
        prefix = f"no_reply:message:{root.pk}:"
        retire(
            message.owner,
            prefix=prefix,
            exclude_prefix=f"{prefix}try_another",
            reason=f"The message to {message.person.full_name} bounced: a nudge cannot reach them.",
        )


# Conversations ------------------------------------------------------------------------


def _people(conversation: Conversation) -> list[Person]:
    return [row.person for row in conversation.participant_rows.select_related("person")]


def after_conversation_scheduled(conversation: Conversation) -> None:
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


def after_conversation_rescheduled(conversation: Conversation) -> None:
    triggers.conversation_rescheduled(
        conversation.owner, conversation_id=conversation.pk, starts_at=conversation.starts_at
    )
    retire(
        conversation.owner,
        prefix=f"declined:conversation:{conversation.pk}:",
        reason="You moved the conversation to another time.",
    )


def after_conversation_cancelled(conversation: Conversation) -> None:
    retire(
        conversation.owner,
        f"prepare:conversation:{conversation.pk}",
        reason="The conversation was cancelled.",
    )
    retire(
        conversation.owner,
        prefix=f"declined:conversation:{conversation.pk}:",
        reason="The conversation was cancelled.",
    )


def after_participant_answered(conversation: Conversation, participant: Participant) -> None:
    """A decline proposes another time (on Today, linking to rescheduling); accepting
    or a tentative yes afterwards retires that proposal."""
    if conversation.status != ConversationStatus.SCHEDULED:
        return
    person = participant.person
    prefix = f"declined:conversation:{conversation.pk}:person:{person.pk}:"
    when = participant.answered_at or timezone.now()
    if participant.answer != Answer.DECLINED:
        retire(
            conversation.owner,
            prefix=prefix,
            reason=f"{person.full_name} answered “{participant.get_answer_display()}” on "
            f"{triggers.on_day(conversation.owner, when)}.",
        )
        return
    item = triggers.invitation_declined(
        conversation.owner,
        key=f"{prefix}{participant.answer_sequence}:{when:%Y%m%dT%H%M%S}",
        person=person,
        when=when,
        organization=conversation.organization,
        reschedule_url=reverse(
            "conversations:conversation-reschedule", kwargs={"conversation_id": conversation.pk}
        ),
    )
    _link([item], conversation=conversation)


def after_conversation_held(conversation: Conversation) -> None:
    """Thank everyone in it and everyone who led you to them; remind to debrief."""
    people = _people(conversation)
    _after_conversation(conversation, people)
    thank_introducers(conversation, people)


def after_debrief_saved(conversation: Conversation) -> None:
    """Close the debrief reminder, add each open promise as a follow-up, and make sure the
    introducers are thanked (a debrief marks a conversation held)."""
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
    thank_introducers(conversation, _people(conversation))


def _after_conversation(
    conversation: Conversation, people: list[Person], now: datetime.datetime | None = None
) -> list[FollowUp]:
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
    if conversation.status == ConversationStatus.HELD:
        # Talking with someone again is keeping in touch with them (only once it happened).
        FollowUp.objects.filter(
            owner=owner,
            person__in=people,
            kind__in=[Kind.KEEP_IN_TOUCH, Kind.SUPERVISOR_CHECK_IN],
            status__in=ACTIVE,
        ).update(
            status=Status.DONE,
            done_at=ended,
            closed_reason=f"You talked with them on {triggers.on_day(owner, ended)}.",
            updated_at=timezone.now(),
        )
    return made


def passed_conversations(now: datetime.datetime) -> int:
    """A scheduled conversation whose end has passed took place even if nobody said so:
    the thank-yous and the debrief reminder come anyway (once: the triggers are
    idempotent). Looks back two weeks, so downtime is caught up. Nothing is marked done
    on the strength of it: only a conversation marked held closes a check-in."""
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


def _chain_sentence(names: list[str]) -> str:
    """ "Rosa Ortiz passed you on to Marco Rossi, who passed you on to Lena Berg." """
    sentence = f"{names[0]} passed you on to {names[1]}"
    for name in names[2:]:
        sentence += f", who passed you on to {name}"
    return sentence + "."


def thank_introducers(conversation: Conversation, people: list[Person]) -> list[FollowUp]:
    """A thank-you follow-up to each person who introduced or referred you on the way to
    a held conversation (a tie "introduced"/"referred" with its introducer, a referral),
    with a draft that says how it went. Idempotent; nobody in the conversation itself."""
    if conversation.status != ConversationStatus.HELD:
        return []
    owner = conversation.owner
    here = {p.pk for p in people}
    chains = introducers(owner, [p.pk for p in people])
    wanted: dict[int, list[int]] = {}  # introducer → the chain from them to the participant
    for person in people:
        back = chains[person.pk]
        for index, pk in enumerate(back):
            if pk not in here and pk not in wanted:
                wanted[pk] = [pk, *reversed(back[:index]), person.pk]
    if not wanted:
        return []
    everyone = {pk for chain in wanted.values() for pk in chain}
    found = {p.pk: p for p in owned(Person, owner).filter(pk__in=everyone)}
    talked_with = ", ".join(p.full_name for p in people)
    made = triggers.introducers_to_thank(
        owner,
        conversation_id=conversation.pk,
        talked_with=talked_with,
        introducers=[
            triggers.Introducer(
                person=found[pk],
                chain=_chain_sentence([found[x].full_name for x in chain]),
                draft_url=draft_url(found[pk], Purpose.THANK_YOU, conversation=conversation.pk),
            )
            for pk, chain in wanted.items()
            if pk in found
        ],
        ended_at=min(conversation.ends_at, datetime.datetime.now(datetime.UTC)),
        organization=conversation.organization,
    )
    _link(made, conversation=conversation)
    return made


def after_feed_item_deleted(owner_id: int) -> None:
    """A conversation or follow-up is gone: the calendar feed changed (its Last-Modified)."""
    FollowUpSettings.objects.filter(owner_id=owner_id).update(feed_changed_at=timezone.now())
