"""The funnel: from people identified to offers, over a period, with conversion.

Each step is counted from the rows that record it (see docs/progress.md); one query a
step, whatever the data size, and for any number of users at once (:func:`funnels`, the
coach's list): each step's rows are counted grouped by owner, each owner within their own
period. :func:`funnel` is the same with one user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from coffeechat.conversations.models import Conversation, Participant, Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.scoping import can_own
from coffeechat.network.models import Employment, Person
from coffeechat.outreach.models import Message
from coffeechat.outreach.purposes import FIRST_NOTES
from coffeechat.outreach.services.reading import REPLIED_STATUSES, messages_that_went_out
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


Pairs = Sequence[tuple[Any, Period]]
Within = Callable[[Period], Q]


def _by_owner(rows: Any, pairs: Pairs, within: Within, distinct: str = "") -> dict[Any, int]:
    """How many of ``rows`` each owner of ``pairs`` has within their own period (one
    query for all of them), by owner id; ``distinct``: count distinct values of that field."""
    wanted = [(owner, period) for owner, period in pairs if can_own(owner)]
    if not wanted:
        return {}
    mine = reduce(or_, (Q(owner=owner) & within(period) for owner, period in wanted))
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    return dict(
        rows.filter(mine).order_by().values("owner").annotate(n=counted).values_list("owner", "n")
    )


def _people_identified(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(Person.objects.all(), pairs, lambda period: Q(**period.instants("created_at")))


def _went_out() -> Any:
    return messages_that_went_out(Message.objects.filter(purpose__in=FIRST_NOTES))


def _first_notes(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(
        _went_out(), pairs, lambda period: Q(**period.instants("sent_at")), distinct="person_id"
    )


def _replies(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(
        _went_out().filter(status__in=REPLIED_STATUSES),
        pairs,
        lambda period: (
            Q(**period.instants("replied_at"))
            | Q(replied_at__isnull=True, **period.instants("sent_at"))
        ),
        distinct="person_id",
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


def _held(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(
        held(Conversation.objects.all()), pairs, lambda period: Q(**period.instants("starts_at"))
    )


def _referrals(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(
        Referral.objects.all(), pairs, lambda period: Q(**period.instants("created_at"))
    )


def _held_with_hiring(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(
        with_someone_who_hires(held(Conversation.objects.all())),
        pairs,
        lambda period: Q(**period.instants("starts_at")),
    )


def _sent_applications() -> Any:
    return Application.objects.filter(status__in=SENT_STATUSES)


def _applied(period: Period) -> Q:
    return Q(**period.days("applied_on")) | Q(
        applied_on__isnull=True, **period.instants("created_at")
    )


def _applications(pairs: Pairs) -> dict[Any, int]:
    return _by_owner(_sent_applications(), pairs, _applied)


def _reached(pairs: Pairs, status: str, later: set[str]) -> dict[Any, int]:
    """Applications that reached ``status`` in the period: a dated step of their history,
    or (no such step recorded) their current status with the date they were applied."""
    dated = ApplicationEvent.objects.filter(application=OuterRef("pk"), status=status)

    def within(period: Period) -> Q:
        in_period = dated.filter(**period.days("on"))
        undated = Q(status__in=later) & ~Q(Exists(dated)) & _applied(period)
        return Q(Exists(in_period)) | undated

    return _by_owner(_sent_applications(), pairs, within)


STEPS: list[tuple[str, str, Callable[[Pairs], dict[Any, int]]]] = [
    ("people", "People identified", _people_identified),
    ("first_notes", "First notes sent", _first_notes),
    ("replies", "Replies", _replies),
    ("conversations", "Conversations held", _held),
    ("referrals", "Referrals received", _referrals),
    ("hiring", "Conversations with someone who hires", _held_with_hiring),
    ("applications", "Applications", _applications),
    (
        "interviews",
        "Interviews",
        lambda pairs: _reached(
            pairs,
            ApplicationStatus.INTERVIEWING,
            {ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFER},
        ),
    ),
    (
        "offers",
        "Offers",
        lambda pairs: _reached(pairs, ApplicationStatus.OFFER, {ApplicationStatus.OFFER}),
    ),
]


def funnels(pairs: Pairs) -> list[list[Step]]:
    """The funnel of each (user, period) of ``pairs``, in order: one query a step for
    all of them, whatever their number or data size."""
    counted = [(key, label, count(pairs)) for key, label, count in STEPS]
    return [
        _steps(
            [
                (key, label, by_owner.get(user.pk, 0) if can_own(user) else 0)
                for key, label, by_owner in counted
            ]
        )
        for user, _period in pairs
    ]


def funnel(user: Any, period: Period) -> list[Step]:
    """The steps in order, each with its conversion from the step before."""
    return funnels([(user, period)])[0]


def _steps(counts: list[tuple[str, str, int | None]]) -> list[Step]:
    steps: list[Step] = []
    before: int | None = None
    for key, label, count in counts:
        conversion = round(100 * count / before) if before and count is not None and steps else None
        steps.append(Step(key, label, count, conversion))
        before = count
    return steps
