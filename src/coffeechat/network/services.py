"""Every write to the network goes through one of these functions.

Views, the API, the CLI and tasks all call them, so the ownership checks and
validation happen in one place. Each function is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from coffeechat.accounts.models import MyAffiliation
from coffeechat.core.scoping import owned, save_owned
from coffeechat.network.models import (
    Affiliation,
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Tag,
    Tie,
)
from coffeechat.network.normalize import organization_key


def clean_list(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        item = value.strip()
        if item and item not in seen:
            seen.append(item)
    return seen


def validate_emails(values: Iterable[str]) -> list[str]:
    emails = clean_list(values)
    for email in emails:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            raise ValidationError({"emails": f"{email!r} is not a valid e-mail address."}) from None
    return emails


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
    """Create or update a person with their e-mails, phones and tags (lists replace)."""
    email_list = validate_emails(emails) if emails is not None else None
    phone_list = validate_phones(phones) if phones is not None else None
    save_owned(owner, person)
    if email_list is not None:
        person.email_addresses.all().delete()
        EmailAddress.objects.bulk_create(
            EmailAddress(owner=owner, person=person, email=email, position=index)
            for index, email in enumerate(email_list)
        )
    if phone_list is not None:
        person.phone_numbers.all().delete()
        PhoneNumber.objects.bulk_create(
            PhoneNumber(owner=owner, person=person, number=number, position=index)
            for index, number in enumerate(phone_list)
        )
    if tags is not None:
        person.tags.set(get_or_create_tags(owner, tags))
    return person


def get_or_create_tags(owner: Any, names: Iterable[str]) -> list[Tag]:
    wanted = clean_list(name[:60] for name in names)
    existing = {tag.name: tag for tag in owned(Tag, owner).filter(name__in=wanted)}
    missing = [Tag(owner=owner, name=name) for name in wanted if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing)
        existing.update({tag.name: tag for tag in owned(Tag, owner).filter(name__in=wanted)})
    return [existing[name] for name in wanted]


def people_for_list(owner: Any) -> QuerySet[Person]:
    """People with what the list shows, in a constant number of queries."""
    return owned(Person, owner).prefetch_related(
        "tags",
        Prefetch(
            "employments",
            queryset=Employment.objects.filter(is_current=True).select_related("organization"),
            to_attr="current_jobs",
        ),
    )


def search_people(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Every word must match a name, an e-mail, an organization, a title or a tag."""
    for word in query.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email_addresses__email__icontains=word)
            | Q(employments__organization__name__icontains=word)
            | Q(employments__title__icontains=word)
            | Q(tags__name__icontains=word)
        )
    return queryset.distinct() if query.split() else queryset


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
    key = organization_key(name)
    existing = owned(Organization, owner).filter(name_key=key).order_by("pk").first()
    if existing is not None:
        return existing
    return save_owned(owner, Organization(name=name))


@transaction.atomic
def save_employment(owner: Any, employment: Employment, organization_name: str) -> Employment:
    employment.organization = organization_named(owner, organization_name)
    return save_owned(owner, employment)


@transaction.atomic
def save_my_affiliation(
    owner: Any, item: MyAffiliation, *, new_name: str = "", new_kind: str = ""
) -> MyAffiliation:
    """Save one of my affiliations, first creating the group when it is a new one."""
    if new_name and not item.affiliation_id:
        item.affiliation = save_owned(owner, Affiliation(name=new_name, kind=new_kind))
    return save_owned(owner, item)
