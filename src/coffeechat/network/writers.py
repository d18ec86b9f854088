"""Bulk writes of network rows for imports: the network still owns every row it writes.

An import of 30,000 people cannot afford one ``save()`` per row, so the import
engine plans its rows with the network's rules (:mod:`coffeechat.network.names`,
:mod:`coffeechat.network.addresses`, :func:`~coffeechat.network.normalize.phone_key`)
and hands them here in bulk, inside its short transactions. Each function returns the
ids it created (for undo) or the values it replaced.

Rows are plain tuples, in the order each function names, to keep a large import fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db.models import Case, F, Value, When

from coffeechat.core.bulk import insert_rows
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
    TieKind,
)

BULK_SIZE = 2000

# (first_name, last_name, linkedin_url, location, level, notes)
PersonRow = tuple[str, str, str, str, str, str]


def insert_organizations(owner: Any, names: dict[str, str]) -> list[int]:
    """New organizations from {name key: name}; their ids in the same order."""
    return insert_rows(
        Organization,
        ["owner_id", "name", "name_key"],
        [(owner.pk, name, key) for key, name in names.items()],
    )


def insert_people(owner: Any, rows: Sequence[PersonRow], source: str) -> list[int]:
    """New people, already split and cleaned; their ids in the same order."""
    return insert_rows(
        Person,
        ["owner_id", "first_name", "last_name", "linkedin_url", "location", "level", "notes"]
        + ["source"],
        [(owner.pk, *row, source) for row in rows],
    )


def insert_emails(owner: Any, rows: Iterable[tuple[int, str, int, str]]) -> list[int]:
    """(person id, address checked by clean_email, position, kind) rows."""
    return insert_rows(
        EmailAddress,
        ["owner_id", "person_id", "email", "position", "kind"],
        [(owner.pk, pk, email, position, kind[:60]) for pk, email, position, kind in rows],
    )


def insert_phones(owner: Any, rows: Iterable[tuple[int, str, int, str]]) -> list[int]:
    """(person id, number as written, position, kind) rows."""
    return insert_rows(
        PhoneNumber,
        ["owner_id", "person_id", "number", "position", "kind"],
        [(owner.pk, pk, number, position, kind[:60]) for pk, number, position, kind in rows],
    )


def insert_jobs(owner: Any, rows: Iterable[tuple[int, int, str, str]]) -> list[int]:
    """Current jobs: (person id, organization id, title, department) rows."""
    return insert_rows(
        Employment,
        ["owner_id", "person_id", "organization_id", "title", "department", "is_current"],
        [(owner.pk, *row, True) for row in rows],
    )


def end_jobs(owner: Any, job_ids: Sequence[int], today: date) -> list[tuple[int, Any, Any]]:
    """End these current jobs today (or on their start, for a job dated in the future).

    Returns (id, start date, end date before) of each job ended.
    """
    if not job_ids:
        return []
    jobs = Employment.objects.filter(owner=owner, pk__in=job_ids)
    before = list(jobs.values_list("pk", "start_date", "end_date"))
    ended_on = Case(When(start_date__gt=today, then=F("start_date")), default=Value(today))
    jobs.update(is_current=False, end_date=ended_on)
    return before


def insert_ties_to_me(owner: Any, rows: Iterable[tuple[int, Any, str]]) -> list[int]:
    """Acquaintance ties between you and people: (person id, since, note) rows."""
    return insert_rows(
        Tie,
        ["owner_id", "to_person_id", "kind", "strength", "since", "note"],
        [(owner.pk, pk, TieKind.ACQUAINTANCE.value, 2, since, note) for pk, since, note in rows],
    )


def insert_my_ties(owner: Any, rows: Iterable[tuple[int, str, int, Any, str]]) -> list[int]:
    """Ties between you and people, as an export described them.

    (person id, kind, strength 1–5, since, note) rows; the kind is a :class:`TieKind`.
    """
    return insert_rows(
        Tie,
        ["owner_id", "to_person_id", "kind", "strength", "since", "note"],
        [
            (owner.pk, pk, kind, min(5, max(1, strength)), since, note)
            for pk, kind, strength, since, note in rows
        ],
    )


def insert_affiliations(owner: Any, rows: Sequence[tuple[str, str]]) -> list[int]:
    """New groups: (name, kind) rows; their ids in the same order."""
    return insert_rows(
        Affiliation,
        ["owner_id", "name", "kind", "notes"],
        [(owner.pk, name[:200], kind, "") for name, kind in rows],
    )


def insert_group_memberships(
    owner: Any, rows: Iterable[tuple[int, int, str, int | None, int | None, int | None]]
) -> list[int]:
    """Memberships of any groups: (person id, group id, detail, class year, start year,
    end year) rows."""
    return insert_rows(
        Membership,
        ["owner_id", "person_id", "affiliation_id", "detail", "class_year"]
        + ["start_year", "end_year"],
        [(owner.pk, *row) for row in rows],
    )


def insert_memberships(
    owner: Any, affiliation_id: int, rows: Iterable[tuple[int, str, int | None]]
) -> list[int]:
    """Members of one group: (person id, detail, class year) rows."""
    return insert_rows(
        Membership,
        ["owner_id", "person_id", "affiliation_id", "detail", "class_year"],
        [(owner.pk, pk, affiliation_id, detail, year) for pk, detail, year in rows],
    )


def ensure_tags(owner: Any, names: Iterable[str]) -> tuple[dict[str, int], list[int]]:
    """({name: tag id} for these names, ids of the tags created)."""
    wanted = sorted(set(names))
    existing = dict(Tag.objects.filter(owner=owner, name__in=wanted).values_list("name", "pk"))
    created = Tag.objects.bulk_create(
        Tag(owner=owner, name=name) for name in wanted if name not in existing
    )
    existing.update((tag.name, tag.pk) for tag in created)
    return existing, [tag.pk for tag in created]


def insert_person_tags(rows: Iterable[tuple[int, int]]) -> list[int]:
    """(person id, tag id) rows."""
    return insert_rows(Person.tags.through, ["person_id", "tag_id"], rows)


def set_last_contacted(owner: Any, days: dict[int, date]) -> dict[int, date | None]:
    """Move "last contacted" forward to these days; {id: date before} of those changed."""
    people = Person.objects.filter(owner=owner, pk__in=list(days)).only("pk", "last_contacted_on")
    changed: dict[int, date | None] = {}
    updated = []
    for person in people:
        day = days[person.pk]
        if person.last_contacted_on is None or person.last_contacted_on < day:
            changed[person.pk] = person.last_contacted_on
            person.last_contacted_on = day
            updated.append(person)
    Person.objects.bulk_update(updated, ["last_contacted_on"], batch_size=BULK_SIZE)
    return changed


def fill_people(owner: Any, values: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Set fields of people (empty ones the import fills); {id: values before}."""
    if not values:
        return {}
    people = Person.objects.filter(owner=owner).in_bulk(list(values))
    before: dict[int, dict[str, Any]] = {}
    fields: set[str] = set()
    for pk, person in people.items():
        before[pk] = {name: getattr(person, name) for name in values[pk]}
        for name, value in values[pk].items():
            setattr(person, name, value)
            fields.add(name)
    Person.objects.bulk_update(people.values(), sorted(fields), batch_size=BULK_SIZE)
    return before
