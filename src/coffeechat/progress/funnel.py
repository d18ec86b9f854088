"""The funnel: from people identified to offers, over a period, with conversion.

Each step is counted from the rows that record it (see docs/progress.md); one query a
step, whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from coffeechat.conversations.models import Conversation, Participant, Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.scoping import owned
from coffeechat.network.models import Employment, Person
from coffeechat.outreach.purposes import FIRST_NOTES
from coffeechat.outreach.services.reading import REPLIED_STATUSES, went_out
from coffeechat.progress.period import Period
from coffeechat.targets.models import (
    SENT_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
)


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    label: str
    count: int | None  # None: not recorded anywhere
    conversion: int | None = None  # percent of the step before; None for the first or n/a

    @property
    def recorded(self) -> bool:
        return self.count is not None


def _people_identified(user: Any, period: Period) -> int:
    return owned(Person, user).filter(**period.instants("created_at")).count()


def _first_notes(user: Any, period: Period) -> int:
    return (
        went_out(user)
        .filter(purpose__in=FIRST_NOTES, **period.instants("sent_at"))
        .values("person_id")
        .distinct()
        .count()
    )


def _replies(user: Any, period: Period) -> int:
    return (
        went_out(user)
        .filter(purpose__in=FIRST_NOTES, status__in=REPLIED_STATUSES)
        .filter(
            Q(**period.instants("replied_at"))
            | Q(replied_at__isnull=True, **period.instants("sent_at"))
        )
        .values("person_id")
        .distinct()
        .count()
    )


def held(conversations: Any) -> Any:
    """Of ``conversations``, those held: what "a conversation held" means everywhere
    (the funnel, and the career-centre figures across consenting users)."""
    return conversations.filter(status=ConversationStatus.HELD)


def someone_who_hires() -> Exists:
    """True for a conversation with a participant whose current job (in the
    conversation owner's network) has hiring authority: the one definition of a
    conversation with someone who hires (progress.md), as an expression to filter or
    annotate conversations with."""
    # Each participant's own current jobs, through the index on the person: a list of
    # every hiring job of the owner, correlated, was read again for each conversation.
    hiring_job = Employment.objects.filter(
        person=OuterRef("person_id"),
        owner=OuterRef(OuterRef("owner")),
        is_current=True,
        has_hiring_authority=True,
    )
    hires = Participant.objects.filter(Exists(hiring_job), conversation=OuterRef("pk"))
    return Exists(hires)


def with_someone_who_hires(conversations: Any) -> Any:
    """Of ``conversations``, those with someone who hires (:func:`someone_who_hires`)."""
    return conversations.filter(someone_who_hires())


def _held(user: Any, period: Period) -> Any:
    return held(owned(Conversation, user)).filter(**period.instants("starts_at"))


def _referrals(user: Any, period: Period) -> int:
    return owned(Referral, user).filter(**period.instants("created_at")).count()


def _held_with_hiring(user: Any, period: Period) -> int:
    return with_someone_who_hires(_held(user, period)).count()


def _sent_applications(user: Any, period: Period) -> Any:
    return owned(Application, user).filter(status__in=SENT_STATUSES)


def _applications(user: Any, period: Period) -> int:
    return (
        _sent_applications(user, period)
        .filter(
            Q(**period.days("applied_on"))
            | Q(applied_on__isnull=True, **period.instants("created_at"))
        )
        .count()
    )


def _reached(user: Any, period: Period, status: str, later: set[str]) -> int:
    """Applications that reached ``status`` in the period: a dated step of their history,
    or (no such step recorded) their current status with the date they were applied."""
    dated = ApplicationEvent.objects.filter(application=OuterRef("pk"), status=status)
    in_period = dated.filter(**period.days("on"))
    undated = (
        Q(status__in=later)
        & ~Q(Exists(dated))
        & (
            Q(**period.days("applied_on"))
            | Q(applied_on__isnull=True, **period.instants("created_at"))
        )
    )
    return _sent_applications(user, period).filter(Q(Exists(in_period)) | undated).count()


def funnel(user: Any, period: Period) -> list[Step]:
    """The steps in order, each with its conversion from the step before."""
    counts: list[tuple[str, str, int | None]] = [
        ("people", "People identified", _people_identified(user, period)),
        ("first_notes", "First notes sent", _first_notes(user, period)),
        ("replies", "Replies", _replies(user, period)),
        ("conversations", "Conversations held", _held(user, period).count()),
        ("referrals", "Referrals received", _referrals(user, period)),
        ("hiring", "Conversations with someone who hires", _held_with_hiring(user, period)),
        ("applications", "Applications", _applications(user, period)),
        (
            "interviews",
            "Interviews",
            _reached(
                user,
                period,
                ApplicationStatus.INTERVIEWING,
                {ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFER},
            ),
        ),
        (
            "offers",
            "Offers",
            _reached(user, period, ApplicationStatus.OFFER, {ApplicationStatus.OFFER}),
        ),
    ]
    steps: list[Step] = []
    before: int | None = None
    for key, label, count in counts:
        conversion = round(100 * count / before) if before and count is not None and steps else None
        steps.append(Step(key, label, count, conversion))
        before = count
    return steps
