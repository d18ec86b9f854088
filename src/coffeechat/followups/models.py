"""Follow-ups (dated obligations), their rule settings, notifications, digests and health."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from coffeechat.core.links import is_local_path
from coffeechat.core.reversing import reverse_ids
from coffeechat.network.models import Channel, Organization, Owned, Person


class LinkStatus(models.TextChoices):
    """An invitation from one account to another (team links, coach links): see
    :mod:`coffeechat.followups.invitations`."""

    PENDING = "pending", "Invited"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


class Kind(models.TextChoices):
    THANK_YOU = "thank_you", "Thank-you"
    NUDGE = "nudge", "Nudge"
    TRY_ANOTHER = "try_another", "Try another person"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep in touch"
    PROMISED = "promised", "Promised action"
    PREPARE = "prepare", "Prepare"
    DEBRIEF = "debrief", "Debrief"
    SUPERVISOR_CHECK_IN = "supervisor_check_in", "Check in with a prospective supervisor"
    RESCHEDULE = "reschedule", "Propose another time"
    CUSTOM = "custom", "Other"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SNOOZED = "snoozed", "Snoozed"
    SKIPPED = "skipped", "Skipped"
    RETIRED = "retired", "No longer needed"


ACTIVE = (Status.OPEN, Status.SNOOZED)


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def active(self) -> FollowUpQuerySet:
        """Still to do: open, or snoozed (until ``remind_on``)."""
        return self.filter(status__in=ACTIVE)

    def due_on(self, day: datetime.date) -> FollowUpQuerySet:
        return self.active().filter(remind_on=day)

    def due_by(self, day: datetime.date) -> FollowUpQuerySet:
        """Active follow-ups to do on ``day`` or earlier (overdue included)."""
        return self.active().filter(remind_on__lte=day)


class FollowUp(Owned):
    """A dated obligation: a thank-you, a nudge, a check-in, a promise."""

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.CUSTOM)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    message = models.ForeignKey(
        "outreach.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    due_on = models.DateField("due on", help_text="The day, in your time zone.")
    due_at = models.DateTimeField(
        "due at", null=True, blank=True, help_text="A time of day too, when it matters."
    )
    channel = models.CharField(
        max_length=20,
        choices=Channel.choices,
        blank=True,
        help_text="How to reach them; the person's preferred channel by default.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    skip_reason = models.CharField("reason for skipping", max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(
        "what closed it",
        max_length=300,
        blank=True,
        help_text="What happened (done), or why it is no longer needed (retired).",
    )
    action_url = models.CharField(
        "action link",
        max_length=500,
        blank=True,
        help_text="Where the one-click action goes (a prefilled draft, a page).",
    )
    rule = models.CharField(max_length=40, blank=True, help_text="Blank when added by hand.")
    rule_key = models.CharField(max_length=200, blank=True)
    # The day it shows on the today list: the snooze date when snoozed, else the due date.
    remind_on = models.GeneratedField(
        expression=Coalesce("snoozed_until", "due_on"),
        output_field=models.DateField(),
        db_persist=True,
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "due_at", "pk"]
        verbose_name = "follow-up"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "rule_key"],
                condition=~Q(rule_key=""),
                name="followup_rule_key_unique_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="followup_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "remind_on"]),
            models.Index(fields=["status", "remind_on"]),
            models.Index(fields=["owner", "rule"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_ids("followups:follow-up-update", kwargs={"follow_up_id": self.pk})

    def clean(self) -> None:
        if self.status == Status.SKIPPED and not self.skip_reason.strip():
            raise ValidationError({"skip_reason": "Say why you skip it."})
        if self.status == Status.SNOOZED and self.snoozed_until is None:
            raise ValidationError({"snoozed_until": "Say until when."})
        if self.action_url and not is_local_path(self.action_url):
            raise ValidationError({"action_url": "Use a link inside Coffeechat (starting with /)."})

    @property
    def safe_action_url(self) -> str:
        """The action link when it stays on this site (rows saved before the check too)."""
        return self.action_url if is_local_path(self.action_url) else ""

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def closing_note(self) -> str:
        """Why it is closed: the user's reason to skip, or what closed it (done, retired)."""
        if self.status == Status.SKIPPED:
            return self.skip_reason
        return self.closed_reason if self.status in (Status.DONE, Status.RETIRED) else ""


