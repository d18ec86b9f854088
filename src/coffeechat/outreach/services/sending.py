"""Sending e-mail: now, or queued for `coffeechat send-queued`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from coffeechat.outreach import mail
from coffeechat.outreach.models import Channel, Message, Status
from coffeechat.outreach.services.status import mark_sent
from coffeechat.outreach.smtp import (
    SEND_ERRORS,
    Server,
    UserSmtpBackend,
    explain,
    server_of_backend,
)


def queue(message: Message) -> Message:
    """Put a draft e-mail in the queue that `coffeechat send-queued` sends."""
    if message.status != Status.DRAFT:
        raise ValidationError("Only a draft can be queued.")
    if message.channel != Channel.EMAIL:
        raise ValidationError("Only e-mail can be sent from the queue.")
    mail.check_sendable(message)
    message.queued_at = timezone.now()
    message.save(update_fields=["queued_at", "updated_at"])
    return message


def unqueue(message: Message) -> Message:
    message.queued_at = None
    message.save(update_fields=["queued_at", "updated_at"])
    return message


def send_email(message: Message) -> Message:
    """Send ``message`` by e-mail now, then mark it sent; refuses what is unsafe or unset."""
    if message.status != Status.DRAFT:
        raise ValidationError("This message was already sent.")
    if message.channel != Channel.EMAIL:
        raise ValidationError("Only e-mail messages can be sent from Coffeechat.")
    if message.person.do_not_contact and "do_not_contact" not in message.dismissed_checks:
        raise ValidationError(f"{message.person.full_name} is marked “do not contact”.")
    if not mail.can_send(message.owner):
        raise ValidationError(
            "No way to send e-mail is configured: set your SMTP server in your e-mail "
            "settings, or ask the administrator to set EMAIL_URL. Meanwhile, use the "
            "mailto: link or the .eml file and mark the message as sent."
        )
    smtp = mail.user_smtp(message.owner)
    email = mail.build_email(message, smtp=smtp)
    server = Server(smtp.host, smtp.port, smtp.security) if smtp else server_of_backend(None)
    connection = None
    try:
        connection, server = mail.connection_for(smtp)
        sent = connection.send_messages([email])
    except SEND_ERRORS as error:
        reason = explain(error, server)
        message.send_error = reason[:1000]
        message.save(update_fields=["send_error", "updated_at"])
        raise ValidationError(reason) from None
    finally:
        if isinstance(connection, UserSmtpBackend):
            connection.close()  # also a connection left half-open by a refused login
    if not sent:
        raise ValidationError("The mail server did not take the message.")
    message.email_message_id = email.extra_headers.get("Message-ID", "")
    message.save(update_fields=["email_message_id", "updated_at"])
    return mark_sent(message)


@dataclass
class QueueResult:
    sent: list[Message]
    failed: list[tuple[Message, str]]


def send_queued(user: Any | None = None, *, dry_run: bool = False) -> QueueResult:
    """Send every queued draft (of ``user``, or of everyone); a failure does not stop the rest."""
    queryset = Message.objects.queued().select_related("owner__profile", "person")
    if user is not None:
        queryset = queryset.filter(owner=user)
    result = QueueResult([], [])
    for message in queryset.order_by("queued_at", "pk"):
        if dry_run:
            result.sent.append(message)
            continue
        try:
            send_email(message)
        except ValidationError as error:
            result.failed.append((message, " ".join(error.messages)))
        else:
            result.sent.append(message)
    return result
