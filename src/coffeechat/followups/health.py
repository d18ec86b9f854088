"""Is the background work alive? The worker's heartbeat and the last e-mail outcome.

Rows of ServiceStatus, read in one query: ``worker`` (the last tick),
``email_success`` and ``email_failure`` (the last delivery of each kind),
``backup_success`` and ``backup_failure`` (written by server.backups), and
``backup_claim`` (which worker takes the next scheduled backup).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coffeechat.followups.models import ServiceStatus

WORKER = "worker"
EMAIL_SUCCESS = "email_success"
EMAIL_FAILURE = "email_failure"
BACKUP_SUCCESS = "backup_success"
BACKUP_FAILURE = "backup_failure"
BACKUP_CLAIM = "backup_claim"
STALE_AFTER = datetime.timedelta(minutes=10)


def record(key: str, detail: str = "", at: datetime.datetime | None = None) -> None:
    ServiceStatus.objects.update_or_create(
        key=key, defaults={"at": at or timezone.now(), "detail": detail[:2000]}
    )


def claim(key: str, not_after: datetime.datetime, now: datetime.datetime) -> bool:
    """Take the ``key`` row for this process when it is older than ``not_after`` (or
    missing): one conditional UPDATE, so of several workers only one wins."""
    if ServiceStatus.objects.filter(key=key, at__lte=not_after).update(at=now):
        return True
    _row, created = ServiceStatus.objects.get_or_create(key=key, defaults={"at": now})
    return created


@dataclass(frozen=True)
class Health:
    now: datetime.datetime
    worker_at: datetime.datetime | None
    worker_detail: str
    email_success_at: datetime.datetime | None
    email_failure_at: datetime.datetime | None
    email_error: str
    backup_success_at: datetime.datetime | None = None
    backup_failure_at: datetime.datetime | None = None

    @property
    def worker_stale(self) -> bool:
        return self.worker_at is None or self.now - self.worker_at > STALE_AFTER

    @property
    def email_failing(self) -> bool:
        return self.email_failure_at is not None and (
            self.email_success_at is None or self.email_failure_at > self.email_success_at
        )

    @property
    def backup_failing(self) -> bool:
        return self.backup_failure_at is not None and (
            self.backup_success_at is None or self.backup_failure_at > self.backup_success_at
        )

    @property
    def email_state(self) -> str:
        """``ok``, ``failing since <when>`` (the first failure after the last success is
        not kept: the last failure stands for it) or ``no e-mail sent yet``."""
        if self.email_failing and self.email_failure_at is not None:
            return f"failing since {self.email_failure_at.isoformat()}"
        return "ok" if self.email_success_at else "no e-mail sent yet"

    @property
    def ok(self) -> bool:
        return not self.worker_stale and not self.email_failing and not self.backup_failing

    @property
    def warnings(self) -> list[str]:
        """What is wrong and what to do, in the user's words."""
        found = []
        if self.worker_stale:
            when = (
                "has never run"
                if self.worker_at is None
                else f"last ran {timezone.localtime(self.worker_at):%Y-%m-%d %H:%M}"
            )
            found.append(
                f"Reminders are not being delivered: the background worker {when}. "
                "Start it with `coffeechat worker`, or run `coffeechat serve` without "
                "--no-worker."
            )
        if self.email_failing:
            found.append(
                "The last reminder e-mail could not be sent"
                + (f" ({self.email_error})" if self.email_error else "")
                + ". Check EMAIL_URL in the configuration; the digest is retried."
            )
        return found

    def as_json(self) -> dict[str, Any]:
        def iso(moment: datetime.datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "status": "ok" if self.ok else "degraded",
            "ok": self.ok,
            "database": {"ok": True},
            "worker": {
                "last_ran": iso(self.worker_at),
                "seconds_ago": None
                if self.worker_at is None
                else int((self.now - self.worker_at).total_seconds()),
                "stale": self.worker_stale,
            },
            "email": {
                "last_success": iso(self.email_success_at),
                "last_failure": iso(self.email_failure_at),
                "failing": self.email_failing,
                "state": self.email_state,
            },
            "backups": {
                "schedule": backup_schedule(),
                "last_success": iso(self.backup_success_at),
                "last_failure": iso(self.backup_failure_at),
                "failing": self.backup_failing,
            },
            # Mailbox syncs (issue 17) are not built yet: nothing to report.
        }


def backup_schedule() -> str:
    """``every 24 h, keep 7`` or ``not configured`` (COFFEECHAT_BACKUP_EVERY_HOURS)."""
    from django.conf import settings

    every = settings.BACKUP_EVERY_HOURS
    return f"every {every} h, keep {settings.BACKUP_KEEP}" if every > 0 else "not configured"


def current(now: datetime.datetime | None = None) -> Health:
    rows = {row.key: row for row in ServiceStatus.objects.all()}
    worker, ok, failed = rows.get(WORKER), rows.get(EMAIL_SUCCESS), rows.get(EMAIL_FAILURE)
    backed_up, backup_failed = rows.get(BACKUP_SUCCESS), rows.get(BACKUP_FAILURE)
    return Health(
        now=now or timezone.now(),
        worker_at=worker.at if worker else None,
        worker_detail=worker.detail if worker else "",
        email_success_at=ok.at if ok else None,
        email_failure_at=failed.at if failed else None,
        email_error=failed.detail if failed else "",
        backup_success_at=backed_up.at if backed_up else None,
        backup_failure_at=backup_failed.at if backup_failed else None,
    )
