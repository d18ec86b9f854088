"""E-mailed invitations: what each change of a conversation sends, to whom, and the message.

This module decides *what* goes out; outreach (:mod:`coffeechat.outreach.invitations`)
decides *how*: through the user's own SMTP server or the instance's, and From whom.
The scheduling services send ``signals.invitations_due`` with the deliveries below.

- A change of time, duration, mode, place or people (with an e-mail address) is
  significant: SEQUENCE goes up. Once an invitation was sent, everyone still invited gets
  the update (METHOD:REQUEST), a person taken off gets METHOD:CANCEL, a person added gets
  the invitation.
- Each invitee gets their own message: text, HTML and ``text/calendar; method=…``
  alternatives, and the same file attached as ``invite.ics`` (RFC 6047). The text gives
  the time in the organizer's zone, and in the invitee's when it differs.
"""

from __future__ import annotations

import email.message
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import linebreaks, urlize

from coffeechat.conversations.ics import (
    CANCEL,
    REQUEST,
    build_calendar,
    invitation_address,
    organizer_of,
)
from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import user_zone

NEW = "new"  # the first invitation (or to a person just added)
UPDATE = "update"  # the time, place or people changed
CANCELLED = "cancel"  # the conversation is called off
UNINVITED = "uninvite"  # this person was taken off the conversation

NO_SERVER = (
    "No mail server can send this invitation: set your own SMTP server (Outreach → E-mail "
    "settings) or ask the administrator to set EMAIL_URL. Download the .ics and send it "
    "yourself meanwhile."
)


def email_configured() -> bool:
    """The instance has a mail server (``EMAIL_URL``): the forms offer to invite."""
    return bool(getattr(settings, "EMAIL_CONFIGURED", False))


@dataclass(frozen=True, slots=True)
class Invitee:
    name: str
    email: str
    time_zone: str = ""  # the person's zone, when known


@dataclass(frozen=True, slots=True)
class Delivery:
    method: str  # REQUEST or CANCEL
    kind: str  # NEW, UPDATE, CANCELLED or UNINVITED
    invitees: tuple[Invitee, ...]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What an invitation says: a change of any of these is significant."""

    starts_at: datetime
    duration_minutes: int
    mode: str
    mode_detail: str
    invitees: tuple[Invitee, ...]


@dataclass(frozen=True, slots=True)
class Sender:
    """Who an invitation comes from: its headers, and the ORGANIZER address."""

    from_header: str
    organizer_email: str
    reply_to: str = ""
    sender: str = ""


def invitees_of(conversation: Conversation) -> tuple[Invitee, ...]:
    """Each participant with an e-mail address (their first one), in the chosen order."""
    found = []
    for person in conversation.participants.all():
        address = invitation_address(person)
        if address:
            found.append(Invitee(person.full_name, address, person.time_zone))
    return tuple(found)


def snapshot(conversation: Conversation) -> Snapshot:
    return Snapshot(
        conversation.starts_at,
        conversation.duration_minutes,
        conversation.mode,
        conversation.mode_detail,
        invitees_of(conversation),
    )


def significant(before: Snapshot, after: Snapshot) -> bool:
    """A change the invitees' calendars must hear about (a new name is not one)."""

    def key(s: Snapshot) -> tuple[Any, ...]:
        emails = frozenset(i.email.lower() for i in s.invitees)
        return (s.starts_at, s.duration_minutes, s.mode, s.mode_detail.strip(), emails)

    return key(before) != key(after)


def deliveries_after(before: Snapshot, after: Snapshot) -> list[Delivery]:
    """What to send once an invitation went out and the conversation changed."""
    old = {i.email.lower() for i in before.invitees}
    new = {i.email.lower() for i in after.invitees}
    removed = tuple(i for i in before.invitees if i.email.lower() not in new)
    added = tuple(i for i in after.invitees if i.email.lower() not in old)
    staying = tuple(i for i in after.invitees if i.email.lower() in old)
    found = []
    if removed:
        found.append(Delivery(CANCEL, UNINVITED, removed))
    if staying and significant(before, after):
        found.append(Delivery(REQUEST, UPDATE, staying))
    if added:
        found.append(Delivery(REQUEST, NEW, added))
    return found


