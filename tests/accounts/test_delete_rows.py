"""A chunk deleted by plain statements (``coffeechat.core.deletion.delete_rows``) leaves
the database exactly as Django's collector would: the same rows gone, whatever pointed
at them deleted or cleared the same way, receivers run where there are some.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import models, transaction

from coffeechat.core import deletion
from tests.accounts.everything import fill_every_kind

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=datetime.UTC)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, without generated ids: rows that triggers write
    (``SearchDirty``) get new ids each time, as a rollback does not give them back on
    PostgreSQL."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, models.AutoField))
        ]
        found[model._meta.label] = sorted(model._base_manager.values_list(*names), key=repr)
    return found


def test_each_kind_of_row_goes_as_the_collector_deletes_it(alice: Any, bob: Any) -> None:
    fill_every_kind(alice)
    fill_every_kind(bob)
    plain = 0
    with time_machine.travel(NOW, tick=False):
        for model in deletion.owned_models():
            ids = list(model._base_manager.filter(owner=alice).values_list("pk", flat=True))
            assert ids, model
            with transaction.atomic():
                start = transaction.savepoint_create()
                ours = +deletion.delete_rows(model, ids)
                after_ours = snapshot()
                transaction.savepoint_rollback(start)
                theirs = +Counter(model._base_manager.filter(pk__in=ids).delete()[1])
                after_theirs = snapshot()
                transaction.savepoint_rollback(start)
            assert after_ours == after_theirs, model
            assert ours == theirs, model
            plain += deletion._relations(model) is not None
    # Most kinds go by plain statements; those with receivers through the collector.
    assert plain >= len(deletion.owned_models()) - 5
