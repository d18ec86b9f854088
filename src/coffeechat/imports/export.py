"""The user's people as records, for the CSV and vCard exports."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from django.db.models import Prefetch
from django.utils.crypto import constant_time_compare, salted_hmac

from coffeechat.core.console import Echo
from coffeechat.core.scoping import owned
from coffeechat.imports.records import Connection, GroupRecord, PersonRecord
from coffeechat.network.models import Employment, Membership, Person, Tie

EXPORT_FORMATS = {"csv": ("text/csv", "csv"), "vcard": ("text/vcard", "vcf")}

_UID = re.compile(r"^(?:urn:)?coffeechat:person:(\d{1,18}):([0-9a-f]{20})$")


def _signature(owner_id: int, person_id: int) -> str:
    return salted_hmac(
        "coffeechat.imports.export", f"{owner_id}:{person_id}", algorithm="sha256"
    ).hexdigest()[:20]


def person_uid(owner_id: int, person_id: int) -> str:
    """The id an export gives a person, so that importing the export again finds them.

    It is signed for this account on this server: an export imported by someone
    else, or into another Coffeechat, is matched by e-mail, profile and phone only,
    and an edited id is ignored.
    """
    return f"urn:coffeechat:person:{person_id}:{_signature(owner_id, person_id)}"


def person_from_uid(owner_id: int, uid: str) -> int | None:
    """The person ``uid`` names, if this account's export wrote it; None otherwise."""
    found = _UID.match(uid.strip())
    if found is None:
        return None
    person_id = int(found.group(1))
    if not constant_time_compare(found.group(2), _signature(owner_id, person_id)):
        return None
    return person_id


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
                queryset=Tie.objects.filter(from_person__isnull=True).order_by("-strength", "pk"),
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
        tie = ties[0] if ties else None
        membership = memberships[0] if memberships else None
        emails = list(person.email_addresses.all())
        phones = list(person.phone_numbers.all())
        yield PersonRecord(
            line=line,
            first_name=person.first_name,
            last_name=person.last_name,
            emails=[e.email for e in emails],
            phones=[p.number for p in phones],
            email_kinds={e.email: e.kind for e in emails if e.kind},
            phone_kinds={p.number: p.kind for p in phones if p.kind},
            linkedin_url=person.linkedin_url,
            organization=job.organization.name if job else "",
            department=job.department if job else "",
            title=job.title if job else "",
            location=person.location,
            notes=person.notes,
            tags=[t.name for t in person.tags.all()],
            connected_on=tie.since if tie else None,
            affiliation_detail=membership.detail if membership else "",
            class_year=membership.class_year if membership else None,
            uid=person_uid(person.owner_id, person.pk),
            connection=(Connection(tie.kind, tie.strength, tie.note) if tie else Connection("")),
            groups=[
                GroupRecord(
                    name=m.affiliation.name,
                    kind=m.affiliation.kind,
                    detail=m.detail,
                    class_year=m.class_year,
                    start_year=m.start_year,
                    end_year=m.end_year,
                )
                for m in memberships
            ],
        )


def export_people(
    owner: Any,
    fmt: str,
    out: TextIO,
    echo: Echo | None = None,
    *,
    vcard_version: str = "4.0",
) -> None:
    """Write the owner's people; ``echo(phase, done, total)`` hears of every hundred.

    ``vcard_version`` ("4.0" or "3.0") is the version of the cards of a vCard export.
    """
    from coffeechat.imports.writers import write_csv, write_vcards

    records = people_records(owner)
    if echo is not None:
        records = _counted(records, owned(Person, owner).count(), echo)
    if fmt == "csv":
        write_csv(records, out)
    else:
        write_vcards(records, out, vcard_version)


def _counted[T](items: Iterable[T], total: int, echo: Echo) -> Iterator[T]:
    done = 0
    echo("Exporting people", done, total)
    for item in items:
        yield item
        done += 1
        if done % 100 == 0 or done == total:
            echo("Exporting people", done, total)
