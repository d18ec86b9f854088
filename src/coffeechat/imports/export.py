"""The user's people as records, for the CSV and vCard exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from django.db.models import Prefetch

from coffeechat.core.scoping import owned
from coffeechat.imports.records import PersonRecord
from coffeechat.network.models import Employment, Membership, Person, Tie

EXPORT_FORMATS = {"csv": ("text/csv", "csv"), "vcard": ("text/vcard", "vcf")}


def people_records(owner: Any, *, chunk_size: int = 2000) -> Iterator[PersonRecord]:
    """Every person of ``owner``'s, in a constant number of queries per chunk."""
    people = (
        owned(Person, owner)
        .order_by("pk")
        .prefetch_related(
            "email_addresses",
            "phone_numbers",
            "tags",
            Prefetch(
                "employments",
                queryset=Employment.objects.filter(is_current=True).select_related("organization"),
                to_attr="current_jobs",
            ),
            Prefetch(
                "ties_in",
                queryset=Tie.objects.filter(from_person__isnull=True).order_by("since"),
                to_attr="my_ties",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("affiliation").order_by("pk"),
                to_attr="all_memberships",
            ),
        )
    )
    for line, person in enumerate(people.iterator(chunk_size=chunk_size), start=2):
        jobs: list[Employment] = person.current_jobs  # type: ignore[assignment]
        ties: list[Tie] = person.my_ties  # type: ignore[assignment]
        memberships: list[Membership] = person.all_memberships  # type: ignore[assignment]
        job = jobs[0] if jobs else None
        since = next((t.since for t in ties if t.since), None)
        membership = memberships[0] if memberships else None
        yield PersonRecord(
            line=line,
            first_name=person.first_name,
            last_name=person.last_name,
            emails=[e.email for e in person.email_addresses.all()],
            phones=[p.number for p in person.phone_numbers.all()],
            linkedin_url=person.linkedin_url,
            organization=job.organization.name if job else "",
            department=job.department if job else "",
            title=job.title if job else "",
            location=person.location,
            notes=person.notes,
            tags=[t.name for t in person.tags.all()],
            connected_on=since,
            affiliation_detail=membership.detail if membership else "",
            class_year=membership.class_year if membership else None,
        )


def export_people(owner: Any, fmt: str, out: TextIO) -> None:
    from coffeechat.imports.writers import write_csv, write_vcards

    writer = write_csv if fmt == "csv" else write_vcards
    writer(people_records(owner), out)
