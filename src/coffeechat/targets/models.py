"""Targets (where I want to be), postings (openings I saw) and my applications."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from coffeechat.core.reversing import reverse_ids
from coffeechat.network.models import Organization, Owned, Person


class HiringSignal(models.TextChoices):
    OPEN_POSTING = "open_posting", "Open posting"
    NONE_SEEN = "none_seen", "None seen"
    UNKNOWN = "unknown", "Unknown"


class TargetStatus(models.TextChoices):
    EXPLORING = "exploring", "Exploring"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    NOT_A_FIT = "not_a_fit", "Not a fit"


@dataclass(frozen=True, slots=True)
class ResearchTopic:
    key: str
    label: str
    prompt: str


# The homework done before any conversation; each is a done flag and notes on Target.
RESEARCH_TOPICS: tuple[ResearchTopic, ...] = (
    ResearchTopic(
        "what_they_do", "What they do", "Products or services, customers, size, how they earn."
    ),
    ResearchTopic("recent_news", "Recent news", "Launches, funding, leadership changes, reports."),
    ResearchTopic(
        "teams", "Teams and products", "Which teams exist; where your kind of work sits."
    ),
    ResearchTopic("culture", "Culture", "How they work, values, reviews, what staff say."),
    ResearchTopic(
        "who_hires",
        "Who hires for my kind of role",
        "The manager or department head who would hire you.",
    ),
)


class Target(Owned):
    """An organization the user wants to work at (or is exploring), one per organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="targets")
    why = models.TextField("why it interests me", blank=True, help_text="Markdown.")
    motivation = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much you want to work there: 1 = mildly curious, 5 = top choice.",
    )
    hiring_signal = models.CharField(
        max_length=20, choices=HiringSignal.choices, default=HiringSignal.UNKNOWN
    )
    status = models.CharField(
        max_length=20, choices=TargetStatus.choices, default=TargetStatus.EXPLORING
    )
    status_reason = models.TextField(
        "reason",
        blank=True,
        help_text="Why it is paused or not a fit: a useful result worth keeping.",
    )
    what_they_do_done = models.BooleanField("done", default=False)
    what_they_do_notes = models.TextField("notes", blank=True)
    recent_news_done = models.BooleanField("done", default=False)
    recent_news_notes = models.TextField("notes", blank=True)
    teams_done = models.BooleanField("done", default=False)
    teams_notes = models.TextField("notes", blank=True)
    culture_done = models.BooleanField("done", default=False)
    culture_notes = models.TextField("notes", blank=True)
    who_hires_done = models.BooleanField("done", default=False)
    who_hires_notes = models.TextField("notes", blank=True)

    class Meta:
        ordering = ["organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "organization"], name="target_one_per_organization"
            ),
            models.CheckConstraint(
                condition=Q(motivation__gte=1) & Q(motivation__lte=5),
                name="target_motivation_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse_ids("targets:target-detail", kwargs={"target_id": self.pk})

    def clean(self) -> None:
        if self.status == TargetStatus.NOT_A_FIT and not self.status_reason.strip():
            raise ValidationError(
                {"status_reason": "Say why it is not a fit: that is a useful result to keep."}
            )

    @property
    def research(self) -> list[tuple[ResearchTopic, bool, str]]:
        return [
            (topic, getattr(self, f"{topic.key}_done"), getattr(self, f"{topic.key}_notes"))
            for topic in RESEARCH_TOPICS
        ]

    @property
    def research_done(self) -> int:
        return sum(1 for topic in RESEARCH_TOPICS if getattr(self, f"{topic.key}_done"))


class PostingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PostingQuerySet(models.QuerySet["Posting"]):
    def open(self) -> PostingQuerySet:
        return self.filter(status=PostingStatus.OPEN)


class Posting(Owned):
    """A job opening seen at an organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="postings"
    )
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True)
    seen_on = models.DateField("date seen", null=True, blank=True)
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listed_postings",
        verbose_name="listed contact",
        help_text="The person the posting names as its contact, if any.",
    )
    status = models.CharField(
        max_length=10, choices=PostingStatus.choices, default=PostingStatus.OPEN
    )
    notes = models.TextField(blank=True, help_text="Markdown.")

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_on", "-pk"]
        indexes = [models.Index(fields=["owner", "organization", "status"])]

    def __str__(self) -> str:
        return f"{self.title} at {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse_ids("targets:posting-detail", kwargs={"posting_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == PostingStatus.OPEN


class ApplicationChannel(models.TextChoices):
    JOB_BOARD = "job_board", "Job board"
    REFERRAL = "referral", "Referral"
    DIRECT = "direct", "Direct"


class ApplicationStatus(models.TextChoices):
    PREPARING = "preparing", "Preparing"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    REJECTED = "rejected", "Rejected"
    OFFER = "offer", "Offer"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses after which an application has been sent (and should be mentioned).
SENT_STATUSES = frozenset(
    {
        ApplicationStatus.APPLIED,
        ApplicationStatus.INTERVIEWING,
        ApplicationStatus.REJECTED,
        ApplicationStatus.OFFER,
        ApplicationStatus.WITHDRAWN,
    }
)
OPEN_STATUSES = frozenset({ApplicationStatus.APPLIED, ApplicationStatus.INTERVIEWING})


class Application(Owned):
    """My application to an organization, usually for a posting."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="applications"
    )
    posting = models.ForeignKey(
        Posting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    role_title = models.CharField("role", max_length=200)
    applied_on = models.DateField("applied on", null=True, blank=True)
    channel = models.CharField(
        max_length=20, choices=ApplicationChannel.choices, default=ApplicationChannel.JOB_BOARD
    )
    referred_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_applications",
        help_text="Who referred you, for a referral.",
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PREPARING
    )
    notes = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["-applied_on", "-pk"]
        indexes = [models.Index(fields=["owner", "organization", "status"])]

    def __str__(self) -> str:
        return f"{self.role_title} at {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse_ids("targets:application-detail", kwargs={"application_id": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.posting_id is not None
            and self.organization_id is not None
            and self.posting is not None
            and self.posting.organization_id != self.organization_id
        ):
            errors["posting"] = "The posting is at another organization."
        if self.referred_by_id is not None and self.channel != ApplicationChannel.REFERRAL:
            errors["referred_by"] = "Only an application through a referral has a referrer."
        if errors:
            raise ValidationError(errors)

    @property
    def is_sent(self) -> bool:
        return self.status in SENT_STATUSES

    @property
    def is_cold(self) -> bool:
        return self.channel != ApplicationChannel.REFERRAL


class ApplicationEvent(models.Model):
    """One dated step in an application's status history."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on:%Y-%m-%d}"
