"""The weekly review: what happened in a week, what is due the week after, which targets
went quiet and which referral chains stalled.

A week is Monday to Sunday in the user's time zone, named as in ISO 8601
(``2026-W09``). Every item links to its object. A constant number of queries: one or
two per section. The exact definitions are in docs/progress.md ("Weekly review").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q

from coffeechat.conversations.models import Conversation, Participant, Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.scoping import owned
from coffeechat.followups.counters import local_range
from coffeechat.followups.models import ACTIVE, FollowUp, Kind
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.network.models import Employment
from coffeechat.outreach import purposes
from coffeechat.outreach.models import Purpose
from coffeechat.outreach.models import Status as MessageStatus
from coffeechat.outreach.policy import dates_for
from coffeechat.outreach.services.reading import REPLIED_STATUSES, went_out
from coffeechat.targets.models import Application, Target, TargetStatus

# A target with no activity for this many weeks (the reviewed week and the ones
# before it) went quiet.
QUIET_WEEKS = 3
# A referral not acted on: the day to write is its "follow up on" date, else this
# many days after it was recorded.
WRITE_WITHIN_DAYS = 7
STILL_PURSUED = (TargetStatus.EXPLORING, TargetStatus.ACTIVE)


class BadWeek(ValueError):
    """A week that is not ``YYYY-Www``, or not yet over."""


@dataclass(frozen=True, slots=True)
class Week:
    first_day: datetime.date  # a Monday

    @property
    def last_day(self) -> datetime.date:
        return self.first_day + datetime.timedelta(days=6)

    @property
    def key(self) -> str:
        year, number, _ = self.first_day.isocalendar()
        return f"{year}-W{number:02d}"

    def shifted(self, weeks: int) -> Week:
        return Week(self.first_day + datetime.timedelta(weeks=weeks))


def last_complete_week(user: Any, now: datetime.datetime | None = None) -> Week:
    """The last Monday-to-Sunday week that is over, in the user's time zone."""
    today = local_today(user, now)
    return Week(today - datetime.timedelta(days=today.weekday() + 7))


def week_named(user: Any, key: str | None, now: datetime.datetime | None = None) -> Week:
    """The week ``key`` (``2026-W09``); the last complete week when ``key`` is empty.
    BadWeek when it is malformed or not over yet."""
    latest = last_complete_week(user, now)
    if not key:
        return latest
    try:
        year, number = key.split("-W")
        if len(year) != 4 or len(number) != 2:
            raise ValueError(key)
        week = Week(datetime.date.fromisocalendar(int(year), int(number), 1))
    except ValueError:
        raise BadWeek(f"{key!r} is not a week: write it as YYYY-Www, e.g. 2026-W09.") from None
    if week.first_day > latest.first_day:
        raise BadWeek(f"The week {key} is not over yet: the latest is {latest.key}.")
    return week


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    url: str
    on: datetime.date | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    label: str
    empty: str  # what the page says when there is nothing
    items: list[Item] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class Review:
    week: Week
    latest: Week
    happened: list[Section]
    due: list[Section]
    quiet: Section
    stalled: Section
    first_notes: int  # of the notes sent, first notes (as the progress page counts them)

    @property
    def coming(self) -> Week:
        return self.week.shifted(1)

    @property
    def earlier(self) -> Week:
        return self.week.shifted(-1)

    @property
    def later(self) -> Week | None:
        following = self.week.shifted(1)
        return following if following.first_day <= self.latest.first_day else None

    @property
    def counts(self) -> dict[str, int]:
        return {s.key: s.count for s in [*self.happened, *self.due, self.quiet, self.stalled]}


def _name(person: Any) -> str:
    return str(person) if person is not None else "someone"


