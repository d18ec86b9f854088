"""What a coach sees of a person they coach, within the scope that person chose.

The progress figures are :mod:`coffeechat.progress`'s (the same numbers as the person's
own Progress page). Around them: recent activity, the things that need attention, and,
with a wider scope, the targets and conversations (and their notes). Names of people in
the network are replaced by stable labels ("Contact 12": the person's rank in the
network, in the order they were added) unless the owner chose to show them.

Every function reads a fixed number of queries whatever the size of the network.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from coffeechat.coaching.models import CoachLink, Scope
from coffeechat.conversations.models import Conversation, Learning, Participant
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.scoping import owned
from coffeechat.followups.invitations import display_name
from coffeechat.followups.models import FollowUp
from coffeechat.network.models import Person
from coffeechat.outreach.purposes import TABLE as PURPOSES
from coffeechat.outreach.services.reading import REPLIED_STATUSES, went_out
from coffeechat.progress.funnel import Step, funnel, someone_who_hires
from coffeechat.progress.period import DEFAULT, period_for
from coffeechat.progress.services import Progress, progress_of
from coffeechat.targets.models import SENT_STATUSES, Application

STALLED_DAYS = 14  # no activity for this many days: stalled
MANY_OVERDUE = 5  # this many overdue follow-ups or more: needs attention
SOON_DAYS = 7  # a conversation with someone who hires within this many days: coming up
RECENT = 10  # events in "recent activity"
CONVERSATIONS = 20  # conversations listed on the detail page (wider scopes)


# Names -----------------------------------------------------------------------------------


def labels(owner: Any, show_names: bool, ids: Iterable[int]) -> dict[int, str]:
    """How the coach sees each of these people: their name, or "Contact N" (one query)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    people = owned(Person, owner)
    if show_names:
        return {
            pk: f"{first} {last}".strip()
            for pk, first, last in people.filter(pk__in=wanted).values_list(
                "pk", "first_name", "last_name"
            )
        }
    ranks = people.aggregate(**{f"p{pk}": Count("pk", filter=Q(pk__lte=pk)) for pk in wanted})
    return {pk: f"Contact {ranks[f'p{pk}']}" for pk in wanted}


def renamer(link: CoachLink) -> Any:
    """For :func:`coffeechat.progress.services.progress_of`: names as this coach sees them."""
    if link.show_names:
        return None
    return lambda names: labels(link.owner, False, names)


# Activity and attention ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    day: datetime.date
    what: str
    organization: str = ""  # only with targets and conversations in scope
    people: list[str] = field(default_factory=list)  # idem; names or labels


@dataclass(frozen=True, slots=True)
class Attention:
    key: str  # stalled, overdue, hiring_soon
    text: str


@dataclass(frozen=True, slots=True)
class Overview:
    """A person I coach, as my list shows them."""

    link: CoachLink
    name: str
    funnel: list[Step]
    last_activity: datetime.date | None
    overdue: int
    events: list[Event]
    attention: list[Attention]


def _events(owner: Any, now: datetime.datetime) -> list[tuple[Event, list[int]]]:
    zone = user_zone(owner)

    def day(moment: Any) -> datetime.date:
        return moment.astimezone(zone).date()

    found: list[tuple[Event, list[int]]] = []
    for sent_at, purpose, org, person in (
        went_out(owner)
        .filter(sent_at__lte=now)
        .order_by("-sent_at", "-pk")
        .values_list("sent_at", "purpose", "organization__name", "person_id")[:RECENT]
    ):
        rule = PURPOSES.get(purpose)
        label = rule.label if rule else purpose
        found.append((Event(day(sent_at), f"Message sent: {label}", org or ""), [person]))
    for replied_at, org, person in (
        went_out(owner)
        .filter(status__in=REPLIED_STATUSES, replied_at__isnull=False, replied_at__lte=now)
        .order_by("-replied_at", "-pk")
        .values_list("replied_at", "organization__name", "person_id")[:RECENT]
    ):
        found.append((Event(day(replied_at), "Reply received", org or ""), [person]))
    conversations = list(
        owned(Conversation, owner)
        .exclude(status=ConversationStatus.CANCELLED)
        .filter(starts_at__lte=now)
        .order_by("-starts_at", "-pk")
        .values_list("pk", "starts_at", "status", "organization__name")[:RECENT]
    )
    people = _participants(owner, [pk for pk, *_rest in conversations])
    for pk, starts_at, status, org in conversations:
        what = "Conversation held" if status == ConversationStatus.HELD else "Conversation"
        found.append((Event(day(starts_at), what, org or ""), people.get(pk, [])))
    for applied_on, created_at, org in (
        owned(Application, owner)
        .filter(status__in=SENT_STATUSES)
        .order_by("-applied_on", "-created_at", "-pk")
        .values_list("applied_on", "created_at", "organization__name")[:RECENT]
    ):
        found.append((Event(applied_on or day(created_at), "Application sent", org or ""), []))
    for created_at, person in (
        owned(Person, owner)
        .filter(created_at__lte=now)
        .order_by("-created_at", "-pk")
        .values_list("created_at", "pk")[:RECENT]
    ):
        found.append((Event(day(created_at), "Person added to the network"), [person]))
    found.sort(key=lambda pair: pair[0].day, reverse=True)
    return found


def _participants(owner: Any, conversation_ids: list[int]) -> dict[int, list[int]]:
    people: dict[int, list[int]] = defaultdict(list)
    if conversation_ids:
        for conversation_id, person_id in (
            Participant.objects.filter(owner=owner, conversation_id__in=conversation_ids)
            .order_by("position", "pk")
            .values_list("conversation_id", "person_id")
        ):
            people[conversation_id].append(person_id)
    return people


