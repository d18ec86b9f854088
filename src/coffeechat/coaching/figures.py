"""What a coach sees of a person they coach, within the scope that person chose.

The progress figures are :mod:`coffeechat.progress`'s (the same numbers as the person's
own Progress page). Around them: recent activity, the things that need attention, and,
with a wider scope, the targets and conversations (and their notes). Names of people in
the network are replaced by stable labels ("Contact 12": the person's rank in the
network, in the order they were added) unless the owner chose to show them.

Every function reads a fixed number of queries whatever the size of the network, and
the list (:func:`overviews`) whatever the number of people on it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from coffeechat.coaching.models import CoachLink, Scope
from coffeechat.conversations.models import Conversation, Learning, Participant
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.scoping import can_own, owned
from coffeechat.followups.invitations import display_name
from coffeechat.followups.models import FollowUp
from coffeechat.network.models import Person
from coffeechat.outreach.models import Message
from coffeechat.outreach.purposes import TABLE as PURPOSES
from coffeechat.outreach.services.reading import REPLIED_STATUSES, messages_that_went_out
from coffeechat.progress.funnel import Step, funnel, funnels, someone_who_hires
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
    return labels_of([(owner, show_names, ids)])[0]


def labels_of(wanted: Sequence[tuple[Any, bool, Iterable[int]]]) -> list[dict[int, str]]:
    """:func:`labels` for several (owner, show_names, ids) at once: one query in all.

    "Contact N": the person is the N-th the owner added (their rank by id)."""
    asked = [(owner, show_names, sorted(set(ids))) for owner, show_names, ids in wanted]
    mine = [Q(owner=owner, pk__in=ids) for owner, _show, ids in asked if ids and can_own(owner)]
    rows: dict[int, tuple[str, str, int]] = {}
    if mine:
        before = (
            Person.objects.filter(owner=OuterRef("owner"), pk__lte=OuterRef("pk"))
            .order_by()
            .values("owner")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rows = {
            pk: (first, last, rank)
            for pk, first, last, rank in Person.objects.filter(reduce(or_, mine))
            .annotate(rank=Subquery(before))
            .values_list("pk", "first_name", "last_name", "rank")
        }
    found = []
    for _owner, show_names, ids in asked:
        if show_names:
            found.append({pk: f"{rows[pk][0]} {rows[pk][1]}".strip() for pk in ids if pk in rows})
        else:
            found.append({pk: f"Contact {rows[pk][2]}" for pk in ids if pk in rows})
    return found


def renamer(link: CoachLink) -> Any:
    """For :func:`coffeechat.progress.services.progress_of`: names as this coach sees them."""
    if link.show_names:
        return None
    return lambda names: labels(link.owner, False, names)


# Activity and attention ---------------------------------------------------------------------
#
# Each reads the rows of all the people on a page at once (a fixed number of queries
# whatever their number or the size of their networks): "the latest 10" of each kind is
# cut per owner in the database (a row number by owner).


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


def _latest(rows: Any, owners: list[Any], *order: str) -> Any:
    """The latest :data:`RECENT` of ``rows`` of each of ``owners``, ordered by ``order``
    (newest first), by owner."""
    return (
        rows.filter(owner__in=owners)
        .annotate(recent=Window(RowNumber(), partition_by=[F("owner")], order_by=list(order)))
        .filter(recent__lte=RECENT)
        .order_by("owner", *order)
    )


def _events(owners: list[Any], now: datetime.datetime) -> dict[Any, list[tuple[Event, list[int]]]]:
    """Each owner's latest events of each kind (by owner id), most recent first."""
    zones = {owner.pk: user_zone(owner) for owner in owners}
    found: dict[Any, list[tuple[Event, list[int]]]] = {owner.pk: [] for owner in owners}

    def add(owner_id: Any, moment: Any, what: str, org: Any, people: list[int]) -> None:
        """``moment``: an instant (its day in the owner's zone) or already a day."""
        if isinstance(moment, datetime.datetime):
            moment = moment.astimezone(zones[owner_id]).date()
        found[owner_id].append((Event(moment, what, org or ""), people))

    sent = messages_that_went_out(Message.objects.all())
    for owner_id, sent_at, purpose, org, person in _latest(
        sent.filter(sent_at__lte=now), owners, "-sent_at", "-pk"
    ).values_list("owner", "sent_at", "purpose", "organization__name", "person_id"):
        rule = PURPOSES.get(purpose)
        label = rule.label if rule else purpose
        add(owner_id, sent_at, f"Message sent: {label}", org, [person])
    for owner_id, replied_at, org, person in _latest(
        sent.filter(status__in=REPLIED_STATUSES, replied_at__isnull=False, replied_at__lte=now),
        owners,
        "-replied_at",
        "-pk",
    ).values_list("owner", "replied_at", "organization__name", "person_id"):
        add(owner_id, replied_at, "Reply received", org, [person])
    conversations = list(
        _latest(
            Conversation.objects.exclude(status=ConversationStatus.CANCELLED).filter(
                starts_at__lte=now
            ),
            owners,
            "-starts_at",
            "-pk",
        ).values_list("owner", "pk", "starts_at", "status", "organization__name")
    )
    people = _participants(owners, [pk for _owner, pk, *_rest in conversations])
    for owner_id, pk, starts_at, status, org in conversations:
        what = "Conversation held" if status == ConversationStatus.HELD else "Conversation"
        add(owner_id, starts_at, what, org, people.get(pk, []))
    for owner_id, applied_on, created_at, org in _latest(
        Application.objects.filter(status__in=SENT_STATUSES),
        owners,
        "-applied_on",
        "-created_at",
        "-pk",
    ).values_list("owner", "applied_on", "created_at", "organization__name"):
        add(owner_id, applied_on or created_at, "Application sent", org, [])
    for owner_id, created_at, person in _latest(
        Person.objects.filter(created_at__lte=now), owners, "-created_at", "-pk"
    ).values_list("owner", "created_at", "pk"):
        add(owner_id, created_at, "Person added to the network", "", [person])
    for events in found.values():
        events.sort(key=lambda pair: pair[0].day, reverse=True)
    return found


