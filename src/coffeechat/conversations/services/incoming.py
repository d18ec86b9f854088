"""Calendar messages that come in: answers to my invitations (iTIP REPLY) and
invitations from others (REQUEST, its updates and its CANCEL).

The mailbox sync hands over what it finds in a message's text/calendar part; the
import page and ``coffeechat import FILE.ics`` hand over an uploaded file. Both come
here (:func:`take_calendar_file`, :func:`take_calendar_mail`); reading the file is
:mod:`coffeechat.conversations.calendar_files`.

- An answer counts when its UID is one of my conversations' (the UID the invitation
  carried, :attr:`Conversation.uid`) and its attendee is a participant (any of the
  person's addresses, or the sender's). An answer to an earlier version (a lower
  SEQUENCE than the conversation's), or no newer than the one stored (SEQUENCE, then
  DTSTAMP), changes nothing: the same reply twice is one answer.
- An invitation from someone else becomes a scheduled conversation keyed by its UID
  (``external_uid``): its organizer and attendees other than me are matched to my
  people by e-mail address, and the unknown ones added, tagged “from an invitation”.
  A later version (higher SEQUENCE, or the same with a later DTSTAMP) moves and
  retitles it; a cancellation cancels it; an older version changes nothing.

A file is taken whole or not at all (one transaction).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.conversations import signals
from coffeechat.conversations.calendar_files import (
    CANCEL,
    PUBLISH,
    REPLY,
    REQUEST,
    CalendarEvent,
    CalendarFileError,
    read_calendar,
)
from coffeechat.conversations.models import Answer, Conversation, Mode, Participant, Status
from coffeechat.conversations.services.scheduling import (
    cancel_conversation,
    schedule_conversation,
    update_conversation,
)
from coffeechat.core.calendar import user_zone
from coffeechat.imports.signals import CalendarFileTaken
from coffeechat.network.models import EmailAddress, Person
from coffeechat.network.services import create_person

logger = logging.getLogger(__name__)

NEW_PERSON_TAG = "from an invitation"
ANSWERS = {
    "ACCEPTED": Answer.ACCEPTED,
    "TENTATIVE": Answer.TENTATIVE,
    "DECLINED": Answer.DECLINED,
    "NEEDS-ACTION": Answer.NEEDS_ACTION,
}
PHONE = re.compile(r"^[+\d][\d\s()./-]{5,}(\s*(ext|x)\.?\s*\d+)?$", re.I)

# What became of one event.
ANSWERED = "answered"
NEW = "new"
UPDATED = "updated"
CANCELLED = "cancelled"
UNCHANGED = "unchanged"
IGNORED = "ignored"


@dataclass
class Taken:
    outcome: str
    message: str
    conversation: Conversation | None = None
    new_people: list[Person] = field(default_factory=list)


# Answers ---------------------------------------------------------------------------


def _participant_for(
    conversation: Conversation, event: CalendarEvent, sender: str
) -> tuple[Participant, str] | None:
    """The participant who answers, and their PARTSTAT: an attendee address that is one
    of a participant's, else the sender's address when it is (one answering attendee)."""
    rows = list(conversation.participant_rows.select_related("person"))
    emails = dict(
        EmailAddress.objects.filter(
            owner_id=conversation.owner_id, person_id__in=[r.person_id for r in rows]
        ).values_list("email", "person_id")
    )
    by_address = {address.strip().lower(): person_id for address, person_id in emails.items()}
    by_person = {row.person_id: row for row in rows}
    answering = [a for a in event.attendees if a.partstat]
    if sender:
        answering.sort(key=lambda a: a.email != sender)  # the sender's own line first
    for attendee in answering:
        person_id = by_address.get(attendee.email)
        if person_id in by_person:
            return by_person[person_id], attendee.partstat
    person_id = by_address.get(sender)
    if person_id in by_person and len(answering) == 1:
        return by_person[person_id], answering[0].partstat
    return None


def take_answer(owner: Any, event: CalendarEvent, sender: str = "") -> Taken:
    """Record a participant's answer (REPLY) to one of my invitations."""
    conversation = Conversation.objects.filter(owner=owner, uid=event.uid).first()
    if conversation is None:
        return Taken(IGNORED, "This answer is not to one of your invitations.")
    found = _participant_for(conversation, event, sender)
    if found is None:
        return Taken(IGNORED, "Nobody in the conversation sent this answer.", conversation)
    row, partstat = found
    answer = ANSWERS.get(partstat)
    name = row.person.full_name
    if answer is None:
        return Taken(IGNORED, f"{name}'s answer ({partstat}) is not one we keep.", conversation)
    sequence = event.sequence if event.sequence is not None else conversation.sequence
    if sequence < conversation.sequence:
        return Taken(UNCHANGED, f"{name} answered an earlier version.", conversation)
    stamp = event.stamp
    if sequence < row.answer_sequence or (
        sequence == row.answer_sequence
        and row.answered_at is not None
        and (stamp is None or stamp <= row.answered_at)
    ):
        return Taken(UNCHANGED, f"{name}'s newer answer stands.", conversation)
    row.answer = answer
    row.answered_at = stamp or timezone.now()  # as given: the next answer is compared to it
    row.answer_sequence = sequence
    row.save(update_fields=["answer", "answered_at", "answer_sequence"])
    signals.participant_answered.send(
        sender=Conversation, conversation=conversation, participant=row
    )
    return Taken(ANSWERED, f"{name}: {row.get_answer_display().lower()}.", conversation)


