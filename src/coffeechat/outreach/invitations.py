"""Sending a conversation's invitations: the way out, From whom, and what happened.

Conversations decide what goes to whom (:mod:`coffeechat.conversations.invitations`)
and send ``invitations_due``; this module sends it the way outreach sends messages:

- through the user's own SMTP server when they set one: From the user (their "send
  from" address), which is also the ORGANIZER of the calendar event;
- otherwise through the instance's ``EMAIL_URL``: From the instance, under the user's
  name ("Alice Martin via Coffeechat"), with ``Reply-To`` the user, whose account
  address is the ORGANIZER;
- with neither, an invitation the user asked for is refused (ValidationError on
  ``invite``); an automatic update is reported as not sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.headerregistry import Address
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from coffeechat.conversations.invitations import (
    CANCELLED,
    NO_SERVER,
    UNINVITED,
    Delivery,
    Sender,
    invitation_messages,
)
from coffeechat.conversations.models import Conversation
from coffeechat.outreach import mail
from coffeechat.outreach.secrets import SecretUnreadable
from coffeechat.outreach.smtp import SEND_ERRORS, explain

logger = logging.getLogger(__name__)


def invitation_sender(user: Any) -> Sender:
    """From whom an invitation goes, by the way it will go (see the module's text)."""
    name = mail.my_name(user)
    smtp = mail.user_smtp(user)
    if smtp is not None:
        own = smtp.from_email
        return Sender(str(Address(display_name=name, addr_spec=own)), organizer_email=own)
    display, instance = parseaddr(settings.DEFAULT_FROM_EMAIL)
    shown = f"{name} via {display or 'Coffeechat'}" if name else display
    return Sender(
        formataddr((shown, instance)),
        organizer_email=user.email,
        reply_to=formataddr((name, user.email)) if name else user.email,
    )


def check_can_send(user: Any) -> None:
    """Refuse an invitation the user asked for when no mail server can send it."""
    if not mail.can_send(user):
        raise ValidationError({"invite": NO_SERVER})


def deliver_invitations(
    conversation: Conversation, deliveries: Sequence[Delivery], *, requested: bool
) -> str:
    """E-mail each delivery to its invitees; answer what happened, in words.

    A mail server's refusal is reported, not raised: the conversation is saved anyway.
    """
    user = conversation.owner
    if requested:
        check_can_send(user)
    elif not mail.can_send(user):
        return (
            "The update could not be e-mailed: no mail server can send it. Download the "
            ".ics and send it yourself."
        )
    sender = invitation_sender(user)
    messages = [m for d in deliveries for m in invitation_messages(conversation, d, sender)]
    if not messages:
        return "Nobody in this conversation has an e-mail address: no invitation sent."
    smtp = mail.user_smtp(user)
    try:
        connection, server = mail.connection_for(smtp)
    except SecretUnreadable as error:
        return f"The invitation could not be sent: {error}"
    try:
        connection.send_messages(messages)
    except SEND_ERRORS as error:
        logger.warning("Could not send the invitation for %s: %s", conversation.uid, error)
        return f"The invitation could not be sent: {explain(error, server)}"
    finally:
        if smtp is not None:
            connection.close()
    if any(d.kind not in {CANCELLED, UNINVITED} for d in deliveries):
        Conversation.objects.filter(pk=conversation.pk).update(invitation_sent_at=timezone.now())
    return " ".join(_said(d) for d in deliveries if d.invitees)


def _said(delivery: Delivery) -> str:
    names = ", ".join(i.email for i in delivery.invitees)
    what = {
        CANCELLED: "the cancellation",
        UNINVITED: "a cancellation (taken off the conversation)",
    }.get(delivery.kind, "the invitation" if delivery.kind == "new" else "the update")
    return f"Sent {what} to {names}."
