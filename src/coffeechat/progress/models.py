"""The weekly review's e-mail: the user's choice, and the reviews sent (once a week)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coffeechat.followups.models import Delivery


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyReviewSettings(models.Model):
    """Whether the weekly review comes by e-mail, and on which day (off by default)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_review_settings"
    )
    email_enabled = models.BooleanField("e-mail me my weekly review", default=False)
    weekday = models.PositiveSmallIntegerField(
        "on", choices=Weekday.choices, default=Weekday.MONDAY
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "weekly review settings"
        verbose_name_plural = "weekly review settings"

    def __str__(self) -> str:
        return f"Weekly review settings of {self.owner}"


class WeeklyReviewSent(Delivery):
    """The weekly review e-mail of one user for one week: at most one is ever sent."""

    week = models.DateField(help_text="The Monday of the week reviewed (your time zone).")
    counts = models.JSONField(default=dict, blank=True, help_text="The counts it stated.")

    class Meta:
        verbose_name = "weekly review sent"
        verbose_name_plural = "weekly reviews sent"
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week"], name="weekly_review_once_per_week")
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"Weekly review of the week of {self.week} ({self.status})"
