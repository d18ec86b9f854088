"""Staff administration: the log of staff actions, invitations, and consent to be
counted in the career centre's anonymous figures."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

INVITATION_PREFIX = "inv_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ActionKind(models.TextChoices):
    GRANT = "grant", "made staff"
    INVITE = "invite", "invited"
    DEACTIVATE = "deactivate", "deactivated"
    REACTIVATE = "reactivate", "reactivated"
    END_SESSIONS = "end_sessions", "ended the sessions of"
    RESEND_INVITATION = "resend_invitation", "sent the invitation again to"
    REVOKE_INVITATION = "revoke_invitation", "withdrew the invitation of"


class StaffAction(models.Model):
    """Who did what to whom, and when. Rows are only ever added.

    ``actor_label`` is the staff member's e-mail address ("cli" for the terminal
    command): their actions stay in the log. The lines about an account (``subject``)
    go when that account is deleted, as everything else about it does.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor_label = models.CharField(max_length=254)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_label = models.CharField(max_length=254)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_kind_display()} {self.subject_label}"


class Invitation(models.Model):
    """A single-use sign-up link sent to one e-mail address. Only its hash is stored."""

    email = models.EmailField("e-mail address")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.email

    def is_open(self, now: datetime.datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now

    @staticmethod
    def new_key() -> str:
        return INVITATION_PREFIX + secrets.token_urlsafe(32)


class CareerCentreConsent(models.Model):
    """The user agreed to be counted in the career centre's anonymous figures.

    A row means yes; no row (the default) means no.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_centre_consent"
    )
    given_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"consent of user {self.user_id}"
