"""The background worker: queued tasks (imports of large files) and the periodic tick.

``coffeechat worker`` runs it in its own process; ``coffeechat serve`` runs one in
a thread beside the web server unless ``COFFEECHAT_EMBEDDED_WORKER`` is off, so a
single user needs one command. Beside the task loop, a ticker thread runs the
follow-ups tick (rules, notifications, digests, the heartbeat), the bench's
retention and the weekly review e-mails every ``COFFEECHAT_TICK_SECONDS``, and after
them the scheduled backup when one is due (``COFFEECHAT_BACKUP_EVERY_HOURS``, see
server/backup_schedule.py).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time

from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from coffeechat.bench import front_door, keep_warm, retention
from coffeechat.followups.tick import run_tick
from coffeechat.imports import stale
from coffeechat.mailbox.sync import sync_due
from coffeechat.network import search
from coffeechat.progress.review_email import send_weekly_reviews
from coffeechat.server.backup_schedule import start_scheduled_backup

logger = logging.getLogger(__name__)


def worker_id(name: str) -> str:
    return f"{name}-{socket.gethostname()}-{os.getpid()}"[:64]


def make_worker(*, interval: float = 1.0, batch: bool = False, name: str = "worker") -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(name),
        excluded_queue_names=[],
    )


def run_periodic(name: str = "worker", now: datetime.datetime | None = None) -> None:
    """Every periodic job of a tick, each on its own: a failing one does not stop the
    others (logged, never raised; the next tick retries).

    - the follow-ups tick (rules, notifications, digests, the heartbeat);
    - keep-in-touch items of benched people open the bench's own note;
    - the bench's retention: forget the candidates not in touch for as long as their
      owner chose (``coffeechat.bench.retention``; followups sits below the bench and
      cannot call it, so the worker does);
    - front-door requests declined more than 30 days ago are deleted;
    - the weekly review e-mails that are due (``coffeechat.progress.review_email``);
    - people changed since the last search or import are indexed for search;
    - imports whose process died are failed, their files removed (imports/stale.py);
    - connected mailboxes not synced for a few minutes are synced (``coffeechat.mailbox``).
    """
    try:
        run_tick(now, worker_id=worker_id(name))
    except Exception:
        logger.exception("The follow-ups tick failed")
    try:
        keep_warm.point_drafts_at_bench()
    except Exception:
        logger.exception("Pointing keep-in-touch items at the bench's note failed")
    try:
        retention.enforce(now)
    except Exception:
        logger.exception("The bench retention failed")
    try:
        front_door.forget_declined(now)
    except Exception:
        logger.exception("Forgetting declined front-door requests failed")
    try:
        send_weekly_reviews(now, worker_id=worker_id(name))
    except Exception:
        logger.exception("Sending the weekly review e-mails failed")
    try:
        search.refresh()
    except Exception:
        logger.exception("Bringing the search index up to date failed")
    try:
        stale.fail_stale_batches(now)
        stale.remove_orphan_files(now)
    except Exception:
        logger.exception("Failing stopped imports failed")
    try:
        sync_due(now)
    except Exception:
        logger.exception("The mailbox sync failed")


def tick_once(name: str = "worker", *, wait_for_backup: bool = False) -> None:
    """One tick of :func:`run_periodic`, then this thread's connections are closed and
    a due backup starts (in its own thread unless ``wait_for_backup``)."""
    try:
        run_periodic(name)
    finally:
        connections.close_all()  # this thread's connections only
    start_scheduled_backup(wait=wait_for_backup)


class Ticker:
    """Runs :func:`tick_once` every ``seconds`` until ``running`` is cleared."""

    def __init__(self, seconds: float, name: str = "worker") -> None:
        self.seconds = seconds
        self.name = name
        self.running = True

    def run(self) -> None:
        while self.running:
            started = time.monotonic()
            tick_once(self.name)
            while self.running and time.monotonic() - started < self.seconds:
                time.sleep(min(0.2, self.seconds))


def start_ticker(seconds: float, name: str = "worker") -> tuple[Ticker, threading.Thread]:
    ticker = Ticker(seconds, name)
    thread = threading.Thread(target=ticker.run, name="coffeechat-ticker", daemon=True)
    thread.start()
    return ticker, thread


def start_embedded_worker(
    interval: float = 1.0, tick_seconds: float | None = None
) -> tuple[Worker, threading.Thread]:
    """Run a worker (and the ticker) in daemon threads of this process; stop the worker
    with ``worker.running = False``."""
    from django.conf import settings

    worker = make_worker(interval=interval, name="embedded")
    thread = threading.Thread(target=worker.run, name="coffeechat-worker", daemon=True)
    thread.start()
    seconds = settings.TICK_SECONDS if tick_seconds is None else tick_seconds
    if seconds > 0:
        start_ticker(seconds, "embedded")
    return worker, thread
