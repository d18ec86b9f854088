from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from functools import cache
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def accounts(self) -> models.QuerySet[User]:
        """The accounts people sign in with: never an import's staging account."""
        return self.filter(is_import_staging=False)


class User(AbstractUser):
    """A Coffeechat account; signs in with an e-mail address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    # An inactive account that holds the rows of an import while it is written, out of
    # everyone's sight, until they are handed to the importing user at once
    # (coffeechat.imports.staging). It never signs in and is never listed or counted.
    is_import_staging = models.BooleanField(default=False, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [("", "—"), *((name, name.replace("_", " ")) for name in names)]


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Berlin).")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, default="UTC", validators=[validate_time_zone]
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="Used for business days and public holidays."
    )
    intro = models.TextField(
        "professional intro",
        blank=True,
        help_text="One or two sentences about you, used in outreach messages.",
    )
    signature = models.TextField("e-mail signature", blank=True)
    # The no-reply policy's numbers: what they mean is coffeechat.outreach.policy's.
    try_another_after_days = models.PositiveSmallIntegerField(
        "no reply: suggest another person after (business days)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    nudge_after_days = models.PositiveSmallIntegerField(
        "no reply: nudge after (business days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    max_nudges = models.PositiveSmallIntegerField(
        "stop after this many unanswered nudges",
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )

    def __str__(self) -> str:
        return self.full_name or self.user.email

    def clean(self) -> None:
        if self.nudge_after_days <= self.try_another_after_days:
            raise ValidationError(
                {"nudge_after_days": "Nudge later than you suggest another person."}
            )


class MyAffiliation(models.Model):
    """A group the user belongs to: what later explains "how we are connected"."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="my_affiliations"
    )
    affiliation = models.ForeignKey(
        "network.Affiliation", on_delete=models.CASCADE, related_name="my_memberships"
    )
    detail = models.CharField(
        max_length=200, blank=True, help_text="Degree, chapter, team or role."
    )
    class_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )

    class Meta:
        ordering = ["affiliation__name", "pk"]
        verbose_name = "my affiliation"

    def __str__(self) -> str:
        return str(self.affiliation)

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The end year is before the start year."})


TOKEN_PREFIX = "cc_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the user sees it once."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
