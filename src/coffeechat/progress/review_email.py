"""The weekly review by e-mail: on the day the user chose, from 08:00 in their time zone,
the review of the last complete week, once per user and week.

Exactly once as the daily digest: a ``WeeklyReviewSent`` row per (user, week) under a
unique constraint is claimed before sending and marked sent after
(:mod:`coffeechat.followups.delivery`). The worker's ``run_periodic`` calls
:func:`send_weekly_reviews` every tick; a day the worker did not run at all is not
made up later (the next review comes the week after).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coffeechat.core.calendar import user_zone
from coffeechat.core.links import absolute_url
from coffeechat.followups import delivery
from coffeechat.progress.models import WeeklyReviewSent, WeeklyReviewSettings
from coffeechat.progress.review import Review, last_complete_week, review_of

logger = logging.getLogger(__name__)

MORNING_HOUR = 8  # local time from which the review is sent on the chosen day


@dataclass(frozen=True, slots=True)
class Candidate:
    owner: Any
    week: datetime.date  # the Monday of the week to review


def is_due(now: datetime.datetime, zone: Any, weekday: int) -> bool:
    """Whether it is the chosen day, from ``MORNING_HOUR`` on, in the user's zone."""
    local = now.astimezone(zone)
    return local.weekday() == weekday and local.hour >= MORNING_HOUR


def candidates(now: datetime.datetime) -> list[Candidate]:
    """Users whose weekly review e-mail is due now and not yet sent (or given up)."""
    wanted = []
    for chosen in (
        WeeklyReviewSettings.objects.filter(email_enabled=True, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "owner__profile")
        .order_by("owner_id")
    ):
        owner = chosen.owner
        if is_due(now, user_zone(owner), chosen.weekday):
            wanted.append(Candidate(owner, last_complete_week(owner, now).first_day))
    if not wanted:
        return []
    done = set(
        WeeklyReviewSent.objects.filter(
            Q(status__in=delivery.DONE),
            owner_id__in=[c.owner.pk for c in wanted],
            week__in={c.week for c in wanted},
        ).values_list("owner_id", "week")
    )
    return [c for c in wanted if (c.owner.pk, c.week) not in done]


def review_url(review: Review) -> str:
    return absolute_url(f"{reverse('progress:review')}?week={review.week.key}")


def render(review: Review) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the review's e-mail."""
    context = {
        "review": review,
        "url": review_url(review),
        "settings_url": absolute_url(reverse("progress:review-settings")),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    first = review.week.first_day
    subject = f"Coffeechat: your week of {first:%-d %b} ({review.week.key})"
    text = render_to_string("progress/review_email.txt", context)
    html = render_to_string("progress/review_email.html", context)
    return subject, text, html


def deliver(candidate: Candidate, now: datetime.datetime, worker_id: str) -> str:
    owner = candidate.owner
    review = review_of(owner, None, now)

    def build(row: WeeklyReviewSent) -> EmailMessage:
        subject, text, html = render(review)
        email = EmailMultiAlternatives(
            subject,
            text,
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
            headers={
                "Message-ID": delivery.message_id("weekly-review", owner.pk, row.week, row.pk),
                "Auto-Submitted": "auto-generated",
            },
        )
        email.attach_alternative(html, "text/html")
        return email

    return delivery.deliver(
        WeeklyReviewSent,
        {"owner_id": owner.pk, "week": candidate.week},
        now,
        worker_id,
        build,
        {"counts": review.counts},
        what=f"the weekly review of user {owner.pk} for {review.week.key}",
    )


def send_weekly_reviews(
    now: datetime.datetime | None = None, *, worker_id: str = "tick"
) -> tuple[int, int]:
    """Send every weekly review due now; (sent, failed). Nothing without a mail server."""
    if not settings.EMAIL_CONFIGURED:
        return 0, 0
    now = now or timezone.now()
    delivery.settle_uncertain(WeeklyReviewSent, now)
    sent = failed = 0
    for candidate in candidates(now):
        try:
            outcome = deliver(candidate, now, worker_id)
        except Exception:
            logger.exception("The weekly review of user %s failed", candidate.owner.pk)
            outcome = "failed"
        sent += outcome == "sent"
        failed += outcome == "failed"
    return sent, failed
