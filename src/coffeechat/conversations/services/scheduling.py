"""Scheduling a conversation: schedule, change, move, cancel, invite, mark it held."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coffeechat.conversations import signals
from coffeechat.conversations.ics import CANCEL, REQUEST
from coffeechat.conversations.invitations import send_invitation
from coffeechat.conversations.models import Conversation, Participant, Status
from coffeechat.conversations.services.notes import choose_proposed_questions
from coffeechat.conversations.services.reading import fresh
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned, save_owned
from coffeechat.network.models import Employment, Interaction, InteractionKind, Person
from coffeechat.network.services import organization_named, record_contact


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
        conversation.organization_id = conversation.posting.organization_id  # type: ignore[union-attr]
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
    _notify(send_invitation(fresh(owner, conversation), REQUEST) if invite else "", conversation)
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
    """Save changed details; a changed time or length is a reschedule (SEQUENCE + 1)."""
    before = Conversation.objects.filter(pk=conversation.pk).values(
        "starts_at", "duration_minutes", "status"
    )[0]
    if organization_name.strip():
        conversation.organization = organization_named(owner, organization_name)
    moved = (
        before["starts_at"] != conversation.starts_at
        or before["duration_minutes"] != conversation.duration_minutes
    )
    if moved and before["status"] == Status.CANCELLED:
        raise ValidationError({"starts_at": "A cancelled conversation cannot be moved."})
    if moved:
        conversation.sequence += 1
    save_owned(owner, conversation)
    if people is not None:
        people = _check_people(owner, people)
        Participant.objects.filter(conversation=conversation).exclude(
            person_id__in=[p.pk for p in people]
        ).delete()
        existing = set(
            Participant.objects.filter(conversation=conversation).values_list(
                "person_id", flat=True
            )
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
    report = ""
    if moved:
        signals.conversation_rescheduled.send(sender=Conversation, conversation=conversation)
        if invite or (invite is None and conversation.invitation_sent_at is not None):
            report = send_invitation(fresh(owner, conversation), REQUEST)
    elif invite:
        report = send_invitation(fresh(owner, conversation), REQUEST)
    _notify(report, conversation)
    return conversation


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
        report = send_invitation(fresh(owner, conversation), CANCEL)
    _notify(report, conversation)
    return conversation


def invite(owner: Any, conversation: Conversation) -> str:
    """Send (again) the invitation of a scheduled conversation, or its cancellation."""
    method = CANCEL if conversation.status == Status.CANCELLED else REQUEST
    return send_invitation(fresh(owner, conversation), method)


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
