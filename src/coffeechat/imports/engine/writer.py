"""Writing a plan: :func:`import_file` runs the planner with a writer, in short transactions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model

from coffeechat.core.collector import fewer_collections
from coffeechat.core.pacing import Spacer
from coffeechat.imports import prints, staging
from coffeechat.imports.engine.index import group_key
from coffeechat.imports.engine.planner import Planner
from coffeechat.imports.engine.plans import BULK_SIZE, WRITE_CHUNK_ROWS, PlannedPerson, Progress
from coffeechat.imports.formats import TIE_NOTES, source_of
from coffeechat.imports.models import ImportBatch, ImportChange, Status
from coffeechat.imports.records import ImportFileError, ParsedFile
from coffeechat.network import writers
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
    chunk_size: int = WRITE_CHUNK_ROWS,
) -> Planner:
    """Plan and write ``parsed`` chunk by chunk, each chunk in a short transaction, out
    of sight under the batch's staging account; then publish it all at once.

    Everything lands or nothing does (:mod:`coffeechat.imports.staging`): on any error
    the staged rows are removed and nothing was ever visible. Returns the planner, whose
    summary tells what was done.
    """
    staging_owner = staging.open_staging(batch)
    group_before = batch.affiliation_id
    try:
        with fewer_collections():
            writer = _ChunkWriter(batch, staging_owner, _source_for(parsed, affiliation))
            if affiliation is not None and affiliation.pk is None:
                with transaction.atomic():
                    affiliation.owner = staging_owner
                    affiliation.save()
                writer.staged(Affiliation, [affiliation.pk])
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
            writer.publish(plan)
    except BaseException:
        staging.discard(batch)
        batch.affiliation_id = group_before  # a group it made went with its staged rows
        raise
    return plan


@dataclass
class _Kept:
    """Rows that point at something the user already has, written only at publish: staged
    now, they would show through that row (a new e-mail address on a person's page)."""

    emails: list[tuple[int, str, int, str]] = field(default_factory=list)
    phones: list[tuple[int, str, int, str]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)  # (person id, tag name)
    jobs: list[tuple[int, int, str, str]] = field(default_factory=list)
    ended_jobs: list[int] = field(default_factory=list)
    ties_to_me: list[tuple[int, Any, str]] = field(default_factory=list)
    my_ties: list[tuple[int, str, int, Any, str]] = field(default_factory=list)
    memberships: list[tuple[int, str, int | None]] = field(default_factory=list)
    group_memberships: list[tuple[int, int, str, int | None, int | None, int | None]] = field(
        default_factory=list
    )
    messages: list[Interaction] = field(default_factory=list)
    fills: list[dict[int, dict[str, Any]]] = field(default_factory=list)  # one per chunk
    contacted: dict[int, date] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether anything is kept to write at publish."""
        return any(
            any(value) if name == "fills" else bool(value) for name, value in vars(self).items()
        )


class _ChunkWriter:
    """Writes one chunk of a plan with bulk inserts, in its own transaction, under the
    staging account; keeps aside what must wait for :meth:`publish`; remembers what it
    created."""

    def __init__(self, batch: ImportBatch, staging_owner: Any, source: str) -> None:
        self.batch = batch
        self.owner = staging_owner  # whose rows the chunks write
        self.source = source
        self.created: dict[str, list[int]] = defaultdict(list)
        self._staged: dict[type[Model], set[int]] = defaultdict(set)
        self.kept = _Kept()
        # On SQLite, others' saves get the database between two of its transactions.
        self.spacer = Spacer()

    def staged(self, model: type[Model], ids: list[int]) -> list[int]:
        """Note rows written under the staging account; ``ids`` again."""
        self._staged[model].update(ids)
        self.created[model._meta.label] += ids
        return ids

    def _all_staged(self, row: tuple[Any, ...], refs: Mapping[int, type[Model]]) -> bool:
        return all(row[i] in self._staged[model] for i, model in refs.items())

    def _staged_or_kept[R: tuple[Any, ...]](
        self, rows: Iterable[R], kept: list[R], refs: Mapping[int, type[Model]]
    ) -> list[R]:
        """The rows whose references ({position in the row: model}) are all staged rows;
        the others go to ``kept``."""
        staged: list[R] = []
        for row in rows:
            (staged if self._all_staged(row, refs) else kept).append(row)
        return staged

    def __call__(self, plan: Planner) -> None:
        try:
            with self.spacer.transaction():
                self._write_chunk(plan)
        except IntegrityError:
            self._check_not_given_up()  # the worker removed the staging account
            raise

    def _check_not_given_up(self) -> None:
        """Raise if the worker failed the batch as stale (imports/stale.py): a run it gave
        up on must not land afterwards."""
        batch = self.batch
        rows = ImportBatch.objects.filter(pk=batch.pk, status=Status.FAILED)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()  # publishing: the worker cannot fail it meanwhile
        if rows.exists():
            raise ImportFileError(
                f"{batch.original_name}: the import was given up on while it ran "
                "(it had stopped sending progress); nothing was written."
            )

    def _write_chunk(self, plan: Planner) -> None:
        owner = self.owner
        kept = self.kept
        index = plan.index
        people = plan.people

        new_orgs: dict[str, str] = {}
        for planned in people:
            job = planned.job
            if job and job.organization_key not in index.org_by_key:
                new_orgs.setdefault(job.organization_key, job.organization_name)
        ids = self.staged(Organization, writers.insert_organizations(owner, new_orgs))
        index.org_by_key.update(zip(new_orgs, ids, strict=True))

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
        self.staged(Person, ids)

        of_person = {0: Person}
        emails = _new_contacts(people, index.emails, lambda p: (p.new_emails, p.email_kinds))
        self.staged(
            EmailAddress,
            writers.insert_emails(owner, self._staged_or_kept(emails, kept.emails, of_person)),
        )
        phones = _new_contacts(people, index.phones, lambda p: (p.new_phones, p.phone_kinds))
        self.staged(
            PhoneNumber,
            writers.insert_phones(owner, self._staged_or_kept(phones, kept.phones, of_person)),
        )
        # Tags are made (or found by name) at publish: a tag the user adds meanwhile is
        # then simply the one the people get.
        kept.tags += [(p.person_id, name) for p in people if p.person_id for name in p.new_tags]

        kept.ended_jobs += [pk for p in people for pk in p.end_jobs]
        jobs = [
            (p.person_id, index.org_by_key[p.job.organization_key], p.job.title, p.job.department)
            for p in people
            if p.job is not None and p.person_id is not None
        ]
        self.staged(
            Employment,
            writers.insert_jobs(
                owner, self._staged_or_kept(jobs, kept.jobs, {0: Person, 1: Organization})
            ),
        )

        tie_note = TIE_NOTES.get(plan.parsed.format, "")
        ties = [
            (p.person_id, p.connected_on, tie_note)
            for p in people
            if p.tie and p.person_id and p.tie_as is None
        ]
        self.staged(
            Tie,
            writers.insert_ties_to_me(
                owner, self._staged_or_kept(ties, kept.ties_to_me, of_person)
            ),
        )
        my_ties = [
            (p.person_id, *p.tie_as[:2], p.connected_on, p.tie_as[2])
            for p in people
            if p.tie and p.person_id and p.tie_as is not None
        ]
        self.staged(
            Tie,
            writers.insert_my_ties(owner, self._staged_or_kept(my_ties, kept.my_ties, of_person)),
        )
        self._write_groups(plan)
        affiliation = plan.affiliation
        if affiliation is not None:
            members = [
                (p.person_id, *p.membership)
                for p in people
                if p.membership is not None and p.person_id is not None
            ]
            if affiliation.pk in self._staged[Affiliation]:
                rows = self._staged_or_kept(members, kept.memberships, of_person)
            else:
                rows, kept.memberships = [], kept.memberships + members
            self.staged(Membership, writers.insert_memberships(owner, affiliation.pk, rows))

        # People created earlier in this file are taken back whole by undo: no change to
        # record, but their fields are filled all the same (at publish, with the others).
        fill = {p.person_id: dict(p.fill) for p in people if p.fill and not p.is_new}
        kept.fills.append({pk: values for pk, values in fill.items() if pk})
        self._write_messages(plan)

    def _write_groups(self, plan: Planner) -> None:
        """The groups an export names that are not here yet, and every new membership."""
        index = plan.index
        new_groups = list(plan._new_groups.items())
        ids = writers.insert_affiliations(self.owner, [row for _key, row in new_groups])
        index.group_by_key.update(zip((key for key, _row in new_groups), ids, strict=True))
        self.staged(Affiliation, ids)
        rows = [
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
        ]
        rows = self._staged_or_kept(rows, self.kept.group_memberships, {0: Person, 1: Affiliation})
        self.staged(Membership, writers.insert_group_memberships(self.owner, rows))

    def _write_messages(self, plan: Planner) -> None:
        if not plan.messages:
            return
        rows = []
        last = self.kept.contacted
        people = self._staged[Person]
        for message in plan.messages:
            record = message.record
            interaction = Interaction(
                owner=self.owner,
                person_id=message.person_id,
                occurred_at=record.occurred_at,
                kind=record.kind,
                direction=record.direction,
                subject=record.subject[:300],
                body=record.body,
                source_key=message.source_key,
            )
            if message.person_id in people:
                rows.append(interaction)
            else:
                self.kept.messages.append(interaction)
            day = record.occurred_at.date()
            if message.person_id not in last or last[message.person_id] < day:
                last[message.person_id] = day
        created = Interaction.objects.bulk_create(rows, batch_size=BULK_SIZE)
        self.staged(Interaction, [i.pk for i in created])

    # -- publishing -------------------------------------------------------------------------

    def publish(self, plan: Planner) -> None:
        """Hand the staged rows to the user and write the kept ones, in one transaction."""
        if not any(self.created.values()) and not self.kept and not plan.row_prints:
            # Nothing to hand over (a file imported before, unchanged): the empty staging
            # account just goes.
            staging.close_empty(self.batch, self.spacer)
            return
        try:
            staging.publish(self.batch, lambda: self._write_kept(plan), self.spacer)
        except IntegrityError:
            self._check_not_given_up()
            raise ImportFileError(
                f"{self.batch.original_name}: something this file adds to was changed or "
                "deleted while it was being imported (a person, an organization or a group). "
                "Nothing was imported; import the file again."
            ) from None

    def _write_kept(self, plan: Planner) -> None:
        batch = self.batch
        owner = batch.owner
        kept = self.kept
        created = self.created
        self._check_not_given_up()
        created["network.EmailAddress"] += writers.insert_emails(owner, kept.emails)
        created["network.PhoneNumber"] += writers.insert_phones(owner, kept.phones)
        if kept.tags:
            tag_ids, new_ids = writers.ensure_tags(owner, {name for _pk, name in kept.tags})
            created["network.Tag"] += new_ids
            created["network.Person_tags"] += writers.insert_person_tags(
                (pk, tag_ids[name]) for pk, name in kept.tags
            )
        changes = self._end_jobs(plan)
        created["network.Employment"] += writers.insert_jobs(owner, kept.jobs)
        created["network.Tie"] += writers.insert_ties_to_me(owner, kept.ties_to_me)
        created["network.Tie"] += writers.insert_my_ties(owner, kept.my_ties)
        if plan.affiliation is not None:
            created["network.Membership"] += writers.insert_memberships(
                owner, plan.affiliation.pk, kept.memberships
            )
        created["network.Membership"] += writers.insert_group_memberships(
            owner, kept.group_memberships
        )
        for interaction in kept.messages:
            interaction.owner = owner
        created["network.Interaction"] += [
            i.pk for i in Interaction.objects.bulk_create(kept.messages, batch_size=BULK_SIZE)
        ]
        for fill in kept.fills:
            before = writers.fill_people(owner, fill)
            changes += [
                ImportChange(
                    batch=batch,
                    model="network.Person",
                    object_id=pk,
                    before=values,
                    after=fill[pk],
                )
                for pk, values in before.items()
                if pk not in plan.batch_ids
            ]
        changes += [
            ImportChange(
                batch=batch,
                model="network.Person",
                object_id=pk,
                before={"last_contacted_on": _iso(old)},
                after={"last_contacted_on": kept.contacted[pk].isoformat()},
            )
            for pk, old in writers.set_last_contacted(owner, kept.contacted).items()
        ]
        ImportChange.objects.bulk_create(changes, batch_size=BULK_SIZE)
        batch.created_rows = {model: ids for model, ids in created.items() if ids}
        batch.save(update_fields=["created_rows", "affiliation", "updated_at"])
        # Last: every write to these people above forgot their older prints.
        prints.remember(owner, plan.row_prints)

    def _end_jobs(self, plan: Planner) -> list[ImportChange]:
        today = plan.today
        return [
            ImportChange(
                batch=self.batch,
                model="network.Employment",
                object_id=pk,
                before={"is_current": True, "end_date": _iso(end_date)},
                after={"is_current": False, "end_date": max(today, start or today).isoformat()},
            )
            for pk, start, end_date in writers.end_jobs(
                self.batch.owner, self.kept.ended_jobs, today
            )
        ]


def _new_contacts(
    people: list[PlannedPerson],
    known: dict[int, Any],
    new: Callable[[PlannedPerson], tuple[list[str], dict[str, str]]],
) -> list[tuple[int, str, int, str]]:
    """``(person, value, position, kind)`` for the new e-mail addresses (or phone numbers)
    of ``people``, placed after those they already have (``known``)."""
    rows = []
    for p in people:
        if p.person_id is None:
            continue
        values, kinds = new(p)
        first = len(known.get(p.person_id, ()))
        rows += [(p.person_id, v, first + i, kinds.get(v, "")) for i, v in enumerate(values)]
    return rows


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
