"""Every write to targets, postings and applications, and the ranked target list.

Views, the API, the CLI and the demo call these functions; each is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from coffeechat.core.scoping import owned, save_owned
from coffeechat.network.models import Organization
from coffeechat.network.normalize import organization_key
from coffeechat.network.services import organization_named
from coffeechat.targets.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    HiringSignal,
    Posting,
    PostingStatus,
    Target,
    TargetStatus,
)
from coffeechat.targets.paths import Path, WarmPaths, paths_to_organizations

MAX_BULK_NAMES = 500

# Targets ------------------------------------------------------------------------------


def save_target(owner: Any, target: Target) -> Target:
    """Validate and save a target; a second target for one organization is refused."""
    try:
        with transaction.atomic():
            return save_owned(owner, target)
    except ValidationError as error:
        if "__all__" in getattr(error, "message_dict", {}) and any(
            "organization" in m.lower() for m in error.message_dict["__all__"]
        ):
            raise ValidationError(
                {"organization": f"{target.organization} is a target already."}
            ) from None
        raise


@transaction.atomic
def target_for_organization(owner: Any, organization: Organization) -> tuple[Target, bool]:
    """The owner's target for ``organization``, created (exploring) when there is none."""
    existing = owned(Target, owner).filter(organization=organization).first()
    if existing is not None:
        return existing, False
    return save_owned(owner, Target(organization=organization)), True


@dataclass
class BulkAddResult:
    new_organizations: list[str] = field(default_factory=list)
    existing_organizations: list[str] = field(default_factory=list)
    already_targets: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    @property
    def added(self) -> int:
        return len(self.new_organizations) + len(self.existing_organizations)

    def summary(self) -> str:
        parts = []
        if self.new_organizations:
            parts.append(f"new organizations: {', '.join(self.new_organizations)}")
        if self.existing_organizations:
            parts.append(f"from your organizations: {', '.join(self.existing_organizations)}")
        if self.already_targets:
            parts.append(f"already targets: {', '.join(self.already_targets)}")
        noun = "target" if self.added == 1 else "targets"
        head = f"Added {self.added} {noun}"
        return f"{head} ({'; '.join(parts)})." if parts else f"{head}."


