"""The user's mailbox (IMAP), where its sync stands, and what was stored from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coffeechat.network.models import Owned, Person

MAX_SNIPPET = 300
MAX_BODY = 50_000  # characters of a stored body (only when the user chose to store bodies)


class Security(models.TextChoices):
    TLS = "tls", "TLS from the start (usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"


class State(models.TextChoices):
    NEW = "new", "Not synced yet"
    OK = "ok", "Working"
    REFUSED = "refused", "The server refused the login"
    FAILED = "failed", "The last sync failed"


class Mailbox(models.Model):
    """One IMAP mailbox per user. The password is encrypted at rest (a key derived from
    SECRET_KEY) and never shown back; deleting the row forgets it."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox"
    )
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.TLS)
    username = models.CharField(max_length=255)
    password_encrypted = models.TextField(editable=False)
    inbox_folder = models.CharField(max_length=255, default="INBOX")
    sent_folder = models.CharField(max_length=255, blank=True)
    store_bodies = models.BooleanField(
        "store the whole text",
        default=False,
        help_text="Keep the whole text of logged mail, not only its subject, date and first words.",
    )
    known_folders = models.JSONField(
        default=list, blank=True, editable=False, help_text="Listed by the last test."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    last_error = models.TextField(blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_found = models.PositiveIntegerField(default=0, help_text="Stored by the last sync.")
    last_looked_at = models.PositiveIntegerField(default=0, help_text="Headers read.")
    last_replies = models.PositiveIntegerField(default=0)
    syncing_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Claimed by a running sync."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


class FolderState(models.Model):
    """How far a folder was read: its UIDVALIDITY and the highest UID seen."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="folders")
    folder = models.CharField(max_length=255)
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "folder"], name="mailbox_folder_state_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.folder}: {self.uidvalidity}/{self.last_uid}"


class Direction(models.TextChoices):
    RECEIVED = "received", "Received"
    SENT = "sent", "Sent"


class MailRecord(Owned):
    """One message to or from a person in the network, as stored from the mailbox."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="records")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mail_records")
    folder = models.CharField(max_length=255)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=255)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    address = models.EmailField(max_length=254, help_text="The person's address in it.")
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField()
    snippet = models.CharField(max_length=MAX_SNIPPET, blank=True)
    body = models.TextField(blank=True, help_text="The whole text, only if bodies are stored.")
    is_bounce = models.BooleanField(
        default=False, help_text="A delivery failure: not an exchange with the person."
    )
    reply_to = models.ForeignKey(
        "outreach.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mail_replies",
        help_text="The outreach message it answers (marked replied by it).",
    )
    interaction_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "message_id"], name="mail_record_unique_message_id"
            ),
            models.UniqueConstraint(
                fields=["mailbox", "folder", "uidvalidity", "uid"],
                name="mail_record_unique_uid",
            ),
        ]
        indexes = [models.Index(fields=["owner", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject} ({self.sent_at:%Y-%m-%d})"
