"""Reading a parsed file chunk by chunk into a plan: the :class:`Planner`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from django.utils import timezone

from coffeechat.imports import prints
from coffeechat.imports.engine.index import (
    FILLABLE,
    group_key,
    region_of,
    stand_in,
)
from coffeechat.imports.engine.plans import (
    CHUNK_ROWS,
    MAX_SAMPLES,
    PlannedMessage,
    PlannedPerson,
    Progress,
)
from coffeechat.imports.engine.rows import RowPlanner
from coffeechat.imports.records import (
    KnownRow,
    MessageRecord,
    ParsedFile,
    PersonRecord,
    Problem,
)
from coffeechat.network.models import Affiliation, Interaction
from coffeechat.network.names import split_name
from coffeechat.network.normalize import email_key, linkedin_key, name_key, phone_key


class Planner(RowPlanner):
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
        # The current chunk only: emptied after every flush.
        self.people: list[PlannedPerson] = []
        self.messages: list[PlannedMessage] = []
        self.problems: list[Problem] = []
        self.problem_count = 0
        self._row_problems: list[Problem] = []
        self.skipped = 0
        self.unmatched_messages = 0
        self.known_messages = 0
        self.rows = 0
        self.merged = 0  # rows that are a person an earlier row of the file already is
        self._first_lines: dict[int, int] = {}
        self._new_groups: dict[str, tuple[str, str]] = {}
        self._new_group_count = 0
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
        # (person id, print) of the rows to recognise next time (imports/prints.py).
        self.row_prints: list[tuple[int, str, str]] = []
        # Not for a group made by this import: its rows all need their membership.
        if (
            writer is not None
            and parsed.prints is not None
            and (affiliation is None or affiliation.pk is not None)
        ):
            parsed.prints.salt = prints.salt(
                version=1,
                format=parsed.format.value,
                header=parsed.header,
                mapping=asdict(parsed.mapping) if parsed.mapping else None,
                group=affiliation.pk if affiliation is not None else None,
                region=region_of(owner),
            )
            parsed.prints.known = prints.known(owner)

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
            elif isinstance(record, KnownRow):
                # Imported before and untouched since: that person, nothing to do.
                self._matched.add(record.person_id)
                for problem in prints.problems_of(record.problems, record.line):
                    self._problem(problem)
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
        self._new_group_count += len(self._new_groups)
        if self.writer is not None:
            self.writer(self)  # sets the ids of new people, organizations and groups
        else:
            for key in new_keys:
                index.org_by_key[key] = self._provisional_id()
            for key in self._new_groups:
                index.group_by_key[key] = self._provisional_id()
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
        self._new_groups.clear()
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
        if planned.fingerprint:
            self.row_prints.append((pk, planned.fingerprint, planned.print_problems))
        if planned.is_new:
            self.batch_ids.add(pk)
            self._first_lines[pk] = planned.line
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
            index.people[pk] = stand_in(
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
                index.people[pk] = stand_in(
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
        for group in planned.groups:
            group_id = index.group_by_key[group_key(group.name)]
            index.memberships.add((pk, group_id))
            index.places.add((pk, group_id, group.detail.lower(), group.class_year))

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
            "merged": self.merged,
            "new_organizations": self._new_orgs,
            "new_groups": self._new_group_count,
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
