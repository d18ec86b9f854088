"""Scheduling a conversation: schedule, change, move, cancel, invite, mark it held."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.conversations import signals
from coffeechat.conversations.invitations import (
    CANCELLED,
    NEW,
    UPDATE,
    Delivery,
    deliveries_after,
    invitation_to_all,
    significant,
    snapshot,
)
from coffeechat.conversations.models import Answer, Conversation, Participant, Status
from coffeechat.conversations.services.notes import choose_proposed_questions
from coffeechat.conversations.services.reading import fresh
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned, save_owned
from coffeechat.network.models import Employment, Interaction, InteractionKind, Person
from coffeechat.network.services import organization_named, record_contact
from coffeechat.targets.models import Posting


def source_key(conversation: Conversation) -> str:
    """The timeline key of a conversation's interactions (one per participant)."""
    return f"conversations:conversation:{conversation.pk}"


def _check_people(owner: Any, people: Sequence[Person]) -> list[Person]:
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise ValidationError({"people": "Choose at least one person to talk with."})
    ids = {p.pk for p in unique}
    if owned(Person, owner).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"people": "There is no such person in your network."})
    return unique


def _default_organization(owner: Any, conversation: Conversation, people: Sequence[Person]) -> None:
    if conversation.organization_id is None and conversation.posting_id is not None:
        # Only one of the owner's postings gives its organization: another user's posting
        # is refused by save_owned exactly like one that does not exist.
        conversation.organization_id = (
            owned(Posting, owner)
            .filter(pk=conversation.posting_id)
            .values_list("organization_id", flat=True)
            .first()
        )
    if conversation.organization_id is None:
        job = (
            owned(Employment, owner)
            .filter(person_id=people[0].pk, is_current=True)
            .order_by("-start_date", "pk")
            .first()
        )
        if job is not None:
            conversation.organization_id = job.organization_id


def _notify(report: str, conversation: Conversation) -> None:
    conversation.invitation_report = report  # type: ignore[attr-defined]


PAST = (
    "This conversation is in the past: no invitation was e-mailed. Use “E-mail the "
    "invitation” on its page if you still want to send one."
)


def _send(
    owner: Any, conversation: Conversation, deliveries: list[Delivery], *, requested: bool
) -> str:
    """Ask outreach to e-mail ``deliveries``; its answer, in words (refusals raise)."""
    if not deliveries:
        return ""
    answers = signals.invitations_due.send(
        sender=Conversation,
        conversation=fresh(owner, conversation),
        deliveries=deliveries,
        requested=requested,
    )
    conversation.refresh_from_db(fields=["invitation_sent_at"])
    return " ".join(str(answer) for _receiver, answer in answers if answer)


@transaction.atomic
def schedule_conversation(
    owner: Any,
    conversation: Conversation,
    people: Sequence[Person],
    *,
    invite: bool = False,
    organization_name: str = "",
) -> Conversation:
    """Save a new conversation with ``people``, propose questions, and maybe invite them.

    ``organization_name`` finds (or creates) the organization by name; left empty, the
    organization is the posting's, or the first person's current employer.
    """
    people = _check_people(owner, people)
    if organization_name.strip():
        conversation.organization = organization_named(owner, organization_name)
    _default_organization(owner, conversation, people)
    conversation.status = Status.SCHEDULED
    save_owned(owner, conversation)
    Participant.objects.bulk_create(
        Participant(owner=owner, conversation=conversation, person=person, position=index)
        for index, person in enumerate(people)
    )
    choose_proposed_questions(owner, conversation, people[0].level)
    signals.conversation_scheduled.send(sender=Conversation, conversation=conversation)
    report = ""
    if invite and conversation.starts_at < timezone.now():
        report = PAST
    elif invite:
        report = _send(owner, conversation, [invitation_to_all(conversation)], requested=True)
    _notify(report, conversation)
    return conversation


