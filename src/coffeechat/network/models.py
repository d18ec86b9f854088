"""People, organizations, jobs, affiliations and ties: the user's network."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from coffeechat.accounts.models import validate_time_zone
from coffeechat.core.reversing import reverse_ids
from coffeechat.network.addresses import bounce_warning
from coffeechat.network.normalize import organization_key

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]


class Owned(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Level(models.TextChoices):
    STAFF = "staff", "Staff"
    MANAGER = "manager", "Manager"
    EXECUTIVE = "executive", "Executive"
    HR = "hr", "HR"
    RECRUITER = "recruiter", "Recruiter"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    LINKEDIN = "linkedin", "LinkedIn message"
    TEXT = "text", "Text message"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"


class Source(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    LINKEDIN = "linkedin", "LinkedIn"
    ADDRESS_BOOK = "address_book", "Address book"
    ALUMNI_DIRECTORY = "alumni_directory", "Alumni directory"
    ASSOCIATION_DIRECTORY = "association_directory", "Association directory"
    DIRECTORY = "directory", "Other directory or list"
    FRIEND = "friend", "Friend or acquaintance"
    REFERRAL = "referral", "Referral"


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Organization(Owned):
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    domain = models.CharField(max_length=200, blank=True, help_text="e.g. example.org")
    industry = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, help_text="Markdown.")
    # organization_key(name): "Acme, Inc." and "ACME Inc" share it. Kept by save().
    name_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["owner", "name_key"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = organization_key(self.name)[:200]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse_ids("network:organization-detail", kwargs={"organization_id": self.pk})


class Person(Owned):
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    linkedin_url = models.URLField("LinkedIn URL", max_length=500, blank=True)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    do_not_contact = models.BooleanField("do not contact", default=False)
    source = models.CharField(max_length=30, choices=Source.choices, default=Source.MANUAL)
    notes = models.TextField(blank=True, help_text="Markdown.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    last_contacted_on = models.DateField(
        "last contacted", null=True, blank=True, help_text="The last time you two talked."
    )
    # How this person asked to be followed up (stored here; the follow-ups
    # rules read it). Their own words go in follow_up_wish.
    follow_up_wish = models.CharField(
        "how they want to be followed up",
        max_length=300,
        blank=True,
        help_text='In their words, e.g. "every couple of months", "in the spring".',
    )
    keep_in_touch_days = models.PositiveSmallIntegerField(
        "keep in touch every (days)",
        null=True,
        blank=True,
        help_text="Leave empty if they did not ask for regular updates.",
    )
    next_check_in_on = models.DateField(
        "next check-in",
        null=True,
        blank=True,
        help_text="When they asked to hear from you next, if they named a time.",
    )
    may_keep_in_touch = models.BooleanField(
        "may keep in touch", default=True, help_text="They are happy to hear from you again."
    )
    not_responding_since = models.DateField(
        "not responding since",
        null=True,
        blank=True,
        help_text="Set after unanswered nudges; no more nudges are suggested.",
    )

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["owner", "last_name", "first_name"]),
            # Progress counts the people added in a period (read through this index,
            # not every person of the owner).
            models.Index(fields=["owner", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse_ids("network:person-detail", kwargs={"person_id": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class EmailAddress(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="email_addresses")
    email = models.EmailField(max_length=254)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(
        max_length=60, blank=True, help_text="Its types in an address book: work, home…"
    )
    bounced_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Mail to it bounced then (a delivery failure); cleared when mail comes from it.",
    )

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["owner", "email"])]

    def __str__(self) -> str:
        return self.email

    @property
    def bounce_warning(self) -> str:
        return bounce_warning(self.email, self.bounced_at)


class PhoneNumber(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phone_numbers")
    number = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(
        max_length=60, blank=True, help_text="Its types in an address book: cell, work, home…"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.number


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self) -> EmploymentQuerySet:
        return self.filter(is_current=True)

    def former(self) -> EmploymentQuerySet:
        return self.filter(is_current=False)


class Employment(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="employments"
    )
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField("current job", default=True)
    has_hiring_authority = models.BooleanField("has hiring authority", default=False)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-is_current", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        role = self.title or "works"
        return f"{role} at {self.organization}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})


class AffiliationKind(models.TextChoices):
    SCHOOL = "school", "School / alumni"
    ASSOCIATION = "association", "Professional association"
    FORMER_EMPLOYER = "former_employer", "Former employer / alumni group"
    COMMUNITY = "community", "Community"


class Affiliation(Owned):
    """A group that creates a tie: a school, an association, a former employer, a community."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AffiliationKind.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliations",
        help_text="The school or employer behind this group, if it is in your list.",
    )
    notes = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_ids("network:affiliation-detail", kwargs={"affiliation_id": self.pk})