# Invitations from others -------------------------------------------------------------


def _newer(event: CalendarEvent, conversation: Conversation) -> int:
    """1 when ``event`` is a later version than the one applied, 0 the same, -1 older."""
    mine = (conversation.external_sequence, conversation.external_stamp)
    theirs = (event.sequence or 0, event.stamp)
    if theirs[0] != mine[0]:
        return 1 if theirs[0] > mine[0] else -1
    if theirs[1] is None or mine[1] is None or theirs[1] == mine[1]:
        return 0
    return 1 if theirs[1] > mine[1] else -1


def _how(event: CalendarEvent) -> tuple[str, str]:
    if event.link:
        return Mode.VIDEO, event.link
    if event.location and PHONE.match(event.location):
        return Mode.PHONE, event.location
    if event.location:
        return Mode.VISIT, event.location
    return Mode.VIDEO, ""


def _people(owner: Any, event: CalendarEvent, own: set[str]) -> tuple[list[Person], list[Person]]:
    """(everyone in the invitation but me, matched or added; those added)."""
    wanted = [a for a in [event.organizer, *event.attendees] if a is not None]
    wanted = [a for a in wanted if a.email not in own]
    known = {
        address.email.lower(): address.person
        for address in EmailAddress.objects.filter(
            owner=owner, email__in=[a.email for a in wanted]
        ).select_related("person")
    }
    # E-mail addresses are stored as written: compare case-insensitively for the rest.
    for a in wanted:
        if a.email not in known:
            match = (
                EmailAddress.objects.filter(owner=owner, email__iexact=a.email)
                .select_related("person")
                .first()
            )
            if match is not None:
                known[a.email] = match.person
    people: list[Person] = []
    added: list[Person] = []
    day = timezone.localtime(event.starts_at, user_zone(owner)).date()
    for address in wanted:
        person = known.get(address.email)
        if person is None:
            person = create_person(
                owner,
                name=address.name or address.email.split("@", 1)[0].replace(".", " ").title(),
                emails=[address.email],
                tags=[NEW_PERSON_TAG],
                notes=f"Added from the invitation “{event.summary or 'no title'}” ({day}).",
            )
            known[address.email] = person
            added.append(person)
        if person.pk not in {p.pk for p in people}:
            people.append(person)
    return people, added


def _apply(conversation: Conversation, event: CalendarEvent, owner: Any) -> None:
    conversation.title = event.summary
    conversation.starts_at = event.starts_at
    conversation.duration_minutes = event.duration_minutes
    conversation.mode, conversation.mode_detail = _how(event)
    if event.floating or event.all_day:
        conversation.time_zone = str(user_zone(owner))
    elif event.zone_name:
        conversation.time_zone = event.zone_name[:64]
    conversation.external_sequence = event.sequence or 0
    conversation.external_stamp = event.stamp
    if event.organizer is not None:
        conversation.organizer_email = event.organizer.email


