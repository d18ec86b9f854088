"""An import's rows out of sight until they are published, all at once.

Every query that serves a user starts from that user's rows
(:func:`coffeechat.core.scoping.owned`). An import therefore writes its new rows in
short transactions, a chunk at a time, under a hidden *staging account* of its own: an
inactive user that can never sign in and is never listed or counted
(``User.is_import_staging``). Nobody sees those rows, so nobody waits for them either.

Rows that would hang off something the user already has (an e-mail address of a person
already there, a job at an organization already there, a tag, a changed field) would
show through that row, so the writer keeps them aside and writes them only when it
publishes.

:func:`publish` is one short transaction: every row of the staging account changes
owner (every model with an owner, found in the app registry, and the denormalized owner
columns of derived rows such as the search index), the rows kept aside are written,
and the staging account goes. :func:`discard` removes a staging account that will never
be published (a failed, cancelled or abandoned import) in short, paced transactions.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from coffeechat.core.deletion import delete_owned_rows, owned_models
from coffeechat.core.pacing import Spacer
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.network.search import ADVISORY_LOCK

STAGING_DOMAIN = "import-staging.invalid"  # .invalid: never a real address (RFC 2606)


def open_staging(batch: ImportBatch) -> Any:
    """A new staging account for ``batch``, recorded on it (committed at once, so that a
    process that dies later leaves a staging account the worker can find and remove)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    with transaction.atomic():
        staging = user_model(
            email=f"batch-{batch.pk}-{secrets.token_hex(6)}@{STAGING_DOMAIN}",
            is_active=False,
            is_import_staging=True,
        )
        staging.set_unusable_password()
        staging.save()
        ImportBatch.objects.filter(pk=batch.pk).update(staging_owner=staging)
    batch.staging_owner = staging
    return staging


def _denormalized_owner_models() -> list[type[models.Model]]:
    """Models that copy their row's owner into a plain ``owner_id`` column (the search
    index): moved with the rows they copy it from."""
    return [
        model
        for model in apps.get_models()
        if any(f.attname == "owner_id" and not f.is_relation for f in model._meta.concrete_fields)
    ]


def move_rows(staging: Any, owner: Any) -> None:
    """Give every row of ``staging`` to ``owner``; call inside the publishing transaction."""
    if connection.vendor == "postgresql":
        # The search refresher copies owners into the index: not while they change.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
    for model in owned_models():
        model._default_manager.filter(owner=staging).update(owner=owner)
    for model in _denormalized_owner_models():
        model._default_manager.filter(owner_id=staging.pk).update(owner_id=owner.pk)


def publish(batch: ImportBatch, write_kept: Callable[[], None], spacer: Spacer) -> None:
    """In one transaction: the staged rows become ``batch.owner``'s and ``write_kept`` writes
    what was kept aside; then the empty staging account goes (both spaced from the
    import's other transactions by ``spacer``). Raises what ``write_kept``
    raises (nothing is then published)."""
    staging = batch.staging_owner
    assert staging is not None
    with spacer.transaction():
        move_rows(staging, batch.owner)
        write_kept()
        ImportBatch.objects.filter(pk=batch.pk).update(staging_owner=None)
    batch.staging_owner = None
    # It owns nothing any more: gone in a transaction of its own, so that the publishing one
    # stays short (the worker removes it, should this process die first).
    with spacer.transaction():
        staging.delete()


def close_empty(batch: ImportBatch, spacer: Spacer) -> None:
    """Remove the staging account of an import that staged nothing and keeps nothing."""
    staging = batch.staging_owner
    assert staging is not None
    with spacer.transaction():
        ImportBatch.objects.filter(pk=batch.pk).update(staging_owner=None)
        staging.delete()
    batch.staging_owner = None


def _remove(staging: Any) -> int:
    removed = sum(delete_owned_rows(staging).values())
    with transaction.atomic():
        ImportBatch.objects.filter(staging_owner=staging).update(staging_owner=None)
        staging.delete()
    return removed


def discard(batch: ImportBatch) -> int:
    """Remove the staged rows of a batch that will not be published, and its staging
    account; the number of rows removed. Short transactions, paced (core.deletion)."""
    batch.refresh_from_db(fields=["staging_owner"])
    staging = batch.staging_owner
    batch.staging_owner = None
    return 0 if staging is None else _remove(staging)


def discard_abandoned() -> int:
    """The worker's step: remove every staging account no import is writing to any more
    (its import failed, or the process writing it died and the batch was failed as
    stale, or the batch is gone); how many."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    writing = ImportBatch.objects.filter(
        status=Status.IMPORTING, staging_owner__isnull=False
    ).values("staging_owner")
    abandoned = user_model._default_manager.filter(is_import_staging=True).exclude(pk__in=writing)
    count = 0
    for staging in abandoned:
        _remove(staging)
        count += 1
    return count
