"""Matching parsed records against the user's network, and writing the result in one piece.

The flow is plan → (preview) → write. :class:`Planner` reads a parsed file and
decides, record by record, who is new, who is already there and what would
change; it writes nothing. :func:`write_plan` then writes the whole plan in one
transaction with bulk inserts, and records what it created and changed on the
batch so that :mod:`coffeechat.imports.undo` can take it back.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from coffeechat.accounts.services import get_profile
from coffeechat.imports.bulk import insert_rows
from coffeechat.imports.levels import level_for_title
from coffeechat.imports.models import ImportBatch, ImportChange
from coffeechat.imports.records import (
    Format,
    MessageRecord,
    ParsedFile,
    PersonRecord,
    Problem,
)
from coffeechat.network.models import (
    Affiliation,
    AffiliationKind,
    EmailAddress,
    Employment,
    Interaction,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Source,
    Tag,
    Tie,
    TieKind,
)
from coffeechat.network.normalize import (
    email_key,
    linkedin_key,
    name_key,
    organization_key,
    phone_key,
)

# How many problems a batch keeps to show; the count is always exact.
MAX_PROBLEMS_KEPT = 1000
MAX_SAMPLES = 50
BULK_SIZE = 2000

Progress = Callable[[str, int], None]

PERSON_LIMITS = {
    "first_name": 150,
    "last_name": 150,
    "location": 200,
}
JOB_LIMITS = {"title": 200, "department": 200}
_url_validator = URLValidator()
# A web address simple enough to need no deeper check (most LinkedIn profile URLs).
_PLAIN_URL = re.compile(
    r"https?://(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?\Z"
)

SOURCE_BY_FORMAT = {
    Format.LINKEDIN: Source.LINKEDIN,
    Format.LINKEDIN_ARCHIVE: Source.LINKEDIN,
    Format.LINKEDIN_MESSAGES: Source.LINKEDIN,
    Format.LINKEDIN_INVITATIONS: Source.LINKEDIN,
    Format.GOOGLE: Source.ADDRESS_BOOK,
    Format.OUTLOOK: Source.ADDRESS_BOOK,
    Format.VCARD: Source.ADDRESS_BOOK,
    Format.CSV: Source.DIRECTORY,
    Format.COFFEECHAT: Source.MANUAL,
}
SOURCE_BY_AFFILIATION: dict[str, Source] = {
    AffiliationKind.SCHOOL: Source.ALUMNI_DIRECTORY,
    AffiliationKind.ASSOCIATION: Source.ASSOCIATION_DIRECTORY,
}
TIE_NOTE_BY_FORMAT = {
    Format.LINKEDIN: "LinkedIn connection",
    Format.LINKEDIN_ARCHIVE: "LinkedIn connection",
    Format.GOOGLE: "In your address book",
    Format.OUTLOOK: "In your address book",
    Format.VCARD: "In your address book",
    Format.COFFEECHAT: "Imported from a Coffeechat export",
}


@dataclass(slots=True)
class Job:
    organization_name: str
    organization_key: str
    title: str
    department: str


@dataclass(slots=True)
class PlannedPerson:
    """What the import does for one person (new when ``person_id`` is None)."""

    line: int
    first_name: str
    last_name: str
    person_id: int | None = None  # set for new people once they are written
    is_new: bool = True
    match_reason: str = ""
    linkedin_url: str = ""
    location: str = ""
    notes: str = ""
    level: str = ""
    connected_on: date | None = None
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    new_tags: list[str] = field(default_factory=list)
    job: Job | None = None
    end_jobs: list[int] = field(default_factory=list)
    fill: dict[str, Any] = field(default_factory=dict)  # existing person's empty fields
    tie: bool = False
    membership: tuple[str, int | None] | None = None  # (detail, class year)
    changes: list[str] = field(default_factory=list)  # plain words for the preview

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def changed(self) -> bool:
        return bool(
            self.new_emails
            or self.new_phones
            or self.new_tags
            or self.job
            or self.fill
            or self.tie
            or self.membership
        )


@dataclass(slots=True)
class PlannedMessage:
    line: int
    person: PlannedPerson | None
    person_id: int | None
    record: MessageRecord
    source_key: str


@dataclass(slots=True)
class ExistingPerson:
    first_name: str
    last_name: str
    linkedin_url: str
    location: str
    level: str
    last_contacted_on: date | None


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
        self.region = (get_profile(owner).country or "US").upper()

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
        self.memberships = set(
            Membership.objects.filter(owner=owner).values_list("person_id", "affiliation_id")
        )


class Planner:
    """Turns parsed records into a plan, collecting problems; writes nothing."""

    def __init__(
        self,
        owner: Any,
        parsed: ParsedFile,
        *,
        affiliation: Affiliation | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.owner = owner
        self.parsed = parsed
        self.affiliation = affiliation
        self.progress = progress
        self.index = NetworkIndex(owner)
        self.people: list[PlannedPerson] = []
        self.messages: list[PlannedMessage] = []
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.skipped = 0
        self.unmatched_messages = 0
        self.known_messages = 0
        self.rows = 0
        # Keys of people planned in this file, so a repeated row updates the first.
        self._planned_by_key: dict[str, PlannedPerson] = {}
        self._planned_existing: dict[int, PlannedPerson] = {}
        self._planned_by_name: dict[str, list[PlannedPerson]] = defaultdict(list)
        self._org_keys: dict[str, str] = {}
        self._known_source_keys: set[str] | None = None
        self.today = timezone.localdate()

    # -- reading ---------------------------------------------------------------------------

    def run(self) -> Planner:
        pending_messages: list[MessageRecord] = []
        for record in self.parsed.records:
            self.rows += 1
            if isinstance(record, Problem):
                self._problem(record)
            elif isinstance(record, PersonRecord):
                self._plan_person(record)
            else:
                pending_messages.append(record)
            if self.progress is not None and self.rows % 500 == 0:
                self.progress("Reading and matching rows", self.rows)
        for message in pending_messages:
            self._plan_message(message)
        if self.progress is not None:
            self.progress("Reading and matching rows", self.rows)
        return self

    def _problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if problem.skipped:
            self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    def _clip(self, record_line: int, field_name: str, value: str, limit: int) -> str:
        value = " ".join(value.split())
        if len(value) > limit:
            self._problem(
                Problem(
                    record_line,
                    field_name,
                    f"longer than {limit} characters; the end was cut off",
                    skipped=False,
                )
            )
            value = value[: limit - 1] + "…"
        return value

    def _org_key(self, name: str) -> str:
        key = self._org_keys.get(name)
        if key is None:
            key = organization_key(name)[:200]
            self._org_keys[name] = key
        return key

    def _plan_person(self, record: PersonRecord) -> None:
        for problem in record.problems:
            self._problem(problem)
        line = record.line
        first = self._clip(line, "first_name", record.first_name, PERSON_LIMITS["first_name"])
        last = self._clip(line, "last_name", record.last_name, PERSON_LIMITS["last_name"])
        if not first and last:
            first, last = last, ""
        if not first:
            self._problem(Problem(line, "name", "no first or last name; the row was skipped"))
            return

        emails = self._valid_emails(line, record.emails)
        phones = [p.strip()[:40] for p in record.phones if p.strip()]
        phone_keys = [phone_key(p, self.index.region) for p in phones]
        url = record.linkedin_url.strip()
        if url:
            try:
                if len(url) > 500:
                    raise ValidationError("too long")
                if not _PLAIN_URL.match(url):
                    _url_validator(url)
            except ValidationError:
                self._problem(
                    Problem(line, "linkedin_url", f"{url[:60]!r} is not a web address", False)
                )
                url = ""
        li_key = linkedin_key(url)

        # Who is this? An exact key decides; the first key that matches wins.
        person_id, reason = self._match(li_key, emails, phone_keys)
        keys = [f"li:{li_key}"] if li_key else []
        keys += [f"e:{email_key(e)}" for e in emails]
        keys += [f"p:{k}" for k in phone_keys if k]
        planned = None
        if person_id is not None:
            planned = self._planned_existing.get(person_id)
        else:
            planned = next(
                (self._planned_by_key[k] for k in keys if k in self._planned_by_key), None
            )
        if planned is None:
            planned = PlannedPerson(line=line, first_name=first, last_name=last)
            planned.person_id = person_id
            planned.is_new = person_id is None
            planned.match_reason = reason
            if person_id is None:
                self._planned_by_name[name_key(first, last)].append(planned)
            else:
                self._planned_existing[person_id] = planned
            self.people.append(planned)
        for key in keys:
            self._planned_by_key.setdefault(key, planned)

        existing = self.index.people.get(person_id) if person_id is not None else None
        self._plan_contact_details(planned, person_id, emails, phones, phone_keys)
        self._plan_fields(planned, existing, record, url, line)
        self._plan_job(planned, person_id, record, line)
        self._plan_tags(planned, person_id, record.tags)
        self._plan_links(planned, person_id, record)

    def _valid_emails(self, line: int, values: Iterable[str]) -> list[str]:
        emails: list[str] = []
        for value in values:
            email = value.strip()
            if not email:
                continue
            try:
                if len(email) > 254:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                self._problem(
                    Problem(line, "email", f"{email[:60]!r} is not an e-mail address", False)
                )
                continue
            if email_key(email) not in {email_key(e) for e in emails}:
                emails.append(email)
        return emails

    def _match(
        self, li_key: str, emails: list[str], phone_keys: list[str]
    ) -> tuple[int | None, str]:
        index = self.index
        if li_key and li_key in index.by_linkedin:
            return index.by_linkedin[li_key], "same LinkedIn profile"
        for email in emails:
            pk = index.by_email.get(email_key(email))
            if pk is not None:
                return pk, f"same e-mail address {email}"
        for key in phone_keys:
            pk = index.by_phone.get(key) if key else None
            if pk is not None:
                return pk, "same phone number"
        return None, ""

    def _plan_contact_details(
        self,
        planned: PlannedPerson,
        person_id: int | None,
        emails: list[str],
        phones: list[str],
        phone_keys: list[str],
    ) -> None:
        known_emails = set(self.index.emails.get(person_id, ())) if person_id else set()
        known_emails |= {email_key(e) for e in planned.new_emails}
        for email in emails:
            if email_key(email) not in known_emails:
                known_emails.add(email_key(email))
                planned.new_emails.append(email)
                if person_id:
                    planned.changes.append(f"new e-mail {email}")
        known_phones = set(self.index.phones.get(person_id, ())) if person_id else set()
        known_phones |= {phone_key(p, self.index.region) for p in planned.new_phones}
        for number, key in zip(phones, phone_keys, strict=True):
            if (key or number) not in known_phones:
                known_phones.add(key or number)
                planned.new_phones.append(number)
                if person_id:
                    planned.changes.append(f"new phone {number}")

    def _plan_fields(
        self,
        planned: PlannedPerson,
        existing: ExistingPerson | None,
        record: PersonRecord,
        url: str,
        line: int,
    ) -> None:
        location = self._clip(line, "location", record.location, PERSON_LIMITS["location"])
        level = level_for_title(record.title) if record.title else ""
        if existing is None:
            planned.linkedin_url = planned.linkedin_url or url
            planned.location = planned.location or location
            planned.notes = planned.notes or record.notes.strip()
            planned.level = planned.level or level
            planned.connected_on = planned.connected_on or record.connected_on
            return
        wanted = {"linkedin_url": url, "location": location, "level": level}
        for name, value in wanted.items():
            if value and not getattr(existing, name) and name not in planned.fill:
                planned.fill[name] = value
                label = {"linkedin_url": "LinkedIn profile", "level": "level"}.get(name, name)
                planned.changes.append(f"{label} set to {value}")
        planned.connected_on = planned.connected_on or record.connected_on

    def _plan_job(
        self, planned: PlannedPerson, person_id: int | None, record: PersonRecord, line: int
    ) -> None:
        org_name = " ".join(record.organization.split())
        title = self._clip(line, "title", record.title, JOB_LIMITS["title"])
        department = self._clip(line, "department", record.department, JOB_LIMITS["department"])
        if not org_name:
            return
        if len(org_name) > 200:
            org_name = self._clip(line, "organization", org_name, 200)
        key = self._org_key(org_name)
        if not key:
            return
        job = Job(org_name, key, title, department)
        if person_id is None:
            planned.job = planned.job or job
            return
        current = self.index.current_jobs.get(person_id, [])
        for _pk, org_key, old_title, _department in current:
            if org_key == key and (
                not title or " ".join(old_title.split()).lower() == title.lower()
            ):
                return  # the same job: nothing to do
        if planned.job is not None:
            return
        planned.job = job
        planned.end_jobs = [pk for pk, *_ in current]
        if current:
            planned.changes.append(
                f"new job: {title or 'works'} at {org_name} (the current one ends)"
            )
        else:
            planned.changes.append(f"new job: {title or 'works'} at {org_name}")

    def _plan_tags(self, planned: PlannedPerson, person_id: int | None, tags: list[str]) -> None:
        known = set(self.index.tags.get(person_id, ())) if person_id else set()
        for tag in tags:
            name = " ".join(tag.split())[:60]
            if name and name not in known and name not in planned.new_tags:
                planned.new_tags.append(name)
                if person_id:
                    planned.changes.append(f"tag {name}")

    def _plan_links(
        self, planned: PlannedPerson, person_id: int | None, record: PersonRecord
    ) -> None:
        group = self.affiliation
        if group is not None:
            known = person_id is not None and (person_id, group.pk) in self.index.memberships
            if not known and planned.membership is None:
                year = record.class_year
                if year is not None and not 1900 <= year <= 2200:
                    self._problem(
                        Problem(record.line, "class_year", f"{year} is not a year", False)
                    )
                    year = None
                planned.membership = (record.affiliation_detail.strip()[:200], year)
                if person_id:
                    planned.changes.append(f"member of {group.name}")
            return
        already = person_id is not None and person_id in self.index.me_ties
        fmt = self.parsed.format
        # Our own export carries a tie to me as its "Connected On" date.
        wanted = fmt in TIE_NOTE_BY_FORMAT and (
            fmt != Format.COFFEECHAT or record.connected_on is not None
        )
        if wanted and not already and not planned.tie:
            planned.tie = True
            if person_id:
                planned.changes.append("now in your network as a contact")

    # -- messages --------------------------------------------------------------------------

    def _plan_message(self, record: MessageRecord) -> None:
        key = message_source_key(record)
        if self._known_source_keys is None:
            self._known_source_keys = set(
                Interaction.objects.filter(owner=self.owner)
                .exclude(source_key="")
                .values_list("source_key", flat=True)
            )
        if key in self._known_source_keys:
            self.known_messages += 1
            return
        self._known_source_keys.add(key)
        li_key = linkedin_key(record.other_linkedin_url)
        planned = self._planned_by_key.get(f"li:{li_key}") if li_key else None
        person_id = self.index.by_linkedin.get(li_key) if li_key else None
        if planned is None and person_id is None:
            nkey = name_key(*_split_name(record.other_name))
            in_file = self._planned_by_name.get(nkey, [])
            existing = self.index.by_name.get(nkey, [])
            if len(in_file) + len(existing) == 1:
                planned = in_file[0] if in_file else None
                person_id = existing[0] if existing else None
        if planned is None and person_id is None:
            self.unmatched_messages += 1
            self._problem(
                Problem(
                    record.line,
                    "name",
                    f"{record.other_name or 'someone'} is not in your network (or the name "
                    "matches several people); the message was not added",
                )
            )
            return
        if planned is not None and planned.person_id is not None:
            person_id, planned = planned.person_id, None
        self.messages.append(PlannedMessage(record.line, planned, person_id, record, key))

    # -- summary ---------------------------------------------------------------------------

    def summary(self) -> dict[str, int]:
        new = [p for p in self.people if p.is_new]
        matched = [p for p in self.people if not p.is_new]
        changed = [p for p in matched if p.changed]
        known_orgs = self.index.org_by_key
        new_orgs = {p.job.organization_key for p in self.people if p.job} - set(known_orgs)
        return {
            "rows": self.rows,
            "new": len(new),
            "matched": len(matched),
            "changed": len(changed),
            "unchanged": len(matched) - len(changed),
            "new_organizations": len(new_orgs),
            "messages": len(self.messages),
            "messages_known": self.known_messages,
            "messages_unmatched": self.unmatched_messages,
            "problems": self.problem_count,
            "skipped": self.skipped,
        }

    def samples(self) -> dict[str, list[dict[str, Any]]]:
        new = [p for p in self.people if p.is_new][:MAX_SAMPLES]
        changed = [p for p in self.people if not p.is_new and p.changed][:MAX_SAMPLES]
        return {
            "new": [
                {
                    "line": p.line,
                    "name": p.full_name,
                    "organization": p.job.organization_name if p.job else "",
                    "title": p.job.title if p.job else "",
                }
                for p in new
            ],
            "changed": [
                {
                    "line": p.line,
                    "name": p.full_name,
                    "person_id": p.person_id,
                    "why": p.match_reason,
                    "changes": p.changes,
                }
                for p in changed
            ],
        }


def message_source_key(record: MessageRecord) -> str:
    text = "|".join(
        [
            record.kind,
            record.direction,
            record.occurred_at.isoformat(),
            record.other_name,
            record.subject,
            record.body,
        ]
    )
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _split_name(full: str) -> tuple[str, str]:
    parts = full.split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def problems_as_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [
        {"line": p.line, "field": p.field, "message": p.message, "skipped": p.skipped}
        for p in problems
    ]


# -- writing -----------------------------------------------------------------------------------


def _source_for(parsed: ParsedFile, affiliation: Affiliation | None) -> str:
    if affiliation is not None:
        return str(SOURCE_BY_AFFILIATION.get(affiliation.kind, Source.DIRECTORY))
    return str(SOURCE_BY_FORMAT.get(parsed.format, Source.MANUAL))


def write_plan(
    batch: ImportBatch, plan: Planner, progress: Progress | None = None
) -> dict[str, list[int]]:
    """Write ``plan`` in one transaction; returns the ids of the rows it created, by model."""
    owner = batch.owner
    created: dict[str, list[int]] = defaultdict(list)
    changes: list[ImportChange] = []

    def note(step: str) -> None:
        if progress is not None:
            progress(step, plan.rows)

    with transaction.atomic():
        affiliation = plan.affiliation
        if affiliation is not None and affiliation.pk is None:
            affiliation.owner = owner
            affiliation.save()
            created["network.Affiliation"].append(affiliation.pk)
            batch.affiliation = affiliation
        source = _source_for(plan.parsed, affiliation)

        note("Adding organizations")
        org_ids = dict(plan.index.org_by_key)
        new_orgs: dict[str, str] = {}
        for planned in plan.people:
            job = planned.job
            if job and job.organization_key not in org_ids:
                new_orgs.setdefault(job.organization_key, job.organization_name)
        ids = insert_rows(
            Organization,
            ["owner_id", "name", "name_key"],
            [(owner.pk, name, key) for key, name in new_orgs.items()],
        )
        org_ids.update(zip(new_orgs, ids, strict=True))
        created["network.Organization"] += ids

        note("Adding people")
        new_people = [p for p in plan.people if p.is_new]
        ids = insert_rows(
            Person,
            [
                "owner_id",
                "first_name",
                "last_name",
                "linkedin_url",
                "location",
                "level",
                "notes",
                "source",
            ],
            [
                (
                    owner.pk,
                    p.first_name,
                    p.last_name,
                    p.linkedin_url,
                    p.location,
                    p.level,
                    p.notes,
                    source,
                )
                for p in new_people
            ],
        )
        for planned, pk in zip(new_people, ids, strict=True):
            planned.person_id = pk
        created["network.Person"] += ids

        note("Adding e-mails, phones and tags")
        known_emails = plan.index.emails
        created["network.EmailAddress"] += insert_rows(
            EmailAddress,
            ["owner_id", "person_id", "email", "position"],
            [
                (owner.pk, p.person_id, email, len(known_emails.get(p.person_id or 0, ())) + i)
                for p in plan.people
                for i, email in enumerate(p.new_emails)
            ],
        )
        known_phones = plan.index.phones
        created["network.PhoneNumber"] += insert_rows(
            PhoneNumber,
            ["owner_id", "person_id", "number", "position"],
            [
                (owner.pk, p.person_id, number, len(known_phones.get(p.person_id or 0, ())) + i)
                for p in plan.people
                for i, number in enumerate(p.new_phones)
            ],
        )
        _write_tags(owner, plan.people, created)

        note("Adding jobs")
        today = plan.today
        ended: list[int] = [pk for p in plan.people for pk in p.end_jobs]
        if ended:
            # An old job ends today (or on its start, for a job dated in the future).
            ended_on = Case(When(start_date__gt=today, then=F("start_date")), default=Value(today))
            old_jobs = Employment.objects.filter(owner=owner, pk__in=ended)
            changes += [
                ImportChange(
                    batch=batch,
                    model="network.Employment",
                    object_id=pk,
                    before={"is_current": True, "end_date": _iso(end_date)},
                    after={"is_current": False, "end_date": max(today, start or today).isoformat()},
                )
                for pk, start, end_date in old_jobs.values_list("pk", "start_date", "end_date")
            ]
            old_jobs.update(is_current=False, end_date=ended_on)
        created["network.Employment"] += insert_rows(
            Employment,
            ["owner_id", "person_id", "organization_id", "title", "department", "is_current"],
            [
                (
                    owner.pk,
                    p.person_id,
                    org_ids[p.job.organization_key],
                    p.job.title,
                    p.job.department,
                    True,
                )
                for p in plan.people
                if p.job is not None
            ],
        )

        note("Adding ties and memberships")
        tie_note = TIE_NOTE_BY_FORMAT.get(plan.parsed.format, "")
        created["network.Tie"] += insert_rows(
            Tie,
            ["owner_id", "to_person_id", "kind", "strength", "since", "note"],
            [
                (owner.pk, p.person_id, TieKind.ACQUAINTANCE.value, 2, p.connected_on, tie_note)
                for p in plan.people
                if p.tie
            ],
        )
        if affiliation is not None:
            created["network.Membership"] += insert_rows(
                Membership,
                ["owner_id", "person_id", "affiliation_id", "detail", "class_year"],
                [
                    (owner.pk, p.person_id, affiliation.pk, p.membership[0], p.membership[1])
                    for p in plan.people
                    if p.membership is not None
                ],
            )

        note("Updating people")
        changes += _fill_fields(batch, plan)

        note("Adding messages")
        changes += _write_messages(batch, plan, created)

        ImportChange.objects.bulk_create(changes, batch_size=BULK_SIZE)
        batch.created_rows = {model: ids for model, ids in created.items() if ids}
        batch.save(update_fields=["created_rows", "affiliation", "updated_at"])
    return dict(created)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _write_tags(owner: Any, people: list[PlannedPerson], created: dict[str, list[int]]) -> None:
    names = sorted({t for p in people for t in p.new_tags})
    if not names:
        return
    existing = dict(Tag.objects.filter(owner=owner, name__in=names).values_list("name", "pk"))
    missing = [Tag(owner=owner, name=name) for name in names if name not in existing]
    for tag in Tag.objects.bulk_create(missing):
        existing[tag.name] = tag.pk
        created["network.Tag"].append(tag.pk)
    created["network.Person_tags"] += insert_rows(
        Person.tags.through,
        ["person_id", "tag_id"],
        [(p.person_id, existing[name]) for p in people for name in p.new_tags],
    )


def _fill_fields(batch: ImportBatch, plan: Planner) -> list[ImportChange]:
    changes: list[ImportChange] = []
    filled = [p for p in plan.people if p.fill and not p.is_new]
    if not filled:
        return changes
    people = Person.objects.in_bulk([p.person_id for p in filled])
    fields: set[str] = set()
    for planned in filled:
        person = people[planned.person_id]
        before = {name: getattr(person, name) for name in planned.fill}
        for name, value in planned.fill.items():
            setattr(person, name, value)
            fields.add(name)
        changes.append(
            ImportChange(
                batch=batch,
                model="network.Person",
                object_id=person.pk,
                before=before,
                after=dict(planned.fill),
            )
        )
    Person.objects.bulk_update(people.values(), sorted(fields), batch_size=BULK_SIZE)
    return changes


def _write_messages(
    batch: ImportBatch, plan: Planner, created: dict[str, list[int]]
) -> list[ImportChange]:
    if not plan.messages:
        return []
    rows = []
    last: dict[int, date] = {}
    for message in plan.messages:
        person_id = message.person_id or (message.person.person_id if message.person else None)
        if person_id is None:
            continue
        record = message.record
        rows.append(
            Interaction(
                owner=batch.owner,
                person_id=person_id,
                occurred_at=record.occurred_at,
                kind=record.kind,
                direction=record.direction,
                subject=record.subject[:300],
                body=record.body,
                source_key=message.source_key,
            )
        )
        day = record.occurred_at.date()
        if person_id not in last or last[person_id] < day:
            last[person_id] = day
    created["network.Interaction"] += [
        i.pk for i in Interaction.objects.bulk_create(rows, batch_size=BULK_SIZE)
    ]
    changes = []
    people = Person.objects.filter(owner=batch.owner, pk__in=list(last)).only(
        "pk", "last_contacted_on"
    )
    updated = []
    for person in people:
        day = last[person.pk]
        if person.last_contacted_on is None or person.last_contacted_on < day:
            changes.append(
                ImportChange(
                    batch=batch,
                    model="network.Person",
                    object_id=person.pk,
                    before={"last_contacted_on": _iso(person.last_contacted_on)},
                    after={"last_contacted_on": day.isoformat()},
                )
            )
            person.last_contacted_on = day
            updated.append(person)
    Person.objects.bulk_update(updated, ["last_contacted_on"], batch_size=BULK_SIZE)
    return changes


# -- possible duplicates (preview only) --------------------------------------------------------


def possible_duplicates(
    plan: Planner, *, limit: int = MAX_SAMPLES
) -> tuple[int, list[dict[str, Any]]]:
    """New people of the plan who look like someone already in the network.

    Exact matches were merged already; these are the fuzzy ones (a nickname, an
    initial, accents) that the duplicate review will propose after the import.
    Returns how many new people have one, and the best pairs to show.
    """
    from coffeechat.network.duplicates import Candidate, candidates_for, find_duplicates

    new = [p for p in plan.people if p.is_new]
    if not new:
        return 0, []
    region = plan.index.region
    candidates = [
        Candidate(
            id=-(index + 1),
            first_name=p.first_name,
            last_name=p.last_name,
            emails=frozenset(email_key(e) for e in p.new_emails),
            phones=frozenset(k for k in (phone_key(n, region) for n in p.new_phones) if k),
            linkedin=linkedin_key(p.linkedin_url),
            organizations=frozenset([p.job.organization_key]) if p.job else frozenset(),
            organization_names={p.job.organization_key: p.job.organization_name} if p.job else {},
        )
        for index, p in enumerate(new)
    ]
    existing = candidates_for(plan.owner)
    if not existing:
        return 0, []
    matches = find_duplicates(candidates, against=existing)
    names = {c.id: f"{c.first_name} {c.last_name}".strip() for c in existing}
    seen: set[int] = set()
    shown: list[dict[str, Any]] = []
    for match in matches:
        seen.add(match.a)
        if len(shown) < limit:
            planned = new[-match.a - 1]
            shown.append(
                {
                    "line": planned.line,
                    "name": planned.full_name,
                    "other_id": match.b,
                    "other_name": names.get(match.b, ""),
                    "score": round(match.score, 2),
                    "reasons": match.reasons,
                }
            )
    return len(seen), shown
