"""Every write to the network goes through one of these functions.

Views, the API, the CLI and tasks all call them, so the ownership checks and
validation happen in one place. Each function is one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from coffeechat.accounts.models import MyAffiliation
from coffeechat.core.scoping import owned, save_owned
from coffeechat.network import search
from coffeechat.network.addresses import MAX_LINKEDIN_URL, clean_email, clean_linkedin_url
from coffeechat.network.models import (
    Affiliation,
    EmailAddress,
    Employment,
    MailExchange,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Tag,
    Tie,
)
from coffeechat.network.names import clean_name, split_name
from coffeechat.network.normalize import email_key, organization_key


def clean_list(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        item = value.strip()
        if item and item not in seen:
            seen.append(item)
    return seen


def validate_emails(values: Iterable[str], field: str = "emails") -> list[str]:
    """The addresses, cleaned by :func:`clean_email`; an invalid one is an error on ``field``."""
    emails: list[str] = []
    for value in clean_list(values):
        email = clean_email(value)
        if email is None:
            raise ValidationError({field: f"Not a valid e-mail address: {value[:80]}"})
        if email_key(email) not in {email_key(e) for e in emails}:
            emails.append(email)
    return emails


def validate_linkedin_url(value: str) -> str:
    """The clean profile URL (:func:`clean_linkedin_url`); anything else is an error."""
    url = clean_linkedin_url(value)
    if url is None or len(url) > MAX_LINKEDIN_URL:
        raise ValidationError(
            {"linkedin_url": f"{value[:80]!r} is not a LinkedIn profile address."}
        )
    return url


def validate_phones(values: Iterable[str]) -> list[str]:
    phones = clean_list(values)
    limit = PhoneNumber._meta.get_field("number").max_length or 40
    for phone in phones:
        if len(phone) > limit:
            raise ValidationError({"phones": f"{phone[:20]!r}… is longer than {limit} characters."})
    return phones


@transaction.atomic
def save_person(
    owner: Any,
    person: Person,
    *,
    emails: Iterable[str] | None = None,
    phones: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
) -> Person:
    """Create or update a person with their e-mails, phones and tags (lists replace).

    The one writer of a person's row and contact details: the name loses honorifics
    and suffixes (:func:`clean_name`), the LinkedIn URL is cleaned, every e-mail is
    checked. A ValidationError names the field.
    """
    person.first_name, person.last_name = clean_name(person.first_name, person.last_name)
    if not person.first_name and person.last_name:
        person.first_name, person.last_name = person.last_name, ""
    if person.linkedin_url:
        person.linkedin_url = validate_linkedin_url(person.linkedin_url)
    email_list = validate_emails(emails) if emails is not None else None
    phone_list = validate_phones(phones) if phones is not None else None
    save_owned(owner, person)
    # An address or number that stays keeps its kind (work, cell…) from an address book.
    if email_list is not None:
        kept = {
            e.lower(): (k, b)
            for e, k, b in person.email_addresses.values_list("email", "kind", "bounced_at")
        }
        person.email_addresses.all().delete()
        EmailAddress.objects.bulk_create(
            EmailAddress(
                owner=owner,
                person=person,
                email=email,
                position=index,
                kind=kept.get(email.lower(), ("", None))[0],
                bounced_at=kept.get(email.lower(), ("", None))[1],
            )
            for index, email in enumerate(email_list)
        )
    if phone_list is not None:
        kinds = dict(person.phone_numbers.values_list("number", "kind"))
        person.phone_numbers.all().delete()
        PhoneNumber.objects.bulk_create(
            PhoneNumber(
                owner=owner,
                person=person,
                number=number,
                position=index,
                kind=kinds.get(number, ""),
            )
            for index, number in enumerate(phone_list)
        )
    if tags is not None:
        person.tags.set(get_or_create_tags(owner, tags))
    return person


@dataclass(frozen=True, slots=True)
class NewJob:
    """A job to record with a person: where, as what, and whether they hire."""

    organization_name: str
    title: str = ""
    department: str = ""
    has_hiring_authority: bool = False


@transaction.atomic
def create_person(
    owner: Any,
    *,
    name: str = "",
    first_name: str = "",
    last_name: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    linkedin_url: str = "",
    job: NewJob | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Person:
    """A new person: from a whole ``name`` (split by :func:`split_name`) or its two parts.

    Pages, the API and referrals create people here (a merge saves the kept person
    through :func:`save_person`); the import writes in bulk through
    :mod:`coffeechat.network.writers` with the same rules.
    """
    if name.strip() and not first_name.strip() and not last_name.strip():
        parts = split_name(name)
        first_name, last_name = parts.first, parts.last
    if not first_name.strip() and not last_name.strip():
        raise ValidationError({"name" if name else "first_name": "Write the person's name."})
    person = Person(first_name=first_name, last_name=last_name, linkedin_url=linkedin_url)
    for key, value in fields.items():
        setattr(person, key, value)
    save_person(owner, person, emails=emails, phones=phones, tags=tags)
    if job is not None:
        record_job(owner, person, job)
    return person


@transaction.atomic
def record_job(owner: Any, person: Person, job: NewJob) -> Employment | None:
    """The person's current job at this organization, added or completed.

    A current job there already keeps its values; an empty title or department is
    filled in and "has hiring authority" is set when the new facts say so.
    """
    organization_name = " ".join(job.organization_name.split())
    if not organization_name:
        if job.title.strip() or job.has_hiring_authority:
            raise ValidationError(
                {"organization_name": "Say where they work to record their role."}
            )
        return None
    organization = organization_named(owner, organization_name)
    current = (
        owned(Employment, owner)
        .filter(person=person, organization=organization, is_current=True)
        .order_by("pk")
        .first()
    )
    if current is None:
        current = Employment(person=person, organization=organization)
    elif not (
        (job.title.strip() and not current.title)
        or (job.department.strip() and not current.department)
        or (job.has_hiring_authority and not current.has_hiring_authority)
    ):
        return current
    current.title = current.title or " ".join(job.title.split())
    current.department = current.department or " ".join(job.department.split())
    current.has_hiring_authority = current.has_hiring_authority or job.has_hiring_authority
    return save_owned(owner, current)


def record_contact(owner: Any, people: Iterable[Person], day: Any) -> None:
    """You talked to these people on ``day``: a later "last contacted" date is kept."""
    for person in people:
        if person.last_contacted_on is None or person.last_contacted_on < day:
            owned(Person, owner).filter(pk=person.pk).update(last_contacted_on=day)
            person.last_contacted_on = day


def mark_bouncing(owner: Any, person_id: int, email: str, when: datetime.datetime) -> int:
    """Mail to this address of the person bounced at ``when`` (the latest bounce kept).
    The composer and the person page warn about it; returns how many rows changed."""
    return (
        EmailAddress.objects.filter(owner=owner, person_id=person_id, email__iexact=email.strip())
        .filter(Q(bounced_at__isnull=True) | Q(bounced_at__lt=when))
        .update(bounced_at=when)
    )


def clear_bouncing(owner: Any, email: str, when: datetime.datetime) -> int:
    """Mail came from this address at ``when``: a bounce from before it no longer holds."""
    return EmailAddress.objects.filter(
        owner=owner, email__iexact=email.strip(), bounced_at__lt=when
    ).update(bounced_at=None)


def save_mail_exchanges(owner: Any, counts: dict[int, tuple[int, int, datetime.datetime]]) -> int:
    """Replace the user's mail exchange counts: person id → (sent, received, latest).
    One transaction; people not in ``counts`` have none any more. Returns how many."""
    with transaction.atomic():
        MailExchange.objects.filter(owner=owner).delete()
        mine = set(owned(Person, owner).filter(pk__in=list(counts)).values_list("pk", flat=True))
        MailExchange.objects.bulk_create(
            [
                MailExchange(owner=owner, person_id=pk, sent=sent, received=received, last_at=last)
                for pk, (sent, received, last) in counts.items()
                if pk in mine
            ],
            batch_size=500,
        )
    return len(mine)


def mark_not_responding(person_id: int, day: Any, now: Any = None) -> int:
    """The person stopped answering on ``day``: recorded once, never moved. 1 if marked."""
    return Person.objects.filter(pk=person_id, not_responding_since__isnull=True).update(
        not_responding_since=day, updated_at=now if now is not None else timezone.now()
    )


def save_fields[M: models.Model](owner: Any, instance: M, data: dict[str, Any]) -> M:
    """Set these fields of a job, an organization, an affiliation… and save it, validated."""
    for key, value in data.items():
        setattr(instance, key, value)
    return save_owned(owner, instance)


def get_or_create_tags(owner: Any, names: Iterable[str]) -> list[Tag]:
    wanted = clean_list(name[:60] for name in names)
    existing = {tag.name: tag for tag in owned(Tag, owner).filter(name__in=wanted)}
    missing = [Tag(owner=owner, name=name) for name in wanted if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing)
        existing.update({tag.name: tag for tag in owned(Tag, owner).filter(name__in=wanted)})
    return [existing[name] for name in wanted]


def current_jobs() -> Prefetch:
    """Prefetch a person's current jobs with their organizations into ``current_jobs``."""
    return Prefetch(
        "employments",
        queryset=Employment.objects.filter(is_current=True).select_related("organization"),
        to_attr="current_jobs",
    )


