"""The user's mailbox: connect it, test it, sync it, see and delete what it stored.

Every write of the mailbox's rows is here; views, the API, the commands and the worker
call these functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from coffeechat.core.scoping import owned
from coffeechat.mailbox import imap as imap_client
from coffeechat.mailbox.models import Direction, Mailbox, MailRecord, Security, State
from coffeechat.mailbox.sync import SyncResult, refresh_exchanges, sync_mailbox
from coffeechat.network.models import Interaction
from coffeechat.outreach.models import ConnectionCheck
from coffeechat.outreach.secrets import SecretUnreadable, encrypt
from coffeechat.outreach.services import connection_checks

__all__ = [
    "SyncResult",
    "TestResult",
    "choose_folders",
    "delete_mailbox",
    "delete_record",
    "delete_records",
    "mailbox_of",
    "run_test",
    "save_mailbox",
    "set_store_bodies",
    "start_test",
    "stored_counts",
    "sync_now",
    "test_connection",
]


def mailbox_of(user: Any) -> Mailbox | None:
    return Mailbox.objects.filter(owner=user).first()


def save_mailbox(
    user: Any,
    *,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str | None,
    inbox_folder: str = "",
    sent_folder: str | None = None,
) -> Mailbox:
    """Connect (or change) the user's mailbox; ``password=None`` keeps the stored one.

    New settings clear a refused login: the worker tries again.
    """
    mailbox = mailbox_of(user) or Mailbox(owner=user)
    errors: dict[str, str] = {}
    host = host.strip()
    if not host or any(c.isspace() for c in host) or "/" in host:
        errors["host"] = "Enter the server's host name, such as imap.example.com."
    if not 1 <= int(port) <= 65535:
        errors["port"] = "A port is a number from 1 to 65535 (IMAP: 993, or 143 with STARTTLS)."
    if not username.strip():
        errors["username"] = "Enter the user name (usually your e-mail address)."
    if password is None and not mailbox.password_encrypted:
        errors["password"] = "Enter the password (an app password for most providers)."
    elif password is None and (mailbox.host, mailbox.username) != (host, username.strip()):
        errors["password"] = (
            "Type the password again for another server or user name: the saved one is "
            "only ever sent to the saved server."
        )
    if errors:
        raise ValidationError(errors)
    mailbox.host = host
    mailbox.port = int(port)
    mailbox.security = security if security in Security.values else Security.TLS
    mailbox.username = username.strip()
    if password is not None:
        mailbox.password_encrypted = encrypt(password, imap_client.PURPOSE)
    if inbox_folder:
        mailbox.inbox_folder = inbox_folder
    if sent_folder is not None:
        mailbox.sent_folder = sent_folder
    mailbox.state = State.NEW
    mailbox.last_error = ""
    mailbox.save()
    return mailbox


def delete_mailbox(user: Any) -> None:
    """Disconnect: the settings, the password, the folders' positions and the list of
    stored messages are deleted. What the sync put on people's timelines stays there
    (delete it first with :func:`delete_records` to take it away too)."""
    with transaction.atomic():
        Mailbox.objects.filter(owner=user).delete()
        refresh_exchanges(user)  # the records went with it


@dataclass(frozen=True, slots=True)
class TestResult:
    ok: bool
    message: str
    folders: list[imap_client.Folder] = field(default_factory=list)
    inbox: str = ""
    sent: str = ""


def start_test(user: Any) -> ConnectionCheck:
    """Queue a test of the saved mailbox for the worker (the page polls its progress);
    raises ``TooManyTests`` over the rate limit."""
    from coffeechat.mailbox.tasks import run_imap_check

    return connection_checks.start(user, ConnectionCheck.Kind.IMAP, enqueue=run_imap_check.enqueue)


def run_test(user: Any, _typed: dict[str, Any] | None) -> tuple[bool, str]:
    """The worker's side of :func:`start_test` (only saved mailboxes are tested)."""
    result = test_connection(user)
    return result.ok, result.message


