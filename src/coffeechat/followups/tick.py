"""The worker's periodic tick: rules, in-app notifications, the daily digest.

Exactly once, and why:

- **Notifications**: one row per (follow-up, due date), enforced by a unique
  constraint. Every tick inserts the rows that are missing (``ON CONFLICT DO
  NOTHING``), so two workers at once insert each row once, and whatever came due
  while no worker ran is inserted on the next tick, once.
- **Digests**: one row per (user, local date), enforced by a unique constraint.
  A worker *claims* the row (inserts it as ``claimed``, or takes over a stale
  claim or a failed attempt with a conditional UPDATE that only one worker can
  win), *then* sends, *then* marks it ``sent`` (only if its claim still holds).
  A worker killed between claim and send leaves a claim that goes stale after
  ``DIGEST_CLAIM_TIMEOUT`` seconds and is retried. The connection to the mail
  server (and its TLS and login) is opened while the digest is only claimed; just
  before the message itself is handed over, the digest is marked ``sending`` with
  its Message-ID. A worker that dies from then on (while a slow server takes the
  message, or after it accepted it and before ``sent`` was written) leaves a
  ``sending`` digest that is **not** resent: once stale it becomes ``uncertain``.
  We err on the side of a missed digest (the Today page still lists everything)
  rather than a duplicate. See docs/follow-ups.md.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.models import User
from coffeechat.core.links import absolute_url
from coffeechat.followups import health
from coffeechat.followups.models import (
    ACTIVE,
    Digest,
    DigestStatus,
    FollowUp,
    FollowUpSettings,
    Notification,
)
from coffeechat.followups.reactions import passed_conversations
from coffeechat.followups.rules import (
    keep_in_touch,
    not_responding,
    retire_answered,
    retire_passed_preparations,
    supervisor_check_in,
)
from coffeechat.followups.schedule import digest_is_due

logger = logging.getLogger(__name__)

# Every tick rule, in the order they run: ``fn(now) -> int`` (follow-ups created).
# A rule not listed here never runs; see docs/decisions/0006-cross-app-effects.md.
RULES: tuple[Callable[[datetime.datetime], int], ...] = (
    keep_in_touch,
    supervisor_check_in,
    passed_conversations,
    retire_passed_preparations,
    retire_answered,
    not_responding,
)

MAX_DIGEST_ATTEMPTS = 5
RETRY_FAILED_AFTER = datetime.timedelta(minutes=5)


@dataclass
class TickResult:
    rules: dict[str, int] = field(default_factory=dict)
    notifications: int = 0
    digests_sent: int = 0
    digests_failed: int = 0
    seconds: float = 0.0


def _zone(name: str, cache: dict[str, zoneinfo.ZoneInfo]) -> zoneinfo.ZoneInfo:
    if name not in cache:
        try:
            cache[name] = zoneinfo.ZoneInfo(name or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            cache[name] = zoneinfo.ZoneInfo("UTC")
    return cache[name]


def run_tick(
    now: datetime.datetime | None = None, *, worker_id: str = "tick", rules: bool = True
) -> TickResult:
    """One round of the periodic work. Safe to run in several workers at once."""
    started = time.perf_counter()
    now = now or timezone.now()
    result = TickResult()
    health.record(health.WORKER, worker_id, now)
    if rules:
        result.rules = run_rules(now)
    result.notifications = create_notifications(now)
    if settings.DIGEST_EMAIL:
        sent, failed = send_digests(now, worker_id=worker_id)
        result.digests_sent, result.digests_failed = sent, failed
    result.seconds = time.perf_counter() - started
    health.record(health.WORKER, f"{worker_id} ({result.seconds:.2f} s)", now)
    return result


def run_rules(
    now: datetime.datetime, rules: tuple[Callable[[datetime.datetime], int], ...] = RULES
) -> dict[str, int]:
    """Run every rule; one failing rule does not stop the others (its count is -1)."""
    created: dict[str, int] = {}
    for rule in rules:
        try:
            created[rule.__name__] = rule(now)
        except Exception:
            logger.exception("Follow-up rule %s failed", rule.__name__)
            created[rule.__name__] = -1
    return created


# Notifications ------------------------------------------------------------------------


def due_follow_ups(now: datetime.datetime) -> list[tuple[int, int, datetime.date]]:
    """(follow-up id, owner id, due date) of every active follow-up that came due and has
    no notification for that date yet: one query, then each owner's local day."""
    # No time zone is more than a day ahead of UTC: nothing later can be due anywhere.
    horizon = now.astimezone(datetime.UTC).date() + datetime.timedelta(days=1)
    delivered = Notification.objects.filter(follow_up=OuterRef("pk"), due_on=OuterRef("remind_on"))
    rows = (
        FollowUp.objects.filter(status__in=ACTIVE, remind_on__lte=horizon)
        .filter(~Exists(delivered))
        .values_list("pk", "owner_id", "remind_on", "due_on", "due_at", "owner__profile__time_zone")
    )
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    found = []
    for pk, owner_id, remind_on, due_on, due_at, zone_name in rows:
        local = now.astimezone(_zone(zone_name or "", zones))
        if remind_on > local.date():
            continue
        if due_at is not None and remind_on == due_on and due_at > now:
            continue  # due later today, at a time
        found.append((pk, owner_id, remind_on))
    return found


