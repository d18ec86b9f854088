"""Conversations: when, how and with whom; what was asked, learned and promised."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coffeechat.core.reversing import reverse_ids
from coffeechat.network.models import Organization, Owned, Person
from coffeechat.targets.models import Posting


class Purpose(models.TextChoices):
    INFORMATIONAL = "informational", "Informational"
    OPENING = "opening", "Networking for a specific opening"
    REJECTION_FEEDBACK = "rejection_feedback", "Feedback after a rejection"
    SUPERVISOR = "supervisor", "Talking with the prospective supervisor"


class Mode(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    COFFEE = "coffee", "Coffee"
    LUNCH = "lunch", "Lunch"
    VISIT = "visit", "Visit"


# What the detail of each mode is.
MODE_DETAIL_LABEL: dict[str, str] = {
    Mode.PHONE: "Phone number",
    Mode.VIDEO: "Video link",
    Mode.COFFEE: "Place",
    Mode.LUNCH: "Place",
    Mode.VISIT: "Address",
}


class Status(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Answer(models.TextChoices):
    """A participant's answer to the invitation (PARTSTAT of an iTIP REPLY, RFC 5546)."""

    NEEDS_ACTION = "needs_action", "Not answered yet"
    ACCEPTED = "accepted", "Accepted"
    TENTATIVE = "tentative", "Tentative"
    DECLINED = "declined", "Declined"


class Fit(models.TextChoices):
    STRONG = "strong", "Strong fit"
    UNSURE = "unsure", "Unsure"
    NOT_A_FIT = "not_a_fit", "Not a fit"


class Topic(models.TextChoices):
    """Topics of what was learned in a conversation."""

    CULTURE = "culture", "Culture"
    SKILLS = "skills", "Skills that matter"
    CV_ADVICE = "cv_advice", "CV advice"
    OUTLOOK = "outlook", "Business outlook"
    PROJECTS = "projects", "Projects"
    HIRING_PROCESS = "hiring_process", "Hiring process"
    OTHER = "other", "Other"


def new_uid() -> str:
    return f"{uuid.uuid4()}@coffeechat"


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def upcoming(self, now: datetime | None = None) -> ConversationQuerySet:
        """Scheduled and not over yet (ended less than an hour ago counts as coming)."""
        moment = now or timezone.now()
        return self.filter(status=Status.SCHEDULED, starts_at__gte=moment - timedelta(hours=12))

    def debrief_due(self, now: datetime | None = None) -> ConversationQuerySet:
        """Started in the past, not cancelled, and no debrief saved yet."""
        moment = now or timezone.now()
        return self.filter(
            ~Q(status=Status.CANCELLED), starts_at__lte=moment, debriefed_at__isnull=True
        )


