"""Taking an import back: remove what it created, restore what it changed.

It runs in short transactions of :data:`CHUNK` rows (see :func:`undo`), so a large
undo never keeps other people's requests waiting for the database.

People the batch created may have gained things since (a note, a tie, a job
entered by hand, a conversation from a later feature). :func:`undo_report`
finds them with one query per related table, so the page can warn before
anything is lost; by default :func:`undo` keeps those people as they are.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from coffeechat.core.chunks import rows_for_ids
from coffeechat.core.console import Echo
from coffeechat.core.pacing import Pacer
from coffeechat.core.scoping import is_derived
from coffeechat.imports.models import ImportBatch, ImportChange, Status
from coffeechat.network.models import Person

# Deleted in this order: rows that point at people first, then people, then groups.
DELETE_ORDER = [
    "network.Interaction",
    "network.Person_tags",
    "network.Tie",
    "network.Membership",
    "network.Employment",
    "network.EmailAddress",
    "network.PhoneNumber",
    "network.Person",
    "network.Tag",
    "network.Organization",
    "network.Affiliation",
]
# Rows that only exist for a person; kept with a person the user has worked on since.
PERSON_FIELDS = {
    "network.Interaction": ["person_id"],
    "network.Person_tags": ["person_id"],
    "network.Tie": ["to_person_id", "from_person_id"],
    "network.Membership": ["person_id"],
    "network.Employment": ["person_id"],
    "network.EmailAddress": ["person_id"],
    "network.PhoneNumber": ["person_id"],
    "network.Person": ["pk"],
}


@dataclass
class Touched:
    person_id: int
    name: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class UndoReport:
    counts: dict[str, int]  # model label → rows the undo removes (before keeping touched people)
    restores: int  # rows it puts back as they were
    touched: list[Touched]  # people the user has worked on since the import


def model_for(label: str) -> type[models.Model]:
    if label == "network.Person_tags":
        return Person.tags.through
    return apps.get_model(label)


def _pointing_at(model: type[models.Model], column: str, ids: Any) -> Any:
    """The rows of ``model`` whose ``column`` is one of ``ids``, as (pk, person id)."""
    return model._default_manager.filter(**{f"{column}__in": ids}).values_list("pk", column)


def undo_report(batch: ImportBatch) -> UndoReport:
    created = batch.created_rows or {}
    person_ids = set(created.get("network.Person", []))
    touched: dict[int, Touched] = {}

    def mark(pk: int, reason: str) -> None:
        if pk in person_ids:
            entry = touched.setdefault(pk, Touched(pk, ""))
            if reason not in entry.reasons:
                entry.reasons.append(reason)

    if person_ids:
        # Tens of thousands of people: their ids go in chunks (core.chunks), as they are.
        since = (batch.finished_at or timezone.now()) + datetime.timedelta(seconds=1)
        for (pk,) in rows_for_ids(
            lambda ids: Person.objects.filter(pk__in=ids, updated_at__gt=since).values_list("pk"),
            person_ids,
        ):
            mark(pk, "edited since the import")
        # Anything else that points at these people and was not made by this batch.
        for relation in Person._meta.related_objects:
            related = relation.related_model
            if not isinstance(related, type) or not issubclass(related, models.Model):
                continue
            if is_derived(related):
                continue
            label = related._meta.label
            own = set(created.get(label, []))
            column = relation.field.name
            rows = rows_for_ids(partial(_pointing_at, related, column), person_ids)
            noun = related._meta.verbose_name
            for pk, person_pk in rows:
                if pk not in own:
                    mark(person_pk, f"a {noun} added since")
        through = Person.tags.through
        own_links = set(created.get("network.Person_tags", []))
        for pk, person_pk in rows_for_ids(
            lambda ids: through.objects.filter(person_id__in=ids).values_list("pk", "person_id"),
            person_ids,
        ):
            if pk not in own_links:
                mark(person_pk, "a tag added since")
        names = {
            pk: f"{first} {last}".strip()
            for pk, first, last in rows_for_ids(
                lambda ids: Person.objects.filter(pk__in=ids).values_list(
                    "pk", "first_name", "last_name"
                ),
                touched,
            )
        }
        for entry in touched.values():
            entry.name = names.get(entry.person_id, "")
    counts = {label: len(ids) for label, ids in created.items() if ids}
    return UndoReport(
        counts=counts,
        restores=batch.changes.count(),
        touched=sorted(touched.values(), key=lambda t: t.name.lower()),
    )


CHUNK = 500  # rows per transaction: each one holds the write lock for a moment only
# A person's delete also visits every table that points at people (Django's collector):
# 500 of them took up to 2.9 s on a busy 2-core machine, 100 take a fifth of that.
PEOPLE_CHUNK = 100


def undo(
    batch: ImportBatch,
    *,
    delete_touched: bool = False,
    echo: Echo | None = None,
    claimed: bool = False,
) -> dict[str, int]:
    """Undo the batch in short transactions. Returns what it removed and restored.

    The batch is marked undoing first (pages say so); then changed rows are put back
    and created rows removed :data:`CHUNK` at a time, each chunk in its own transaction,
    so another user's request never waits behind a large undo. Every step can run
    again: a chunk that is restored forgets its changes, and removing rows by id twice
    removes them once. An undo that stops half-way (an error, a killed process) leaves
    the batch imported with a message, and undoing it again finishes the job.

    ``echo(phase, done, total)`` hears of each kind of row as it goes. ``claimed``: the
    batch was already marked undoing by :func:`start_undo` (the worker runs it).
    """
    allowed = Status.UNDOING if claimed else Status.IMPORTED
    moved = ImportBatch.objects.filter(pk=batch.pk, status=allowed).update(
        status=Status.UNDOING, phase="Undoing", error="", updated_at=timezone.now()
    )
    if not moved:
        raise ValueError("Only an imported batch can be undone.")
    report = undo_report(batch)
    keep = set() if delete_touched else {t.person_id for t in report.touched}
    created = batch.created_rows or {}
    batch.status = Status.UNDOING
    try:
        result = _undo(batch, created, keep, echo)
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk, status=Status.UNDOING).update(
            status=Status.IMPORTED,
            phase="",
            error=STOPPED.format(name=batch.original_name),
            updated_at=timezone.now(),
        )
        batch.status = Status.IMPORTED
        raise
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.UNDONE, phase="", error="", updated_at=timezone.now()
    )
    batch.status = Status.UNDONE
    return result


STOPPED = (
    "{name}: the undo stopped before it finished. Part of what the import added may "
    "already be gone; undo it again to remove the rest."
)


def _beat(batch: ImportBatch, phase: str, done: int, total: int) -> None:
    """The page's progress and the worker's sign of life (imports/stale.py)."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        phase=phase, rows_done=done, rows_total=total, updated_at=timezone.now()
    )


