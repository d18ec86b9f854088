"""Talking to a user's own SMTP server: the connection, which certificates it trusts, and
what went wrong, said in plain words.

Certificates are always verified. The system's certificate authorities are trusted, plus
the one in ``COFFEECHAT_SMTP_CA_FILE`` when it is set (a company CA, or a mail server's
self-signed certificate); OpenSSL's ``SSL_CERT_FILE`` works as well.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings

from coffeechat.core.mailers import SmtpBackend
from coffeechat.outreach.destinations import check_destination
from coffeechat.outreach.models import SmtpSecurity, SmtpSettings
from coffeechat.outreach.secrets import SecretUnreadable, decrypt

SEND_TIMEOUT = 20  # seconds, for sending a message
TEST_TIMEOUT = 5  # seconds, for the test button: the user is waiting

SECURITY_WORDS: dict[str, str] = {
    SmtpSecurity.STARTTLS: "STARTTLS",
    SmtpSecurity.SSL: "TLS from the start",
    SmtpSecurity.NONE: "no encryption",
}


class CaFileUnreadable(OSError):
    """COFFEECHAT_SMTP_CA_FILE names a file that cannot be read as certificates."""


class WantsTls(smtplib.SMTPNotSupportedError):
    """The server offers a login only after STARTTLS, and security is "none"."""


@dataclass(frozen=True, slots=True)
class Server:
    """Where and how to connect: saved settings, or settings typed in a form."""

    host: str
    port: int
    security: str
    username: str = ""
    password: str = ""

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host

    def describe(self) -> str:
        return f"{self.where} ({SECURITY_WORDS.get(self.security, self.security)})"


def server_of(smtp: SmtpSettings) -> Server:
    """The saved settings, password decrypted (raises SecretUnreadable)."""
    return Server(
        host=smtp.host,
        port=smtp.port,
        security=smtp.security,
        username=smtp.username,
        password=decrypt(smtp.password_encrypted),
    )


def ssl_context() -> ssl.SSLContext:
    """A verifying client context: the system's CAs plus COFFEECHAT_SMTP_CA_FILE, if set."""
    context = ssl.create_default_context()
    ca_file = getattr(settings, "SMTP_CA_FILE", "")
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as error:
            raise CaFileUnreadable(
                f"The certificate file set by COFFEECHAT_SMTP_CA_FILE ({ca_file}) cannot be "
                f"read: {getattr(error, 'strerror', None) or error}. Ask the administrator "
                "to fix it."
            ) from None
    return context


class PinnedSMTP(smtplib.SMTP):
    """Connects to ``pinned_address`` (checked) while ``host`` stays the name that
    STARTTLS verifies the certificate against."""

    pinned_address = ""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection(
            (self.pinned_address or host, port), timeout, self.source_address
        )


class PinnedSMTPSSL(smtplib.SMTP_SSL):
    """TLS from the start, to ``pinned_address``, verified against the host name."""

    pinned_address = ""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        raw = socket.create_connection(
            (self.pinned_address or host, port), timeout, self.source_address
        )
        return self.context.wrap_socket(raw, server_hostname=self._host)  # type: ignore[attr-defined]


class UserSmtpBackend(SmtpBackend):
    """Django's SMTP backend (counting what it sends) with the context of
    :func:`ssl_context`, connecting only to the address :func:`check_destination`
    checked."""

    pinned_address = ""

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        return ssl_context()

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        base = PinnedSMTPSSL if self.use_ssl else PinnedSMTP
        return type(base.__name__, (base,), {"pinned_address": self.pinned_address})

    def open(self) -> bool | None:
        if self.connection is None:
            self.pinned_address = check_destination(str(self.host), int(self.port))
        try:
            return super().open()
        except smtplib.SMTPNotSupportedError as error:
            # No AUTH on a clear connection that offers STARTTLS: the server wants TLS.
            partial = getattr(self, "_partial_connection", None)
            if (
                "auth" in str(error).lower()
                and not self.use_ssl
                and not self.use_tls
                and partial is not None
                and partial.has_extn("starttls")
            ):
                raise WantsTls(str(error)) from None
            raise

    def close(self) -> None:
        """Close whatever is open, even half-open after a failed login; never raises."""
        try:
            super().close()
        except (smtplib.SMTPException, OSError):
            self.connection = None


def backend_for(server: Server, *, timeout: float = SEND_TIMEOUT) -> UserSmtpBackend:
    return UserSmtpBackend(
        alias="outreach-user-smtp",
        host=server.host,
        port=server.port,
        username=server.username or None,
        password=server.password or None,
        use_tls=server.security == SmtpSecurity.STARTTLS,
        use_ssl=server.security == SmtpSecurity.SSL,
        timeout=timeout,
    )


# What went wrong, in plain words --------------------------------------------------------


def _reply(error: smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = []
        for code, text in error.recipients.values():
            parts.append(f"{code} {_text(text)}")
        return "; ".join(parts)
    return f"{error.smtp_code} {_text(error.smtp_error)}".strip()


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())[:300]