class Conversation(Owned):
    """An informational interview or meeting, from the invitation to the debrief."""

    participants = models.ManyToManyField(
        Person, through="Participant", related_name="conversations"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    purpose = models.CharField(
        max_length=30, choices=Purpose.choices, default=Purpose.INFORMATIONAL
    )
    posting = models.ForeignKey(
        Posting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        help_text="The opening this is about (networking for a specific opening).",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.VIDEO)
    mode_detail = models.CharField(
        "number, link, place or address",
        max_length=500,
        blank=True,
        help_text="Phone number, video link, café or restaurant, or office address.",
    )
    starts_at = models.DateTimeField("starts at", help_text="Stored in UTC.")
    time_zone = models.CharField(
        "entered in time zone",
        max_length=64,
        blank=True,
        help_text="The zone the start time was entered in.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    invitation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    title = models.CharField(
        max_length=300, blank=True, help_text="The summary of an invitation someone else sent."
    )
    # An invitation someone else sent (an .ics file, or found by the mailbox sync): its UID,
    # the SEQUENCE and DTSTAMP of the version applied, and who organised it.
    external_uid = models.CharField(max_length=255, blank=True, editable=False)
    external_sequence = models.IntegerField(default=0, editable=False)
    external_stamp = models.DateTimeField(null=True, blank=True, editable=False)
    organizer_email = models.CharField(max_length=254, blank=True, editable=False)

    quick_notes = models.TextField("notes", blank=True)
    notes_saved_at = models.DateTimeField(null=True, blank=True, editable=False)
    said_interested = models.BooleanField("said clearly that I am interested", default=False)
    asked_who_else = models.BooleanField("asked who else I should talk to", default=False)
    asked_follow_up = models.BooleanField("asked how and when to follow up", default=False)

    debrief_notes = models.TextField("debrief notes", blank=True)
    fit = models.CharField(max_length=10, choices=Fit.choices, blank=True)
    fit_reason = models.TextField("why", blank=True)
    told_them_fit = models.BooleanField("I told them honestly", default=False)
    debriefed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "starts_at"]),
            models.Index(fields=["owner", "organization"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="conversation_duration_5_to_480",
            ),
            models.UniqueConstraint(
                fields=["owner", "external_uid"],
                condition=~Q(external_uid=""),
                name="conversation_external_uid_once_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} conversation on {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse_ids("conversations:conversation-detail", kwargs={"conversation_id": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.posting_id is not None and self.purpose != Purpose.OPENING:
            errors["posting"] = "Only a conversation about a specific opening names a posting."
        if (
            self.posting_id is not None
            and self.organization_id is not None
            and self.posting is not None
            and self.posting.organization_id != self.organization_id
        ):
            errors["posting"] = "The posting is at another organization."
        if errors:
            raise ValidationError(errors)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def mode_detail_label(self) -> str:
        return MODE_DETAIL_LABEL.get(self.mode, "Detail")

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def closing_done(self) -> int:
        return sum((self.said_interested, self.asked_who_else, self.asked_follow_up))


class Participant(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participant_rows"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    position = models.PositiveSmallIntegerField(default=0)
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.NEEDS_ACTION)
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When they answered (the reply's DTSTAMP)."
    )
    # The version of the invitation the answer is to: an older reply never overrides it.
    answer_sequence = models.IntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "person"], name="participant_once_per_conversation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.conversation}"


class Question(Owned):
    """One of the user's own questions, kept in their bank beside the built-in ones."""

    text = models.CharField(max_length=500)
    topic = models.CharField(max_length=30, default="advice")
    levels = models.JSONField(
        default=list, blank=True, help_text="Levels it suits (empty: any level)."
    )
    purposes = models.JSONField(
        default=list, blank=True, help_text="Purposes it suits (empty: any purpose)."
    )

    class Meta:
        ordering = ["topic", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse_ids("conversations:question-update", kwargs={"question_id": self.pk})


class ChosenQuestion(models.Model):
    """A question chosen for one conversation, in order, ticked when asked."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="chosen_questions"
    )
    builtin_key = models.CharField(max_length=40, blank=True)
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    asked = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Story(Owned):
    """One of my success stories: the situation, what I did, the result."""

    title = models.CharField(max_length=200)
    situation = models.TextField(blank=True)
    action = models.TextField("what I did", blank=True)
    result = models.TextField(blank=True)
    skills = models.CharField(
        "skills shown", max_length=300, blank=True, help_text="Separated by commas."
    )
    tags = models.CharField(max_length=300, blank=True, help_text="Separated by commas.")

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_ids("conversations:story-update", kwargs={"story_id": self.pk})

    @property
    def words(self) -> list[str]:
        return [w.strip() for w in f"{self.skills},{self.tags}".split(",") if w.strip()]


class Learning(Owned):
    """Something learned in a conversation, tagged by topic."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="learnings"
    )
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OTHER)
    text = models.TextField()

    class Meta:
        ordering = ["topic", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Referral(Owned):
    """A name received in a conversation: a person with a known introducer."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="referrals"
    )
    referred_by = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="referrals_given"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals_received")
    matched_existing = models.BooleanField(
        default=False, editable=False, help_text="Matched to a person already in the network."
    )
    will_introduce = models.BooleanField(
        "they will introduce me", default=False, help_text="Otherwise I write myself."
    )
    note = models.CharField(max_length=500, blank=True)
    follow_up_on = models.DateField("follow up on", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(referred_by=models.F("person")), name="referral_not_to_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referred_by} → {self.person}"


class PromiseDirection(models.TextChoices):
    MINE = "mine", "I promised"
    THEIRS = "theirs", "They promised"


class Promise(Owned):
    """ "I'll send the article", "she'll introduce me to Bob"."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="promises"
    )
    direction = models.CharField(max_length=10, choices=PromiseDirection.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        help_text="Who made it or whom it is for.",
    )
    text = models.CharField(max_length=500)
    due_on = models.DateField("due", null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["done", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text
