"""E-mailed invitations: a text part and a ``text/calendar; method=…`` part.

Sent only when e-mail is configured (``EMAIL_URL``), through Django's default mailer.
The calendar part carries the same METHOD as the VCALENDAR inside it (REQUEST for a
new or moved conversation, CANCEL when it is called off), as RFC 6047 asks, and the
same file is attached as ``invite.ics`` for clients that only look at attachments.
"""

from __future__ import annotations

import email.message
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.utils import timezone

from coffeechat.conversations.ics import CANCEL, REQUEST, attendees_of, build_calendar, organizer_of
from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import user_zone

logger = logging.getLogger(__name__)


class InvitationMessage(EmailMultiAlternatives):
    """A message whose body is text/plain and text/calendar with an iTIP method."""

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
        msg.make_alternative()
        msg.add_alternative(
            self.calendar.decode(),
            subtype="calendar",
            charset="utf-8",
            params={"method": self.method},
        )
        return msg


def email_configured() -> bool:
    return bool(getattr(settings, "EMAIL_CONFIGURED", False))


def _when(conversation: Conversation) -> str:
    local = timezone.localtime(conversation.starts_at, user_zone(conversation.owner))
    return f"{local:%A %d %B %Y, %H:%M} ({local.tzname()}, {conversation.duration_minutes} min)"


def invitation_message(conversation: Conversation, method: str = REQUEST) -> InvitationMessage:
    organizer_email, organizer_name = organizer_of(conversation)
    recipients = [address for _name, address in attendees_of(conversation)]
    names = ", ".join(name for name, _address in attendees_of(conversation))
    when = _when(conversation)
    if method == CANCEL:
        subject = f"Cancelled: coffee chat on {conversation.starts_at:%d %b %Y}"
        body = (
            f"Hello {names},\n\nI have to cancel our conversation planned for {when}. "
            "I am sorry for the change.\n\n"
            f"{organizer_name or organizer_email}"
        )
    else:
        moved = conversation.sequence > 0
        subject = ("Updated: " if moved else "Invitation: ") + f"coffee chat, {when}"
        lines = [
            f"Hello {names},",
            "",
            ("The new time for our conversation: " if moved else "Thank you for making time: ")
            + when
            + ".",
        ]
        if conversation.mode_detail:
            lines.append(f"{conversation.mode_detail_label}: {conversation.mode_detail}")
        lines += ["", organizer_name or organizer_email]
        body = "\n".join(lines)
    return InvitationMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        cc=[organizer_email],
        reply_to=[organizer_email],
        calendar=build_calendar(conversation, method),
        method=method,
    )


def send_invitation(conversation: Conversation, method: str = REQUEST) -> str:
    """E-mail the invitation (or its cancellation); answer what happened, in words.

    Nothing is sent when e-mail is not configured or nobody has an e-mail address.
    A mail server's refusal is reported, not raised: the conversation is saved anyway.
    """
    if not email_configured():
        return "E-mail is not configured: download the .ics and send it yourself."
    message = invitation_message(conversation, method)
    if not message.to:
        return "Nobody in this conversation has an e-mail address: no invitation sent."
    try:
        mailers.default.send_messages([message])
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Could not send the invitation for %s: %s", conversation.uid, error)
        return f"The invitation could not be sent ({error})."
    Conversation.objects.filter(pk=conversation.pk).update(invitation_sent_at=timezone.now())
    verb = "cancellation" if method == CANCEL else "invitation"
    return f"Sent the {verb} to {', '.join(message.to)}."
