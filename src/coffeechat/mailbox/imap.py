"""Talking to the user's IMAP server: connecting, logging in, listing folders, and what
went wrong, in plain words.

Certificates are always verified, with the same trust as the user's SMTP server
(:func:`coffeechat.outreach.smtp.ssl_context`: the system's authorities plus
``COFFEECHAT_SMTP_CA_FILE``). The host and port pass the same check as SMTP settings
(:func:`coffeechat.outreach.destinations.check_destination`, IMAP's ports).
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import re
import socket
import ssl
from dataclasses import dataclass

from coffeechat.mailbox.models import Mailbox, Security
from coffeechat.outreach.destinations import IMAP_PORTS, RefusedDestination, check_destination
from coffeechat.outreach.secrets import SecretUnreadable, decrypt
from coffeechat.outreach.smtp import CaFileUnreadable, ssl_context

PURPOSE = b"coffeechat mailbox imap password v1"
TIMEOUT = 20  # seconds, for a sync
TEST_TIMEOUT = 8  # seconds, for the test button: the user is waiting


class LoginRefused(Exception):
    """The server said no to the user name and password."""


class MailboxError(Exception):
    """Anything else that stopped talking to the server, said in plain words."""


@dataclass(frozen=True, slots=True)
class Server:
    host: str
    port: int
    security: str
    username: str
    password: str

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def password_of(mailbox: Mailbox) -> str:
    return decrypt(
        mailbox.password_encrypted,
        PURPOSE,
        what="mailbox password",
        where="your mailbox settings",
    )


def server_of(mailbox: Mailbox) -> Server:
    """The saved settings, password decrypted (raises SecretUnreadable)."""
    return Server(
        mailbox.host, mailbox.port, mailbox.security, mailbox.username, password_of(mailbox)
    )


def explain(error: BaseException, server: Server) -> str:
    """One or two sentences that name the problem; never a traceback."""
    if isinstance(error, LoginRefused):
        return (
            f"The server refused the password: {server.where} did not accept the user name "
            f"“{server.username}” with this password. Many providers want an app password "
            "here, not your usual one."
        )
    if isinstance(error, SecretUnreadable | CaFileUnreadable | MailboxError):
        return str(error)
    if isinstance(error, RefusedDestination):
        return f"This server does not connect there: {error}."
    if isinstance(error, socket.gaierror):
        return f"Could not find the server “{server.host}”: check the host name."
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"The certificate of {server.where} is not trusted ({error.verify_message}). "
            "Check the host name; a self-signed certificate needs COFFEECHAT_SMTP_CA_FILE."
        )
    if isinstance(error, ssl.SSLError):
        other = "STARTTLS" if server.security == Security.TLS else "TLS from the start"
        return (
            f"The secure connection to {server.where} failed ({error.reason or error}). "
            f"Check the port and try {other}."
        )
    if isinstance(error, TimeoutError | socket.timeout):
        return f"Could not reach {server.where}: no answer in time (check the port and firewall)."
    if isinstance(error, ConnectionRefusedError):
        return f"Could not reach {server.where}: the connection was refused (check the port)."
    if isinstance(error, OSError):
        return f"Could not reach {server.where}: {error.strerror or error}."
    if isinstance(error, imaplib.IMAP4.error):
        return f"The server {server.where} answered with an error: {error}."
    return f"Talking to {server.where} failed: {error}."


def _login(imap: imaplib.IMAP4, server: Server) -> None:
    try:
        if server.password.isascii() and server.username.isascii():
            imap.login(server.username, server.password)
        else:  # LOGIN is ASCII only; AUTHENTICATE PLAIN carries UTF-8
            plain = f"\0{server.username}\0{server.password}".encode()
            imap.authenticate("PLAIN", lambda _challenge: plain)
    except imaplib.IMAP4.error as error:
        raise LoginRefused(str(error)) from None


class PinnedIMAP4(imaplib.IMAP4):
    """Connects to ``address`` (the one :func:`check_destination` checked), so a name
    that resolves differently the second time cannot lead elsewhere."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.pinned_address = address
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return socket.create_connection((self.pinned_address, self.port), timeout)