def parse_names(text: str | Iterable[str]) -> list[str]:
    """Names from pasted text: one per line (commas and semicolons also separate them)."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    names: list[str] = []
    for line in lines:
        for part in line.replace(";", "\n").splitlines():
            name = " ".join(part.strip(" \t-*•·").split())
            if name:
                names.append(name[:200])
    return names


@transaction.atomic
def add_targets(owner: Any, text: str | Iterable[str]) -> BulkAddResult:
    """Make targets of pasted names, matching the owner's organizations by name key.

    "Acme, Inc." finds "ACME Inc"; a name that matches no organization creates one.
    The same organization twice in the list counts once.
    """
    names = parse_names(text)
    if len(names) > MAX_BULK_NAMES:
        raise ValidationError({"names": f"At most {MAX_BULK_NAMES} names at a time."})
    result = BulkAddResult()
    keys = {organization_key(name) for name in names}
    existing: dict[str, Organization] = {}
    for organization in owned(Organization, owner).filter(name_key__in=keys).order_by("pk"):
        existing.setdefault(organization.name_key, organization)
    targeted = set(
        owned(Target, owner)
        .filter(organization__in=list(existing.values()))
        .values_list("organization_id", flat=True)
    )
    seen: set[str] = set()
    for name in names:
        key = organization_key(name)
        if not key or key in seen:
            continue
        seen.add(key)
        found = existing.get(key)
        if found is not None and found.pk in targeted:
            result.already_targets.append(found.name)
            continue
        if found is None:
            organization = organization_named(owner, name)
            result.new_organizations.append(organization.name)
        else:
            organization = found
            result.existing_organizations.append(organization.name)
        result.targets.append(save_owned(owner, Target(organization=organization)))
    return result


@transaction.atomic
def update_target_quick(
    owner: Any,
    target: Target,
    *,
    motivation: int | None = None,
    hiring_signal: str | None = None,
    status: str | None = None,
    status_reason: str | None = None,
) -> Target:
    """The inline edit of the target list: motivation, hiring signal, status (and reason)."""
    if motivation is not None:
        target.motivation = motivation
    if hiring_signal is not None:
        target.hiring_signal = hiring_signal
    if status is not None:
        target.status = status
    if status_reason is not None:
        target.status_reason = status_reason
    return save_target(owner, target)


# Ranking ------------------------------------------------------------------------------

MOTIVATION_POINTS = 45
ADVOCACY_POINTS = 35
HIRING_POINTS = 20
HIRING_SHARE = {
    HiringSignal.OPEN_POSTING: 1.0,
    HiringSignal.UNKNOWN: 0.5,
    HiringSignal.NONE_SEEN: 0.2,
}


@dataclass(frozen=True, slots=True)
class Factor:
    key: str
    label: str
    value: str
    points: float
    max_points: int

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value} ({self.points:.0f} of {self.max_points})"


@dataclass
class RankedTarget:
    target: Target
    warm: WarmPaths
    open_postings: int
    factors: list[Factor]
    rank: int = 0
    why: str = ""

    @property
    def priority(self) -> int:
        return round(sum(f.points for f in self.factors))

    @property
    def hiring_signal(self) -> str:
        """The signal that counts: an open posting you recorded beats what you chose."""
        if self.open_postings:
            return HiringSignal.OPEN_POSTING
        return self.target.hiring_signal

    @property
    def best_path(self) -> Path | None:
        return self.warm.best()

    @property
    def is_ranked(self) -> bool:
        return self.target.status != TargetStatus.NOT_A_FIT

    def factor(self, key: str) -> Factor:
        return next(f for f in self.factors if f.key == key)


def _factors(target: Target, warm: WarmPaths, open_postings: int) -> list[Factor]:
    advocacy = warm.advocacy
    best = warm.best()
    if best is None:
        advocacy_text = "nobody there yet"
    else:
        people = "person" if warm.reached == 1 else "people"
        advocacy_text = (
            f"{advocacy} — {warm.reached} {people}, warmest {best.end.name} {best.score}"
        )
    signal = HiringSignal.OPEN_POSTING if open_postings else target.hiring_signal
    signal_text = HiringSignal(signal).label.lower()
    if open_postings:
        signal_text += f" ({open_postings} recorded)"
    return [
        Factor(
            "motivation",
            "Motivation",
            f"{target.motivation}/5",
            MOTIVATION_POINTS * target.motivation / 5,
            MOTIVATION_POINTS,
        ),
        Factor(
            "advocacy", "Advocacy", advocacy_text, ADVOCACY_POINTS * advocacy / 100, ADVOCACY_POINTS
        ),
        Factor(
            "hiring",
            "Hiring signal",
            signal_text,
            HIRING_POINTS * HIRING_SHARE[HiringSignal(signal)],
            HIRING_POINTS,
        ),
    ]


STATUS_GROUP = {
    TargetStatus.ACTIVE: 0,
    TargetStatus.EXPLORING: 0,
    TargetStatus.PAUSED: 1,
    TargetStatus.NOT_A_FIT: 2,
}


def targets_for_list(owner: Any) -> QuerySet[Target]:
    return (
        owned(Target, owner)
        .select_related("organization")
        .annotate(
            open_posting_count=Count(
                "organization__postings",
                filter=Q(
                    organization__postings__status=PostingStatus.OPEN,
                    organization__postings__owner=owner,
                ),
                distinct=True,
            )
        )
    )


def rank_targets(
    owner: Any, targets: QuerySet[Target] | None = None, *, today: date | None = None
) -> list[RankedTarget]:
    """The owner's targets, best first, each with its factors and why it ranks there.

    Active and exploring targets come first, then paused ones; "not a fit" last and
    unranked. A fixed number of queries whatever the number of targets.
    """
    rows = list(targets if targets is not None else targets_for_list(owner))
    warm = paths_to_organizations(owner, [t.organization_id for t in rows], today=today)
    ranked = [
        RankedTarget(
            t,
            warm[t.organization_id],
            getattr(t, "open_posting_count", 0),
            _factors(t, warm[t.organization_id], getattr(t, "open_posting_count", 0)),
        )
        for t in rows
    ]
    ranked.sort(
        key=lambda r: (
            STATUS_GROUP[TargetStatus(r.target.status)],
            -r.priority,
            -r.target.motivation,
            r.target.organization.name.lower(),
            r.target.pk,
        )
    )
    counted = [r for r in ranked if r.is_ranked]
    for index, item in enumerate(counted):
        item.rank = index + 1
        below = counted[index + 1] if index + 1 < len(counted) else None
        item.why = _why(item, below, len(counted))
    for item in ranked:
        if not item.is_ranked:
            item.why = "Not ranked: you marked it as not a fit" + (
                f" ({item.target.status_reason.strip()})." if item.target.status_reason else "."
            )
    return ranked


def _why(item: RankedTarget, below: RankedTarget | None, total: int) -> str:
    parts = " + ".join(f.text for f in item.factors)
    text = f"Rank {item.rank} of {total}: priority {item.priority} = {parts}."
    if item.target.status == TargetStatus.PAUSED:
        text += " Paused targets come after active and exploring ones."
    if (
        below is not None
        and STATUS_GROUP[TargetStatus(item.target.status)]
        == STATUS_GROUP[TargetStatus(below.target.status)]
    ):
        gaps = sorted(
            ((f.points - below.factor(f.key).points, f) for f in item.factors),
            key=lambda pair: -pair[0],
        )
        gap, factor = gaps[0]
        if gap > 0.5:
            text += (
                f" Ahead of {below.target.organization.name} mainly on "
                f"{factor.label.lower()} (+{gap:.0f})."
            )
        else:
            text += f" Level with {below.target.organization.name}; ahead on motivation or name."
    return text


# Postings and applications ------------------------------------------------------------


@transaction.atomic
def save_posting(owner: Any, posting: Posting, organization_name: str | None = None) -> Posting:
    if organization_name:
        posting.organization = organization_named(owner, organization_name)
    if posting.seen_on is None and posting.pk is None:
        posting.seen_on = timezone.localdate()
    return save_owned(owner, posting)


@transaction.atomic
def save_application(
    owner: Any,
    application: Application,
    *,
    organization_name: str | None = None,
    on: date | None = None,
    note: str = "",
) -> Application:
    """Create or change an application; a new status is added to its dated history."""
    if organization_name:
        application.organization = organization_named(owner, organization_name)
    if application.posting_id and not application.organization_id:
        posting = owned(Posting, owner).filter(pk=application.posting_id).first()
        if posting is not None:
            application.organization_id = posting.organization_id
    previous = None
    if application.pk is not None:
        previous = (
            owned(Application, owner).filter(pk=application.pk).values_list("status", flat=True)
        ).first()
    day = on or timezone.localdate()
    if on is None and application.status == ApplicationStatus.APPLIED and application.applied_on:
        day = application.applied_on  # the history starts when you applied
    if application.status != ApplicationStatus.PREPARING and application.applied_on is None:
        application.applied_on = day
    save_owned(owner, application)
    if previous != application.status:
        ApplicationEvent.objects.create(
            owner=owner, application=application, status=application.status, on=day, note=note
        )
    return application


def set_application_status(
    owner: Any, application: Application, status: str, *, on: date | None = None, note: str = ""
) -> Application:
    if status not in ApplicationStatus.values:
        raise ValidationError({"status": f"Value {status!r} is not a valid choice."})
    application.status = status
    return save_application(owner, application, on=on, note=note)
