"""Turning a message into e-mail: headers, the .eml file, mailto: links, the SMTP connection.

Messages go out from the user's own address: through their own SMTP server when they
have set one (:class:`SmtpSettings`), otherwise through the instance's ``EMAIL_URL``
(with the instance's address as ``Sender``).
"""

from __future__ import annotations

import hashlib
from email import policy
from email.headerregistry import Address
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email

from coffeechat.outreach.models import MAX_BODY, MAX_SUBJECT, Message, SmtpSettings
from coffeechat.outreach.smtp import Server, backend_for, server_of, server_of_backend

CONSOLE = "django.core.mail.backends.console.EmailBackend"
# Past about this many characters, mail programs and browsers cut a mailto: link (or
# refuse it); the composer offers Copy text and the .eml instead.
MAILTO_LIMIT = 1800
EML_POLICY = policy.default.clone(linesep="\r\n")


def instance_can_send() -> bool:
    """True when ``EMAIL_URL`` names a real way out (not the console)."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    return bool(backend) and backend != CONSOLE


def user_smtp(user: Any) -> SmtpSettings | None:
    return SmtpSettings.objects.filter(owner=user).first()


def can_send(user: Any) -> bool:
    return user_smtp(user) is not None or instance_can_send()


def my_name(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return (getattr(profile, "full_name", "") or "").strip()


def sender_address(user: Any, smtp: SmtpSettings | None = None) -> str:
    return smtp.from_email if smtp is not None else user.email


def check_address(value: str, label: str) -> str:
    """A single clean e-mail address, or a ValidationError that says what is wrong."""
    address = (value or "").strip()
    if not address:
        raise ValidationError({"to_email": f"There is no {label} address."})
    if any(ch in address for ch in "\r\n\x00"):
        raise ValidationError({"to_email": f"The {label} address contains a line break: refused."})
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"to_email": f"“{address}” is not an e-mail address."}) from None
    return address


def check_sendable(message: Message) -> None:
    """Refuse header injection, oversized bodies and bad addresses, with clear messages."""
    errors: dict[str, str] = {}
    if any(ch in message.subject for ch in "\r\n"):
        errors["subject"] = (
            "The subject contains a line break, which could add e-mail headers: refused. "
            "Keep the subject on one line."
        )
    elif len(message.subject) > MAX_SUBJECT:
        errors["subject"] = f"The subject is longer than {MAX_SUBJECT} characters."
    if len(message.body) > MAX_BODY:
        errors["body"] = (
            f"The message is {len(message.body):,} characters long; the limit is {MAX_BODY:,}."
        )
    if "\x00" in message.body or "\x00" in message.subject:
        errors["body"] = "The message contains a null character: refused."
    if any(ch in message.person.full_name for ch in "\r\n"):
        errors["to_email"] = "The person's name contains a line break: refused."
    if errors:
        raise ValidationError(errors)
    check_address(message.to_email, "recipient's")


def build_email(message: Message, *, smtp: SmtpSettings | None = None) -> EmailMessage:
    """The e-mail for ``message``: From the user (with their name), To the person."""
    check_sendable(message)
    user = message.owner
    from_address = sender_address(user, smtp)
    check_address(from_address, "sender's")
    name = my_name(user)
    headers = {"Reply-To": formataddr((name, from_address)) if name else from_address}
    if smtp is None:
        instance_from = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        if instance_from and instance_from.lower() != from_address.lower():
            headers["Sender"] = instance_from
    headers["Message-ID"] = message.email_message_id or message_id_for(message, from_address)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=str(Address(display_name=name, addr_spec=from_address)),
        to=[str(Address(display_name=message.person.full_name, addr_spec=message.to_email))],
        headers=headers,
    )
    return email


def message_id_for(message: Message, from_address: str) -> str:
    """The same Message-ID for one message every time (download, then send), unique to it."""
    domain = from_address.rsplit("@", 1)[-1] or "coffeechat.local"
    seed = f"{message.owner_id}:{message.pk}:{message.created_at.isoformat()}".encode()
    return f"<coffeechat.{message.pk}.{hashlib.sha256(seed).hexdigest()[:20]}@{domain}>"


def eml_bytes(message: Message) -> bytes:
    """The message as an RFC 5322 file a mail program opens as a draft to send.

    CRLF line endings, as RFC 5322 wants and Outlook needs; ``X-Unsent: 1`` makes
    Outlook and Thunderbird open it as a draft rather than a received message.
    """
    email = build_email(message, smtp=user_smtp(message.owner))
    email.extra_headers["X-Unsent"] = "1"
    return email.message().as_bytes(policy=EML_POLICY)


def mailto_url(message: Message) -> str:
    """A ``mailto:`` link (RFC 6068): line breaks as ``%0D%0A``; "" when it is too long."""
    body = message.body.replace("\r\n", "\n").replace("\n", "\r\n")
    query = f"subject={quote(message.subject)}&body={quote(body)}"
    url = f"mailto:{quote(message.to_email, safe='@')}?{query}"
    return url if len(url) <= MAILTO_LIMIT else ""


def connection_for(smtp: SmtpSettings | None) -> tuple[Any, Server]:
    """The mail connection for a user with these SMTP settings (or none: ``EMAIL_URL``),
    and where it goes, for error messages.

    Raises :class:`~coffeechat.outreach.secrets.SecretUnreadable` when the saved password
    cannot be decrypted any more.
    """
    if smtp is None:
        connection = mail.mailers["default"]
        return connection, server_of_backend(connection)
    server = server_of(smtp)
    return backend_for(server), server
