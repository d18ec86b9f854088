"""The tick rules: each is a function the tick calls with ``now`` (see tick.RULES).

A rule looks at the data it knows about and *ensures* follow-ups (creates the
missing ones idempotently through their ``rule_key``; see services.ensure_many)
and closes the ones whose reason went away, saying why. Rules must be safe to run
twice at once (two workers) and again after any downtime: they compute from the
data, not from the time since the last run.

To add a rule: write ``fn(now) -> int`` (how many follow-ups it created) here or in
reactions.py, and list it in ``tick.RULES`` (see docs/decisions/0006-cross-app-effects.md).
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from coffeechat.conversations.models import Conversation
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import user_zone, zone_named
from coffeechat.followups import schedule
from coffeechat.followups.models import ACTIVE, FollowUp, Kind, Status
from coffeechat.followups.services import Wanted, draft_url, ensure_many, settings_by_owner
from coffeechat.network.models import Employment, Person
from coffeechat.network.services import mark_not_responding
from coffeechat.outreach.models import Message
from coffeechat.targets.models import Posting, PostingStatus, Target, TargetStatus

logger = logging.getLogger(__name__)


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def close_stale(rule_name: str, wanted: list[Wanted], now: datetime.datetime, *, gone: str) -> int:
    """Close this rule's active follow-ups that the rule no longer wants (the key changed),
    each with what closed it:

    - the person was contacted since it was made (the cadence restarted): done,
      "You were in touch with them on 2 March 2026.";
    - it was replaced by a new date for the same person (the cadence changed): retired;
    - the person no longer qualifies: retired with ``gone``.
    """
    current = {(w.owner_id, w.rule_key) for w in wanted}
    replaced = {(w.owner_id, w.person_id): w.due_on for w in wanted}
    rows = FollowUp.objects.filter(rule=rule_name, status__in=ACTIVE).values_list(
        "pk", "owner_id", "rule_key", "person_id", "created_at", "person__last_contacted_on"
    )
    done: dict[str, list[int]] = {}
    retired: dict[str, list[int]] = {}
    for pk, owner_id, key, person_id, created_at, contacted in rows:
        if (owner_id, key) in current:
            continue
        if contacted is not None and contacted >= created_at.date():
            done.setdefault(f"You were in touch with them on {_day(contacted)}.", []).append(pk)
        elif (owner_id, person_id) in replaced:
            due = replaced[(owner_id, person_id)]
            retired.setdefault(f"Replaced by the reminder due {_day(due)}.", []).append(pk)
        else:
            retired.setdefault(gone, []).append(pk)
    for reason, pks in done.items():
        for start in range(0, len(pks), 500):
            FollowUp.objects.filter(pk__in=pks[start : start + 500], status__in=ACTIVE).update(
                status=Status.DONE, done_at=now, closed_reason=reason, updated_at=now
            )
    for reason, pks in retired.items():
        for start in range(0, len(pks), 500):
            FollowUp.objects.filter(pk__in=pks[start : start + 500], status__in=ACTIVE).update(
                status=Status.RETIRED, closed_reason=reason, updated_at=now
            )
    return sum(map(len, done.values())) + sum(map(len, retired.values()))


# Keep in touch ------------------------------------------------------------------------


def keep_in_touch(now: datetime.datetime) -> int:
    """Keep in touch at the cadence (or on the date) the person asked for."""
    people = (
        Person.objects.filter(may_keep_in_touch=True, do_not_contact=False)
        .filter(Q(keep_in_touch_days__isnull=False) | Q(next_check_in_on__isnull=False))
        .only(
            "pk",
            "owner_id",
            "first_name",
            "last_name",
            "preferred_channel",
            "follow_up_wish",
            "keep_in_touch_days",
            "next_check_in_on",
            "last_contacted_on",
            "may_keep_in_touch",
            "created_at",
        )
    )
    wanted: list[Wanted] = []
    for person in people.iterator(chunk_size=2000):
        due = schedule.keep_in_touch_due(
            since=person.created_at.date(),
            last_contacted_on=person.last_contacted_on,
            every_days=person.keep_in_touch_days,
            next_check_in_on=person.next_check_in_on,
            may_keep_in_touch=person.may_keep_in_touch,
        )
        if due is None:
            continue
        wish = f" ({person.follow_up_wish})" if person.follow_up_wish else ""
        wanted.append(
            Wanted(
                owner_id=person.owner_id,
                rule="keep_in_touch",
                rule_key=f"keep_in_touch:person:{person.pk}:{due.isoformat()}",
                kind=Kind.KEEP_IN_TOUCH,
                title=f"Keep in touch with {person.full_name}{wish}",
                due_on=due,
                person_id=person.pk,
                channel=person.preferred_channel,
                action_url=draft_url(person, "keep_in_touch"),
            )
        )
    created = ensure_many(wanted)
    close_stale(
        "keep_in_touch",
        wanted,
        now,
        gone="No longer needed: they do not want to be kept in touch with any more.",
    )
    return created


# A prospective supervisor with nothing open ---------------------------------------------


def supervisor_check_in(now: datetime.datetime) -> int:
    """Check in with a person with hiring authority at an active target with no open
    posting."""
    active_target = Target.objects.filter(
        owner_id=OuterRef("owner_id"),
        organization_id=OuterRef("organization_id"),
        status=TargetStatus.ACTIVE,
    )
    open_posting = Posting.objects.filter(
        owner_id=OuterRef("owner_id"),
        organization_id=OuterRef("organization_id"),
        status=PostingStatus.OPEN,
    )
    jobs = (
        Employment.objects.filter(
            is_current=True,
            has_hiring_authority=True,
            person__do_not_contact=False,
            person__may_keep_in_touch=True,
        )
        .filter(Exists(active_target), ~Exists(open_posting))
        .select_related("person", "organization")
        .order_by("pk")
    )
    owners = set(jobs.values_list("owner_id", flat=True))
    settings = settings_by_owner(owners)
    wanted: list[Wanted] = []
    seen: set[int] = set()
    for job in jobs.iterator(chunk_size=2000):
        person = job.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        due = schedule.supervisor_check_in_due(
            since=person.created_at.date(),
            last_contacted_on=person.last_contacted_on,
            every_days=settings[job.owner_id].supervisor_check_in_days,
        )
        wanted.append(
            Wanted(
                owner_id=job.owner_id,
                rule="supervisor_check_in",
                rule_key=f"supervisor_check_in:person:{person.pk}:{due.isoformat()}",
                kind=Kind.SUPERVISOR_CHECK_IN,
                title=f"Check in with {person.full_name} at {job.organization.name}",
                note="Nothing is open there now: say what you learned, ask about upcoming needs.",
                due_on=due,
                person_id=person.pk,
                organization_id=job.organization_id,
                channel=person.preferred_channel,
                action_url=draft_url(person, "supervisor_check_in"),
            )
        )
    created = ensure_many(wanted)
    close_stale(
        "supervisor_check_in",
        wanted,
        now,
        gone=(
            "No longer needed: a posting is open there now, the target is no longer active, "
            "or they no longer hire there."
        ),
    )
    return created


# No reply after the last nudge: mark the person as not responding -----------------------


def not_responding(now: datetime.datetime) -> int:
    """After the last unanswered nudge, mark the person as not responding.

    Follow-ups of the ``stop`` step (see triggers.message_sent) mark their person.

    The follow-up itself stays on the list ("try another person"); this rule only
    records ``not_responding_since`` once its day has come (UTC date, one day of
    slack either way is harmless here).
    """
    today = timezone.now().date() if now is None else now.date()
    due = FollowUp.objects.filter(
        rule="no_reply_stop", status__in=ACTIVE, due_on__lte=today, person__isnull=False
    ).filter(person__not_responding_since__isnull=True)
    marked = 0
    for person_id, due_on in due.values_list("person_id", "due_on"):
        marked += mark_not_responding(person_id, due_on, now)
    if marked:
        logger.info("Marked %d people as not responding", marked)
    return 0


# Follow-ups whose reason is gone (old data included) -------------------------------------


def retire_passed_preparations(now: datetime.datetime) -> int:
    """Retire "prepare" follow-ups whose conversation has passed or was cancelled, however
    old (the conversation triggers do it as it happens; this catches what they missed)."""
    items = FollowUp.objects.filter(
        status__in=ACTIVE, rule_key__startswith="prepare:conversation:"
    ).values_list("pk", "rule_key")
    by_conversation: dict[int, list[int]] = {}
    for pk, key in items:
        tail = key.rsplit(":", 1)[-1]
        if tail.isdigit():
            by_conversation.setdefault(int(tail), []).append(pk)
    reasons: dict[str, list[int]] = {}
    for conversation in (
        Conversation.objects.filter(pk__in=by_conversation)
        .select_related("owner__profile")
        .only(
            "pk",
            "starts_at",
            "duration_minutes",
            "status",
            "owner__id",
            "owner__profile__time_zone",
        )
    ):
        if conversation.status == ConversationStatus.CANCELLED:
            reason = "The conversation was cancelled."
        elif conversation.ends_at <= now:
            day = conversation.starts_at.astimezone(user_zone(conversation.owner)).date()
            reason = f"The conversation of {_day(day)} has passed."
        else:
            continue
        reasons.setdefault(reason, []).extend(by_conversation[conversation.pk])
    for reason, pks in reasons.items():
        FollowUp.objects.filter(pk__in=pks, status__in=ACTIVE).update(
            status=Status.RETIRED, closed_reason=reason, updated_at=now
        )
    return 0


def retire_answered(now: datetime.datetime) -> int:
    """Retire "nudge" and "try another person" follow-ups whose person replied after the
    thread's first message (to any message of yours), however old."""
    items = list(
        FollowUp.objects.filter(
            status__in=ACTIVE, rule__in=["no_reply", "no_reply_stop"], person__isnull=False
        ).values_list("pk", "rule_key", "person_id", "owner__profile__time_zone")
    )
    roots = {
        pk: int(key.split(":")[2])
        for pk, key, _person, _zone in items
        if key.count(":") >= 3 and key.split(":")[2].isdigit()
    }
    sent = dict(
        Message.objects.filter(pk__in=set(roots.values()), sent_at__isnull=False).values_list(
            "pk", "sent_at"
        )
    )
    replies: dict[int, list[datetime.datetime]] = {}
    for person_id, replied_at in Message.objects.filter(
        person_id__in={person for _pk, _key, person, _zone in items}, replied_at__isnull=False
    ).values_list("person_id", "replied_at"):
        if replied_at is not None:
            replies.setdefault(person_id, []).append(replied_at)
    reasons: dict[str, list[int]] = {}
    for pk, _key, person_id, zone in items:
        since = sent.get(roots.get(pk, -1))
        answered = sorted(at for at in replies.get(person_id, []) if since and at >= since)
        if answered:
            day = answered[0].astimezone(zone_named(zone)).date()
            reasons.setdefault(f"They replied on {_day(day)}.", []).append(pk)
    for reason, pks in reasons.items():
        FollowUp.objects.filter(pk__in=pks, status__in=ACTIVE).update(
            status=Status.RETIRED, closed_reason=reason, updated_at=now
        )
    return 0