@transaction.atomic
def update_conversation(
    owner: Any,
    conversation: Conversation,
    people: Sequence[Person] | None = None,
    *,
    organization_name: str = "",
    invite: bool | None = None,
) -> Conversation:
    """Save changed details; a significant change raises SEQUENCE and updates invitations.

    Time, duration, mode, place and the people with an e-mail address are significant.
    Once an invitation went out (or with ``invite``), everyone still invited gets the
    update, a person taken off a cancellation, a person added the invitation;
    ``invite=False`` sends nothing.
    """
    stored = Conversation.objects.get(pk=conversation.pk)
    before = snapshot(fresh(owner, stored))
    if organization_name.strip():
        conversation.organization = organization_named(owner, organization_name)
    moved = (
        stored.starts_at != conversation.starts_at
        or stored.duration_minutes != conversation.duration_minutes
    )
    if moved and stored.status == Status.CANCELLED:
        raise ValidationError({"starts_at": "A cancelled conversation cannot be moved."})
    conversation.invitation_sent_at = stored.invitation_sent_at  # only sending sets it
    save_owned(owner, conversation)
    if people is not None:
        _set_people(owner, conversation, _check_people(owner, people))
    after = snapshot(fresh(owner, conversation))
    changed = significant(before, after) and stored.status != Status.CANCELLED
    if changed:
        conversation.sequence += 1
        conversation.save(update_fields=["sequence", "updated_at"])
        # The invitation changed: the answers were to the earlier version.
        Participant.objects.filter(conversation=conversation).update(
            answer=Answer.NEEDS_ACTION, answered_at=None
        )
    if moved:
        signals.conversation_rescheduled.send(sender=Conversation, conversation=conversation)
    report = ""
    if invite is False or conversation.status != Status.SCHEDULED:
        pass  # nothing asked, or it was cancelled or held: nobody's calendar to update
    elif conversation.invitation_sent_at is not None:
        deliveries = deliveries_after(before, after) if changed else []
        if invite and not deliveries:
            deliveries = [invitation_to_all(conversation, UPDATE)]
        report = _send(owner, conversation, deliveries, requested=bool(invite))
    elif invite:
        report = _send(owner, conversation, [invitation_to_all(conversation)], requested=True)
    _notify(report, conversation)
    return conversation


def _set_people(owner: Any, conversation: Conversation, people: Sequence[Person]) -> None:
    Participant.objects.filter(conversation=conversation).exclude(
        person_id__in=[p.pk for p in people]
    ).delete()
    existing = set(
        Participant.objects.filter(conversation=conversation).values_list("person_id", flat=True)
    )
    for index, person in enumerate(people):
        if person.pk in existing:
            Participant.objects.filter(conversation=conversation, person=person).update(
                position=index
            )
        else:
            Participant.objects.create(
                owner=owner, conversation=conversation, person=person, position=index
            )


def reschedule_conversation(
    owner: Any,
    conversation: Conversation,
    starts_at: datetime,
    duration_minutes: int | None = None,
    *,
    time_zone: str | None = None,
    invite: bool | None = None,
) -> Conversation:
    """Move the conversation; an invitation already sent is sent again, updated."""
    if conversation.status == Status.CANCELLED:
        raise ValidationError({"starts_at": "A cancelled conversation cannot be moved."})
    conversation.starts_at = starts_at
    if duration_minutes is not None:
        conversation.duration_minutes = duration_minutes
    if time_zone is not None:
        conversation.time_zone = time_zone
    return update_conversation(owner, conversation, invite=invite)


@transaction.atomic
def cancel_conversation(
    owner: Any, conversation: Conversation, *, notify: bool | None = None
) -> Conversation:
    """Call it off; when an invitation went out (or ``notify``), send METHOD:CANCEL."""
    if conversation.status == Status.CANCELLED:
        return conversation
    if conversation.status == Status.HELD:
        raise ValidationError({"status": "This conversation already took place."})
    conversation.status = Status.CANCELLED
    conversation.sequence += 1
    conversation.save(update_fields=["status", "sequence", "updated_at"])
    signals.conversation_cancelled.send(sender=Conversation, conversation=conversation)
    report = ""
    if notify or (notify is None and conversation.invitation_sent_at is not None):
        deliveries = [invitation_to_all(conversation, CANCELLED)]
        report = _send(owner, conversation, deliveries, requested=bool(notify))
    _notify(report, conversation)
    return conversation


def invite(owner: Any, conversation: Conversation) -> str:
    """Send (again) the invitation of a scheduled conversation, or its cancellation.

    Refused (ValidationError) when no mail server can send it.
    """
    kind = CANCELLED if conversation.status == Status.CANCELLED else NEW
    if kind == NEW and conversation.invitation_sent_at is not None:
        kind = UPDATE
    return _send(owner, conversation, [invitation_to_all(conversation, kind)], requested=True)


@transaction.atomic
def mark_held(owner: Any, conversation: Conversation) -> Conversation:
    """It took place: on each person's timeline, and their "last contacted" day."""
    if conversation.status == Status.CANCELLED:
        raise ValidationError({"status": "A cancelled conversation did not take place."})
    if conversation.status == Status.HELD:
        return conversation
    conversation.status = Status.HELD
    conversation.save(update_fields=["status", "updated_at"])
    people = list(conversation.participants.all())
    key = source_key(conversation)
    Interaction.objects.filter(owner=owner, source_key=key).delete()
    Interaction.objects.bulk_create(
        Interaction(
            owner=owner,
            person=person,
            occurred_at=conversation.starts_at,
            kind=InteractionKind.CONVERSATION,
            subject=f"{conversation.get_purpose_display()} conversation",
            source_key=key,
        )
        for person in people
    )
    record_contact(owner, people, conversation.starts_at.astimezone(user_zone(owner)).date())
    signals.conversation_held.send(sender=Conversation, conversation=conversation)
    return conversation