def _wants_tls(text: str) -> bool:
    text = text.lower()
    return any(word in text for word in ("starttls", "tls", "encrypt", "ssl"))


def _wants_tls_message(server: Server, reply: str) -> str:
    return (
        f"The server wants TLS: {server.where} refuses to go on without encryption "
        f"(it answered “{reply}”). Choose STARTTLS (usually port 587) or TLS from the "
        "start (usually port 465)."
    )


def _timed_out(server: Server) -> str:
    hint = ""
    if server.security != SmtpSecurity.SSL:
        hint = " If the server expects TLS from the start (usually port 465), choose that."
    return (
        f"Cannot connect to {server.where}: timed out (no answer). Check the host name and "
        f"the port, and that no firewall blocks the way.{hint}"
    )


def explain(error: BaseException, server: Server) -> str:
    """One or two sentences that name the problem; never a traceback."""
    where = server.where
    if isinstance(error, SecretUnreadable | CaFileUnreadable):
        return str(error)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            f"Login refused (authentication failed): {where} did not accept the user name "
            f"“{server.username}” with this password (it answered “{_reply(error)}”). Check "
            "both; many providers want an app password here, not your usual one."
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        reply = _reply(error)
        if error.smtp_code in {530, 538} and _wants_tls(reply):
            return _wants_tls_message(server, reply)
        if error.smtp_code == 530:
            return (
                f"The server wants a login: {where} refused to send without one (it answered "
                f"“{reply}”). Enter your user name and password."
            )
        return (
            f"The server refused the sender {_text(error.sender)} (it answered “{reply}”). "
            "Use the address that belongs to this account on that server."
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        recipients = ", ".join(error.recipients)
        return f"The server refused the recipient {recipients} (it answered “{_reply(error)}”)."
    if isinstance(error, WantsTls):
        return (
            f"The server wants TLS: {where} offers a login only after STARTTLS. Choose "
            "STARTTLS (usually port 587)."
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        if "starttls" in str(error).lower():
            return (
                f"{where} does not offer STARTTLS. If it expects TLS from the start (usually "
                "port 465), choose that; “None” is only for a server on this machine."
            )
        return (
            f"{where} offers no login (AUTH) on this connection. If it needs one, it "
            "probably wants TLS: choose STARTTLS (usually port 587) or TLS from the start "
            "(usually port 465). If it needs no login, leave the user name empty."
        )
    if isinstance(error, smtplib.SMTPResponseException):
        reply = _reply(error)
        if error.smtp_code in {530, 538} and _wants_tls(reply):
            return _wants_tls_message(server, reply)
        return f"{where} refused: it answered “{reply}”."
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"TLS handshake with {where} failed: its certificate is not trusted "
            f"({error.verify_message or error.reason}). Check the host name; if the server "
            "uses its own certificate authority, the administrator can trust it with "
            "COFFEECHAT_SMTP_CA_FILE."
        )
    if isinstance(error, ssl.SSLError):
        reason = error.reason or error.strerror or str(error)
        hint = ""
        if server.security == SmtpSecurity.SSL and "VERSION" in str(reason).upper():
            hint = (
                " The server does not speak TLS from the start on this port: try STARTTLS "
                "(usually port 587)."
            )
        return f"TLS handshake with {where} failed ({reason}).{hint}"
    if isinstance(error, smtplib.SMTPServerDisconnected) and "timed out" in str(error):
        return _timed_out(server)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        hint = ""
        if server.security != SmtpSecurity.SSL:
            hint = " If it expects TLS from the start (usually port 465), choose that."
        return f"{where} closed the connection unexpectedly.{hint}"
    if isinstance(error, smtplib.SMTPException):
        return f"{where} refused: {_text(str(error))}."
    if isinstance(error, ConnectionRefusedError):
        return (
            f"Cannot connect to {where}: connection refused (nothing answers on that port). "
            "Check the host name and the port."
        )
    if isinstance(error, TimeoutError):
        return _timed_out(server)
    if isinstance(error, socket.gaierror):
        return f"Cannot connect to {where}: the host name “{server.host}” is not known."
    if isinstance(error, OSError):
        return f"Cannot connect to {where}: {error.strerror or error}."
    return f"Sending through {where} failed: {_text(str(error))}."


# Errors that sending can raise; anything else is a bug and should be seen as one.
SEND_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    OSError,
    SecretUnreadable,
    UnicodeError,
)


def server_of_backend(connection: object) -> Server:
    """Where a Django mail backend (the instance's ``EMAIL_URL``) sends, for messages."""
    security = SmtpSecurity.NONE
    if getattr(connection, "use_ssl", False):
        security = SmtpSecurity.SSL
    elif getattr(connection, "use_tls", False):
        security = SmtpSecurity.STARTTLS
    return Server(
        host=str(getattr(connection, "host", "") or "the mail server"),
        port=int(getattr(connection, "port", 0) or 0),
        security=security,
        username=str(getattr(connection, "username", "") or ""),
    )
