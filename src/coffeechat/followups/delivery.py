"""Exactly-once e-mail of a periodic message: the daily digest, the weekly review.

A message is one row of a model built on :class:`coffeechat.followups.models.Delivery`
with a unique constraint on its keys (say owner and local date). A worker *claims* the
row (inserts it as ``claimed``, or takes over a stale claim or a failed attempt with a
conditional UPDATE that only one worker can win), *then* sends, *then* marks it
``sent`` (only if its claim still holds). Two workers at once send it once; a worker
killed between claim and send leaves a claim that goes stale after
``DIGEST_CLAIM_TIMEOUT`` seconds and is retried. A crash after the mail server
accepted the message and before the database recorded it (milliseconds) sends it
again on retry, with the same Message-ID. See docs/follow-ups.md.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from coffeechat.followups import health
from coffeechat.followups.models import Delivery, DigestStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_FAILED_AFTER = datetime.timedelta(minutes=5)


def claim[D: Delivery](
    model: type[D], keys: dict[str, Any], now: datetime.datetime, worker_id: str
) -> D | None:
    """Take the right to send the row with ``keys``, or None when another worker has it
    (or it is sent, or it gave up). A new claim is an INSERT under the unique
    constraint; an old claim is taken over only when stale or failed."""
    try:
        with transaction.atomic():
            return model._default_manager.create(
                **keys, status=DigestStatus.CLAIMED, claimed_by=worker_id, claimed_at=now
            )
    except IntegrityError:
        pass
    stale = now - datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT)
    taken = (
        model._default_manager.filter(**keys)
        .filter(
            Q(status=DigestStatus.CLAIMED, claimed_at__lt=stale)
            | Q(
                status=DigestStatus.FAILED,
                claimed_at__lt=now - RETRY_FAILED_AFTER,
                attempts__lt=MAX_ATTEMPTS,
            )
        )
        .update(
            status=DigestStatus.CLAIMED,
            claimed_by=worker_id,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    if not taken:
        return None
    return model._default_manager.get(**keys)


def message_id(kind: str, owner_id: int, day: datetime.date, pk: int) -> str:
    """Stable across retries, so a resent message is recognisably the same one."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "coffeechat.local"
    return f"<{kind}.{owner_id}.{day:%Y%m%d}.{pk}@{domain}>"


def deliver[D: Delivery](
    model: type[D],
    keys: dict[str, Any],
    now: datetime.datetime,
    worker_id: str,
    build: Callable[[D], EmailMessage],
    record: dict[str, Any] | None = None,
    *,
    what: str,
) -> str:
    """Claim, send the message ``build`` makes, record. Returns "sent", "failed" or
    "skipped" (not ours to send). ``record``: more fields to save with "sent";
    ``what`` names it in the log ("the digest of user 3 for 2026-03-02")."""
    row = claim(model, keys, now, worker_id)
    if row is None:
        return "skipped"
    logger.info("Claimed %s (attempt %s)", what, row.attempts)
    if settings.DIGEST_TEST_PAUSE:
        time.sleep(settings.DIGEST_TEST_PAUSE)  # only the crash tests set this
    email = build(row)
    try:
        email.send(using="default")
    except Exception as error:
        logger.warning("Sending %s failed: %s", what, error)
        text = f"{type(error).__name__}: {error}"[:500]
        model._default_manager.filter(pk=row.pk, claimed_by=worker_id).update(
            status=DigestStatus.GAVE_UP if row.attempts >= MAX_ATTEMPTS else DigestStatus.FAILED,
            error=text,
        )
        health.record(health.EMAIL_FAILURE, text)
        return "failed"
    model._default_manager.filter(
        pk=row.pk, claimed_by=worker_id, status=DigestStatus.CLAIMED
    ).update(
        status=DigestStatus.SENT,
        sent_at=timezone.now(),
        message_id=email.extra_headers.get("Message-ID", ""),
        recipient=", ".join(email.to),
        error="",
        **(record or {}),
    )
    health.record(health.EMAIL_SUCCESS, f"{model._meta.verbose_name} to user {row.owner_id}")
    return "sent"
