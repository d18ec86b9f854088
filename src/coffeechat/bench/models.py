"""The manager's bench: people I would hire one day, the openings, and the log of contacts."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from coffeechat.followups.models import LinkStatus
from coffeechat.network.models import Owned, Person


class SkillLevel(models.IntegerChoices):
    BASIC = 1, "Basic"
    WORKING = 2, "Working"
    STRONG = 3, "Strong"
    EXPERT = 4, "Expert"


class Fit(models.TextChoices):
    STRONG = "strong", "Strong fit"
    GOOD = "good", "Good fit"
    POSSIBLE = "possible", "Possible fit"
    WEAK = "weak", "Weak fit"


class Availability(models.TextChoices):
    NOW = "now", "Available now"
    FROM_DATE = "from_date", "Available from a date"
    NOT_LOOKING = "not_looking", "Not looking"


class DataSource(models.TextChoices):
    CONVERSATION = "conversation", "Our conversation"
    THEY_TOLD_ME = "they_told_me", "They told me (e-mail, call)"
    CV = "cv", "Their CV or public profile"
    REFERRER = "referrer", "The person who referred them"
    MY_NOTES = "my_notes", "My own notes"


class BenchEntry(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bench_entries")
    role_fit = models.CharField(
        "would fit", max_length=200, blank=True, help_text="A role or project they would fit."
    )
    fit = models.CharField(max_length=20, choices=Fit.choices, default=Fit.GOOD)
    fit_reason = models.CharField("why", max_length=300, blank=True)
    availability = models.CharField(
        max_length=20, choices=Availability.choices, default=Availability.NOW
    )
    available_from = models.DateField(null=True, blank=True)
    notice_weeks = models.PositiveSmallIntegerField("notice period (weeks)", null=True, blank=True)
    referred_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="bench_referrals"
    )
    met_where = models.CharField("where we met", max_length=200, blank=True)
    data_source = models.CharField(
        "where this comes from",
        max_length=20,
        choices=DataSource.choices,
        default=DataSource.CONVERSATION,
    )
    data_note = models.CharField("source note", max_length=300, blank=True)
    # The keep-in-touch cadence the bench gave the person (None: they had their own wish,
    # or they may not be contacted). Taken back when they leave the bench.
    keep_warm_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        verbose_name_plural = "bench entries"
        constraints = [
            models.UniqueConstraint(fields=["owner", "person"], name="bench_entry_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} on the bench"

    @property
    def availability_text(self) -> str:
        """ "Available now", "Available from 5 Jan 2027", "Not looking"."""
        if self.availability == Availability.FROM_DATE and self.available_from:
            return f"Available from {self.available_from:%-d %b %Y}"
        return str(self.get_availability_display())

    def get_absolute_url(self) -> str:
        return reverse("bench:entry-detail", kwargs={"entry_id": self.pk})


class BenchSkill(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(BenchEntry, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, default=SkillLevel.WORKING)

    class Meta:
        ordering = ["-level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "name"], name="bench_skill_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class BenchContact(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(BenchEntry, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField()
    channel = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.note[:40]}"


class OpeningStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Opening(Owned):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_on = models.DateField("start date", null=True, blank=True)
    internal = models.BooleanField(default=True, help_text="Not a public posting.")
    status = models.CharField(
        max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bench:opening-detail", kwargs={"opening_id": self.pk})


class OpeningSkill(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=60)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["-required", "name"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "name"], name="opening_skill_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    HIRED = "hired", "Hired"
    APPROACHED = "approached", "Approached"


class OpeningOutcome(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="outcomes")
    entry = models.ForeignKey(BenchEntry, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opening", "entry"], name="opening_outcome_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry.person}: {self.get_outcome_display()}"


# "Forget candidates not in touch for N months": the choices of the retention setting.
FORGET_CHOICES = [(12, "12 months"), (18, "18 months"), (24, "24 months"), (36, "36 months")]


class BenchSettings(models.Model):
    """How often I keep in touch with a benched person who did not say how often."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bench_settings"
    )
    keep_warm_days = models.PositiveSmallIntegerField(
        "keep in touch every (days)",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text="For people on your bench who did not say how often they want to hear "
        "from you; their own wish always wins.",
    )
    # Retention (bench/retention.py): the worker takes off the bench everyone not in
    # touch for this many months. None: never (the default).
    forget_after_months = models.PositiveSmallIntegerField(
        "forget candidates not in touch for",
        null=True,
        blank=True,
        choices=FORGET_CHOICES,
        help_text="The worker removes them from your bench with their history (skills, "
        "contacts, outcomes); they stay in your network. Off by default.",
    )

    class Meta:
        verbose_name_plural = "bench settings"

    def __str__(self) -> str:
        return f"every {self.keep_warm_days} days"


