"""The user's own SMTP server: save it, delete it, and send a test e-mail through it."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage

from coffeechat.outreach import mail
from coffeechat.outreach.models import ConnectionCheck, SmtpSecurity, SmtpSettings
from coffeechat.outreach.secrets import SecretUnreadable, encrypt
from coffeechat.outreach.services import connection_checks
from coffeechat.outreach.smtp import SEND_ERRORS, TEST_TIMEOUT, Server, backend_for, explain
from coffeechat.outreach.smtp import server_of as smtp_server_of


def save_smtp_settings(
    user: Any,
    *,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str | None,
    from_email: str,
) -> SmtpSettings:
    """Save the user's SMTP server; ``password=None`` keeps the stored one."""
    smtp = SmtpSettings.objects.filter(owner=user).first() or SmtpSettings(owner=user)
    smtp.host = host.strip()
    smtp.port = port
    smtp.security = security if security in SmtpSecurity.values else SmtpSecurity.STARTTLS
    smtp.username = username.strip()
    smtp.from_email = from_email.strip()
    if password is not None:
        smtp.password_encrypted = encrypt(password)
    smtp.full_clean()
    smtp.save()
    return smtp


def delete_smtp_settings(user: Any) -> None:
    SmtpSettings.objects.filter(owner=user).delete()


@dataclass(frozen=True, slots=True)
class SmtpTestResult:
    ok: bool
    message: str


TEST_SUBJECT = "Coffeechat: test message"


def typed_server(
    user: Any, *, host: str, port: int, security: str, username: str, password: str
) -> Server:
    """Settings typed in the form, to test before saving.

    An empty password means the saved one, but only for the saved server, port, security
    and user name: the saved password never goes anywhere else.
    """
    server = Server(host.strip(), port, security, username.strip(), password)
    if password or not server.username:
        return server
    smtp = mail.user_smtp(user)
    same = smtp is not None and (smtp.host, smtp.port, smtp.security, smtp.username) == (
        server.host,
        server.port,
        server.security,
        server.username,
    )
    if smtp is None or not same or not smtp.has_password:
        raise ValidationError(
            {
                "password": "Type the password to test these settings: the saved one is "
                "only ever sent to the saved server."
            }
        )
    try:
        return smtp_server_of(smtp)
    except SecretUnreadable as error:
        raise ValidationError({"password": str(error)}) from None


def send_test_email(
    user: Any,
    server: Server | None = None,
    *,
    from_email: str = "",
    timeout: float = TEST_TIMEOUT,
) -> SmtpTestResult:
    """Send a short test e-mail to the user's own address through their SMTP server.

    Without ``server``: the saved settings; with it: settings typed in the form (nothing is
    saved). Whatever the network or the server does, the result says it in plain words.
    It connects at once: pages go through :func:`start_smtp_test` (the worker runs it); the
    ``smtp-test`` command calls it directly.
    """
    if server is None:
        smtp = mail.user_smtp(user)
        if smtp is None:
            return SmtpTestResult(False, "You have no SMTP settings yet: save them first.")
        from_email = smtp.from_email
        try:
            server = smtp_server_of(smtp)
        except SecretUnreadable as error:
            return SmtpTestResult(False, str(error))
    address = (from_email or user.email).strip()
    try:
        mail.check_address(address, "sender's")
    except ValidationError as error:
        return SmtpTestResult(False, " ".join(error.messages))
    name = mail.my_name(user)
    email = EmailMessage(
        subject=TEST_SUBJECT,
        body=(
            "This is a test message from Coffeechat.\n\n"
            f"Your SMTP settings work: messages to the people in your network will go out "
            f"from {address} through {server.describe()}.\n\n"
            "Nothing to do; you may delete this e-mail.\n"
        ),
        from_email=str(Address(display_name=name, addr_spec=address)),
        to=[address],
    )
    backend = backend_for(server, timeout=timeout)
    try:
        sent = backend.send_messages([email])
    except SEND_ERRORS as error:
        return SmtpTestResult(False, explain(error, server))
    finally:
        backend.close()
    if not sent:
        return SmtpTestResult(False, f"{server.where} did not take the test message.")
    return SmtpTestResult(
        True,
        f"Sent a test e-mail to {address} through {server.describe()}. Look for it in your inbox.",
    )


def start_smtp_test(user: Any, typed: dict[str, Any] | None = None) -> ConnectionCheck:
    """Queue a test of the saved settings (``typed=None``) or of settings typed in the
    form (``host``, ``port``, ``security``, ``username``, ``password``, ``from_email``;
    check them with :func:`typed_server` first). Raises ``TooManyTests``."""
    from coffeechat.outreach.tasks import run_smtp_check

    return connection_checks.start(
        user, ConnectionCheck.Kind.SMTP, enqueue=run_smtp_check.enqueue, typed=typed
    )


def run_test(user: Any, typed: dict[str, Any] | None) -> tuple[bool, str]:
    """The worker's side of :func:`start_smtp_test`."""
    if typed is None:
        result = send_test_email(user)
    else:
        from_email = typed.pop("from_email", "")
        result = send_test_email(user, Server(**typed), from_email=from_email)
    return result.ok, result.message
