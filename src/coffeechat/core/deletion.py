"""Deleting an account in chunks: any size, bounded memory, short transactions.

One ``user.delete()`` collects every row of the account at once: hundreds of
thousands of ids in memory, statements with more variables than SQLite accepts, and
one transaction that holds the database's write lock for minutes. Instead, each model
with an owner is emptied ``CHUNK`` rows at a time, children before the rows they point
at, each chunk in its own transaction.

A chunk goes by plain statements, no model objects: what points at its rows is deleted
(``CASCADE``) or cleared (``SET_NULL``, ``SET_DEFAULT``) by the ids of the chunk, then
the rows themselves; the tags of a person, the changes of an import and anything else
without an owner of its own go with them. Django's collector, which loads every row as
an object and asks about every relation per object, took nine tenths of a deletion's
time. It still deletes where deleting means more than removing rows: a model with
``pre_delete`` or ``post_delete`` receivers, parent links, generic relations, or an
``on_delete`` rule other than those (``PROTECT``, ``RESTRICT``, ``SET(…)``).

A deletion interrupted half-way leaves the account signed out (deactivated first) with
part of its rows; running it again finishes it.
"""

from __future__ import annotations

import graphlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import signals
from django.db.models.deletion import (
    CASCADE,
    SET_DEFAULT,
    SET_NULL,
    SKIP_COLLECTION,
    get_candidate_relations_to_delete,
)

from coffeechat.core.chunks import Ids
from coffeechat.core.pacing import Pacer

CHUNK = 1000  # rows per transaction: tens of milliseconds of the write lock at most

Progress = Callable[[str, int], None]


def owned_models() -> list[type[models.Model]]:
    """Every model whose rows carry an ``owner``, children before their parents."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = [
        model
        for model in apps.get_models()
        if any(
            f.name == "owner" and f.is_relation and f.related_model is user_model
            for f in model._meta.concrete_fields
        )
    ]
    sorter: graphlib.TopologicalSorter[type[models.Model]] = graphlib.TopologicalSorter()
    for model in found:
        sorter.add(model)
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in found and f.related_model is not model:
                # ``model`` points at its parent: delete ``model`` first.
                sorter.add(f.related_model, model)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return found


def _chunks(model: type[models.Model], user: object) -> Iterator[list[int]]:
    rows = model._base_manager.filter(owner=user).order_by().values_list("pk", flat=True)
    while True:
        ids = list(rows[:CHUNK])
        if not ids:
            return
        yield ids


def _signalled(model: type[models.Model]) -> bool:
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


def _plain(model: type[models.Model]) -> bool:
    """Whether deleting rows of ``model`` only removes them: no receivers, no parent
    rows, no generic relations, an integer primary key."""
    opts = model._meta
    return (
        not _signalled(model)
        and not opts.parents
        and not any(hasattr(f, "bulk_related_objects") for f in opts.private_fields)
        and opts.pk is not None
        and opts.pk.get_internal_type() in {"AutoField", "BigAutoField", "IntegerField"}
    )


def _pointing(model: type[models.Model]) -> list[tuple[type[models.Model], Any]]:
    """``(model, foreign key)`` of what points at ``model``'s rows and needs handling
    when they go (a database-side rule or ``DO_NOTHING`` needs none)."""
    found = []
    for relation in get_candidate_relations_to_delete(model._meta):
        field: Any = relation.field  # type: ignore[attr-defined]
        if field.remote_field.on_delete not in SKIP_COLLECTION:
            found.append((field.model, field))
    return found


def _relations(model: type[models.Model]) -> list[tuple[type[models.Model], Any, Any, bool]] | None:
    """What points at ``model``'s rows, as ``(related model, foreign key, rule, leaf)``
    (a leaf's rows can go by one statement: nothing points at them in turn); ``None``
    when a chunk of ``model``'s rows must go through Django's collector."""
    if not _plain(model):
        return None
    found = []
    for related, field in _pointing(model):
        rule = field.remote_field.on_delete
        if rule not in (CASCADE, SET_NULL, SET_DEFAULT) or field.target_field != model._meta.pk:
            return None
        leaf = _plain(related) and not _pointing(related)
        found.append((related, field, rule, leaf))
    return found


def delete_rows(model: type[models.Model], ids: list[int]) -> Counter[str]:
    """Delete the rows ``ids`` of ``model`` and what depends on them; the count per model.

    Call it in a transaction: the statements leave the database consistent only together.
    """
    relations = _relations(model)
    if relations is None:
        return Counter(model._base_manager.filter(pk__in=ids).delete()[1])
    counts: Counter[str] = Counter()
    chunk = Ids(ids)
    for related, field, rule, leaf in relations:
        pointing = related._base_manager.filter(**{f"{field.attname}__in": chunk})
        if rule is CASCADE and leaf:
            counts[related._meta.label] += pointing._raw_delete(pointing.db)
        elif rule is CASCADE:
            counts.update(pointing.delete()[1])  # its own dependents: the collector
        else:
            value = None if rule is SET_NULL else field.get_default()
            pointing.update(**{field.attname: value})
    rows = model._base_manager.filter(pk__in=chunk)
    counts[model._meta.label] += rows._raw_delete(rows.db)
    return +counts


def delete_owned_rows(user: object, progress: Progress | None = None) -> Counter[str]:
    """Delete every row ``user`` owns, chunk by chunk; the count per model label."""
    counts: Counter[str] = Counter()
    pace = Pacer()  # on SQLite, waiting requests get the write lock between chunks
    for model in owned_models():
        for ids in _chunks(model, user):
            with pace.transaction():
                counts.update(delete_rows(model, ids))
            if progress is not None:
                progress(str(model._meta.verbose_name_plural), sum(counts.values()))
    return counts
