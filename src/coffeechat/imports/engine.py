"""Matching parsed records against the user's network, and writing the result in one piece.

:class:`Planner` streams a parsed file and decides, record by record, who is
new, who is already there and what would change. It works in chunks of
``CHUNK_ROWS`` people: at the end of each chunk the planned people are handed to
a writer (an import) or given provisional ids (a preview), folded into the
network index so later rows of the file still match them, and dropped. Memory
therefore grows only with the compact lookup keys of the network, never with the
file's rows.

:func:`import_file` runs the planner with the writer inside one transaction (the
import lands whole or not at all), with bulk inserts, and records what it
created and changed on the batch so that :mod:`coffeechat.imports.undo` can take
it back.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from coffeechat.accounts.services import get_profile
from coffeechat.core.collector import fewer_collections
from coffeechat.imports.export import person_from_uid
from coffeechat.imports.levels import level_for_title
from coffeechat.imports.models import ImportBatch, ImportChange
from coffeechat.imports.records import (
    Format,
    MessageRecord,
    ParsedFile,
    PersonRecord,
    Problem,
)
from coffeechat.network import writers
from coffeechat.network.addresses import MAX_LINKEDIN_URL, clean_email, clean_linkedin_url
from coffeechat.network.models import (  # read here; written through network.writers
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
    Tie,
)
from coffeechat.network.names import clean_name, split_name
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
# People planned before they are written (or, in a preview, counted) and dropped.
CHUNK_ROWS = 5000

Progress = Callable[[str, int], None]

PERSON_LIMITS = {
    "first_name": 150,
    "last_name": 150,
    "location": 200,
}
JOB_LIMITS = {"title": 200, "department": 200}

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
    person_id: int
    record: MessageRecord
    source_key: str


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
def _filled(linkedin_url: bool, location: bool, level: bool) -> ExistingPerson:
    """A shared, read-only stand-in for a person this import created: which fields are set."""
    return ExistingPerson(
        "", "", "x" if linkedin_url else "", "x" if location else "", "x" if level else "", None
    )


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
        writer: Callable[[Planner], None] | None = None,
        chunk_size: int = CHUNK_ROWS,
    ) -> None:
        self.owner = owner
        self.parsed = parsed
        self.affiliation = affiliation
        self.progress = progress
        self.writer = writer  # None: a preview, nothing is written
        self.chunk_size = max(1, chunk_size)
        self.chunk_hooks: list[Callable[[Planner], None]] = []
        self.index = NetworkIndex(owner)
        # The current chunk only: emptied after every flush.
        self.people: list[PlannedPerson] = []
        self.messages: list[PlannedMessage] = []
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.skipped = 0
        self.unmatched_messages = 0
        self.known_messages = 0
        self.rows = 0
        # Keys of people planned in this chunk, so a repeated row updates the first.
        self._planned_by_key: dict[str, PlannedPerson] = {}
        # The same keys for the rows of earlier chunks, kept as ids once those are flushed,
        # and the hashed name keys of the people it created (0: several share the name).
        self._file_keys: dict[str, int] = {}
        self._file_names: dict[int, int] = {}
        self._planned_existing: dict[int, PlannedPerson] = {}
        self._org_keys: dict[str, str] = {}
        self._known_source_keys: set[str] | None = None
        # Messages whose person was not known yet when they were read.
        self._deferred_messages: list[MessageRecord] = []
        self.today = timezone.localdate()
        # What the whole file does, kept as counts and ids (never as planned rows).
        self.batch_ids: set[int] = set()  # people this file creates (provisional ids < 0)
        self._matched: set[int] = set()
        self._changed: set[int] = set()
        self._job_set: set[int] = set()  # people whose job this file already set
        self._new_count = 0
        self._new_orgs = 0
        self._message_count = 0
        self._samples: dict[str, list[dict[str, Any]]] = {"new": [], "changed": []}
        self._next_provisional = -1

    # -- reading ---------------------------------------------------------------------------

    def run(self) -> Planner:
        for record in self.parsed.records:
            self.rows += 1
            if isinstance(record, Problem):
                self._problem(record)
            elif isinstance(record, PersonRecord):
                self._plan_person(record)
                if len(self.people) >= self.chunk_size:
                    self.flush()
            else:
                # Messages name people of the file (LinkedIn archives list connections
                # first): settle the people read so far before matching messages.
                if self.people:
                    self.flush()
                self._plan_message(record)
                if len(self.messages) >= self.chunk_size:
                    self.flush()
            if self.progress is not None and self.rows % 500 == 0:
                self.progress(self.phase, self.rows)
        self.flush()
        for message in self._deferred_messages:
            self._plan_message(message, last_try=True)
        self._deferred_messages.clear()
        self.flush()
        if self.progress is not None:
            self.progress(self.phase, self.rows)
        return self

    @property
    def phase(self) -> str:
        return "Reading and matching rows" if self.writer is None else "Importing rows"

    def flush(self) -> None:
        """Write (or, in a preview, count) the chunk, fold it into the index, drop it."""
        if not self.people and not self.messages:
            return
        index = self.index
        new_keys = {p.job.organization_key for p in self.people if p.job} - index.org_by_key.keys()
        self._new_orgs += len(new_keys)
        if self.writer is not None:
            self.writer(self)  # sets the ids of new people and organizations
        else:
            for key in new_keys:
                index.org_by_key[key] = self._provisional_id()
            for planned in self.people:
                if planned.is_new:
                    planned.person_id = self._provisional_id()
        self._message_count += len(self.messages)
        for hook in self.chunk_hooks:
            hook(self)
        for planned in self.people:
            self._absorb(planned)
        for key, planned in self._planned_by_key.items():
            assert planned.person_id is not None
            self._file_keys.setdefault(key, planned.person_id)
        self.people.clear()
        self.messages.clear()
        self._planned_by_key.clear()
        self._planned_existing.clear()

    def _provisional_id(self) -> int:
        self._next_provisional -= 1
        return self._next_provisional + 1

    def _absorb(self, planned: PlannedPerson) -> None:
        """Record what a flushed person now is, so later rows match and extend them."""
        index = self.index
        pk = planned.person_id
        assert pk is not None
        if planned.is_new:
            self.batch_ids.add(pk)
            self._new_count += 1
            if len(self._samples["new"]) < MAX_SAMPLES:
                self._samples["new"].append(
                    {
                        "line": planned.line,
                        "name": planned.full_name,
                        "organization": planned.job.organization_name if planned.job else "",
                        "title": planned.job.title if planned.job else "",
                    }
                )
            # Later rows only need to know which fields are filled: a shared stand-in.
            index.people[pk] = _filled(
                bool(planned.linkedin_url), bool(planned.location), bool(planned.level)
            )
            name = hash(name_key(planned.first_name, planned.last_name))
            self._file_names[name] = 0 if name in self._file_names else pk  # 0: several
        else:
            if pk not in self.batch_ids:
                self._matched.add(pk)
                if planned.changed and pk not in self._changed:
                    self._changed.add(pk)
                    if len(self._samples["changed"]) < MAX_SAMPLES:
                        self._samples["changed"].append(
                            {
                                "line": planned.line,
                                "name": planned.full_name,
                                "person_id": pk,
                                "why": planned.match_reason,
                                "changes": planned.changes,
                            }
                        )
            existing = index.people[pk]
            if pk in self.batch_ids:
                index.people[pk] = _filled(
                    *(bool(getattr(existing, f)) or f in planned.fill for f in FILLABLE)
                )
            else:
                for field_name, value in planned.fill.items():
                    setattr(existing, field_name, value)
        # (Their keys go to _file_keys, not to the index: people who were there before
        # the file keep precedence, exactly as within one chunk.) Empty sets are not
        # stored: the index grows only with what the file adds.
        if planned.new_emails:
            index.emails[pk].update(email_key(email) for email in planned.new_emails)
        for number in planned.new_phones:
            index.phones[pk].add(phone_key(number, index.region) or number)
        if planned.new_tags:
            index.tags[pk].update(planned.new_tags)
        if planned.job is not None:
            self._job_set.add(pk)  # later rows never change it: no need to index the job
        if planned.tie:
            index.me_ties.add(pk)
        if planned.membership is not None and self.affiliation is not None:
            index.memberships.add((pk, self.affiliation.pk or 0))

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
        first, last = clean_name(record.first_name, record.last_name)
        first = self._clip(line, "first_name", first, PERSON_LIMITS["first_name"])
        last = self._clip(line, "last_name", last, PERSON_LIMITS["last_name"])
        if not first and last:
            first, last = last, ""
        if not first:
            self._problem(Problem(line, "name", "no first or last name; the row was skipped"))
            return

        emails = self._valid_emails(line, record.emails)
        phones = [p.strip()[:40] for p in record.phones if p.strip()]
        phone_keys = [phone_key(p, self.index.region) for p in phones]
        url = clean_linkedin_url(record.linkedin_url)
        if url is None or len(url) > MAX_LINKEDIN_URL:
            self._problem(
                Problem(
                    line,
                    "linkedin_url",
                    f"{record.linkedin_url.strip()[:60]!r} is not a LinkedIn profile address",
                    False,
                )
            )
            url = ""
        li_key = linkedin_key(url)

        # Who is this? An exact key decides; the first key that matches wins.
        person_id, reason = self._match(li_key, emails, phone_keys)
        if person_id is None and record.uid:
            person_id = person_from_uid(self.owner.pk, record.uid)
            if person_id is not None and person_id in self.index.people:
                reason = "the same person in your Coffeechat export"
            else:
                person_id = None
        keys = [f"li:{li_key}"] if li_key else []
        keys += [f"e:{email_key(e)}" for e in emails]
        keys += [f"p:{k}" for k in phone_keys if k]
        planned = None
        if person_id is None:
            # A repeat within the file: the earliest row with the first key that matches.
            # Rows of earlier chunks are earlier than any row of this one.
            for key in keys:
                if key in self._file_keys:
                    person_id = self._file_keys[key]
                    break
                if key in self._planned_by_key:
                    planned = self._planned_by_key[key]
                    break
            if person_id is None and planned is None:
                person_id, reason = self._match_by_name(first, last, li_key, record)
        if person_id is not None:
            planned = self._planned_existing.get(person_id)
        if planned is None:
            planned = PlannedPerson(line=line, first_name=first, last_name=last)
            planned.person_id = person_id
            planned.is_new = person_id is None
            planned.match_reason = reason
            if person_id is not None:
                self._planned_existing[person_id] = planned
            self.people.append(planned)
        for key in keys:
            self._planned_by_key.setdefault(key, planned)
        # A repeat of a row planned earlier in this chunk is whoever that row is.
        person_id = planned.person_id

        existing = self.index.people.get(person_id) if person_id is not None else None
        self._plan_contact_details(planned, person_id, emails, phones, phone_keys)
        self._plan_fields(planned, existing, record, url, line)
        self._plan_job(planned, person_id, record, line)
        self._plan_tags(planned, person_id, record.tags)
        self._plan_links(planned, person_id, record)

    def _valid_emails(self, line: int, values: Iterable[str]) -> list[str]:
        emails: list[str] = []
        for value in values:
            if not value.strip():
                continue
            email = clean_email(value)
            if email is None:
                self._problem(
                    Problem(
                        line, "email", f"{value.strip()[:60]!r} is not an e-mail address", False
                    )
                )
                continue
            if email_key(email) not in {email_key(e) for e in emails}:
                emails.append(email)
        return emails

    def _match(
        self, li_key: str, emails: list[str], phone_keys: list[str]
    ) -> tuple[int | None, str]:
        """The person an exact key points at among those in the network before this file."""
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

    def _match_by_name(
        self, first: str, last: str, li_key: str, record: PersonRecord
    ) -> tuple[int | None, str]:
        """The one person already here whom a row without a known key can only be.

        A directory lists names, an address book often only names and a company, so a
        re-import would otherwise add everyone again. A row is that person when exactly
        one person of the network has the same name *and* came the same way: a member
        of the group this file is imported into, or, without a group, someone tied to
        you whose current organization (if both have one) is the row's. Anyone less
        certain stays new and is shown as a possible duplicate instead.
        """
        candidates = self.index.by_name.get(name_key(first, last))
        if not candidates:
            return None, ""
        index = self.index
        group = self.affiliation
        if group is not None:
            if group.pk is None:
                return None, ""  # a new group has no members yet
            within = [pk for pk in candidates if (pk, group.pk) in index.memberships]
            reason = f"the same name in {group.name}"
        else:
            org = self._org_key(record.organization) if record.organization else ""
            within = [
                pk
                for pk in candidates
                if pk in index.me_ties
                and (
                    not org
                    or not index.current_jobs.get(pk)
                    or any(job[1] == org for job in index.current_jobs[pk])
                )
            ]
            reason = "the same name" + (f" at {record.organization}" if org else "")
        if len(within) != 1:
            return None, ""
        person_id = within[0]
        if li_key and linkedin_key(index.people[person_id].linkedin_url):
            return None, ""  # two different profiles: two people
        if person_id in self._planned_existing or person_id in self._matched:
            return None, ""  # already taken by another row of this file
        return person_id, reason

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
        if person_id in self._job_set:
            return  # an earlier row of this file already set the job: the first one wins
        current = self.index.current_jobs.get(person_id, [])
        for _pk, org_key, old_title, _department in current:
            if org_key == key and (
                not title or " ".join(old_title.split()).lower() == title.lower()
            ):
                return  # the same job: nothing to do
        if planned.job is not None:
            return
        planned.job = job
        planned.end_jobs = [pk for pk, *_ in current if pk]
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
            known = person_id is not None and (person_id, group.pk or 0) in self.index.memberships
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

    def _plan_message(self, record: MessageRecord, *, last_try: bool = False) -> None:
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
        li_key = linkedin_key(record.other_linkedin_url)
        person_id = None
        if li_key:
            person_id = self._file_keys.get(f"li:{li_key}", self.index.by_linkedin.get(li_key))
        if person_id is None:
            other = split_name(record.other_name)
            nkey = name_key(other.first, other.last)
            same_name = list(self.index.by_name.get(nkey, []))
            in_file = self._file_names.get(hash(nkey))
            if in_file is not None:
                same_name += [in_file, in_file] if in_file == 0 else [in_file]
            if len(same_name) == 1:
                person_id = same_name[0]
        if person_id is None and not last_try:
            # The person may come later in the file: try again at the end.
            self._deferred_messages.append(record)
            return
        self._known_source_keys.add(key)
        if person_id is None:
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
        self.messages.append(PlannedMessage(record.line, person_id, record, key))

    # -- summary ---------------------------------------------------------------------------

    def summary(self) -> dict[str, int]:
        matched = len(self._matched)
        changed = len(self._changed)
        return {
            "rows": self.rows,
            "new": self._new_count,
            "matched": matched,
            "changed": changed,
            "unchanged": matched - changed,
            "new_organizations": self._new_orgs,
            "messages": self._message_count,
            "messages_known": self.known_messages,
            "messages_unmatched": self.unmatched_messages,
            "problems": self.problem_count,
            "skipped": self.skipped,
        }

    def samples(self) -> dict[str, list[dict[str, Any]]]:
        return {name: list(rows) for name, rows in self._samples.items()}


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


def import_file(
    batch: ImportBatch,
    parsed: ParsedFile,
    *,
    affiliation: Affiliation | None = None,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_ROWS,
) -> Planner:
    """Plan and write ``parsed`` chunk by chunk inside one transaction.

    Everything lands or nothing does: an error anywhere rolls back every chunk
    already written. Returns the planner, whose summary tells what was done.
    """
    with fewer_collections(), transaction.atomic():
        writer = _ChunkWriter(batch, _source_for(parsed, affiliation))
        if affiliation is not None and affiliation.pk is None:
            affiliation.owner = batch.owner
            affiliation.save()
            writer.created["network.Affiliation"].append(affiliation.pk)
            batch.affiliation = affiliation
        plan = Planner(
            batch.owner,
            parsed,
            affiliation=affiliation,
            progress=progress,
            writer=writer,
            chunk_size=chunk_size,
        )
        plan.run()
        writer.finish()
    return plan


class _ChunkWriter:
    """Writes one chunk of a plan with bulk inserts; remembers what it created."""

    def __init__(self, batch: ImportBatch, source: str) -> None:
        self.batch = batch
        self.owner = batch.owner
        self.source = source
        self.created: dict[str, list[int]] = defaultdict(list)
        # Last-contacted dates change once per person per import, whatever the chunk.
        self.contacted: dict[int, tuple[str | None, str]] = {}

    def __call__(self, plan: Planner) -> None:
        owner = self.owner
        created = self.created
        index = plan.index
        people = plan.people

        new_orgs: dict[str, str] = {}
        for planned in people:
            job = planned.job
            if job and job.organization_key not in index.org_by_key:
                new_orgs.setdefault(job.organization_key, job.organization_name)
        ids = writers.insert_organizations(owner, new_orgs)
        index.org_by_key.update(zip(new_orgs, ids, strict=True))
        created["network.Organization"] += ids

        new_people = [p for p in people if p.is_new]
        ids = writers.insert_people(
            owner,
            [
                (p.first_name, p.last_name, p.linkedin_url, p.location, p.level, p.notes)
                for p in new_people
            ],
            self.source,
        )
        for planned, pk in zip(new_people, ids, strict=True):
            planned.person_id = pk
        created["network.Person"] += ids

        known_emails = index.emails
        created["network.EmailAddress"] += writers.insert_emails(
            owner,
            [
                (p.person_id, email, len(known_emails.get(p.person_id, ())) + i)
                for p in people
                if p.person_id is not None
                for i, email in enumerate(p.new_emails)
            ],
        )
        known_phones = index.phones
        created["network.PhoneNumber"] += writers.insert_phones(
            owner,
            [
                (p.person_id, number, len(known_phones.get(p.person_id, ())) + i)
                for p in people
                if p.person_id is not None
                for i, number in enumerate(p.new_phones)
            ],
        )
        _write_tags(owner, people, created)

        changes = self._end_jobs(plan)
        created["network.Employment"] += writers.insert_jobs(
            owner,
            [
                (
                    p.person_id,
                    index.org_by_key[p.job.organization_key],
                    p.job.title,
                    p.job.department,
                )
                for p in people
                if p.job is not None and p.person_id is not None
            ],
        )

        tie_note = TIE_NOTE_BY_FORMAT.get(plan.parsed.format, "")
        created["network.Tie"] += writers.insert_ties_to_me(
            owner,
            [(p.person_id, p.connected_on, tie_note) for p in people if p.tie and p.person_id],
        )
        affiliation = plan.affiliation
        if affiliation is not None:
            created["network.Membership"] += writers.insert_memberships(
                owner,
                affiliation.pk,
                [
                    (p.person_id, *p.membership)
                    for p in people
                    if p.membership is not None and p.person_id is not None
                ],
            )

        changes += _fill_fields(self.batch, plan)
        self._write_messages(plan)
        ImportChange.objects.bulk_create(changes, batch_size=BULK_SIZE)

    def _end_jobs(self, plan: Planner) -> list[ImportChange]:
        ended: list[int] = [pk for p in plan.people for pk in p.end_jobs]
        today = plan.today
        return [
            ImportChange(
                batch=self.batch,
                model="network.Employment",
                object_id=pk,
                before={"is_current": True, "end_date": _iso(end_date)},
                after={"is_current": False, "end_date": max(today, start or today).isoformat()},
            )
            for pk, start, end_date in writers.end_jobs(self.owner, ended, today)
        ]

    def _write_messages(self, plan: Planner) -> None:
        if not plan.messages:
            return
        rows = []
        last: dict[int, date] = {}
        for message in plan.messages:
            record = message.record
            rows.append(
                Interaction(
                    owner=self.owner,
                    person_id=message.person_id,
                    occurred_at=record.occurred_at,
                    kind=record.kind,
                    direction=record.direction,
                    subject=record.subject[:300],
                    body=record.body,
                    source_key=message.source_key,
                )
            )
            day = record.occurred_at.date()
            if message.person_id not in last or last[message.person_id] < day:
                last[message.person_id] = day
        self.created["network.Interaction"] += [
            i.pk for i in Interaction.objects.bulk_create(rows, batch_size=BULK_SIZE)
        ]
        for pk, old in writers.set_last_contacted(self.owner, last).items():
            before = self.contacted.get(pk, (_iso(old), ""))[0]
            self.contacted[pk] = (before, last[pk].isoformat())

    def finish(self) -> None:
        batch = self.batch
        ImportChange.objects.bulk_create(
            [
                ImportChange(
                    batch=batch,
                    model="network.Person",
                    object_id=pk,
                    before={"last_contacted_on": before},
                    after={"last_contacted_on": after},
                )
                for pk, (before, after) in self.contacted.items()
            ],
            batch_size=BULK_SIZE,
        )
        batch.created_rows = {model: ids for model, ids in self.created.items() if ids}
        batch.save(update_fields=["created_rows", "affiliation", "updated_at"])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _write_tags(owner: Any, people: list[PlannedPerson], created: dict[str, list[int]]) -> None:
    names = {t for p in people for t in p.new_tags}
    if not names:
        return
    tag_ids, new_ids = writers.ensure_tags(owner, names)
    created["network.Tag"] += new_ids
    created["network.Person_tags"] += writers.insert_person_tags(
        (p.person_id, tag_ids[name]) for p in people if p.person_id for name in p.new_tags
    )


def _fill_fields(batch: ImportBatch, plan: Planner) -> list[ImportChange]:
    # People created earlier in this file are taken back whole by undo: no change to record.
    filled = {p.person_id: dict(p.fill) for p in plan.people if p.fill and not p.is_new}
    before = writers.fill_people(batch.owner, {pk: f for pk, f in filled.items() if pk})
    return [
        ImportChange(
            batch=batch,
            model="network.Person",
            object_id=pk,
            before=values,
            after=filled[pk],
        )
        for pk, values in before.items()
        if pk not in plan.batch_ids
    ]


# -- possible duplicates (preview only) --------------------------------------------------------


class DuplicateFinder:
    """A preview's chunk hook: new people who look like someone already in the network.

    Exact matches were merged already; these are the fuzzy ones (a nickname, an
    initial, accents) that the duplicate review will propose after the import.
    ``count`` is how many new people have one; ``shown`` the best pairs to show.
    """

    def __init__(self, owner: Any, *, limit: int = MAX_SAMPLES) -> None:
        self.owner = owner
        self.limit = limit
        self.count = 0
        self.shown: list[dict[str, Any]] = []
        self._existing: list[Any] | None = None

    def __call__(self, plan: Planner) -> None:
        from coffeechat.network.duplicates import Candidate, candidates_for, find_duplicates

        new = [p for p in plan.people if p.is_new]
        if not new:
            return
        if self._existing is None:
            self._existing = candidates_for(self.owner)
        existing = self._existing
        if not existing:
            return
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
                organization_names=(
                    {p.job.organization_key: p.job.organization_name} if p.job else {}
                ),
            )
            for index, p in enumerate(new)
        ]
        matches = find_duplicates(candidates, against=existing)
        names = {c.id: f"{c.first_name} {c.last_name}".strip() for c in existing}
        seen: set[int] = set()
        for match in matches:
            seen.add(match.a)
            planned = new[-match.a - 1]
            self.shown.append(
                {
                    "line": planned.line,
                    "name": planned.full_name,
                    "other_id": match.b,
                    "other_name": names.get(match.b, ""),
                    "score": round(match.score, 2),
                    "reasons": match.reasons,
                }
            )
        self.count += len(seen)
        self.shown.sort(key=lambda pair: (-pair["score"], pair["line"]))
        del self.shown[self.limit :]