def create_notifications(now: datetime.datetime) -> int:
    """Insert the missing notifications; the unique constraint makes each one once."""
    due = due_follow_ups(now)
    Notification.objects.bulk_create(
        [Notification(follow_up_id=pk, owner_id=owner, due_on=day) for pk, owner, day in due],
        batch_size=500,
        ignore_conflicts=True,
    )
    return len(due)


# Digests ------------------------------------------------------------------------------


@dataclass
class DigestCandidate:
    owner: User
    local_date: datetime.date
    items: list[FollowUp]


def digest_candidates(now: datetime.datetime) -> list[DigestCandidate]:
    """Users whose digest time has come today, who have something due and no digest yet."""
    horizon = now.astimezone(datetime.UTC).date() + datetime.timedelta(days=1)
    disabled = FollowUpSettings.objects.filter(owner_id=OuterRef("owner_id"), digest_enabled=False)
    items = (
        FollowUp.objects.filter(status__in=ACTIVE, remind_on__lte=horizon)
        .filter(~Exists(disabled))
        .select_related("owner", "owner__profile", "person", "organization")
        .order_by("owner_id", "remind_on", "due_at", "pk")
    )
    by_owner: dict[int, list[FollowUp]] = defaultdict(list)
    for item in items:
        by_owner[item.owner_id].append(item)
    if not by_owner:
        return []
    hours = dict(
        FollowUpSettings.objects.filter(owner_id__in=by_owner).values_list(
            "owner_id", "digest_hour"
        )
    )
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    wanted: list[DigestCandidate] = []
    for owner_id, owned_items in by_owner.items():
        owner = owned_items[0].owner
        if not owner.is_active or not owner.email:
            continue
        profile = getattr(owner, "profile", None)
        zone = _zone(getattr(profile, "time_zone", "") or "", zones)
        hour = hours.get(owner_id, FollowUpSettings.digest_hour.field.default)
        if not digest_is_due(now, zone, hour):
            continue
        today = now.astimezone(zone).date()
        due = [item for item in owned_items if item.remind_on <= today]
        if due:
            wanted.append(DigestCandidate(owner, today, due))
    if not wanted:
        return []
    done = set(
        Digest.objects.filter(
            owner_id__in=[c.owner.pk for c in wanted],
            local_date__in={c.local_date for c in wanted},
            status__in=[DigestStatus.SENT, DigestStatus.GAVE_UP, DigestStatus.UNCERTAIN],
        ).values_list("owner_id", "local_date")
    )
    return [c for c in wanted if (c.owner.pk, c.local_date) not in done]


