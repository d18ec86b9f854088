"""The worker's periodic tick: rules, in-app notifications, the daily digest.

Exactly once, and why:

- **Notifications**: one row per (follow-up, due date), enforced by a unique
  constraint. Every tick inserts the rows that are missing (``ON CONFLICT DO
  NOTHING``), so two workers at once insert each row once, and whatever came due
  while no worker ran is inserted on the next tick, once.
- **Digests**: one row per (user, local date), enforced by a unique constraint,
  claimed before sending, marked ``sending`` just before the hand-over and ``sent``
  after; a digest that may have arrived is never resent:
  :mod:`coffeechat.followups.delivery` (the weekly review e-mail uses it too). See
  docs/follow-ups.md.
"""

from __future__ import annotations

import datetime
import logging
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.models import User
from coffeechat.core.links import absolute_url
from coffeechat.followups import delivery, health
from coffeechat.followups.models import (
    ACTIVE,
    Digest,
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

MAX_DIGEST_ATTEMPTS = delivery.MAX_ATTEMPTS


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
    # One line per tick: the log shows the worker is alive and how long its ticks take.
    logger.info(
        "Tick of %s done in %.2f s: %d digests sent, %d failed, %d notifications",
        worker_id,
        result.seconds,
        result.digests_sent,
        result.digests_failed,
        result.notifications,
    )
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
            status__in=delivery.DONE,
        ).values_list("owner_id", "local_date")
    )
    return [c for c in wanted if (c.owner.pk, c.local_date) not in done]


def claim_digest(
    owner_id: int, local_date: datetime.date, now: datetime.datetime, worker_id: str
) -> Digest | None:
    """Take the right to send this digest, or None when another worker has it (or it is
    sent): :func:`coffeechat.followups.delivery.claim`."""
    return delivery.claim(Digest, {"owner_id": owner_id, "local_date": local_date}, now, worker_id)


def message_id_for(digest: Digest) -> str:
    """Stable across retries, so a resent digest is recognisably the same one."""
    return delivery.message_id("digest", digest.owner_id, digest.local_date, digest.pk)


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

    def build(digest: Digest) -> EmailMessage:
        subject, body = render_digest(candidate)
        return EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [candidate.owner.email],
            headers={"Message-ID": message_id_for(digest), "Auto-Submitted": "auto-generated"},
        )

    return delivery.deliver(
        Digest,
        {"owner_id": candidate.owner.pk, "local_date": candidate.local_date},
        now,
        worker_id,
        build,
        {"items": [{"id": item.pk, "title": item.title} for item in candidate.items]},
        what=f"the digest of user {candidate.owner.pk} for {candidate.local_date}",
    )


def send_digests(now: datetime.datetime, *, worker_id: str) -> tuple[int, int]:
    delivery.settle_uncertain(Digest, now)
    sent = failed = 0
    for candidate in digest_candidates(now):
        outcome = deliver_digest(candidate, now, worker_id)
        sent += outcome == "sent"
        failed += outcome == "failed"
    return sent, failed
