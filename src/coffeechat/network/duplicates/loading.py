"""Loading a user's network as candidates, in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coffeechat.network.duplicates.finding import Match, find_duplicates
from coffeechat.network.duplicates.people import Candidate
from coffeechat.network.normalize import email_key, linkedin_key, phone_key


def candidates_for(owner: Any) -> list[Candidate]:
    """Every person of ``owner``'s as a Candidate, in five queries whatever the size."""
    from coffeechat.accounts.models import Profile
    from coffeechat.network.models import EmailAddress, Employment, Person, PhoneNumber

    region = Profile.objects.filter(user=owner).values_list("country", flat=True).first() or "US"
    emails: dict[int, set[str]] = defaultdict(set)
    for person_id, email in EmailAddress.objects.filter(owner=owner).values_list(
        "person_id", "email"
    ):
        if key := email_key(email):
            emails[person_id].add(key)
    phones: dict[int, set[str]] = defaultdict(set)
    for person_id, number in PhoneNumber.objects.filter(owner=owner).values_list(
        "person_id", "number"
    ):
        if key := _phone_key(number, region):
            phones[person_id].add(key)
    organizations: dict[int, dict[str, str]] = defaultdict(dict)
    for person_id, key, name in Employment.objects.filter(owner=owner).values_list(
        "person_id", "organization__name_key", "organization__name"
    ):
        if key:
            organizations[person_id].setdefault(key, name)
    return [
        Candidate(
            id=pk,
            first_name=first,
            last_name=last,
            emails=frozenset(emails.get(pk, ())),
            phones=frozenset(phones.get(pk, ())),
            linkedin=linkedin_key(url) if url else "",
            organizations=frozenset(organizations.get(pk, ())),
            organization_names=organizations.get(pk, {}),
        )
        for pk, first, last, url in Person.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "linkedin_url")
    ]


_phone_cache: dict[tuple[str, str], str] = {}


def _phone_key(number: str, region: str) -> str:
    key = (number, region)
    found = _phone_cache.get(key)
    if found is None:
        if len(_phone_cache) > 100_000:
            _phone_cache.clear()
        found = _phone_cache[key] = phone_key(number, region)
    return found


def not_duplicate_pairs(owner: Any) -> set[tuple[int, int]]:
    from coffeechat.network.models import NotDuplicate

    return set(NotDuplicate.objects.filter(owner=owner).values_list("person_a_id", "person_b_id"))


def network_duplicates(owner: Any, *, limit: int | None = None) -> list[Match]:
    """Likely duplicates in ``owner``'s whole network, minus pairs marked "not the same"."""
    matches = find_duplicates(candidates_for(owner), exclude=not_duplicate_pairs(owner))
    return matches if limit is None else matches[:limit]


def duplicates_of(owner: Any, person_id: int) -> list[Match]:
    """Likely duplicates of one person (``a`` is always that person)."""
    candidates = candidates_for(owner)
    person = [c for c in candidates if c.id == person_id]
    if not person:
        return []
    others = [c for c in candidates if c.id != person_id]
    return find_duplicates(person, against=others, exclude=not_duplicate_pairs(owner))
