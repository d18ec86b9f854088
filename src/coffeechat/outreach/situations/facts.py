"""What the situations read from the data: applications sent, conversations coming up,
who hires where, open postings with a contact. Each runs one or two queries, whatever
the size of the data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from coffeechat.conversations.models import Participant
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.models import Employment, Organization, Person
from coffeechat.outreach.requests import to_schedule
from coffeechat.targets.models import (
    SENT_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Posting,
    PostingStatus,
)
from coffeechat.targets.paths import HIRING_WORDS, NOT_HIRING_WORDS

# A conversation that started less than this long ago still counts as coming up.
PENDING_GRACE_HOURS = 12


def interviewed(application: Any) -> QuerySet[ApplicationEvent]:
    return ApplicationEvent.objects.filter(
        application=application, status=ApplicationStatus.INTERVIEWING
    )


def with_history(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("organization", "posting", "referred_by").annotate(
        had_interview=Exists(interviewed(OuterRef("pk")))
    )


def applications_at(owner: Any, organization: Organization | int) -> list[Application]:
    """Applications you have sent to ``organization`` (newest first): mention them."""
    org_id = organization if isinstance(organization, int) else organization.pk
    return list(
        with_history(owned(Application, owner))
        .filter(organization_id=org_id, status__in=SENT_STATUSES)
        .order_by("-applied_on", "-pk")
    )


def pending_conversations(owner: Any, person_ids: Iterable[int]) -> dict[int, str]:
    """People you are about to talk to, with why (upcoming or requested conversations).

    A conversation counts when it is scheduled and not over yet; the reason names its
    date, e.g. "your conversation on 3 October". A conversation you asked for, that
    they answered, and that is not scheduled yet counts too ("the conversation you
    asked for on 1 October (they replied; to schedule)"); the rule is in
    :mod:`coffeechat.outreach.requests`.
    """
    ids = set(person_ids)
    if not ids:
        return {}
    found: dict[int, str] = {}
    zone = user_zone(owner)
    since = timezone.now() - timedelta(hours=PENDING_GRACE_HOURS)
    for person_id, starts_at in (
        Participant.objects.filter(
            owner=owner,
            person_id__in=ids,
            conversation__status=ConversationStatus.SCHEDULED,
            conversation__starts_at__gte=since,
        )
        .order_by("conversation__starts_at")
        .values_list("person_id", "conversation__starts_at")
    ):
        if person_id not in found:
            local = timezone.localtime(starts_at, zone)
            found[person_id] = f"your conversation on {date_format(local.date(), 'j F')}"
    for message in to_schedule(owner, sorted(ids)):
        if message.person_id not in found:
            local = timezone.localtime(message.sent_at or message.created_at, zone)
            found[message.person_id] = (
                f"the conversation you asked for on {date_format(local.date(), 'j F')} "
                "(they replied; to schedule)"
            )
    return found


def managers_at(owner: Any, organization_ids: Iterable[int]) -> dict[int, list[Person]]:
    """Current staff with hiring authority at each organization (or suggested by title)."""
    jobs = (
        owned(Employment, owner)
        .filter(organization_id__in=list(organization_ids), is_current=True)
        .select_related("person")
        .order_by("-has_hiring_authority", "person__last_name", "pk")
    )
    flagged: dict[int, list[Person]] = {}
    suggested: dict[int, list[Person]] = {}
    for job in jobs:
        if job.person.do_not_contact:
            continue
        if job.has_hiring_authority:
            flagged.setdefault(job.organization_id, []).append(job.person)
        elif any(
            HIRING_WORDS.search(text) and not NOT_HIRING_WORDS.search(text)
            for text in (job.title, job.department)
        ):
            suggested.setdefault(job.organization_id, []).append(job.person)
    return {
        org_id: flagged.get(org_id) or suggested.get(org_id, [])
        for org_id in set(flagged) | set(suggested)
    }


def rejected_after_interview(application: Application) -> bool:
    return application.status == ApplicationStatus.REJECTED and bool(
        getattr(application, "had_interview", False)
    )


def open_postings(owner: Any, condition: Q) -> list[Posting]:
    return list(
        owned(Posting, owner)
        .filter(condition, status=PostingStatus.OPEN, contact__isnull=False)
        .select_related("organization", "contact")
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.filter(status__in=SENT_STATUSES).order_by(
                    "-applied_on", "-pk"
                ),
                to_attr="sent_applications",
            )
        )
        .order_by("organization__name", "title", "pk")
    )


def sent_application(posting: Posting) -> Application | None:
    sent: list[Application] = getattr(posting, "sent_applications", [])
    return sent[0] if sent else None
