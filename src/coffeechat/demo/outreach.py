"""A few messages for the demo account: drafts, sent ones, replies, a nudge.

Built after the demo's targets, from its rows, deterministic for a given network.
Uses the real composer, so the demo shows what a user would get.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from anyascii import anyascii
from django.utils import timezone

from coffeechat.network.models import Employment
from coffeechat.outreach import services
from coffeechat.outreach.models import Channel, Purpose


def build_demo_messages(
    owner: Any, target_names: list[str], today: datetime.date
) -> dict[str, int]:
    """Up to six messages to people at the demo's targets; returns counts for the summary."""
    jobs = list(
        Employment.objects.filter(
            owner=owner,
            is_current=True,
            organization__name__in=target_names,
            person__do_not_contact=False,
        )
        .select_related("person", "organization")
        .order_by("organization__name", "person__last_name", "pk")
    )
    seen: set[int] = set()
    people: list[Employment] = []
    for job in jobs:
        if job.person_id not in seen and job.organization_id not in {
            j.organization_id for j in people
        }:
            seen.add(job.person_id)
            people.append(job)
        if len(people) == 6:
            break
    noon = datetime.time(12, 0, tzinfo=datetime.UTC)
    counts = {"messages": 0, "messages_replied": 0}
    plan = [
        (Purpose.INFORMATIONAL, Channel.EMAIL, 12, "replied"),
        (Purpose.INFORMATIONAL, Channel.LINKEDIN, 9, "sent"),
        (Purpose.REFERRAL, Channel.EMAIL, 6, "replied"),
        (Purpose.COLD_MANAGER, Channel.EMAIL, 4, "sent"),
        (Purpose.INFORMATIONAL, Channel.EMAIL, 0, "draft"),
        (Purpose.THANK_YOU, Channel.EMAIL, 2, "sent"),
    ]
    for job, (purpose, channel, days_ago, outcome) in zip(people, plan, strict=False):
        extra = {"conversation_date": (today - datetime.timedelta(days=days_ago + 1)).isoformat()}
        message = services.compose(
            owner, job.person, purpose, channel=channel, organization=job.organization, extra=extra
        )
        if channel == Channel.EMAIL and not message.to_email:
            local = re.sub(r"[^a-z]", "", anyascii(job.person.full_name).lower()) or "contact"
            message.to_email = f"{local}@example.org"
        services.save_draft(owner, message)
        counts["messages"] += 1
        if outcome == "draft":
            continue
        sent_at = datetime.datetime.combine(today - datetime.timedelta(days=days_ago), noon)
        services.mark_sent(message, min(sent_at, timezone.now()))
        if outcome == "replied":
            services.mark_replied(
                message, min(sent_at + datetime.timedelta(days=2), timezone.now())
            )
            counts["messages_replied"] += 1
    return counts