def _messages(
    user: Any, zone: Any, begin: datetime.datetime, end: datetime.datetime
) -> tuple[list[Item], list[Item], list[Item], int]:
    rows = list(
        went_out(user)
        .filter(
            Q(sent_at__gte=begin, sent_at__lt=end)
            | Q(status__in=REPLIED_STATUSES)
            & (
                Q(replied_at__gte=begin, replied_at__lt=end)
                | Q(replied_at__isnull=True, sent_at__gte=begin, sent_at__lt=end)
            )
        )
        .select_related("person")
        .order_by("sent_at", "pk")
    )
    notes: list[Item] = []
    replies: list[Item] = []
    thanks: list[Item] = []
    first_notes = 0
    for message in rows:
        sent_in_week = message.sent_at is not None and begin <= message.sent_at < end
        sent_on = message.sent_at.astimezone(zone).date() if message.sent_at else None
        if sent_in_week:
            item = Item(
                f"{message.get_purpose_display()} to {_name(message.person)}",
                message.get_absolute_url(),
                sent_on,
                message.get_channel_display(),
            )
            if message.purpose == Purpose.THANK_YOU:
                thanks.append(item)
            else:
                notes.append(item)
                first_notes += message.purpose in purposes.FIRST_NOTES
        if message.status in REPLIED_STATUSES:
            replied_at = message.replied_at or message.sent_at
            if replied_at is not None and begin <= replied_at < end:
                replies.append(
                    Item(
                        f"Reply from {_name(message.person)}",
                        message.get_absolute_url(),
                        replied_at.astimezone(zone).date(),
                        f"to your {message.get_purpose_display().lower()} of {sent_on:%-d %b}"
                        if sent_on
                        else "",
                    )
                )
    replies.sort(key=lambda item: (item.on or datetime.date.min, item.title))
    return notes, replies, thanks, first_notes


def _conversation_title(conversation: Conversation) -> str:
    people = ", ".join(str(p) for p in conversation.participants.all()) or "no one named"
    return f"{conversation.get_purpose_display()} conversation with {people}"


def _happened(user: Any, week: Week) -> tuple[list[Section], int]:
    zone = user_zone(user)
    begin, end = local_range(user, week.first_day, week.last_day)
    notes, replies, thanks, first_notes = _messages(user, zone, begin, end)
    held = [
        Item(
            _conversation_title(c),
            c.get_absolute_url(),
            c.starts_at.astimezone(zone).date(),
            "debriefed" if c.debriefed_at else "",
        )
        for c in owned(Conversation, user)
        .filter(status=ConversationStatus.HELD, starts_at__gte=begin, starts_at__lt=end)
        .prefetch_related("participants")
        .order_by("starts_at", "pk")
    ]
    referrals = [
        Item(
            _name(r.person),
            r.person.get_absolute_url(),
            r.created_at.astimezone(zone).date(),
            f"from {_name(r.referred_by)}",
        )
        for r in owned(Referral, user)
        .filter(created_at__gte=begin, created_at__lt=end)
        .select_related("person", "referred_by")
        .order_by("created_at", "pk")
    ]
    on_time: list[Item] = []
    late: list[Item] = []
    for item in (
        owned(FollowUp, user)
        .filter(status=FollowUpStatus.DONE, done_at__gte=begin, done_at__lt=end)
        .order_by("done_at", "pk")
    ):
        assert item.done_at is not None
        day = item.done_at.astimezone(zone).date()
        row = Item(item.title, item.get_absolute_url(), day, f"due {item.due_on:%-d %b}")
        (on_time if day <= item.due_on else late).append(row)
    sections = [
        Section("notes", "Notes sent", "No note went out this week.", notes),
        Section("replies", "Replies", "No reply was recorded this week.", replies),
        Section("held", "Conversations held", "No conversation was held this week.", held),
        Section("thank_yous", "Thank-yous sent", "No thank-you went out this week.", thanks),
        Section(
            "referrals", "Referrals received", "No one was referred to you this week.", referrals
        ),
        Section("on_time", "Follow-ups done on time", "No follow-up was done on time.", on_time),
        Section("late", "Follow-ups done late", "No follow-up was done late.", late),
    ]
    return sections, first_notes