class PinnedIMAP4_SSL(imaplib.IMAP4_SSL):  # noqa: N801 (imaplib's name)
    """TLS from the start to the checked ``address``, verified against the host name."""

    def __init__(
        self, host: str, port: int, address: str, context: ssl.SSLContext, timeout: float
    ) -> None:
        self.pinned_address = address
        super().__init__(host, port, ssl_context=context, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        raw = socket.create_connection((self.pinned_address, self.port), timeout)
        return self.ssl_context.wrap_socket(raw, server_hostname=self.host)


def connect(server: Server, *, timeout: float = TIMEOUT) -> imaplib.IMAP4:
    """A logged-in connection (raises LoginRefused, or an error :func:`explain` reads)."""
    address = check_destination(server.host, server.port, IMAP_PORTS)
    context = ssl_context()
    imap: imaplib.IMAP4
    if server.security == Security.TLS:
        imap = PinnedIMAP4_SSL(server.host, server.port, address, context, timeout)
    else:
        imap = PinnedIMAP4(server.host, server.port, address, timeout)
        try:
            if "STARTTLS" not in imap.capabilities:
                raise MailboxError(
                    f"{server.where} does not offer STARTTLS: choose TLS from the start "
                    "(usually port 993)."
                )
            imap.starttls(context)
        except BaseException:
            close(imap)
            raise
    try:
        _login(imap, server)
    except BaseException:
        close(imap)
        raise
    return imap


def close(imap: imaplib.IMAP4) -> None:
    """Log out and close; never raises."""
    with contextlib.suppress(imaplib.IMAP4.error, OSError, EOFError):
        imap.logout()


# Folders -------------------------------------------------------------------------------

LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\) (?P<sep>"[^"]*"|NIL) (?P<name>.+)$')


@dataclass(frozen=True, slots=True)
class Folder:
    name: str  # as the server spells it (modified UTF-7), for SELECT
    flags: frozenset[str]

    @property
    def label(self) -> str:
        return decode_folder_name(self.name)

    @property
    def special(self) -> str:
        for flag in ("\\Inbox", "\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All"):
            if flag.lower() in {f.lower() for f in self.flags}:
                return flag[1:]
        return "Inbox" if self.name.upper() == "INBOX" else ""


def decode_folder_name(name: str) -> str:
    """IMAP's modified UTF-7 (RFC 3501 5.1.3) to text: ``&AOQ-`` is ä."""

    def part(match: re.Match[str]) -> str:
        chunk = match.group(1)
        if not chunk:
            return "&"
        data = chunk.replace(",", "/")
        data += "=" * (-len(data) % 4)
        try:
            return base64.b64decode(data).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            return match.group(0)

    return re.sub(r"&([^-]*)-", part, name)


def _unquote(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def list_folders(imap: imaplib.IMAP4) -> list[Folder]:
    status, lines = imap.list()
    if status != "OK":
        return []
    found: list[Folder] = []
    for line in lines:
        if isinstance(line, tuple):  # a literal name: (b'(flags) "/" {5}', b'name')
            head, literal = line[0], line[1]
            match = LIST_LINE.match(head.rsplit(b" ", 1)[0] + b' "x"')
            if match:
                flags = frozenset(match.group("flags").decode().split())
                found.append(Folder(literal.decode("utf-8", "replace"), flags))
            continue
        if not isinstance(line, bytes):
            continue
        match = LIST_LINE.match(line)
        if match is None:
            continue
        flags = frozenset(match.group("flags").decode().split())
        if "\\noselect" in {f.lower() for f in flags}:
            continue
        found.append(Folder(_unquote(match.group("name")), flags))
    return found


def detect(folders: list[Folder]) -> tuple[str, str]:
    """The inbox and the sent folder: SPECIAL-USE first, then the usual names."""
    inbox = next((f.name for f in folders if f.special == "Inbox"), "INBOX")
    sent = next((f.name for f in folders if f.special == "Sent"), "")
    if not sent:
        usual = {"sent", "sent items", "sent messages", "sent mail", "[gmail]/sent mail"}
        sent = next((f.name for f in folders if f.label.lower() in usual), "")
    return inbox, sent


def quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
