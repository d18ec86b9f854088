"""Scheduled backups: the worker takes one every ``COFFEECHAT_BACKUP_EVERY_HOURS`` and
keeps the newest ``COFFEECHAT_BACKUP_KEEP`` in the backup folder. The last success and
failure are kept for ``/health/``.
"""

from __future__ import annotations

import datetime
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from coffeechat.followups import health
from coffeechat.server.backups import PREFIX, SUFFIX, write_backup

logger = logging.getLogger(__name__)

# After a failed scheduled backup, the next try comes this much later (or at the
# regular interval, when that is shorter).
RETRY_AFTER = datetime.timedelta(minutes=15)
_running = threading.Lock()


def record_success(path: Path) -> None:
    health.record(health.BACKUP_SUCCESS, path.name)


def record_failure(error: BaseException) -> None:
    health.record(health.BACKUP_FAILURE, f"{type(error).__name__}: {error}")


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` of the backups this schedule wrote in ``folder``
    (files named coffeechat-YYYYMMDD-HHMMSS.tar.gz); returns the deleted ones."""
    if keep <= 0:
        return []
    found = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"), key=lambda path: path.name[: -len(SUFFIX)])
    removed = found[:-keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def take_scheduled_backup(now: datetime.datetime | None = None) -> Path | None:
    """Take the backup when one is due and no other worker took it; None otherwise."""
    every = settings.BACKUP_EVERY_HOURS
    if every <= 0:
        return None
    now = now or timezone.now()
    interval = datetime.timedelta(hours=every)
    if not health.claim(health.BACKUP_CLAIM, now - interval, now):
        return None
    try:
        path, _manifest = write_backup(now=now)
    except Exception as error:
        logger.exception("The scheduled backup failed")
        record_failure(error)
        retry = now - interval + min(interval, RETRY_AFTER)
        health.record(health.BACKUP_CLAIM, "retry", at=retry)
        return None
    record_success(path)
    for old in prune(path.parent, settings.BACKUP_KEEP):
        logger.info("Removed the old backup %s", old)
    logger.info("Wrote the scheduled backup %s", path)
    return path


def _run() -> None:
    try:
        take_scheduled_backup()
    except Exception:
        logger.exception("The scheduled backup could not start")
    finally:
        connections.close_all()
        _running.release()


def start_scheduled_backup(*, wait: bool = False) -> None:
    """Called by the worker's ticker: a due backup runs in its own thread (the tick goes
    on meanwhile), or here with ``wait`` (``coffeechat worker --batch``)."""
    if settings.BACKUP_EVERY_HOURS <= 0 or not _running.acquire(blocking=False):
        return
    if wait:
        _run()
        return
    threading.Thread(target=_run, name="coffeechat-backup", daemon=True).start()