def _due(user: Any, coming: Week) -> list[Section]:
    zone = user_zone(user)
    begin, end = local_range(user, coming.first_day, coming.last_day)
    follow_ups: list[Item] = []
    thanks: list[Item] = []
    for item in (
        owned(FollowUp, user)
        .filter(status__in=ACTIVE, remind_on__lte=coming.last_day)
        .select_related("person")
        .order_by("remind_on", "due_at", "pk")
    ):
        overdue = item.remind_on < coming.first_day
        row = Item(
            item.title,
            item.get_absolute_url(),
            item.remind_on,
            f"overdue since {item.remind_on:%-d %b}" if overdue else item.get_kind_display(),
        )
        (thanks if item.kind == Kind.THANK_YOU else follow_ups).append(row)
    scheduled = [
        Item(
            _conversation_title(c),
            c.get_absolute_url(),
            c.starts_at.astimezone(zone).date(),
            f"{c.starts_at.astimezone(zone):%H:%M}",
        )
        for c in owned(Conversation, user)
        .filter(status=ConversationStatus.SCHEDULED, starts_at__gte=begin, starts_at__lt=end)
        .prefetch_related("participants")
        .order_by("starts_at", "pk")
    ]
    return [
        Section("due_follow_ups", "Follow-ups", "No follow-up is due.", follow_ups),
        Section(
            "due_conversations",
            "Conversations scheduled",
            "No conversation is scheduled.",
            scheduled,
        ),
        Section("due_thank_yous", "Thank-yous to send", "No thank-you is waiting.", thanks),
    ]


def last_activity(
    user: Any, organization_ids: set[int], end: datetime.datetime
) -> dict[int, datetime.date]:
    """The last local day of activity before ``end`` at each organization, as the
    progress page's target table counts it: a conversation there or with someone who
    works there now (not cancelled), a message that went out to someone there, or an
    application. Four queries."""
    zone = user_zone(user)
    last: dict[int, datetime.date] = {}

    def touch(organization_id: int | None, day: datetime.date | None) -> None:
        if organization_id in organization_ids and day is not None:
            last[organization_id] = max(day, last.get(organization_id, day))

    works_at: dict[int, set[int]] = defaultdict(set)
    for person_id, organization_id in (
        owned(Employment, user)
        .filter(is_current=True, organization_id__in=organization_ids)
        .values_list("person_id", "organization_id")
    ):
        works_at[person_id].add(organization_id)
    for person_id, organization_id, starts_at in (
        Participant.objects.filter(owner=user, conversation__starts_at__lt=end)
        .exclude(conversation__status=ConversationStatus.CANCELLED)
        .values_list("person_id", "conversation__organization_id", "conversation__starts_at")
    ):
        day = starts_at.astimezone(zone).date()
        for organization in {organization_id, *works_at.get(person_id, set())}:
            touch(organization, day)
    for organization_id, sent_at in (
        went_out(user)
        .filter(organization_id__in=organization_ids, sent_at__lt=end)
        .values("organization_id")
        .annotate(last=Max("sent_at"))
        .values_list("organization_id", "last")
    ):
        touch(organization_id, sent_at.astimezone(zone).date() if sent_at else None)
    last_day = (end - datetime.timedelta(microseconds=1)).astimezone(zone).date()
    for organization_id, applied_on, created_at in (
        owned(Application, user)
        .filter(organization_id__in=organization_ids)
        .values_list("organization_id", "applied_on", "created_at")
    ):
        day = applied_on or created_at.astimezone(zone).date()
        if day <= last_day:
            touch(organization_id, day)
    return last