def test_connection(user: Any, *, timeout: float = imap_client.TEST_TIMEOUT) -> TestResult:
    """Log in to the saved mailbox and list its folders; the inbox and sent folder are
    detected from SPECIAL-USE (and saved when none was chosen). It connects at once:
    the page goes through :func:`start_test`; ``coffeechat mail-test`` calls it."""
    mailbox = mailbox_of(user)
    if mailbox is None:
        return TestResult(False, "No mailbox is connected.")
    server = imap_client.Server(mailbox.host, mailbox.port, mailbox.security, mailbox.username, "")
    try:
        server = imap_client.server_of(mailbox)
        connection = imap_client.connect(server, timeout=timeout)
        try:
            folders = imap_client.list_folders(connection)
        finally:
            imap_client.close(connection)
    except (SecretUnreadable, Exception) as error:
        message = imap_client.explain(error, server)
        if isinstance(error, imap_client.LoginRefused):
            Mailbox.objects.filter(pk=mailbox.pk).update(state=State.REFUSED, last_error=message)
        return TestResult(False, message)
    inbox, sent = imap_client.detect(folders)
    mailbox.known_folders = [folder.name for folder in folders]
    changed = ["known_folders"]
    if not mailbox.sent_folder and sent:
        mailbox.sent_folder = sent
        changed.append("sent_folder")
    if mailbox.state == State.REFUSED:
        mailbox.state, mailbox.last_error = State.NEW, ""
        changed += ["state", "last_error"]
    if changed:
        mailbox.save(update_fields=[*changed, "updated_at"])
    sent_words = f", sent mail in “{imap_client.decode_folder_name(sent)}”" if sent else ""
    return TestResult(
        True,
        f"Connected to {server.where} as {server.username}: {len(folders)} folders, "
        f"inbox “{imap_client.decode_folder_name(inbox)}”{sent_words}.",
        folders,
        inbox,
        sent,
    )


def choose_folders(user: Any, *, inbox_folder: str, sent_folder: str) -> Mailbox:
    """The folders to read, among those the last test listed ("" for no sent folder)."""
    mailbox = mailbox_of(user)
    if mailbox is None:
        raise ValidationError("No mailbox is connected.")
    known = set(mailbox.known_folders) | {"INBOX"}
    if inbox_folder not in known:
        raise ValidationError({"inbox_folder": "Choose one of the mailbox's folders."})
    if sent_folder and sent_folder not in known:
        raise ValidationError({"sent_folder": "Choose one of the mailbox's folders."})
    mailbox.inbox_folder, mailbox.sent_folder = inbox_folder, sent_folder
    mailbox.save(update_fields=["inbox_folder", "sent_folder", "updated_at"])
    return mailbox


def set_store_bodies(user: Any, store: bool) -> int:
    """Store the whole text of mail logged from now on, or stop: turning it off deletes
    the bodies already stored (the records and timeline entries keep their first words).
    Returns how many stored bodies were deleted."""
    mailbox = mailbox_of(user)
    if mailbox is None:
        raise ValidationError("No mailbox is connected.")
    with transaction.atomic():
        Mailbox.objects.filter(pk=mailbox.pk).update(store_bodies=store)
        mailbox.store_bodies = store
        if store:
            return 0
        stored = owned(MailRecord, user).exclude(body="")
        for key, text in stored.values_list("interaction_key", "snippet"):
            if key:
                Interaction.objects.filter(owner=user, source_key__startswith=f"{key}:").update(
                    body=text
                )
        return stored.update(body="")


def sync_now(user: Any, *, since: datetime.date | None = None) -> SyncResult:
    mailbox = mailbox_of(user)
    if mailbox is None:
        return SyncResult(error="No mailbox is connected.")
    return sync_mailbox(mailbox, since=since)


def records_of(user: Any) -> Any:
    return owned(MailRecord, user).select_related("person", "reply_to")


def stored_counts(user: Any) -> dict[str, int]:
    counts = owned(MailRecord, user).aggregate(
        total=Count("pk"),
        received=Count("pk", filter=Q(direction=Direction.RECEIVED)),
        sent=Count("pk", filter=Q(direction=Direction.SENT)),
        replies=Count("pk", filter=Q(reply_to__isnull=False)),
    )
    return {key: value or 0 for key, value in counts.items()}


def _forget(user: Any, records: Any) -> int:
    keys = [key for key in records.values_list("interaction_key", flat=True) if key]
    owner_ids = set(records.values_list("owner_id", flat=True))
    with transaction.atomic():
        for key in keys:
            Interaction.objects.filter(
                owner_id__in=owner_ids, source_key__startswith=f"{key}:"
            ).delete()
        count, _ = records.delete()
        refresh_exchanges(user)  # what warmth learns from goes with them
    return int(count)


def delete_record(user: Any, record: MailRecord) -> None:
    """Forget one stored message and its timeline entry (a reply it marked stays
    marked: that is the message's status, changed like the button does)."""
    _forget(user, owned(MailRecord, user).filter(pk=record.pk))


def delete_records(user: Any) -> int:
    """Forget everything stored from the mailbox."""
    return _forget(user, owned(MailRecord, user))
