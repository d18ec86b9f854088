"""Background tasks for large files (the Django Tasks framework, database backend)."""

from __future__ import annotations

from django.tasks import task

from coffeechat.imports import services
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.undo import undo


@task
def preview_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("owner").filter(pk=batch_id).first()
    if batch is None or batch.status != Status.PREVIEWING:
        return "skipped"
    services.preview(batch)
    return batch.status


@task
def commit_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("owner").filter(pk=batch_id).first()
    if batch is None or batch.status != Status.IMPORTING:
        return "skipped"
    services.commit(batch, claimed=True)
    return batch.status


@task
def undo_batch(batch_id: int, delete_touched: bool) -> str:
    batch = ImportBatch.objects.select_related("owner").filter(pk=batch_id).first()
    if batch is None or batch.status != Status.UNDOING:
        return "skipped"
    undo(batch, delete_touched=delete_touched, claimed=True)
    return Status.UNDONE