def _quiet(user: Any, week: Week) -> Section:
    window = week.first_day - datetime.timedelta(weeks=QUIET_WEEKS - 1)
    window_begin, end = local_range(user, window, week.last_day)
    targets = list(
        owned(Target, user)
        .filter(status__in=STILL_PURSUED, created_at__lt=window_begin)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    last = last_activity(user, {t.organization_id for t in targets}, end)
    items = [
        Item(
            target.organization.name,
            target.get_absolute_url(),
            last.get(target.organization_id),
            "last activity" if target.organization_id in last else "no activity recorded",
        )
        for target in targets
        if last.get(target.organization_id, datetime.date.min) < window
    ]
    return Section(
        "quiet",
        f"Targets quiet for {QUIET_WEEKS} weeks",
        f"Every target you are exploring or pursuing had some activity in these "
        f"{QUIET_WEEKS} weeks.",
        items,
    )


def _stalled(user: Any, week: Week) -> Section:
    zone = user_zone(user)
    _begin, end = local_range(user, week.first_day, week.last_day)
    first_referral: dict[int, Referral] = {}
    for referral in (
        owned(Referral, user)
        .filter(created_at__lt=end)
        .select_related("person", "referred_by")
        .order_by("created_at", "pk")
    ):
        first_referral.setdefault(referral.person_id, referral)
    people = set(first_referral)
    talked = set(
        Participant.objects.filter(
            owner=user, person_id__in=people, conversation__starts_at__lt=end
        )
        .exclude(conversation__status=ConversationStatus.CANCELLED)
        .values_list("person_id", flat=True)
    )
    messages: dict[int, list[Any]] = defaultdict(list)
    for message in (
        went_out(user)
        .filter(person_id__in=people - talked, sent_at__lt=end)
        .only("person", "status", "sent_at", "replied_at", "try_another_on")
        .order_by("sent_at", "pk")
    ):
        messages[message.person_id].append(message)
    items = []
    for person_id, referral in first_referral.items():
        if person_id in talked:
            continue
        sent = messages.get(person_id, [])
        introducer = _name(referral.referred_by)
        if not sent:
            write_by = referral.follow_up_on or (
                referral.created_at.astimezone(zone).date()
                + datetime.timedelta(days=WRITE_WITHIN_DAYS)
            )
            if write_by <= week.last_day:
                items.append(
                    Item(
                        _name(referral.person),
                        referral.person.get_absolute_url(),
                        write_by,
                        f"referred by {introducer}; not contacted (you meant to write "
                        f"by {write_by:%-d %b})",
                    )
                )
            continue
        replied = any(
            m.status == MessageStatus.REPLIED and (m.replied_at or m.sent_at) < end for m in sent
        )
        if replied:
            continue
        first = sent[0]
        sent_on = first.sent_at.astimezone(zone).date()
        give_up_on = first.try_another_on or dates_for(user, first.sent_at).try_another_on
        if give_up_on is not None and give_up_on <= week.last_day:
            items.append(
                Item(
                    _name(referral.person),
                    referral.person.get_absolute_url(),
                    give_up_on,
                    f"referred by {introducer}; no reply to {len(sent)} message"
                    f"{'s' if len(sent) != 1 else ''} since {sent_on:%-d %b}",
                )
            )
    items.sort(key=lambda item: (item.on or datetime.date.min, item.title))
    return Section("stalled", "Referral chains stalled", "No referral chain stalled.", items)


def review_of(user: Any, week: str | None = None, now: datetime.datetime | None = None) -> Review:
    """The weekly review of ``user`` for the week named ``week`` (the last complete week
    when empty). BadWeek for a malformed week or one not over yet."""
    chosen = week_named(user, week, now)
    happened, first_notes = _happened(user, chosen)
    return Review(
        week=chosen,
        latest=last_complete_week(user, now),
        happened=happened,
        due=_due(user, chosen.shifted(1)),
        quiet=_quiet(user, chosen),
        stalled=_stalled(user, chosen),
        first_notes=first_notes,
    )