class Membership(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    affiliation = models.ForeignKey(
        Affiliation, on_delete=models.CASCADE, related_name="memberships"
    )
    detail = models.CharField(
        max_length=200, blank=True, help_text="Degree, chapter, team or role."
    )
    class_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR_VALIDATORS)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR_VALIDATORS)

    class Meta:
        ordering = ["affiliation__name", "pk"]

    def __str__(self) -> str:
        return f"{self.person} in {self.affiliation}"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The end year is before the start year."})


class TieKind(models.TextChoices):
    FRIEND = "friend", "Friend"
    FAMILY = "family", "Family"
    COLLEAGUE = "colleague", "Colleague"
    CLASSMATE = "classmate", "Classmate"
    INTRODUCED = "introduced", "Introduced"
    REFERRED = "referred", "Referred"
    ACQUAINTANCE = "acquaintance", "Acquaintance"


class Tie(Owned):
    """A relationship: between me and a person (``from_person`` empty) or two people."""

    from_person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ties_out",
        help_text="Leave empty for a tie between you and the person.",
    )
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ties_in")
    kind = models.CharField(max_length=20, choices=TieKind.choices)
    strength = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = barely know each other, 5 = very close.",
    )
    introduced_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
    )
    since = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-strength", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(strength__gte=1) & Q(strength__lte=5), name="tie_strength_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(from_person__isnull=True) | ~Q(from_person=models.F("to_person")),
                name="tie_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        left = self.from_person.full_name if self.from_person_id and self.from_person else "Me"
        return f"{left} — {self.to_person} ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.from_person_id and self.from_person_id == self.to_person_id:
            raise ValidationError({"to_person": "A tie needs two different people."})
        if self.introduced_by_id and self.introduced_by_id in {
            self.from_person_id,
            self.to_person_id,
        }:
            raise ValidationError(
                {"introduced_by": "The introducer is someone other than the two people."}
            )


class MailExchange(models.Model):
    """How much mail the user and a person exchanged, as counted from the mailbox's
    stored records (written by the mailbox sync through network.services; the suggested
    tie strength is computed from it when read: network/exchanges.py)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="mail_exchange")
    sent = models.PositiveIntegerField(default=0, help_text="Messages from you to them.")
    received = models.PositiveIntegerField(default=0, help_text="Messages from them to you.")
    last_at = models.DateTimeField(help_text="The latest message either way.")

    class Meta:
        indexes = [models.Index(fields=["owner", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.sent} sent, {self.received} received"


class InteractionKind(models.TextChoices):
    LINKEDIN_MESSAGE = "linkedin_message", "LinkedIn message"
    LINKEDIN_INVITATION = "linkedin_invitation", "LinkedIn invitation"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone call"
    CONVERSATION = "conversation", "Conversation"
    NOTE = "note", "Note"


class Direction(models.TextChoices):
    SENT = "sent", "Sent"
    RECEIVED = "received", "Received"


class Interaction(Owned):
    """Something that happened between me and a person: a message, an invitation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interactions")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=InteractionKind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    # Where it came from, so that importing the same file twice adds it once.
    source_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "person", "occurred_at"]),
            models.Index(fields=["owner", "source_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.person} on {self.occurred_at:%Y-%m-%d}"


class NotDuplicate(models.Model):
    """The user said these two people are not the same person: never propose them again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "person_a", "person_b"], name="not_duplicate_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="not_duplicate_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ≠ {self.person_b_id}"


class PersonSearch(models.Model):
    """What search looks in for one person, folded (see :mod:`coffeechat.network.search`).

    Derived data: rebuilt from the person's rows, never exported or backed up (a restore
    rebuilds it). Database triggers mark a person in :class:`SearchDirty` whenever
    anything search reads changes, whatever wrote it; the index is brought up to date
    from there.
    """

    derived_data = True  # backups skip it (coffeechat.server.backup_tables)

    person = models.OneToOneField(
        Person,
        on_delete=models.DO_NOTHING,  # a database trigger deletes the row with its person
        db_constraint=False,
        primary_key=True,
        related_name="search",
    )
    owner_id = models.BigIntegerField(db_index=True)  # the person's owner, to scan only theirs
    names = models.TextField()
    document = models.TextField()
    sort = models.TextField(default="")  # folded "last first": the order of equal ranks

    def __str__(self) -> str:
        return self.names


class SearchDirty(models.Model):
    """A person whose :class:`PersonSearch` row is out of date (written by triggers)."""

    derived_data = True

    person_id = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return str(self.person_id)
