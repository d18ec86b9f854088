"""Writing a plan: :func:`import_file` runs the planner with a writer in one transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction

from coffeechat.core.collector import fewer_collections
from coffeechat.imports.engine.index import group_key
from coffeechat.imports.engine.planner import Planner
from coffeechat.imports.engine.plans import (
    BULK_SIZE,
    CHUNK_ROWS,
    PlannedPerson,
    Progress,
)
from coffeechat.imports.formats import TIE_NOTES, source_of
from coffeechat.imports.models import ImportBatch, ImportChange, Status
from coffeechat.imports.records import ImportFileError, ParsedFile
from coffeechat.network import writers
from coffeechat.network.models import (  # read here; written through network.writers
    Affiliation,
    AffiliationKind,
    Interaction,
    Source,
)

SOURCE_BY_AFFILIATION: dict[str, Source] = {
    AffiliationKind.SCHOOL: Source.ALUMNI_DIRECTORY,
    AffiliationKind.ASSOCIATION: Source.ASSOCIATION_DIRECTORY,
}


def _source_for(parsed: ParsedFile, affiliation: Affiliation | None) -> str:
    if affiliation is not None:
        return str(SOURCE_BY_AFFILIATION.get(affiliation.kind, Source.DIRECTORY))
    return source_of(parsed.format)


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
                (
                    p.person_id,
                    email,
                    len(known_emails.get(p.person_id, ())) + i,
                    p.email_kinds.get(email, ""),
                )
                for p in people
                if p.person_id is not None
                for i, email in enumerate(p.new_emails)
            ],
        )
        known_phones = index.phones
        created["network.PhoneNumber"] += writers.insert_phones(
            owner,
            [
                (
                    p.person_id,
                    number,
                    len(known_phones.get(p.person_id, ())) + i,
                    p.phone_kinds.get(number, ""),
                )
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

        tie_note = TIE_NOTES.get(plan.parsed.format, "")
        created["network.Tie"] += writers.insert_ties_to_me(
            owner,
            [
                (p.person_id, p.connected_on, tie_note)
                for p in people
                if p.tie and p.person_id and p.tie_as is None
            ],
        )
        created["network.Tie"] += writers.insert_my_ties(
            owner,
            [
                (p.person_id, *p.tie_as[:2], p.connected_on, p.tie_as[2])
                for p in people
                if p.tie and p.person_id and p.tie_as is not None
            ],
        )
        self._write_groups(plan)
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

    def _write_groups(self, plan: Planner) -> None:
        """The groups an export names that are not here yet, and every new membership."""
        index = plan.index
        new_groups = list(plan._new_groups.items())
        ids = writers.insert_affiliations(self.owner, [row for _key, row in new_groups])
        index.group_by_key.update(zip((key for key, _row in new_groups), ids, strict=True))
        self.created["network.Affiliation"] += ids
        self.created["network.Membership"] += writers.insert_group_memberships(
            self.owner,
            [
                (
                    p.person_id,
                    index.group_by_key[group_key(g.name)],
                    g.detail,
                    g.class_year,
                    g.start_year,
                    g.end_year,
                )
                for p in plan.people
                if p.person_id is not None
                for g in p.groups
            ],
        )

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
        # The worker fails a batch whose heartbeat stopped (imports/stale.py); a run it
        # gave up on must not land afterwards, so it rolls back here instead.
        if (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk, status=Status.FAILED)
            .exists()
        ):
            raise ImportFileError(
                f"{batch.original_name}: the import was given up on while it ran "
                "(it had stopped sending progress); nothing was written."
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
