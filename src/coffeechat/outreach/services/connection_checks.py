"""Connection tests ("test my SMTP server", "test my mailbox") run by the worker.

A test connects wherever the user points it, so it never runs in a web request: a
silent server would hold a web thread for the whole timeout, and a dozen of them would
hold them all. Instead:

1. :func:`start` (the page) checks the rate limit, records a :class:`ConnectionCheck`
   waiting for the worker and queues the app's task. A test of the same kind already
   waiting or running is answered with that one instead of a second.
2. The task calls :func:`run`, which claims the check (waiting → running, once, however
   many workers), runs the app's test with its short timeout and records passed or
   failed with the test's own words.
3. The page shows :func:`progress_of` and polls it every second until it is done.

Settings typed in a form but not saved go to the worker encrypted and are erased when
the worker claims the check. Outreach owns the record because the SMTP test lives here;
the mailbox (a higher layer) passes its own test to :func:`run`.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coffeechat.core import throttle
from coffeechat.outreach.models import ConnectionCheck
from coffeechat.outreach.secrets import SecretUnreadable, decrypt, encrypt

logger = logging.getLogger(__name__)

PURPOSE = b"coffeechat connection check v1"
WORKER_WAIT = datetime.timedelta(seconds=60)  # then the page says no worker took it
GIVE_UP = datetime.timedelta(minutes=10)  # then the page stops asking
RUNNING_AT_MOST = datetime.timedelta(seconds=60)  # longer than any test's timeout
KEEP = 5  # finished checks kept per user and kind
THROTTLE_SCOPE = {ConnectionCheck.Kind.SMTP: "smtp-test", ConnectionCheck.Kind.IMAP: "imap-test"}

Kind = ConnectionCheck.Kind
Status = ConnectionCheck.Status

# What a test does: (the user, the typed settings or None for the saved ones) -> (ok, words).
Runner = Callable[[Any, dict[str, Any] | None], tuple[bool, str]]


class TooManyTests(Exception):
    """The user asked for more tests than the rate limit allows; the words say so."""


def start(
    user: Any,
    kind: str,
    *,
    enqueue: Callable[[int], object],
    typed: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> ConnectionCheck:
    """Record a test for the worker and queue it; raises :class:`TooManyTests`."""
    now = now or timezone.now()
    pending = (
        ConnectionCheck.objects.filter(
            owner=user,
            kind=kind,
            status__in=(Status.WAITING, Status.RUNNING),
            created_at__gte=now - WORKER_WAIT,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    scope = THROTTLE_SCOPE[Kind(kind)]
    if not throttle.allow(scope, user.pk):
        limit = throttle.LIMITS[scope][0]
        raise TooManyTests(f"You tested {limit} times in a minute: wait a minute and try again.")
    check = ConnectionCheck.objects.create(
        owner=user,
        kind=kind,
        created_at=now,
        typed_encrypted=encrypt(json.dumps(typed), PURPOSE) if typed is not None else "",
    )
    old = ConnectionCheck.objects.filter(owner=user, kind=kind).order_by("-created_at", "-pk")
    ConnectionCheck.objects.filter(pk__in=list(old.values_list("pk", flat=True)[KEEP:])).delete()
    enqueue(check.pk)
    return check


def run(check_id: int, runner: Runner, *, now: datetime.datetime | None = None) -> str:
    """The worker's side: claim the check, run the test, record the outcome."""
    check = ConnectionCheck.objects.select_related("owner").filter(pk=check_id).first()
    if check is None or check.status != Status.WAITING:
        return "skipped"
    claimed = ConnectionCheck.objects.filter(pk=check.pk, status=Status.WAITING).update(
        status=Status.RUNNING, started_at=now or timezone.now(), typed_encrypted=""
    )
    if not claimed:
        return "skipped"
    typed: dict[str, Any] | None = None
    try:
        if check.typed_encrypted:
            typed = json.loads(decrypt(check.typed_encrypted, PURPOSE))
        ok, words = runner(check.owner, typed)
    except SecretUnreadable:
        ok, words = False, "The typed settings could not be read back: type them again."
    except Exception:
        logger.exception("Connection test %s failed unexpectedly", check.pk)
        ok, words = False, "The test stopped on an unexpected error; the server log has it."
    ConnectionCheck.objects.filter(pk=check.pk).update(
        status=Status.PASSED if ok else Status.FAILED,
        message=words,
        finished_at=timezone.now(),
    )
    return "passed" if ok else "failed"


@dataclass(frozen=True, slots=True)
class Progress:
    """What the page shows about a check, and whether it should ask again."""

    check: ConnectionCheck
    words: str
    state: str  # "waiting", "running", "passed", "failed", "stopped"
    live: bool

    @property
    def ok(self) -> bool:
        return self.state == Status.PASSED


def progress_of(check: ConnectionCheck, now: datetime.datetime | None = None) -> Progress:
    now = now or timezone.now()
    if check.is_finished:
        return Progress(check, check.message, check.status, live=False)
    if check.status == Status.RUNNING:
        if check.started_at is not None and now - check.started_at > RUNNING_AT_MOST:
            return Progress(
                check,
                "The test stopped without an answer (the worker stopped during it): try again.",
                "stopped",
                live=False,
            )
        return Progress(check, "Connecting…", Status.RUNNING, live=True)
    age = now - check.created_at
    if age > GIVE_UP:
        return Progress(
            check,
            "No worker ran the test. Start `coffeechat worker` (or `coffeechat serve`, "
            "which runs one) and test again.",
            "stopped",
            live=False,
        )
    if age > WORKER_WAIT:
        return Progress(
            check,
            "Still waiting: no worker has picked the test up for a minute. Is "
            "`coffeechat worker` (or `coffeechat serve`, which runs one) running?",
            Status.WAITING,
            live=True,
        )
    return Progress(check, "Waiting for the worker…", Status.WAITING, live=True)


def check_of(user: Any, check_id: Any, kind: str | None = None) -> ConnectionCheck | None:
    """The user's own check (of that kind, if given), or None: someone else's is never
    found."""
    try:
        pk = int(check_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    checks = ConnectionCheck.objects.filter(owner=user, pk=pk)
    return (checks.filter(kind=kind) if kind else checks).first()