# My team refers people to me ----------------------------------------------------------


class TeamLink(Owned):
    """The owner (a manager) and a team member who may refer people to the owner's bench.

    An invitation names an e-mail address; it is shown to whoever signs in with that
    address, and ``member`` is set when they accept. Ended and declined links stay, so
    both sides see what happened; only an active link lets the member refer.
    """

    email = models.EmailField("team member's e-mail address", max_length=254)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_links_as_member",
    )
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["status", "email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "email"],
                condition=models.Q(status__in=["pending", "active"]),
                name="team_link_one_live_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for you"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class TeamProposal(Owned):
    """A person a team member referred to the owner's bench, with only the fields they chose.

    Every field is a copy made when they referred; nothing points back at the referrer's
    network. Accepting creates (or finds) the person in the owner's network and benches them.
    """

    link = models.ForeignKey(
        TeamLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    referrer_name = models.CharField("referred by", max_length=254)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField("e-mail", max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    job_title = models.CharField("job title", max_length=200, blank=True)
    organization = models.CharField(max_length=200, blank=True)
    skills = models.CharField(max_length=500, blank=True)
    linkedin_url = models.URLField("LinkedIn URL", max_length=500, blank=True)
    why = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey(
        BenchEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_referrals",
    )

    class Meta:
        ordering = ["status", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name}, referred by {self.referrer_name}"

    def get_absolute_url(self) -> str:
        return reverse("bench:proposal-detail", kwargs={"proposal_id": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# The front door: a public page where someone asks the manager for a short conversation.
# Its services are in bench/front_door.py, its pages in bench/front_door_views.py.


class FrontDoor(models.Model):
    """My request page: its secret link, whether it is open, and what it says about me."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="front_door"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    enabled = models.BooleanField("open", default=False)
    display_name = models.CharField(
        "name shown on the page",
        max_length=120,
        help_text="The only thing about you the page shows, with the intro below.",
    )
    intro = models.TextField(
        "short intro",
        max_length=600,
        blank=True,
        help_text="A few lines for the people who find the page: who you are, what you "
        "are happy to talk about.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"front door of {self.display_name}"


class Connection(models.TextChoices):
    REFERRED = "referred", "Someone referred me to you"
    MET = "met", "We have met before"
    SHARED_GROUP = "shared_group", "We share a school, alumni or other group"
    NONE = "none", "No connection yet"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ConversationRequest(Owned):
    """Someone asked me for a short conversation through my front door."""

    name = models.CharField(max_length=120)
    email = models.EmailField("e-mail", max_length=254)
    connection = models.CharField(max_length=20, choices=Connection.choices)
    referrer_name = models.CharField("who referred you", max_length=120, blank=True)
    referrer_email = models.EmailField("their e-mail", max_length=254, blank=True)
    connection_note = models.CharField("about the connection", max_length=300, blank=True)
    wants_to_learn = models.TextField("what they want to learn", max_length=1500, blank=True)
    cv_url = models.URLField("CV link", max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_requests",
        help_text="Who the request became in my network, once accepted.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status", "created_at"]),
            models.Index(fields=["status", "decided_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} asks for a conversation"

    def get_absolute_url(self) -> str:
        return reverse("bench:request-detail", kwargs={"request_id": self.pk})
