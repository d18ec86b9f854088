"""The rule registry: each rule is a function the tick calls with ``now``.

A rule looks at the data it knows about and *ensures* follow-ups (creates the
missing ones idempotently through their ``rule_key``; see services.ensure_many)
and closes the ones whose reason went away. Rules must be safe to run twice at
once (two workers) and again after any downtime: they compute from the data, not
from the time since the last run.

Register a rule with ``@rule("name")``. The outreach and conversations apps add
theirs through wiring.py (see docs/follow-ups.md).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from coffeechat.followups import schedule
from coffeechat.followups.models import ACTIVE, FollowUp, Kind, Status
from coffeechat.followups.services import Wanted, draft_url, ensure_many, settings_by_owner
from coffeechat.network.models import Employment, Person
from coffeechat.targets.models import Posting, PostingStatus, Target, TargetStatus

logger = logging.getLogger(__name__)

RuleFunction = Callable[[datetime.datetime], int]


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    run: RuleFunction


RULES: dict[str, Rule] = {}


def rule(name: str, label: str = "") -> Callable[[RuleFunction], RuleFunction]:
    """Register ``fn(now) -> int`` (how many follow-ups it created) as a tick rule."""

    def register(fn: RuleFunction) -> RuleFunction:
        RULES[name] = Rule(name, label or name.replace("_", " "), fn)
        return fn

    return register


def run_rules(now: datetime.datetime) -> dict[str, int]:
    """Run every registered rule; one failing rule does not stop the others."""
    created: dict[str, int] = {}
    for name, registered in list(RULES.items()):
        try:
            created[name] = registered.run(now)
        except Exception:
            logger.exception("Follow-up rule %s failed", name)
            created[name] = -1
    return created


def close_stale(rule_name: str, current_keys: set[tuple[int, str]], now: datetime.datetime) -> int:
    """Mark done this rule's active follow-ups whose reason is gone (the key changed).

    A new key means the person was contacted (the cadence restarted) or no longer
    qualifies; the old reminder is satisfied.
    """
    stale = [
        pk
        for pk, owner_id, key in FollowUp.objects.filter(
            rule=rule_name, status__in=ACTIVE
        ).values_list("pk", "owner_id", "rule_key")
        if (owner_id, key) not in current_keys
    ]
    for start in range(0, len(stale), 500):
        FollowUp.objects.filter(pk__in=stale[start : start + 500], status__in=ACTIVE).update(
            status=Status.DONE, done_at=now, updated_at=now
        )
    return len(stale)


# Keep in touch ------------------------------------------------------------------------


@rule("keep_in_touch", "Keep in touch at the cadence the person asked for")
def keep_in_touch(now: datetime.datetime) -> int:
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
    close_stale("keep_in_touch", {(w.owner_id, w.rule_key) for w in wanted}, now)
    return created


# A prospective supervisor with nothing open ---------------------------------------------


@rule("supervisor_check_in", "Check in with a prospective supervisor when nothing is open")
def supervisor_check_in(now: datetime.datetime) -> int:
    """A person with hiring authority at an active target with no open posting."""
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
    close_stale("supervisor_check_in", {(w.owner_id, w.rule_key) for w in wanted}, now)
    return created


# No reply after the last nudge: mark the person as not responding -----------------------


@rule("not_responding", "After the last unanswered nudge, mark the person as not responding")
def not_responding(now: datetime.datetime) -> int:
    """Follow-ups of the ``stop`` step (see triggers.message_sent) mark their person.

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
        marked += Person.objects.filter(pk=person_id, not_responding_since__isnull=True).update(
            not_responding_since=due_on, updated_at=now
        )
    if marked:
        logger.info("Marked %d people as not responding", marked)
    return 0