def take_invitation(owner: Any, event: CalendarEvent, own: Iterable[str] = ()) -> Taken:
    """Schedule, move, retitle or cancel the conversation of someone else's invitation."""
    if Conversation.objects.filter(owner=owner, uid=event.uid).exists():
        return Taken(IGNORED, "This is your own invitation: nothing to import.")
    mine = {a.strip().lower() for a in own if a} | {owner.email.strip().lower()}
    existing = Conversation.objects.filter(owner=owner, external_uid=event.uid).first()
    title = event.summary or "the invitation"
    if existing is None:
        if event.cancelled:
            return Taken(IGNORED, f"“{title}” is cancelled, and was not in your calendar.")
        people, added = _people(owner, event, mine)
        if not people:
            raise ValidationError({"ATTENDEE": "Nobody but you is in this invitation."})
        conversation = Conversation(external_uid=event.uid)
        _apply(conversation, event, owner)
        if event.all_day:
            conversation.quick_notes = "All day: the invitation gives no time."
        schedule_conversation(owner, conversation, people, invite=False)
        return Taken(NEW, f"“{title}” is scheduled.", conversation, added)
    newer = _newer(event, existing)
    if newer < 0:
        return Taken(UNCHANGED, f"“{title}”: a newer version is already applied.", existing)
    if event.cancelled:
        if existing.status != Status.SCHEDULED:
            return Taken(UNCHANGED, f"“{title}” is not scheduled any more.", existing)
        existing.external_sequence = event.sequence or 0
        existing.external_stamp = event.stamp
        existing.save(update_fields=["external_sequence", "external_stamp", "updated_at"])
        cancel_conversation(owner, existing, notify=False)
        return Taken(CANCELLED, f"“{title}” was cancelled by its organizer.", existing)
    if newer == 0 or existing.status != Status.SCHEDULED:
        return Taken(UNCHANGED, f"“{title}” is already in your calendar.", existing)
    _apply(existing, event, owner)
    update_conversation(owner, existing, invite=False)
    return Taken(UPDATED, f"“{title}” was updated by its organizer.", existing)


# Entry points ------------------------------------------------------------------------


def _where(error: ValidationError, name: str, event: CalendarEvent) -> CalendarFileError:
    fields = getattr(error, "message_dict", {})
    field_name = next(iter(fields), "")
    message = " ".join(fields[field_name]) if field_name else " ".join(error.messages)
    return CalendarFileError(name, message, line=event.line, field=field_name.upper())


def take_calendar_file(
    owner: Any, data: bytes | str, name: str, own: Iterable[str] = ()
) -> list[Taken]:
    """An uploaded .ics: every event in it, in one transaction. Raises
    :class:`CalendarFileError` (file, line, field), having written nothing."""
    events = read_calendar(data, name, user_zone(owner))
    if len(events) > 1 and events[0].method == PUBLISH:
        raise CalendarFileError(
            name,
            f"this is a calendar of {len(events)} events, not an invitation: upload the "
            "invitation itself (one event, as the e-mail's invite.ics).",
            field="VEVENT",
        )
    own = list(own)
    found = []
    with transaction.atomic():
        for event in events:
            try:
                if event.method == REPLY:
                    found.append(take_answer(owner, event))
                else:
                    found.append(take_invitation(owner, event, own))
            except ValidationError as error:
                raise _where(error, name, event) from None
    return found


def invitation_file_taken(owner: Any, data: bytes | str, name: str) -> CalendarFileTaken:
    """What the import page and ``coffeechat import FILE.ics`` show: what each event
    did, and the conversation to go to. Refused (ValidationError) with the file, line
    and field when the file cannot be read or taken."""
    try:
        taken = take_calendar_file(owner, data, name)
    except CalendarFileError as error:
        raise ValidationError(str(error)) from None
    words = []
    for item in taken:
        words.append(item.message)
        if item.new_people:
            names = ", ".join(p.full_name for p in item.new_people)
            words.append(f"New in your network (tagged “{NEW_PERSON_TAG}”): {names}.")
    ids = [t.conversation.pk for t in taken if t.conversation is not None]
    first = next((t.conversation for t in taken if t.conversation is not None), None)
    return CalendarFileTaken(
        " ".join(words), first.get_absolute_url() if first is not None else "", ids
    )


def take_calendar_mail(
    owner: Any, data: bytes | str, sender: str, own: Iterable[str] = ()
) -> list[Taken]:
    """The text/calendar part of a message from ``sender`` (a person in the network):
    an answer, an invitation, an update or a cancellation. A part that cannot be read
    is skipped (logged), never fatal; each part lands whole or not at all."""
    try:
        events = read_calendar(data, "the calendar part", user_zone(owner))
    except CalendarFileError:
        logger.info("An unreadable calendar part from %s skipped", sender, exc_info=True)
        return []
    found = []
    try:
        with transaction.atomic():
            for event in events:
                if event.method == REPLY:
                    found.append(take_answer(owner, event, sender.strip().lower()))
                elif event.method in {REQUEST, CANCEL}:  # a PUBLISH in mail is no invitation
                    found.append(take_invitation(owner, event, own))
    except ValidationError:
        logger.info("A calendar part from %s not taken", sender, exc_info=True)
        return []
    return found


__all__ = [
    "ANSWERED",
    "CANCELLED",
    "IGNORED",
    "NEW",
    "NEW_PERSON_TAG",
    "UNCHANGED",
    "UPDATED",
    "invitation_file_taken",
    "Taken",
    "take_answer",
    "take_calendar_file",
    "take_calendar_mail",
    "take_invitation",
]