def _participants(owners: list[Any], conversation_ids: list[int]) -> dict[int, list[int]]:
    people: dict[int, list[int]] = defaultdict(list)
    if conversation_ids:
        for conversation_id, person_id in (
            Participant.objects.filter(owner__in=owners, conversation_id__in=conversation_ids)
            .order_by("position", "pk")
            .values_list("conversation_id", "person_id")
        ):
            people[conversation_id].append(person_id)
    return people


def _shown(
    links: Sequence[CoachLink], found: dict[Any, list[tuple[Event, list[int]]]]
) -> list[tuple[list[Event], datetime.date | None]]:
    """For each link, the latest things that happened, most recent first (who and where
    only when the scope includes targets and conversations), and the day of the latest."""
    latest = [found[link.owner.pk][:RECENT] for link in links]
    names = labels_of(
        [
            (link.owner, link.show_names, (pk for _e, ids in events for pk in ids))
            for link, events in zip(links, latest, strict=True)
            if link.shows(Scope.TARGETS)
        ]
    )
    shown = []
    for link, events in zip(links, latest, strict=True):
        owner_events = found[link.owner.pk]
        last = owner_events[0][0].day if owner_events else None
        if not link.shows(Scope.TARGETS):
            shown.append(([Event(e.day, e.what) for e, _ids in events], last))
            continue
        named = names.pop(0)
        shown.append(
            (
                [
                    Event(e.day, e.what, e.organization, [named[pk] for pk in ids if pk in named])
                    for e, ids in events
                ],
                last,
            )
        )
    return shown


def recent_activity(
    link: CoachLink, now: datetime.datetime
) -> tuple[list[Event], datetime.date | None]:
    """The latest things that happened, most recent first (who and where only when the
    scope includes targets and conversations), and the day of the latest."""
    return _shown([link], _events([link.owner], now))[0]


def _overdue(owners: list[Any], now: datetime.datetime) -> dict[Any, int]:
    """How many follow-ups each owner has overdue (their own today), by owner id."""
    if not owners:
        return {}
    late = reduce(or_, (Q(owner=owner, remind_on__lt=local_today(owner, now)) for owner in owners))
    return dict(
        FollowUp.objects.active()
        .filter(late)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )


def _hiring_soon(
    owners: list[Any], now: datetime.datetime
) -> dict[Any, list[tuple[datetime.datetime, str]]]:
    found: dict[Any, list[tuple[datetime.datetime, str]]] = defaultdict(list)
    for owner_id, starts_at, org in (
        Conversation.objects.filter(
            owner__in=owners,
            status=ConversationStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=SOON_DAYS),
        )
        .filter(someone_who_hires())
        .order_by("owner", "starts_at", "pk")
        .values_list("owner", "starts_at", "organization__name")
    ):
        found[owner_id].append((starts_at, org))
    return found


def attention(
    link: CoachLink,
    now: datetime.datetime,
    last: datetime.date | None,
    overdue: int,
    soon: list[tuple[datetime.datetime, str]],
) -> list[Attention]:
    """What needs attention: no recent activity, many overdue follow-ups, and each of
    ``soon`` (conversations with someone who hires in the next days)."""
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
    for starts_at, org in soon:
        where = f" at {org}" if org and link.shows(Scope.TARGETS) else ""
        found.append(
            Attention(
                "hiring_soon",
                f"A conversation with someone who hires{where} on "
                f"{starts_at.astimezone(zone):%a %-d %b}.",
            )
        )
    return found


def overviews(
    links: Iterable[CoachLink],
    now: datetime.datetime | None = None,
    steps: Sequence[list[Step] | None] | None = None,
) -> list[Overview]:
    """The people I coach, for my list (in the order of ``links``): funnel (the Progress
    page's default period, in each one's time zone), recent activity, what needs
    attention. A fixed number of queries whatever the number of links or their data;
    ``steps``: funnels already computed (None for one: computed here)."""
    now = now or timezone.now()
    links = list(links)
    owners = [link.owner for link in links]
    given = list(steps) if steps is not None else [None] * len(links)
    missing = [link.owner for link, known in zip(links, given, strict=True) if known is None]
    computed = iter(progress_funnels(missing, DEFAULT))
    funnels_ = [known if known is not None else next(computed) for known in given]
    shown = _shown(links, _events(owners, now))
    overdue = _overdue(owners, now)
    soon = _hiring_soon(owners, now)
    found = []
    for link, steps_, (events, last) in zip(links, funnels_, shown, strict=True):
        late = overdue.get(link.owner.pk, 0)
        found.append(
            Overview(
                link,
                coachee_name(link),
                steps_,
                last,
                late,
                events,
                attention(link, now, last, late, soon.get(link.owner.pk, [])),
            )
        )
    return found


def overview(
    link: CoachLink, now: datetime.datetime | None = None, steps: list[Step] | None = None
) -> Overview:
    """One person I coach, for my list (:func:`overviews` with one link)."""
    return overviews([link], now, [steps])[0]


def progress_funnel(owner: Any, period: str) -> list[Step]:
    return funnel(owner, period_for(owner, period))


def progress_funnels(owners: Sequence[Any], period: str) -> list[list[Step]]:
    """:func:`progress_funnel` for each of ``owners`` (each in their own time zone)."""
    if not owners:
        return []
    return funnels([(owner, period_for(owner, period)) for owner in owners])


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
    people = _participants([owner], ids)
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