def invitation_to_all(conversation: Conversation, kind: str = NEW) -> Delivery:
    method = CANCEL if kind == CANCELLED else REQUEST
    return Delivery(method, kind, invitees_of(conversation))


# The message -----------------------------------------------------------------------


class InvitationMessage(EmailMultiAlternatives):
    """text/plain, text/html and text/calendar with an iTIP method, plus invite.ics."""

    def __init__(self, *args: Any, calendar: bytes, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.method = method
        attachment = email.message.MIMEPart()
        attachment.set_content(
            calendar,
            maintype="application",
            subtype="ics",
            disposition="attachment",
            filename="invite.ics",
            params={"method": method},
        )
        self.attach(attachment)

    def _add_bodies(self, msg: Any) -> Any:
        super()._add_bodies(msg)  # type: ignore[misc]
        if msg.get_content_type() != "multipart/alternative":
            msg.make_alternative()
        msg.add_alternative(
            self.calendar.decode(),
            subtype="calendar",
            charset="utf-8",
            params={"method": self.method},
        )
        return msg


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError):
        return None


def _at(moment: datetime, zone: Any) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({local.tzname()})"


def when_lines(conversation: Conversation, invitee: Invitee) -> list[str]:
    """The time in the organizer's zone, and in the invitee's when it differs."""
    mine = user_zone(conversation.owner)
    theirs = _zone(invitee.time_zone) or _zone(conversation.time_zone) or mine
    lines = [f"When: {_at(conversation.starts_at, mine)}, {conversation.duration_minutes} min"]
    if conversation.starts_at.astimezone(theirs).utcoffset() != (
        conversation.starts_at.astimezone(mine).utcoffset()
    ):
        lines.append(f"Your time: {_at(conversation.starts_at, theirs)}")
    return lines


def _local_day(conversation: Conversation, invitee: Invitee) -> str:
    zone = _zone(invitee.time_zone) or user_zone(conversation.owner)
    local = conversation.starts_at.astimezone(zone)
    return f"{local.day} {local:%b %Y}"


_OPENING = {
    NEW: "Thank you for making time. Here is the invitation for our conversation.",
    UPDATE: "Our conversation has changed; here are the new details.",
    CANCELLED: "I have to cancel our conversation. I am sorry for the change.",
    UNINVITED: "The conversation will go ahead without you this time, so I have taken it "
    "off your calendar. Thank you for your understanding.",
}


def _subject(conversation: Conversation, kind: str, invitee: Invitee) -> str:
    day = _local_day(conversation, invitee)
    if kind in {CANCELLED, UNINVITED}:
        return f"Cancelled: coffee chat on {day}"
    return ("Updated: " if kind == UPDATE else "Invitation: ") + f"coffee chat on {day}"


def _body(conversation: Conversation, kind: str, invitee: Invitee) -> str:
    _email, organizer_name = organizer_of(conversation)
    lines = [f"Hello {invitee.name},", "", _OPENING[kind], ""]
    lines += when_lines(conversation, invitee)
    if conversation.mode_detail and kind in {NEW, UPDATE}:
        lines.append(f"{conversation.mode_detail_label}: {conversation.mode_detail}")
    lines += ["", organizer_name or conversation.owner.email]
    return "\n".join(lines)


def invitation_messages(
    conversation: Conversation, delivery: Delivery, sender: Sender
) -> list[InvitationMessage]:
    """One message per invitee of ``delivery``, From ``sender``."""
    attendees = (
        [(i.name, i.email) for i in delivery.invitees] if delivery.kind == UNINVITED else None
    )
    calendar = build_calendar(
        conversation,
        delivery.method,
        organizer_email=sender.organizer_email,
        attendees=attendees,
    )
    headers = {"Sender": sender.sender} if sender.sender else {}
    found = []
    for invitee in delivery.invitees:
        body = _body(conversation, delivery.kind, invitee)
        message = InvitationMessage(
            _subject(conversation, delivery.kind, invitee),
            body,
            sender.from_header,
            [invitee.email],
            reply_to=[sender.reply_to] if sender.reply_to else None,
            headers=headers,
            calendar=calendar,
            method=delivery.method,
        )
        html = f"<html><body>{linebreaks(urlize(body, autoescape=True))}</body></html>"
        message.attach_alternative(html, "text/html")
        found.append(message)
    return found
