"""The owner's network as compact lookups, so rows of a file match the people already there."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from coffeechat.accounts.services import get_profile
from coffeechat.network.models import (  # read here; written through network.writers
    Affiliation,
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Tie,
)
from coffeechat.network.normalize import (
    email_key,
    linkedin_key,
    name_key,
    organization_key,
    phone_key,
)


def group_key(name: str) -> str:
    """Groups are matched by name as organizations are (case, punctuation, accents aside)."""
    return organization_key(name)[:200] or " ".join(name.lower().split())


@dataclass(slots=True)
class ExistingPerson:  # also the people an import has planned in earlier chunks
    first_name: str
    last_name: str
    linkedin_url: str
    location: str
    level: str
    last_contacted_on: date | None


FILLABLE = ("linkedin_url", "location", "level")


@lru_cache(maxsize=8)
def stand_in(linkedin_url: bool, location: bool, level: bool) -> ExistingPerson:
    """A shared, read-only stand-in for a person this import created: which fields are set."""
    return ExistingPerson(
        "", "", "x" if linkedin_url else "", "x" if location else "", "x" if level else "", None
    )


def region_of(owner: Any) -> str:
    """The country phone numbers without one are read in: the owner's, else the US."""
    return (get_profile(owner).country or "US").upper()


class NetworkIndex:
    """The owner's network as lookups, loaded in a constant number of queries."""

    def __init__(self, owner: Any) -> None:
        self.people: dict[int, ExistingPerson] = {}
        self.by_email: dict[str, int] = {}
        self.by_linkedin: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.emails: dict[int, set[str]] = defaultdict(set)
        self.phones: dict[int, set[str]] = defaultdict(set)
        self.tags: dict[int, set[str]] = defaultdict(set)
        self.current_jobs: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
        self.org_by_key: dict[str, int] = {}
        self.me_ties: set[int] = set()
        self.memberships: set[tuple[int, int]] = set()
        self.group_by_key: dict[str, int] = {}  # a group's name (organization_key) → id
        # (person, group, detail in lower case, class year): a place in a group
        self.places: set[tuple[int, int, str, int | None]] = set()
        self.region = region_of(owner)

        rows = Person.objects.filter(owner=owner).values_list(
            "pk",
            "first_name",
            "last_name",
            "linkedin_url",
            "location",
            "level",
            "last_contacted_on",
        )
        for pk, first, last, url, location, level, contacted in rows:
            self.people[pk] = ExistingPerson(first, last, url, location, level, contacted)
            self.by_name[name_key(first, last)].append(pk)
            key = linkedin_key(url)
            if key:
                self.by_linkedin.setdefault(key, pk)
        for pk, email in EmailAddress.objects.filter(owner=owner).values_list("person_id", "email"):
            self.emails[pk].add(email_key(email))
            self.by_email.setdefault(email_key(email), pk)
        for pk, number in PhoneNumber.objects.filter(owner=owner).values_list(
            "person_id", "number"
        ):
            key = phone_key(number, self.region)
            if key:
                self.phones[pk].add(key)
                self.by_phone.setdefault(key, pk)
        for pk, tag in Person.tags.through.objects.filter(person__owner=owner).values_list(
            "person_id", "tag__name"
        ):
            self.tags[pk].add(tag)
        for org_pk, key in Organization.objects.filter(owner=owner).values_list("pk", "name_key"):
            self.org_by_key.setdefault(key, org_pk)
        jobs = Employment.objects.filter(owner=owner, is_current=True).values_list(
            "pk", "person_id", "organization__name_key", "title", "department"
        )
        for pk, person_pk, org_key, title, department in jobs:
            self.current_jobs[person_pk].append((pk, org_key, title, department))
        self.me_ties = set(
            Tie.objects.filter(owner=owner, from_person__isnull=True).values_list(
                "to_person_id", flat=True
            )
        )
        for person_pk, group_pk, detail, year in Membership.objects.filter(owner=owner).values_list(
            "person_id", "affiliation_id", "detail", "class_year"
        ):
            self.memberships.add((person_pk, group_pk))
            self.places.add((person_pk, group_pk, detail.lower(), year))
        for group_pk, name in Affiliation.objects.filter(owner=owner).values_list("pk", "name"):
            self.group_by_key.setdefault(group_key(name), group_pk)