class ThankYouTiming(models.TextChoices):
    SAME_DAY = "same_day", "The same day"
    NEXT_MORNING = "next_morning", "The next morning"


HOUR = [MinValueValidator(0), MaxValueValidator(23)]


class FollowUpSettings(models.Model):
    """One user's rule settings, digest preference and calendar feed token."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_up_settings"
    )
    thank_you_timing = models.CharField(
        "thank-you notes due",
        max_length=20,
        choices=ThankYouTiming.choices,
        default=ThankYouTiming.SAME_DAY,
    )
    thank_you_hour = models.PositiveSmallIntegerField(
        "next-morning hour", default=9, validators=HOUR, help_text="Local hour, 0-23."
    )
    debrief_delay_minutes = models.PositiveSmallIntegerField(
        "remind me to debrief after (minutes)",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    supervisor_check_in_days = models.PositiveSmallIntegerField(
        "check in with a prospective supervisor every (days)",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )
    prepare_day_before = models.BooleanField("prepare the day before a conversation", default=True)
    weekly_outreach_target = models.PositiveSmallIntegerField(
        "new outreach messages per week", default=5, validators=[MaxValueValidator(200)]
    )
    weekly_conversation_target = models.PositiveSmallIntegerField(
        "conversations per week", default=2, validators=[MaxValueValidator(50)]
    )
    digest_enabled = models.BooleanField("daily digest e-mail", default=True)
    digest_hour = models.PositiveSmallIntegerField(
        "digest at (local hour)", default=7, validators=HOUR
    )
    feed_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    feed_token_prefix = models.CharField(max_length=16, blank=True, editable=False)
    feed_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When a conversation or follow-up was last deleted: a row that is gone has no date of
    # its own, and the feed's Last-Modified must still move (see followups.feed).
    feed_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "follow-up settings"
        verbose_name_plural = "follow-up settings"
        indexes = [models.Index(fields=["feed_token_hash"])]

    def __str__(self) -> str:
        return f"Follow-up settings of {self.owner}"


class Notification(models.Model):
    """A follow-up that came due, delivered in the app once per due date."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="notifications")
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "due_on"], name="notification_once_per_due_date"
            )
        ]
        indexes = [models.Index(fields=["owner", "read_at"])]

    def __str__(self) -> str:
        return f"{self.follow_up} due {self.due_on}"


class DigestStatus(models.TextChoices):
    CLAIMED = "claimed", "Being sent"
    # Handed to the mail server: from here a crash leaves it unknown whether it arrived.
    SENDING = "sending", "Handed to the mail server"
    # The worker stopped while the server was taking it: not resent (it may have arrived).
    UNCERTAIN = "uncertain", "Perhaps sent (not resent)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"
    GAVE_UP = "gave_up", "Failed (gave up)"


class Delivery(models.Model):
    """An e-mail sent at most once (see followups.delivery): who claimed it, when, the
    attempts, and what happened. Concrete models add their keys and a unique constraint."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=DigestStatus.choices)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True


class Digest(Delivery):
    """The daily digest of one user for one local date: at most one is ever sent."""

    local_date = models.DateField()
    items = models.JSONField(default=list, blank=True, help_text="The follow-ups it listed.")

    class Meta:
        ordering = ["-local_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "local_date"], name="digest_once_per_day")
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"Digest of {self.local_date} ({self.status})"


class ServiceStatus(models.Model):
    """The health of the background work: one row per key (see followups.health)."""

    key = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "service statuses"

    def __str__(self) -> str:
        return f"{self.key} at {self.at:%Y-%m-%d %H:%M:%S}"