def _undo(
    batch: ImportBatch, created: dict[str, list[int]], keep: set[int], echo: Echo | None
) -> dict[str, int]:
    result: dict[str, int] = defaultdict(int)
    steps = len(DELETE_ORDER)
    total = sum(len(created.get(label, [])) for label in DELETE_ORDER)
    done = 0
    pace = Pacer()
    if echo is not None:
        echo("Restoring changed rows", 0, steps)
    _beat(batch, "Undoing: restoring changed rows", 0, total)
    restored, kept_edits = _restore(batch)
    result["restored"] = restored
    result["kept_later_edits"] = kept_edits
    for step, label in enumerate(DELETE_ORDER, start=1):
        noun = label.split(".")[-1]
        if echo is not None:
            echo(f"Removing {noun} rows", step, steps)
        ids = created.get(label, [])
        if not ids:
            continue
        model = model_for(label)
        size = PEOPLE_CHUNK if label == "network.Person" else CHUNK
        for start in range(0, len(ids), size):
            _beat(batch, f"Undoing: removing {noun} rows", done, total)
            queryset = model._default_manager.filter(pk__in=ids[start : start + size])
            if keep:
                for column in PERSON_FIELDS.get(label, []):
                    queryset = queryset.exclude(**{f"{column}__in": keep})
            if label in {"network.Organization", "network.Affiliation", "network.Tag"}:
                queryset = _unreferenced(model, queryset)
            with transaction.atomic():
                deleted, _ = queryset.delete()
            result[label] += deleted
            pace()
            done += len(ids[start : start + size])
    result["kept_people"] = len(keep)
    return dict(result)


def _restore(batch: ImportBatch) -> tuple[int, int]:
    """Put changed rows back, unless the user has changed the same field again since.

    A chunk of changes at a time, each in its own transaction that also forgets the
    changes it put back (so an undo run again does not count them twice).
    """
    restored = kept = 0
    pace = Pacer()
    while True:
        pace()
        with transaction.atomic():
            changes = list(batch.changes.order_by("pk")[:CHUNK])
            if not changes:
                return restored, kept
            by_model: dict[str, list[ImportChange]] = defaultdict(list)
            for change in changes:
                by_model[change.model].append(change)
            for label, group in by_model.items():
                done, unchanged = _restore_rows(model_for(label), group)
                restored += done
                kept += unchanged
            ImportChange.objects.filter(pk__in=[c.pk for c in changes]).delete()


def _restore_rows(model: type[models.Model], changes: list[ImportChange]) -> tuple[int, int]:
    restored = kept = 0
    rows = model._default_manager.in_bulk([c.object_id for c in changes])
    for change in changes:
        row = rows.get(change.object_id)
        if row is None:
            continue
        updates = {}
        for name, after in change.after.items():
            current = getattr(row, name)
            if _json(current) == after:
                updates[name] = _value(model, name, change.before.get(name))
            else:
                kept += 1
        if updates:
            model._default_manager.filter(pk=row.pk).update(**updates)
            restored += 1
    return restored, kept


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _value(model: type[models.Model], name: str, value: Any) -> Any:
    field_ = model._meta.get_field(name)
    if isinstance(field_, models.DateField) and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _unreferenced(
    model: type[models.Model], queryset: models.QuerySet[Any]
) -> models.QuerySet[Any]:
    """Only the rows nothing else points at any more (a target, a job entered by hand…)."""
    for relation in model._meta.related_objects:
        if is_derived(relation.related_model):
            continue
        accessor = relation.name
        queryset = queryset.filter(**{f"{accessor}__isnull": True})
    if model is not Person.tags.through:
        for m2m in model._meta.many_to_many:
            queryset = queryset.filter(**{f"{m2m.name}__isnull": True})
    return queryset


def start_undo(batch: ImportBatch, *, delete_touched: bool = False) -> dict[str, int] | None:
    """Undo a small batch now and say what was removed; hand a large one to the worker
    (None): it is marked undoing at once, and its page follows the progress. Raises
    ValueError when the batch is not (or no longer) imported."""
    from coffeechat.imports.services import claim, runs_inline
    from coffeechat.imports.tasks import undo_batch

    if runs_inline(batch):
        return undo(batch, delete_touched=delete_touched)
    if not claim(batch, {Status.IMPORTED}, Status.UNDOING, "Waiting for the worker"):
        raise ValueError("Only an imported batch can be undone.")
    undo_batch.enqueue(batch.pk, delete_touched)
    return None
