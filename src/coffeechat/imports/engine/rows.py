"""Planning one person row: who it is (an exact key, a repeat, a name) and what changes."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from coffeechat.imports.engine.index import ExistingPerson, NetworkIndex, group_key
from coffeechat.imports.engine.plans import (
    JOB_LIMITS,
    MAX_PROBLEMS_KEPT,
    PERSON_LIMITS,
    Job,
    PlannedPerson,
)
from coffeechat.imports.export import person_from_uid
from coffeechat.imports.formats import TIE_NOTES
from coffeechat.imports.levels import level_for_title
from coffeechat.imports.parsers.ours import DEFAULT_GROUP_KIND
from coffeechat.imports.prints import problems_text
from coffeechat.imports.records import Format, ParsedFile, PersonRecord, Problem
from coffeechat.network.addresses import MAX_LINKEDIN_URL, clean_email, clean_linkedin_url
from coffeechat.network.models import Affiliation
from coffeechat.network.names import clean_name
from coffeechat.network.normalize import (
    email_key,
    linkedin_key,
    name_key,
    organization_key,
    phone_key,
)

_KEY_REASONS = {"li": "same LinkedIn profile", "e": "same e-mail address", "p": "same phone number"}


class RowPlanner:
    """The :class:`~coffeechat.imports.engine.planner.Planner`'s work on one person row.

    Matches the row to someone already in the network (or earlier in the file) and
    plans the new contact details, fields, job, tags and links; writes nothing. The
    state it reads and extends is the planner's, set up in ``Planner.__init__``.
    """

    owner: Any
    parsed: ParsedFile
    affiliation: Affiliation | None
    people: list[PlannedPerson]
    problems: list[Problem]
    problem_count: int
    skipped: int
    _planned_by_key: dict[str, PlannedPerson]
    _file_keys: dict[str, int]
    _planned_existing: dict[int, PlannedPerson]
    _org_keys: dict[str, str]
    _matched: set[int]
    _job_set: set[int]
    _first_lines: dict[int, int]  # people of this file: the line that made them
    _new_groups: dict[str, tuple[str, str]]  # groups to make: key → (name, kind)
    merged: int
    _row_problems: list[Problem]  # those of the row being planned

    @cached_property
    def index(self) -> NetworkIndex:
        """The network, loaded for the first row that needs matching (a re-import of an
        unchanged file needs none)."""
        return NetworkIndex(self.owner)

    def _problem(self, problem: Problem) -> None:
        self._row_problems.append(problem)
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
        self._row_problems = []
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
        by_key = person_id is not None
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
        repeat = ""  # why this row is a person an earlier row of the file already is
        if person_id is None:
            # A repeat within the file: the earliest row with the first key that matches.
            # Rows of earlier chunks are earlier than any row of this one.
            for key in keys:
                if key in self._file_keys:
                    person_id = self._file_keys[key]
                    repeat = _KEY_REASONS[key.split(":", 1)[0]]
                    break
                if key in self._planned_by_key:
                    planned = self._planned_by_key[key]
                    repeat = _KEY_REASONS[key.split(":", 1)[0]]
                    break
            if person_id is None and planned is None:
                person_id, reason = self._match_by_name(first, last, li_key, record)
        elif person_id in self._matched or person_id in self._planned_existing:
            repeat = reason
        if person_id is not None:
            planned = self._planned_existing.get(person_id) or planned
        if planned is None:
            planned = PlannedPerson(line=line, first_name=first, last_name=last)
            planned.person_id = person_id
            planned.is_new = person_id is None
            planned.match_reason = reason
            if person_id is not None:
                self._planned_existing[person_id] = planned
            self.people.append(planned)
        if repeat:
            self._merged_row(line, planned, repeat)
        for key in keys:
            self._planned_by_key.setdefault(key, planned)
        # A repeat of a row planned earlier in this chunk is whoever that row is.
        person_id = planned.person_id

        existing = self.index.people.get(person_id) if person_id is not None else None
        self._plan_contact_details(planned, person_id, emails, phones, phone_keys, record)
        self._plan_fields(planned, existing, record, url, line)
        self._plan_job(planned, person_id, record, line)
        self._plan_tags(planned, person_id, record.tags)
        self._plan_links(planned, person_id, record)
        self._plan_groups(planned, person_id, record)
        # Recognised next time by its print only if a key, not a name, makes it this
        # person, and the row stands alone (no other row merged with it).
        if repeat:
            planned.fingerprint = ""
        elif keys and planned.line == line and (planned.is_new or by_key):
            planned.fingerprint = record.fingerprint
            planned.print_problems = problems_text(self._row_problems)

    def _merged_row(self, line: int, planned: PlannedPerson, why: str) -> None:
        """Say which earlier row (or person) a row was merged into, and why."""
        self.merged += 1
        pk = planned.person_id
        if planned.line != line:
            who = f"line {planned.line} ({planned.full_name})"
        elif pk is not None and pk in self._first_lines:
            who = f"line {self._first_lines[pk]}"
        else:
            who = f"{planned.full_name}, whom an earlier line already matched"
        self._problem(
            Problem(line, "", f"the same person as {who} ({why}); merged into one", skipped=False)
        )

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
        record: PersonRecord,
    ) -> None:
        email_kinds = {email_key(e): k for e, k in record.email_kinds.items()}
        phone_kinds = {p.strip()[:40]: k for p, k in record.phone_kinds.items()}
        known_emails = set(self.index.emails.get(person_id, ())) if person_id else set()
        known_emails |= {email_key(e) for e in planned.new_emails}
        for email in emails:
            if email_key(email) not in known_emails:
                known_emails.add(email_key(email))
                planned.new_emails.append(email)
                if kind := email_kinds.get(email_key(email)):
                    planned.email_kinds[email] = kind
                if person_id:
                    planned.changes.append(f"new e-mail {email}")
        known_phones = set(self.index.phones.get(person_id, ())) if person_id else set()
        known_phones |= {phone_key(p, self.index.region) for p in planned.new_phones}
        for number, key in zip(phones, phone_keys, strict=True):
            if (key or number) not in known_phones:
                known_phones.add(key or number)
                planned.new_phones.append(number)
                if kind := phone_kinds.get(number):
                    planned.phone_kinds[number] = kind
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
        if record.connection is not None:
            level = ""  # your own export: the level you left empty stays so
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
        connection = record.connection
        if connection is not None:
            # Our own export says how the person is connected to you: never invent a tie.
            wanted = bool(connection.kind)
        else:
            # An older export carried a tie to me as its "Connected On" date only.
            wanted = fmt in TIE_NOTES and (
                fmt != Format.COFFEECHAT or record.connected_on is not None
            )
        if wanted and not already and not planned.tie:
            planned.tie = True
            if connection is not None:
                planned.tie_as = (connection.kind, connection.strength or 3, connection.note)
            if person_id:
                planned.changes.append("now in your network as a contact")

    def _plan_groups(
        self, planned: PlannedPerson, person_id: int | None, record: PersonRecord
    ) -> None:
        """Memberships an export carries: the groups are found by name, or made."""
        if not record.groups:
            return
        index = self.index
        for group in record.groups:
            key = group_key(group.name)
            group_id = index.group_by_key.get(key)
            if group_id is None and key not in self._new_groups:
                self._new_groups[key] = (group.name, group.kind or DEFAULT_GROUP_KIND)
            place = (group_id or 0, group.detail.lower(), group.class_year)
            known = person_id is not None and (person_id, *place) in index.places
            if known or any(
                (group_key(g.name), g.detail.lower(), g.class_year)
                == (key, group.detail.lower(), group.class_year)
                for g in planned.groups
            ):
                continue
            if (
                self.affiliation is not None
                and self.affiliation.pk == group_id
                and (planned.membership is not None)
            ):
                continue  # the group the file is imported into already has them
            planned.groups.append(group)
            if person_id:
                planned.changes.append(f"member of {group.name}")
