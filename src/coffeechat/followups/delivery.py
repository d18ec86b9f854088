"""Exactly-once e-mail of a periodic message: the daily digest, the weekly review.

A message is one row of a model built on :class:`coffeechat.followups.models.Delivery`
with a unique constraint on its keys (say owner and local date). A worker *claims* the
row (inserts it as ``claimed``, or takes over a stale claim or a failed attempt with a
conditional UPDATE that only one worker can win), *then* sends, *then* marks it
``sent`` (only if its claim still holds). Two workers at once send it once; a worker
killed between claim and send leaves a claim that goes stale after
``DIGEST_CLAIM_TIMEOUT`` seconds and is retried.

The connection to the mail server (its TLS and login) is opened while the row is only
claimed; just before the message itself is handed over, the row is marked ``sending``
with its Message-ID. A worker that dies from then on (while a slow server takes the
message, or after it accepted it and before ``sent`` was written) leaves a ``sending``
row that is **not** resent: once stale, :func:`settle_uncertain` makes it
``uncertain``. The same after a timeout or a dropped connection during the hand-over.
We err on the side of a missed message (the pages still show everything) rather than
a duplicate. See docs/follow-ups.md.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from coffeechat.followups import health
from coffeechat.followups.models import Delivery, DigestStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_FAILED_AFTER = datetime.timedelta(minutes=5)
# Rows that are never sent again: sent, given up, or perhaps sent.
DONE = (DigestStatus.SENT, DigestStatus.GAVE_UP, DigestStatus.UNCERTAIN)

# Errors after which the server cannot have taken the message: an SMTP error answer, or
# no connection at all. Anything else after the hand-over leaves it uncertain.
DEFINITELY_NOT_SENT = (
    smtplib.SMTPResponseException,
    smtplib.SMTPConnectError,
    smtplib.SMTPRecipientsRefused,
    ConnectionRefusedError,
    socket.gaierror,
)


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
    message_id = email.extra_headers.get("Message-ID", "")
    recipient = ", ".join(email.to)
    mailer = mailers["default"]
    handed_over = False
    try:
        # Connect, TLS and log in while a crash still means "not sent" (retried)…
        mailer.open()
        # …then record that the message is being handed over, and hand it over.
        handing_over = model._default_manager.filter(
            pk=row.pk, claimed_by=worker_id, status=DigestStatus.CLAIMED
        ).update(
            status=DigestStatus.SENDING,
            claimed_at=timezone.now(),
            message_id=message_id,
            recipient=recipient,
        )
        if not handing_over:  # another worker took the claim over meanwhile
            return "skipped"
        handed_over = True
        mailer.send_messages([email])
    except Exception as error:
        logger.warning("Sending %s failed: %s", what, error)
        text = f"{type(error).__name__}: {error}"[:500]
        mine = model._default_manager.filter(pk=row.pk, claimed_by=worker_id)
        if handed_over and not isinstance(error, DEFINITELY_NOT_SENT):
            # No answer (a timeout, a dropped connection) after the message was handed
            # over: the server may have taken it. Not resent, like a crash there.
            mine.update(status=DigestStatus.UNCERTAIN, error=text)
        else:
            mine.update(
                status=DigestStatus.GAVE_UP
                if row.attempts >= MAX_ATTEMPTS
                else DigestStatus.FAILED,
                error=text,
                claimed_at=now,  # retried RETRY_FAILED_AFTER after this tick
            )
        health.record(health.EMAIL_FAILURE, text)
        return "failed"
    finally:
        mailer.close()
    model._default_manager.filter(
        pk=row.pk, claimed_by=worker_id, status=DigestStatus.SENDING
    ).update(
        status=DigestStatus.SENT,
        sent_at=timezone.now(),
        message_id=message_id,
        recipient=recipient,
        error="",
        **(record or {}),
    )
    health.record(health.EMAIL_SUCCESS, f"{model._meta.verbose_name} to user {row.owner_id}")
    return "sent"


def settle_uncertain(model: type[Delivery], now: datetime.datetime) -> int:
    """Rows whose worker died while handing them to the mail server become
    ``uncertain``: they may have arrived, so they are not resent."""
    stale = now - datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT)
    noun = model._meta.verbose_name
    settled = model._default_manager.filter(
        status=DigestStatus.SENDING, claimed_at__lt=stale
    ).update(
        status=DigestStatus.UNCERTAIN,
        error=f"The worker stopped while the mail server was taking this {noun}; "
        "not resent, so that nobody gets it twice.",
    )
    if settled:
        logger.warning("%s %s(s) perhaps sent (worker stopped mid-send); not resent", settled, noun)
    return settled
