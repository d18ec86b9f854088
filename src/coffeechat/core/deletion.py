"""Deleting an account in chunks: any size, bounded memory, short transactions.

One ``user.delete()`` collects every row of the account at once: hundreds of
thousands of ids in memory, statements with more variables than SQLite accepts, and
one transaction that holds the database's write lock for minutes. Instead, each model
with an owner is emptied ``CHUNK`` rows at a time, children before the rows they point
at, each chunk in its own transaction (Django's collector still removes what a chunk's
rows own without an owner of their own: tags of a person, changes of an import).

A deletion interrupted half-way leaves the account signed out (deactivated first) with
part of its rows; running it again finishes it.
"""

from __future__ import annotations

import graphlib
from collections import Counter
from collections.abc import Callable, Iterator

from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from coffeechat.core.pacing import Pacer

CHUNK = 500

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
    manager = model._default_manager
    while True:
        ids = list(manager.filter(owner=user).order_by().values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return
        yield ids


def delete_owned_rows(user: object, progress: Progress | None = None) -> Counter[str]:
    """Delete every row ``user`` owns, chunk by chunk; the count per model label."""
    counts: Counter[str] = Counter()
    pace = Pacer()  # on SQLite, waiting requests get the write lock between chunks
    for model in owned_models():
        for ids in _chunks(model, user):
            with transaction.atomic():
                _total, per_model = model._default_manager.filter(pk__in=ids).delete()
            pace()
            counts.update(per_model)
            if progress is not None:
                progress(str(model._meta.verbose_name_plural), sum(counts.values()))
    return counts
