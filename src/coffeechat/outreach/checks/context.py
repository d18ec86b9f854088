"""What the etiquette checks know about the person, read once in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from coffeechat.core.calendar import local_today, user_country, user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.connections import people_around
from coffeechat.network.models import Employment, Membership, Person, Tie, TieKind
from coffeechat.outreach.models import Message, Status
from coffeechat.outreach.policy import DEFAULT, NoReplyPolicy, policy_of
from coffeechat.targets.models import SENT_STATUSES, Application

RECENT_AT_ORGANIZATION_DAYS = 7


@dataclass(frozen=True, slots=True)
class SentBefore:
    pk: int
    purpose: str
    status: str
    sent_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    nudge_due_on: datetime.date | None = None


@dataclass
class CheckContext:
    """What the checks know about the person, loaded once."""

    person: Person
    today: datetime.date
    country: str
    zone: Any
    organizations: dict[int, str] = field(default_factory=dict)
    applications: list[Application] = field(default_factory=list)
    listed_for: list[Application] = field(default_factory=list)
    previous: list[SentBefore] = field(default_factory=list)
    recent_at_organization: list[Message] = field(default_factory=list)
    connection_names: set[str] = field(default_factory=set)
    mutual: list[str] = field(default_factory=list)  # who may be named as a mutual connection
    knows_them: list[str] = field(default_factory=list)  # who has a tie with them or works there
    close_tie: bool = False
    alternatives: list[str] = field(default_factory=list)
    signature: str = ""
    policy: NoReplyPolicy = DEFAULT


def load_context(
    owner: Any,
    person: Person,
    *,
    organization_id: int | None = None,
    exclude_message: int | None = None,
    now: datetime.datetime | None = None,
) -> CheckContext:
    """Everything the checks need about ``person``, in a fixed number of queries."""
    now = now or timezone.now()
    profile = getattr(owner, "profile", None)
    ctx = CheckContext(
        person=person,
        today=local_today(owner, now),
        country=user_country(owner),
        zone=user_zone(owner),
        signature=(getattr(profile, "signature", "") or "").strip(),
        policy=policy_of(owner),
    )
    for org_id, name in (
        owned(Employment, owner)
        .filter(person=person, is_current=True)
        .values_list("organization_id", "organization__name")
    ):
        ctx.organizations[org_id] = name
    if organization_id is not None and organization_id not in ctx.organizations:
        from coffeechat.network.models import Organization

        org_name = (
            owned(Organization, owner)
            .filter(pk=organization_id)
            .values_list("name", flat=True)
            .first()
        )
        if org_name is not None:
            ctx.organizations[organization_id] = org_name
    org_ids = list(ctx.organizations)
    sent = owned(Application, owner).filter(status__in=SENT_STATUSES)
    ctx.applications = list(
        sent.filter(organization_id__in=org_ids)
        .select_related("organization", "posting")
        .order_by("-applied_on", "-pk")
    )
    ctx.listed_for = list(
        sent.filter(posting__contact=person).select_related("organization", "posting")
    )
    previous = owned(Message, owner).filter(person=person).exclude(status=Status.DRAFT)
    if exclude_message:
        previous = previous.exclude(pk=exclude_message)
    ctx.previous = [
        SentBefore(*row)
        for row in previous.order_by("sent_at", "pk").values_list(
            "pk", "purpose", "status", "sent_at", "replied_at", "nudge_due_on"
        )
    ]
    if org_ids:
        ctx.recent_at_organization = list(
            owned(Message, owner)
            .filter(
                status=Status.SENT,
                sent_at__gte=now - datetime.timedelta(days=RECENT_AT_ORGANIZATION_DAYS),
            )
            .filter(
                Q(organization_id__in=org_ids)
                | Q(
                    person__employments__organization_id__in=org_ids,
                    person__employments__is_current=True,
                )
            )
            .exclude(person=person)
            .select_related("person", "organization")
            .distinct()
            .order_by("-sent_at")[:3]
        )
        ctx.alternatives = [
            f"{first} {last}".strip()
            for first, last in owned(Employment, owner)
            .filter(organization_id__in=org_ids, is_current=True, person__do_not_contact=False)
            .exclude(person=person)
            .order_by("-has_hiring_authority", "person__last_name", "pk")
            .values_list("person__first_name", "person__last_name")[:3]
        ]
    for kind, first, last in (
        owned(Tie, owner)
        .filter(Q(to_person=person) | Q(from_person=person))
        .values_list("kind", "introduced_by__first_name", "introduced_by__last_name")
    ):
        if kind in {TieKind.FRIEND, TieKind.FAMILY}:
            ctx.close_tie = True
        if first:
            ctx.connection_names.update({f"{first} {last or ''}".strip(), first})
    around = people_around(owner, person)
    ctx.mutual = [m.name for m in around if m.may_be_named]
    ctx.knows_them = [m.name for m in around]
    for name, org_name in (
        owned(Membership, owner)
        .filter(person=person, affiliation__my_memberships__owner=owner)
        .values_list("affiliation__name", "affiliation__organization__name")
    ):
        ctx.connection_names.add(name)
        if org_name:
            ctx.connection_names.add(org_name)
    return ctx