def claim_digest(
    owner_id: int, local_date: datetime.date, now: datetime.datetime, worker_id: str
) -> Digest | None:
    """Take the right to send this digest, or None when another worker has it (or it is
    sent). A new claim is an INSERT under the unique constraint; an old claim is taken
    over only when stale (its worker died) or failed, by a conditional UPDATE."""
    try:
        with transaction.atomic():
            return Digest.objects.create(
                owner_id=owner_id,
                local_date=local_date,
                status=DigestStatus.CLAIMED,
                claimed_by=worker_id,
                claimed_at=now,
            )
    except IntegrityError:
        pass
    stale = now - datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT)
    taken = (
        Digest.objects.filter(owner_id=owner_id, local_date=local_date)
        .filter(
            Q(status=DigestStatus.CLAIMED, claimed_at__lt=stale)
            | Q(
                status=DigestStatus.FAILED,
                claimed_at__lt=now - RETRY_FAILED_AFTER,
                attempts__lt=MAX_DIGEST_ATTEMPTS,
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
    return Digest.objects.get(owner_id=owner_id, local_date=local_date)


def message_id_for(digest: Digest) -> str:
    """Stable across retries, so a resent digest is recognisably the same one."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "coffeechat.local"
    return f"<digest.{digest.owner_id}.{digest.local_date:%Y%m%d}.{digest.pk}@{domain}>"


def render_digest(candidate: DigestCandidate) -> tuple[str, str]:
    count = len(candidate.items)
    noun = "follow-up" if count == 1 else "follow-ups"
    subject = f"Coffeechat: {count} {noun} for {candidate.local_date:%A %-d %B}"
    lines = [f"Good morning. Due today or earlier ({count}):", ""]
    for item in candidate.items:
        when = "overdue since " if item.remind_on < candidate.local_date else "today"
        day = f"{item.remind_on:%-d %b}" if item.remind_on < candidate.local_date else ""
        channel = f" [{item.get_channel_display()}]" if item.channel else ""
        lines.append(f"- {item.title}{channel} ({when}{day})")
    lines += ["", f"Open your today list: {absolute_url(reverse('followups:today'))}", ""]
    lines.append("You get this because the daily digest is on in your follow-up settings.")
    return subject, "\n".join(lines)


def deliver_digest(candidate: DigestCandidate, now: datetime.datetime, worker_id: str) -> str:
    """Claim, send, record. Returns "sent", "failed" or "skipped" (not ours to send)."""
    digest = claim_digest(candidate.owner.pk, candidate.local_date, now, worker_id)
    if digest is None:
        return "skipped"
    logger.info(
        "Claimed the digest of user %s for %s (attempt %s)",
        candidate.owner.pk,
        candidate.local_date,
        digest.attempts,
    )
    if settings.DIGEST_TEST_PAUSE:
        time.sleep(settings.DIGEST_TEST_PAUSE)  # only the crash tests set this
    subject, body = render_digest(candidate)
    message_id = message_id_for(digest)
    email = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [candidate.owner.email],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    mailer = mailers["default"]
    handed_over = False
    try:
        # Connect, TLS and log in while a crash still means "not sent" (retried)…
        mailer.open()
        # …then record that the message is being handed over, and hand it over.
        handing_over = Digest.objects.filter(
            pk=digest.pk, claimed_by=worker_id, status=DigestStatus.CLAIMED
        ).update(
            status=DigestStatus.SENDING,
            claimed_at=timezone.now(),
            message_id=message_id,
            recipient=candidate.owner.email,
        )
        if not handing_over:  # another worker took the claim over meanwhile
            return "skipped"
        handed_over = True
        mailer.send_messages([email])
    except Exception as error:
        logger.warning("Digest for user %s failed: %s", candidate.owner.pk, error)
        text = f"{type(error).__name__}: {error}"[:500]
        if handed_over and not isinstance(error, DEFINITELY_NOT_SENT):
            # No answer (a timeout, a dropped connection) after the message was handed
            # over: the server may have taken it. Not resent, like a crash there.
            Digest.objects.filter(pk=digest.pk, claimed_by=worker_id).update(
                status=DigestStatus.UNCERTAIN, error=text
            )
            health.record(health.EMAIL_FAILURE, text)
            return "failed"
        attempts = digest.attempts
        Digest.objects.filter(pk=digest.pk, claimed_by=worker_id).update(
            status=DigestStatus.GAVE_UP if attempts >= MAX_DIGEST_ATTEMPTS else DigestStatus.FAILED,
            error=text,
            claimed_at=now,  # retried RETRY_FAILED_AFTER after this tick
        )
        health.record(health.EMAIL_FAILURE, text)
        return "failed"
    finally:
        mailer.close()
    Digest.objects.filter(pk=digest.pk, claimed_by=worker_id, status=DigestStatus.SENDING).update(
        status=DigestStatus.SENT,
        sent_at=timezone.now(),
        message_id=message_id,
        recipient=candidate.owner.email,
        items=[{"id": item.pk, "title": item.title} for item in candidate.items],
        error="",
    )
    health.record(health.EMAIL_SUCCESS, f"digest to user {candidate.owner.pk}")
    return "sent"


# Errors after which the server cannot have taken the message: an SMTP error answer, or
# no connection at all. Anything else after the hand-over leaves it uncertain.
DEFINITELY_NOT_SENT = (
    smtplib.SMTPResponseException,
    smtplib.SMTPConnectError,
    smtplib.SMTPRecipientsRefused,
    ConnectionRefusedError,
    socket.gaierror,
)


def settle_uncertain_digests(now: datetime.datetime) -> int:
    """Digests whose worker died while handing them to the mail server: ``uncertain``.

    They may have arrived (the server can take a message and the worker die before
    hearing so), so they are not resent; the Today page still lists what they held."""
    stale = now - datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT)
    settled = Digest.objects.filter(status=DigestStatus.SENDING, claimed_at__lt=stale).update(
        status=DigestStatus.UNCERTAIN,
        error="The worker stopped while the mail server was taking this digest; "
        "not resent, so that nobody gets it twice.",
    )
    if settled:
        logger.warning("%s digest(s) perhaps sent (worker stopped mid-send); not resent", settled)
    return settled


def send_digests(now: datetime.datetime, *, worker_id: str) -> tuple[int, int]:
    settle_uncertain_digests(now)
    sent = failed = 0
    for candidate in digest_candidates(now):
        outcome = deliver_digest(candidate, now, worker_id)
        sent += outcome == "sent"
        failed += outcome == "failed"
    return sent, failed
