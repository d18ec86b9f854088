"""Calendar files for a conversation (RFC 5545 with iTIP methods, RFC 5546).

Times are written in UTC (``DTSTART:20260330T080000Z``), so every calendar places
them right across daylight-saving changes without a VTIMEZONE. The UID is stable for
the conversation's life; SEQUENCE goes up with every reschedule and the cancellation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from coffeechat.conversations.models import Conversation, Mode, Status
from coffeechat.core.links import absolute_url

PRODID = "-//Coffeechat//Conversations//EN"

PUBLISH = "PUBLISH"  # a file for my own calendar
REQUEST = "REQUEST"  # an invitation (new or rescheduled)
CANCEL = "CANCEL"  # the invitation withdrawn


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.upper().replace("_", "-")] = vText(value)
    return address


def organizer_of(conversation: Conversation) -> tuple[str, str]:
    user: Any = conversation.owner
    profile = getattr(user, "profile", None)
    return user.email, getattr(profile, "full_name", "") or ""


def summary_of(conversation: Conversation, organizer_name: str = "") -> str:
    names = ", ".join(p.full_name for p in conversation.participants.all())
    me = organizer_name or "me"
    return f"Coffee chat: {names} and {me}" if names else "Coffee chat"


def description_of(conversation: Conversation) -> str:
    lines = [conversation.get_purpose_display() + " conversation"]
    if conversation.organization is not None:
        lines[0] += f" ({conversation.organization.name})"
    if conversation.mode_detail:
        lines.append(f"{conversation.mode_detail_label}: {conversation.mode_detail}")
    lines.append(f"{conversation.duration_minutes} minutes.")
    return "\n".join(lines)


def build_calendar(
    conversation: Conversation,
    method: str = PUBLISH,
    *,
    organizer_email: str = "",
    attendees: list[tuple[str, str]] | None = None,
) -> bytes:
    """The .ics for ``conversation``: one VEVENT, with ``method`` as its METHOD.

    ``organizer_email`` is the address the invitation is sent From (the user's own SMTP
    address), by default the account's. ``attendees`` (name, e-mail) narrows a CANCEL to
    the people taken off the conversation: then the event itself stays confirmed, and
    only those people are listed (RFC 5546, 3.2.5).
    """
    own_email, organizer_name = organizer_of(conversation)
    organizer_email = organizer_email or own_email
    uninvite = attendees is not None
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", conversation.uid)
    event.add("dtstamp", timezone.now().astimezone(UTC).replace(microsecond=0))
    event.add("sequence", conversation.sequence)
    event.add("dtstart", _utc(conversation.starts_at))
    event.add("dtend", _utc(conversation.ends_at))
    event.add("summary", summary_of(conversation, organizer_name))
    event.add("description", description_of(conversation))
    if conversation.mode_detail:
        if conversation.mode == Mode.VIDEO and conversation.mode_detail.startswith("http"):
            event.add("url", conversation.mode_detail)
        event.add("location", conversation.mode_detail)
    cancelled = method == CANCEL or conversation.status == Status.CANCELLED
    if not uninvite:
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer_email, organizer_name))
    for person, email in attendees if attendees is not None else attendees_of(conversation):
        event.add(
            "attendee",
            _address(
                email,
                person,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="TRUE",
                cutype="INDIVIDUAL",
            ),
        )
    if conversation.pk and method == PUBLISH and "url" not in event:
        event.add("url", _page_url(conversation))  # only in my own calendar
    calendar.add_component(event)
    return calendar.to_ical()


def attendees_of(conversation: Conversation) -> list[tuple[str, str]]:
    """(name, e-mail) of each participant with an e-mail address (their first one)."""
    found = []
    for person in conversation.participants.all():
        address = invitation_address(person)
        if address:
            found.append((person.full_name, address))
    return found


def invitation_address(person: Any) -> str:
    """Where a participant's invitation goes: their first e-mail address, if any."""
    addresses = list(person.email_addresses.all())
    return addresses[0].email if addresses else ""


def _page_url(conversation: Conversation) -> str:
    return absolute_url(conversation.get_absolute_url())


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def filename_for(conversation: Conversation) -> str:
    return f"conversation-{conversation.pk}.ics"