def people_for_list(owner: Any) -> QuerySet[Person]:
    """People with what the list shows, in a constant number of queries."""
    return owned(Person, owner).prefetch_related("tags", current_jobs())


def search_people(within: QuerySet[Person], query: str) -> search.Hits:
    """The people of ``within`` (one owner's) matching every word of ``query`` in a name
    (or its nicknames), an e-mail, an organization, a title, a tag, the location or the
    notes, accents and case aside; best first (see :mod:`coffeechat.network.search`).
    Pages are read from it by slicing; its ``count()`` is the number found."""
    return search.matching(within, query)


def searched(within: QuerySet[Person], query: str) -> QuerySet[Person] | search.Hits:
    """``within`` searched for ``query`` (:func:`search_people`), or ``within`` itself,
    in its own order, when the query holds no word."""
    return search_people(within, query) if search.query_words(query) else within


def find_people(within: QuerySet[Person], query: str, limit: int) -> list[Person]:
    """At most ``limit`` people of ``within`` matching ``query`` (see
    :func:`search_people`), best first, with their current jobs; none for an empty query."""
    if not search.query_words(query):
        return []
    people: list[Person] = search_people(within.prefetch_related(current_jobs()), query)[:limit]
    return people


def organization_suggestions(owner: Any, typed: str, limit: int) -> list[str]:
    """At most ``limit`` of the owner's organization names holding every word typed
    (compared as :func:`organization_key` compares names), names that start with the
    text first; none for empty text."""
    words = organization_key(typed).split()
    if not words:
        return []
    found = owned(Organization, owner)
    for word in words:
        found = found.filter(name_key__contains=word)
    starts = Case(
        When(name_key__startswith=" ".join(words), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(found.order_by(starts, "name").values_list("name", flat=True)[:limit])


def ties_of(owner: Any, person: Person) -> QuerySet[Tie]:
    """Ties both ways: from this person, to this person."""
    return (
        owned(Tie, owner)
        .filter(Q(from_person=person) | Q(to_person=person))
        .select_related("from_person", "to_person", "introduced_by")
    )


def memberships_of(owner: Any, person: Person) -> QuerySet[Membership]:
    return owned(Membership, owner).filter(person=person).select_related("affiliation")


def organization_named(owner: Any, name: str) -> Organization:
    """The owner's organization with this name, created when there is none.

    Names compare by :func:`organization_key`: case, punctuation and legal suffixes
    do not count, so "Acme, Inc." finds "ACME Inc".
    """
    name = " ".join(name.split())
    existing = organization_with_name(owner, name)
    if existing is not None:
        return existing
    return save_owned(owner, Organization(name=name))


def organization_with_name(
    owner: Any, name: str, *, other_than: Organization | None = None
) -> Organization | None:
    """The owner's organization whose name compares equal to ``name``, if any."""
    queryset = owned(Organization, owner).filter(name_key=organization_key(name)[:200])
    if other_than is not None and other_than.pk:
        queryset = queryset.exclude(pk=other_than.pk)
    return queryset.order_by("pk").first()


class OrganizationExists(Exception):
    """Another of the owner's organizations already has this name (same normalised name)."""

    def __init__(self, existing: Organization) -> None:
        super().__init__(f"An organization named “{existing.name}” already exists.")
        self.existing = existing


@transaction.atomic
def save_organization(owner: Any, organization: Organization, data: dict[str, Any]) -> Organization:
    """Create or change an organization; a name another one already has is refused."""
    name = data.get("name") or organization.name
    existing = organization_with_name(owner, name, other_than=organization)
    if existing is not None and organization_key(name):
        raise OrganizationExists(existing)
    return save_fields(owner, organization, data)


@transaction.atomic
def save_employment(owner: Any, employment: Employment, organization_name: str) -> Employment:
    employment.organization = organization_named(owner, organization_name)
    return save_owned(owner, employment)


@transaction.atomic
def save_affiliation(owner: Any, affiliation: Affiliation, organization_name: str) -> Affiliation:
    """Save a group; ``organization_name`` names the organization behind it (found by
    name, or added with it; empty: none)."""
    name = organization_name.strip()
    affiliation.organization = organization_named(owner, name) if name else None
    return save_owned(owner, affiliation)


@transaction.atomic
def save_my_affiliation(
    owner: Any, item: MyAffiliation, *, new_name: str = "", new_kind: str = ""
) -> MyAffiliation:
    """Save one of my affiliations, first creating the group when it is a new one."""
    if new_name and not item.affiliation_id:
        item.affiliation = save_owned(owner, Affiliation(name=new_name, kind=new_kind))
    return save_owned(owner, item)
