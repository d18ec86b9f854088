"""A coach, with consent: the link between a user and their coach, and the coach's comments.

Both rows are the coached user's (``owner``): they chose the coach and the scope, they
can end the link, and their export and deletion carry them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coffeechat.followups.models import FollowUp, LinkStatus
from coffeechat.network.models import Owned


class Scope(models.TextChoices):
    PROGRESS = "progress", "Progress only"
    TARGETS = "targets", "Progress, plus targets and conversations"
    NOTES = "notes", "Progress, targets and conversations, plus notes"


# Each scope includes the ones before it.
SCOPE_ORDER = [Scope.PROGRESS, Scope.TARGETS, Scope.NOTES]


class CoachLink(Owned):
    """The owner lets a coach see their progress, within ``scope``.

    The invitation names an e-mail address; ``coach`` is set when the holder of that
    address accepts. Only an active link shows anything to the coach.
    """

    email = models.EmailField("coach's e-mail address", max_length=254)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coaching_links",
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.PROGRESS)
    show_names = models.BooleanField(
        "show the names of people in my network",
        default=False,
    )
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    mailed = models.BooleanField("invitation e-mailed", default=False)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "email"],
                condition=models.Q(status__in=["pending", "active"]),
                name="coach_link_one_live_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    def shows(self, scope: str) -> bool:
        """Does this link's scope include ``scope``?"""
        return SCOPE_ORDER.index(Scope(self.scope)) >= SCOPE_ORDER.index(Scope(scope))


class CoachComment(Owned):
    """A comment or suggestion a coach left for the owner; shown on the owner's Today page
    (through a follow-up line) until dismissed."""

    link = models.ForeignKey(
        CoachLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    coach_name = models.CharField("from", max_length=254)
    text = models.TextField(max_length=2000)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    line = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.coach_name}: {self.text[:40]}"

    @property
    def dismissed(self) -> bool:
        """Dismissed here, or its line on Today marked done or skipped."""
        if self.dismissed_at is not None:
            return True
        return self.line is not None and not self.line.is_active
