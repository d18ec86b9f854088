"""Outreach: messages to people, the templates they start from, per-user SMTP settings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from coffeechat.core.reversing import reverse_ids
from coffeechat.network.models import Organization, Owned, Person

MAX_SUBJECT = 200
MAX_BODY = 10_000  # characters: a message, not a newsletter
LINKEDIN_NOTE_LIMIT = 300  # LinkedIn's limit for a connection request's note


class Purpose(models.TextChoices):
    INFORMATIONAL = "informational", "Informational request"
    AFTER_APPLYING = "after_applying", "Networking after I applied"
    REJECTION_FEEDBACK = "rejection_feedback", "Feedback after a rejection"
    COLD_MANAGER = "cold_manager", "Note to a department manager"
    REFERRAL = "referral", "Referral (someone suggested I write)"
    THANK_YOU = "thank_you", "Thank-you after a conversation"
    NUDGE = "nudge", "Follow-up nudge"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep-in-touch update"
    SUPERVISOR_STAY_IN_TOUCH = "supervisor_stay_in_touch", "Stay in touch (prospective supervisor)"
    OPENING = "opening", "Something has opened up"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    LINKEDIN = "linkedin", "LinkedIn message"
    PHONE = "phone", "Phone script"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    REPLIED = "replied", "Replied"
    NO_REPLY = "no_reply", "No reply"
    BOUNCED = "bounced", "Bounced"


class Ask(models.TextChoices):
    CALL = "call", "A 20-30 minute call"
    COFFEE = "coffee", "A coffee"
    LUNCH = "lunch", "A lunch"


class ConnectionKind(models.TextChoices):
    """How the user is connected to the person, recorded when the message is drafted."""

    ALUMNI = "alumni", "Alumni"
    FORMER_COLLEAGUE = "former_colleague", "Former colleague"
    FRIEND = "friend", "Friend or family"
    INTRODUCED = "introduced", "Introduced or referred"
    ASSOCIATION = "association", "Same association or group"
    FRIEND_OF_FRIEND = "friend_of_friend", "Friend of a friend"
    LINKEDIN = "linkedin", "LinkedIn connection"
    COLD = "cold", "Cold"


class MessageTemplate(Owned):
    """The user's own template: a copy of a built-in one, or a new one."""

    name = models.CharField(max_length=120)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(max_length=MAX_SUBJECT, blank=True)
    body = models.TextField(max_length=MAX_BODY)
    is_default = models.BooleanField(
        "use by default",
        default=True,
        help_text="Start every new message of this purpose and channel from this template.",
    )
    based_on = models.CharField(
        max_length=30, blank=True, editable=False, help_text="The built-in template copied."
    )

    class Meta:
        ordering = ["purpose", "name", "pk"]
        verbose_name = "message template"
        indexes = [models.Index(fields=["owner", "purpose", "channel"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_ids("outreach:template-update", kwargs={"template_id": self.pk})

    def clean(self) -> None:
        from coffeechat.outreach.rendering import template_problems

        errors: dict[str, str] = {}
        for field in ("subject", "body"):
            problem = template_problems(getattr(self, field))
            if problem:
                errors[field] = problem
        if "\n" in self.subject or "\r" in self.subject:
            errors["subject"] = "The subject must be a single line."
        if errors:
            raise ValidationError(errors)


class MessageQuerySet(models.QuerySet["Message"]):
    def awaiting_reply(self) -> MessageQuerySet:
        return self.filter(status=Status.SENT)

    def drafts(self) -> MessageQuerySet:
        return self.filter(status=Status.DRAFT)

    def queued(self) -> MessageQuerySet:
        return self.filter(status=Status.DRAFT, queued_at__isnull=False)


class Message(Owned):
    """One message to one person, with a purpose, a channel and a status."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messages")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        help_text="Where they work, as far as this message is concerned.",
    )
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    ask = models.CharField(max_length=10, choices=Ask.choices, default=Ask.CALL, blank=True)
    to_email = models.EmailField("to", max_length=254, blank=True)
    subject = models.CharField(max_length=MAX_SUBJECT, blank=True)
    body = models.TextField(max_length=MAX_BODY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    template = models.ForeignKey(
        MessageTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    # A snapshot of the template's name (built-in or own), for the reply-rate insight.
    template_name = models.CharField(max_length=120, blank=True)
    connection_kind = models.CharField(
        max_length=20, choices=ConnectionKind.choices, default=ConnectionKind.COLD
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        help_text="The conversation this message follows up (a thank-you, for instance).",
    )
    nudge_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nudges",
        help_text="The message this one nudges.",
    )
    dismissed_checks = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="Queued for `coffeechat send-queued`."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when it is sent, by the no-reply policy (coffeechat.outreach.policy).
    try_another_on = models.DateField(
        null=True, blank=True, help_text="No reply by then: write to someone else there."
    )
    nudge_due_on = models.DateField(null=True, blank=True, help_text="No reply by then: nudge.")
    email_message_id = models.CharField(max_length=255, blank=True, editable=False)
    send_error = models.TextField(blank=True, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status", "sent_at"]),
            models.Index(fields=["owner", "person", "status"]),
            models.Index(fields=["owner", "organization", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} to {self.person}"

    def get_absolute_url(self) -> str:
        return reverse_ids("outreach:message-detail", kwargs={"message_id": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_sent(self) -> bool:
        return self.status != Status.DRAFT

    @property
    def title(self) -> str:
        return self.subject or self.get_purpose_display()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if "\n" in self.subject or "\r" in self.subject:
            errors["subject"] = (
                "The subject must be a single line: a line break in it could add e-mail headers."
            )
        if len(self.body) > MAX_BODY:
            errors["body"] = (
                f"The message is {len(self.body):,} characters long; the limit is {MAX_BODY:,}."
            )
        if not self.body.strip():
            errors["body"] = "The message is empty."
        if "\x00" in self.body or "\x00" in self.subject:
            errors["body"] = "Null characters are not allowed."
        if errors:
            raise ValidationError(errors)


class SmtpSecurity(models.TextChoices):
    STARTTLS = "starttls", "STARTTLS (usually port 587)"
    SSL = "ssl", "TLS from the start (usually port 465)"
    NONE = "none", "None (only for a server on this machine)"


class SmtpSettings(models.Model):
    """The user's own SMTP server: messages go out from their address through it.

    The password is encrypted at rest with a key derived from SECRET_KEY
    (:mod:`coffeechat.outreach.secrets`) and never shown back.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="smtp_settings"
    )
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=587)
    security = models.CharField(
        max_length=10, choices=SmtpSecurity.choices, default=SmtpSecurity.STARTTLS
    )
    username = models.CharField(max_length=255, blank=True)
    password_encrypted = models.TextField(blank=True, editable=False)
    from_email = models.EmailField(
        "send from", help_text="Your own address; replies come back to it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "SMTP settings"
        verbose_name_plural = "SMTP settings"

    def __str__(self) -> str:
        return f"{self.username or self.from_email}@{self.host}:{self.port}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_encrypted)


class ConnectionCheck(models.Model):
    """A "test the connection" the user asked for, run by the worker (never in the web
    request: a slow or silent server must not hold a web thread), and its outcome.

    Settings typed in a form but not saved travel to the worker encrypted in
    ``typed_encrypted`` and are erased when the worker claims the check. See
    :mod:`coffeechat.outreach.services.connection_checks`.
    """

    class Kind(models.TextChoices):
        SMTP = "smtp", "SMTP server"
        IMAP = "imap", "Mailbox"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the worker"
        RUNNING = "running", "Testing"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_checks"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    message = models.TextField(blank=True)
    typed_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} test {self.pk}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.PASSED, self.Status.FAILED)
