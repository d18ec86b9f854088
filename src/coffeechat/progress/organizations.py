"""Per target organization: how deep I have got, when I last did something, what next.

Read for all targets at once in a fixed number of queries; the chain depth is
:mod:`coffeechat.conversations.chains`' (links from me: my first contact is 1) and the
next step is the one its organization tree states.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from coffeechat.conversations.chains import ChainNode, OrganizationTree, introducers
from coffeechat.conversations.models import Participant
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.models import Employment, Person
from coffeechat.outreach.services.reading import went_out
from coffeechat.targets.models import Application, Target


@dataclass(frozen=True, slots=True)
class TargetProgress:
    organization: str
    status: str
    people_talked_to: int
    best_chain_depth: int
    reached_hiring: bool
    last_activity: datetime.date | None
    next_step: str


def target_progress(
    user: Any,
    now: datetime.datetime,
    rename: Callable[[dict[int, str]], dict[int, str]] | None = None,
) -> list[TargetProgress]:
    """One row per target. ``rename`` maps the names of people the next step may name
    (person id → name) to what is shown instead (a coach's view hides names)."""
    targets = list(
        owned(Target, user).select_related("organization").order_by("organization__name", "pk")
    )
    org_ids = {t.organization_id for t in targets}
    zone = user_zone(user)
    employed: dict[int, set[int]] = defaultdict(set)  # organization → people there now
    hiring: dict[int, set[int]] = defaultdict(set)
    for person_id, organization_id, hires in (
        owned(Employment, user)
        .filter(is_current=True, organization_id__in=org_ids)
        .order_by()  # gathered into sets: no sort of the thousands of jobs there
        .values_list("person_id", "organization_id", "has_hiring_authority")
    ):
        employed[organization_id].add(person_id)
        if hires:
            hiring[organization_id].add(person_id)
    held: dict[int, set[int]] = defaultdict(set)  # organization → people I talked with
    involved: dict[int, set[int]] = defaultdict(set)  # held or scheduled
    last: dict[int, datetime.date] = {}

    def touch(organization_id: int, day: datetime.date | None) -> None:
        if day is not None and organization_id in org_ids:
            last[organization_id] = max(day, last.get(organization_id, day))

    people_orgs: dict[int, set[int]] = defaultdict(set)
    for organization_id, people in employed.items():
        for person_id in people:
            people_orgs[person_id].add(organization_id)
    for person_id, organization_id, status, starts_at in (
        Participant.objects.filter(owner=user)
        .exclude(conversation__status=ConversationStatus.CANCELLED)
        .values_list(
            "person_id",
            "conversation__organization_id",
            "conversation__status",
            "conversation__starts_at",
        )
    ):
        where = set(people_orgs.get(person_id, set()))
        if organization_id is not None:
            where.add(organization_id)
        for org in where & org_ids:
            involved[org].add(person_id)
            if status == ConversationStatus.HELD:
                held[org].add(person_id)
            if starts_at <= now:
                touch(org, starts_at.astimezone(zone).date())
    for organization_id, sent_at in (
        went_out(user)
        .filter(organization_id__in=org_ids)
        .values("organization_id")
        .annotate(last=Max("sent_at"))
        .values_list("organization_id", "last")
    ):
        touch(organization_id, sent_at.astimezone(zone).date() if sent_at else None)
    for organization_id, applied_on in (
        owned(Application, user)
        .filter(organization_id__in=org_ids)
        .values("organization_id")
        .annotate(last=Max("applied_on"))
        .values_list("organization_id", "last")
    ):
        touch(organization_id, applied_on)
    everyone = set().union(*involved.values()) if involved else set()
    chains = introducers(user, sorted(everyone))
    hiring_ids = set().union(*hiring.values()) if hiring else set()
    names = {
        pk: f"{first} {last_name}".strip()
        for pk, first, last_name in owned(Person, user)
        .filter(pk__in=hiring_ids)
        .values_list("pk", "first_name", "last_name")
    }
    if rename is not None:
        names = rename(names)
    found = []
    for target in targets:
        org = target.organization_id
        depth = {pk: len(chains.get(pk, [])) + 1 for pk in involved[org]}
        reached = sorted(
            (
                ChainNode(pk, names.get(pk, ""), depth=depth[pk], hires=True, talked=True)
                for pk in held[org] & hiring[org]
            ),
            key=lambda node: (node.depth, node.name),
        )
        tree = OrganizationTree(
            roots=[ChainNode(pk) for pk in sorted(involved[org])],
            depth=max(depth.values(), default=0),
            hiring_reached=reached,
            hiring_known=sorted(n for n in (names.get(pk, "") for pk in hiring[org]) if n),
        )
        found.append(
            TargetProgress(
                organization=target.organization.name,
                status=target.get_status_display(),
                people_talked_to=len(held[org]),
                best_chain_depth=tree.depth,
                reached_hiring=bool(reached),
                last_activity=last.get(org),
                next_step=tree.next_step,
            )
        )
    return found
