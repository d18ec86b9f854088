"""The user's people as records, for the CSV and vCard exports."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from django.conf import settings
from django.utils.crypto import constant_time_compare

from coffeechat.core.chunks import CHUNK, Ids
from coffeechat.core.console import Echo
from coffeechat.core.scoping import owned
from coffeechat.imports.records import Connection, GroupRecord, PersonRecord
from coffeechat.network.models import (
    EmailAddress,
    Employment,
    Membership,
    Person,
    PhoneNumber,
    Tie,
)

EXPORT_FORMATS = {"csv": ("text/csv", "csv"), "vcard": ("text/vcard", "vcf")}

_UID = re.compile(r"^(?:urn:)?coffeechat:person:(\d{1,18}):([0-9a-f]{20})$")


def _signature(owner_id: int, person_id: int) -> str:
    """Django's ``salted_hmac`` (SHA-256) of the ids, with its derived key computed once
    per secret key: an export signs every person."""
    message = f"{owner_id}:{person_id}".encode()
    return hmac.new(_key(settings.SECRET_KEY), message, hashlib.sha256).hexdigest()[:20]


@functools.cache
def _key(secret: str) -> bytes:
    return hashlib.sha256(f"{_SALT}{secret}".encode()).digest()


_SALT = "coffeechat.imports.export"


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


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows keyed by their first column (a person's id), the rest in the rows' order."""
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for person_id, *rest in rows:
        found[person_id].append(tuple(rest))
    return found


def people_records(owner: Any, *, chunk_size: int = CHUNK) -> Iterator[PersonRecord]:
    """Every person of ``owner``'s, in a constant number of queries per chunk of people.

    Rows are read as plain values, one query per related table and chunk, the chunk's ids
    passed as they are (:class:`~coffeechat.core.chunks.Ids`): building a model object
    per e-mail, job and tag took most of an export's time.
    """
    people = (
        owned(Person, owner)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "linkedin_url", "location", "notes")
    )
    line = 2
    batch: list[tuple[Any, ...]] = []
    for row in people.iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) == chunk_size:
            yield from _records(owner.pk, batch, line)
            line += len(batch)
            batch = []
    if batch:
        yield from _records(owner.pk, batch, line)


def _records(owner_id: int, people: list[tuple[Any, ...]], line: int) -> Iterator[PersonRecord]:
    ids = Ids(row[0] for row in people)
    emails = _grouped(
        EmailAddress.objects.filter(person_id__in=ids)
        .order_by("person_id", "position", "pk")
        .values_list("person_id", "email", "kind")
    )
    phones = _grouped(
        PhoneNumber.objects.filter(person_id__in=ids)
        .order_by("person_id", "position", "pk")
        .values_list("person_id", "number", "kind")
    )
    tags = _grouped(
        Person.tags.through.objects.filter(person_id__in=ids)
        .order_by("tag__name", "tag__pk")
        .values_list("person_id", "tag__name")
    )
    jobs = _grouped(
        Employment.objects.filter(person_id__in=ids, is_current=True)
        .order_by("-start_date", "pk")
        .values_list("person_id", "organization__name", "department", "title")
    )
    ties = _grouped(
        Tie.objects.filter(to_person_id__in=ids, from_person__isnull=True)
        .order_by("-strength", "pk")
        .values_list("to_person_id", "since", "kind", "strength", "note")
    )
    memberships = _grouped(
        Membership.objects.filter(person_id__in=ids)
        .order_by("pk")
        .values_list(
            "person_id",
            "affiliation__name",
            "affiliation__kind",
            "detail",
            "class_year",
            "start_year",
            "end_year",
        )
    )
    for offset, (pk, first_name, last_name, linkedin_url, location, notes) in enumerate(people):
        my_emails = emails.get(pk, [])
        my_phones = phones.get(pk, [])
        job = jobs[pk][0] if pk in jobs else None
        tie = ties[pk][0] if pk in ties else None
        groups = [
            GroupRecord(
                name=name, kind=kind, detail=detail, class_year=year, start_year=start, end_year=end
            )
            for name, kind, detail, year, start, end in memberships.get(pk, [])
        ]
        first_group = groups[0] if groups else None
        yield PersonRecord(
            line=line + offset,
            first_name=first_name,
            last_name=last_name,
            emails=[email for email, _kind in my_emails],
            phones=[number for number, _kind in my_phones],
            email_kinds={email: kind for email, kind in my_emails if kind},
            phone_kinds={number: kind for number, kind in my_phones if kind},
            linkedin_url=linkedin_url,
            organization=job[0] if job else "",
            department=job[1] if job else "",
            title=job[2] if job else "",
            location=location,
            notes=notes,
            tags=[name for (name,) in tags.get(pk, [])],
            connected_on=tie[0] if tie else None,
            affiliation_detail=first_group.detail if first_group else "",
            class_year=first_group.class_year if first_group else None,
            uid=person_uid(owner_id, pk),
            connection=Connection(tie[1], tie[2], tie[3]) if tie else Connection(""),
            groups=groups,
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
