"""Batches whose process died: found by the worker, failed with a plain message.

A running batch (reading the file, importing, undoing) shows it is alive by a
heartbeat: its row's ``updated_at`` (written at least every few seconds while rows
are read or written) and the small progress file a write inside a transaction
reports to. A batch with neither for :data:`STALE_AFTER` is stale: the process
that ran it was killed or crashed. An import writes its rows under a hidden staging
account and publishes them at once (:mod:`coffeechat.imports.staging`), so a dead
import wrote nothing that anyone can see: the batch is marked failed, its staged
rows are removed (in short transactions) and its uploaded file is deleted. A dead
undo (short transactions) goes back to imported, to be undone again.

A batch whose background task is still queued (waiting behind another import)
is not stale: it has not started yet.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from coffeechat.imports import services, staging
from coffeechat.imports.models import ImportBatch, Status

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=10)
RUNNING = (Status.PREVIEWING, Status.IMPORTING, Status.UNDOING)

MESSAGES = {
    Status.PREVIEWING: "{name}: reading the file stopped without finishing (the process "
    "running it ended, for example on a restart). Nothing was written.",
    Status.IMPORTING: "{name}: the import stopped without finishing (the process running "
    "it ended, for example on a restart). Nothing was written: an import lands whole "
    "or not at all.",
    Status.UNDOING: "{name}: the undo stopped without finishing (the process running it "
    "ended). Part of what the import added may already be gone; undo it again to remove "
    "the rest.",
}


def heartbeat(batch: ImportBatch) -> datetime.datetime:
    """The last sign of life of a running batch."""
    beat = batch.updated_at
    try:
        mtime = services.progress_path(batch).stat().st_mtime
    except OSError:
        return beat
    return max(beat, datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC))


def is_stale(batch: ImportBatch, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return batch.status in RUNNING and now - heartbeat(batch) >= STALE_AFTER


def _queued_batch_ids() -> set[int]:
    """Batches with a background task that has not started yet."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        status="READY", task_path__startswith="coffeechat.imports.tasks."
    ).values_list("args_kwargs", flat=True)
    ids: set[int] = set()
    for args_kwargs in rows:
        args: Any = (args_kwargs or {}).get("args") or []
        if args and isinstance(args[0], int):
            ids.add(args[0])
    return ids


def fail_stale(batch: ImportBatch, now: datetime.datetime | None = None) -> bool:
    """Mark ``batch`` failed if it is still stale (checked again under the row's lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if locked is None or not is_stale(locked, now):
            return False
        message = MESSAGES[Status(locked.status)].format(name=locked.original_name)
        # An undo that died leaves the batch imported, to be undone again: it removes rows in
        # short transactions, and running it again removes what is left (imports/undo.py).
        status = Status.IMPORTED if locked.status == Status.UNDOING else Status.FAILED
        ImportBatch.objects.filter(pk=locked.pk).update(
            status=status, phase="", error=message, finished_at=now, updated_at=now
        )
    batch.refresh_from_db()
    services.clear_live_progress(batch)
    if batch.status == Status.FAILED:
        services.delete_upload(batch)
        staging.discard(batch)
    return True


def fail_stale_batches(now: datetime.datetime | None = None) -> int:
    """The worker's step: fail every stale batch, and remove the staged rows no import
    will publish any more; how many batches it failed."""
    now = now or timezone.now()
    queued = _queued_batch_ids()
    failed = 0
    for batch in ImportBatch.objects.filter(status__in=RUNNING).exclude(pk__in=queued):
        if is_stale(batch, now) and fail_stale(batch, now):
            logger.warning("Import batch %s had stopped; marked as failed", batch.pk)
            failed += 1
    staging.discard_abandoned()
    return failed


def remove_orphan_files(now: datetime.datetime | None = None) -> int:
    """Delete upload and progress files no batch needs (a process killed while storing an
    upload leaves a file without a batch). Only files older than :data:`STALE_AFTER`, so
    an upload being stored right now is left alone. How many it deleted."""
    now = now or timezone.now()
    folder = services.upload_dir()
    kept = set(ImportBatch.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    running = {
        f"progress-{pk}.json"
        for pk in ImportBatch.objects.filter(status__in=RUNNING).values_list("pk", flat=True)
    }
    removed = 0
    for path in folder.iterdir():
        if path.name in kept or path.name in running or not path.is_file():
            continue
        if not (path.suffix == ".upload" or path.name.startswith("progress-")):
            continue
        modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
        if now - modified >= STALE_AFTER:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