def recent_activity(
    link: CoachLink, now: datetime.datetime
) -> tuple[list[Event], datetime.date | None]:
    """The latest things that happened, most recent first (who and where only when the
    scope includes targets and conversations), and the day of the latest."""
    owner = link.owner
    found = _events(owner, now)
    last = found[0][0].day if found else None
    events = found[:RECENT]
    if not link.shows(Scope.TARGETS):
        return [Event(e.day, e.what) for e, _ids in events], last
    names = labels(owner, link.show_names, (pk for _e, ids in events for pk in ids))
    shown = [
        Event(e.day, e.what, e.organization, [names[pk] for pk in ids if pk in names])
        for e, ids in events
    ]
    return shown, last


def _overdue(owner: Any, today: datetime.date) -> int:
    return FollowUp.objects.filter(owner=owner).active().filter(remind_on__lt=today).count()


def _hiring_soon(owner: Any, now: datetime.datetime) -> list[tuple[datetime.datetime, str]]:
    return list(
        owned(Conversation, owner)
        .filter(
            status=ConversationStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=SOON_DAYS),
        )
        .filter(someone_who_hires())
        .order_by("starts_at", "pk")
        .values_list("starts_at", "organization__name")
    )


def attention(
    link: CoachLink, now: datetime.datetime, last: datetime.date | None, overdue: int
) -> list[Attention]:
    owner = link.owner
    today = local_today(owner, now)
    found = []
    if last is None:
        found.append(Attention("stalled", "No activity recorded yet."))
    elif (today - last).days >= STALLED_DAYS:
        found.append(
            Attention(
                "stalled", f"No activity for {(today - last).days} days (since {last:%-d %b})."
            )
        )
    if overdue >= MANY_OVERDUE:
        found.append(Attention("overdue", f"{overdue} follow-ups are overdue."))
    zone = user_zone(owner)
    for starts_at, org in _hiring_soon(owner, now):
        where = f" at {org}" if org and link.shows(Scope.TARGETS) else ""
        found.append(
            Attention(
                "hiring_soon",
                f"A conversation with someone who hires{where} on "
                f"{starts_at.astimezone(zone):%a %-d %b}.",
            )
        )
    return found


def overview(
    link: CoachLink, now: datetime.datetime | None = None, steps: list[Step] | None = None
) -> Overview:
    """One person I coach, for my list: funnel (the Progress page's default period),
    recent activity, what needs attention."""
    now = now or timezone.now()
    owner = link.owner
    events, last = recent_activity(link, now)
    overdue = _overdue(owner, local_today(owner, now))
    if steps is None:
        steps = progress_funnel(owner, DEFAULT)
    return Overview(
        link, coachee_name(link), steps, last, overdue, events, attention(link, now, last, overdue)
    )


def progress_funnel(owner: Any, period: str) -> list[Step]:
    return funnel(owner, period_for(owner, period))


def coachee_name(link: CoachLink) -> str:
    """The person I coach, by their profile name and address (their own, not a contact's)."""
    return display_name(link.owner)


# The detail page ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConversationRow:
    day: datetime.date
    status: str
    organization: str
    people: list[str]
    with_someone_who_hires: bool
    notes: str = ""  # only with notes in scope
    learnings: list[str] = field(default_factory=list)  # idem


@dataclass(frozen=True, slots=True)
class Detail:
    overview: Overview
    progress: Progress
    conversations: list[ConversationRow] | None  # None: not in scope


def conversations(link: CoachLink, now: datetime.datetime) -> list[ConversationRow]:
    owner = link.owner
    zone = user_zone(owner)
    rows = list(
        owned(Conversation, owner)
        .exclude(status=ConversationStatus.CANCELLED)
        .annotate(hires=someone_who_hires())
        .order_by("-starts_at", "-pk")
        .values_list(
            "pk",
            "starts_at",
            "status",
            "organization__name",
            "hires",
            "quick_notes",
            "debrief_notes",
        )[:CONVERSATIONS]
    )
    ids = [row[0] for row in rows]
    people = _participants(owner, ids)
    names = labels(owner, link.show_names, (pk for ids_ in people.values() for pk in ids_))
    with_notes = link.shows(Scope.NOTES)
    learned: dict[int, list[str]] = defaultdict(list)
    if with_notes and ids:
        for conversation_id, text in (
            owned(Learning, owner)
            .filter(conversation_id__in=ids)
            .order_by("pk")
            .values_list("conversation_id", "text")
        ):
            learned[conversation_id].append(text)
    found = []
    for pk, starts_at, status, org, hires, quick, debrief in rows:
        found.append(
            ConversationRow(
                starts_at.astimezone(zone).date(),
                ConversationStatus(status).label,
                org or "",
                [names[p] for p in people.get(pk, []) if p in names],
                bool(hires),
                "\n\n".join(part for part in (quick, debrief) if part) if with_notes else "",
                learned.get(pk, []) if with_notes else [],
            )
        )
    return found


def detail(
    link: CoachLink, period: str | None = None, now: datetime.datetime | None = None
) -> Detail:
    """Everything the scope allows: progress; then targets and conversations; then notes."""
    now = now or timezone.now()
    figures = progress_of(link.owner, period, rename=renamer(link))
    if not link.shows(Scope.TARGETS):
        figures = Progress(figures.period, figures.funnel, figures.weekly, [], figures.replies)
    return Detail(
        overview(link, now, figures.funnel if figures.period.key == DEFAULT else None),
        figures,
        conversations(link, now) if link.shows(Scope.TARGETS) else None,
    )
