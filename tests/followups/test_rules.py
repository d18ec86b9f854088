"""Services, tick rules and triggers, with a frozen clock."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from coffeechat.followups import rules, services, triggers
from coffeechat.followups.models import FollowUp, Kind, Status
from coffeechat.followups.tick import RULES, run_rules
from tests.factories import (
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TargetFactory,
)
from tests.followups.conftest import utc

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)  # a Monday


def test_it_ensures_a_follow_up_once(berliner: Any) -> None:
    first, created = services.ensure(
        berliner, "custom:1", kind=Kind.CUSTOM, title="Call", due_on=DAY
    )
    again, created_again = services.ensure(
        berliner, "custom:1", kind=Kind.CUSTOM, title="Other", due_on=DAY
    )
    assert created and not created_again
    assert first.pk == again.pk and again.title == "Call"
    assert first.rule == "custom"


def test_it_never_brings_back_a_done_or_skipped_follow_up(berliner: Any) -> None:
    item, _ = services.ensure(berliner, "custom:2", title="Call", due_on=DAY)
    services.skip(item, "They moved on")
    again, created = services.ensure(berliner, "custom:2", title="Call", due_on=DAY)
    assert not created and again.status == Status.SKIPPED


def test_it_takes_the_persons_preferred_channel(berliner: Any) -> None:
    person = PersonFactory(owner=berliner, preferred_channel="phone")
    item, _ = services.ensure(berliner, "custom:3", title="Call", due_on=DAY, person=person)
    assert item.channel == "phone"


def test_it_completes_by_key_and_by_prefix(berliner: Any) -> None:
    for key in ("no_reply:message:7:try_another", "no_reply:message:7:nudge:1", "other:1"):
        services.ensure(berliner, key, title=key, due_on=DAY)
    assert services.complete(berliner, prefix="no_reply:message:7:", reason="Sent.") == 2
    assert FollowUp.objects.get(rule_key="other:1").status == Status.OPEN
    assert services.complete(berliner, "other:1", reason="Called them.") == 1
    assert FollowUp.objects.get(rule_key="other:1").closed_reason == "Called them."


def test_it_does_not_complete_another_users_follow_ups(berliner: Any, bob: Any) -> None:
    services.ensure(bob, "x:1", title="Bob's", due_on=DAY)
    assert services.complete(berliner, "x:1", reason="Done.") == 0


@time_machine.travel(utc(2026, 3, 2, 21, 0), tick=False)  # 22:00 Monday in Berlin
def test_it_snoozes_from_the_users_local_today(berliner: Any) -> None:
    item, _ = services.ensure(berliner, "x:2", title="Call", due_on=DAY)
    services.snooze(item, 3)
    item.refresh_from_db()
    assert item.status == Status.SNOOZED
    assert item.snoozed_until == datetime.date(2026, 3, 5)
    assert item.remind_on == datetime.date(2026, 3, 5)


@time_machine.travel(utc(2026, 3, 2, 23, 30), tick=False)  # 00:30 Tuesday in Berlin
def test_it_snoozes_from_the_local_date_not_the_utc_date(berliner: Any) -> None:
    item, _ = services.ensure(berliner, "x:3", title="Call", due_on=DAY)
    services.snooze(item, 1)
    assert item.snoozed_until == datetime.date(2026, 3, 4)


def test_it_refuses_a_skip_without_a_reason(berliner: Any) -> None:
    from django.core.exceptions import ValidationError

    item, _ = services.ensure(berliner, "x:4", title="Call", due_on=DAY)
    with pytest.raises(ValidationError):
        services.skip(item, "  ")


# Tick rules ---------------------------------------------------------------------------


def test_it_lists_every_rule_in_one_place() -> None:
    names = [rule.__name__ for rule in RULES]
    assert names == [
        "keep_in_touch",
        "supervisor_check_in",
        "passed_conversations",
        "retire_passed_preparations",
        "retire_answered",
        "not_responding",
    ]


def test_it_keeps_going_when_one_rule_fails() -> None:
    def exploding_for_test(now: datetime.datetime) -> int:
        raise RuntimeError("boom")

    results = run_rules(utc(2026, 3, 2), (exploding_for_test, *RULES))
    assert results["exploding_for_test"] == -1
    assert "keep_in_touch" in results


@time_machine.travel(utc(2026, 3, 2, 9), tick=False)
def test_it_keeps_in_touch_at_the_cadence_and_restarts_after_contact(berliner: Any) -> None:
    person = PersonFactory(
        owner=berliner,
        keep_in_touch_days=60,
        last_contacted_on=datetime.date(2026, 1, 1),
        preferred_channel="email",
        follow_up_wish="every couple of months",
    )
    rules.keep_in_touch(utc(2026, 3, 2))
    rules.keep_in_touch(utc(2026, 3, 2))
    item = FollowUp.objects.get(owner=berliner, rule="keep_in_touch")
    assert item.due_on == datetime.date(2026, 3, 2)
    assert item.channel == "email"
    assert "every couple of months" in item.title
    # They talked again: the old reminder is satisfied, a new one counts from then.
    person.last_contacted_on = datetime.date(2026, 3, 2)
    person.save()
    rules.keep_in_touch(utc(2026, 3, 3))
    rows = FollowUp.objects.filter(owner=berliner, rule="keep_in_touch").order_by("due_on")
    assert [(r.due_on, r.status) for r in rows] == [
        (datetime.date(2026, 3, 2), Status.DONE),
        (datetime.date(2026, 5, 1), Status.OPEN),
    ]


def test_it_keeps_in_touch_on_the_date_they_named(berliner: Any) -> None:
    PersonFactory(owner=berliner, next_check_in_on=datetime.date(2026, 4, 15))
    PersonFactory(owner=berliner, next_check_in_on=datetime.date(2026, 4, 15), do_not_contact=True)
    PersonFactory(
        owner=berliner, next_check_in_on=datetime.date(2026, 4, 15), may_keep_in_touch=False
    )
    rules.keep_in_touch(utc(2026, 3, 2))
    assert list(FollowUp.objects.values_list("due_on", flat=True)) == [datetime.date(2026, 4, 15)]


def supervisor(owner: Any, **person: Any) -> Any:
    organization = OrganizationFactory(owner=owner, name="Acme")
    TargetFactory(organization=organization, status="active")
    job = EmploymentFactory(
        person__owner=owner, organization=organization, has_hiring_authority=True, **person
    )
    return job


def test_it_checks_in_with_a_prospective_supervisor_when_nothing_is_open(berliner: Any) -> None:
    job = supervisor(berliner, person__last_contacted_on=datetime.date(2026, 1, 10))
    rules.supervisor_check_in(utc(2026, 3, 2))
    item = FollowUp.objects.get(rule="supervisor_check_in")
    assert item.person == job.person and item.organization == job.organization
    assert item.due_on == datetime.date(2026, 4, 10)
    assert item.kind == Kind.SUPERVISOR_CHECK_IN


def test_it_uses_the_users_check_in_interval(berliner: Any) -> None:
    prefs = services.settings_for(berliner)
    prefs.supervisor_check_in_days = 30
    prefs.save()
    supervisor(berliner, person__last_contacted_on=datetime.date(2026, 1, 10))
    rules.supervisor_check_in(utc(2026, 3, 2))
    assert FollowUp.objects.get().due_on == datetime.date(2026, 2, 9)


def test_it_closes_the_check_in_when_a_posting_opens(berliner: Any) -> None:
    job = supervisor(berliner)
    rules.supervisor_check_in(utc(2026, 3, 2))
    assert FollowUp.objects.get().status == Status.OPEN
    PostingFactory(organization=job.organization, owner=berliner)
    rules.supervisor_check_in(utc(2026, 3, 3))
    # Never done by the user: retired, saying why, not "Done".
    item = FollowUp.objects.get()
    assert item.status == Status.RETIRED and "a posting is open there" in item.closed_reason


def test_it_does_not_check_in_at_an_inactive_target(berliner: Any) -> None:
    job = supervisor(berliner)
    job.organization.targets.update(status="paused")
    rules.supervisor_check_in(utc(2026, 3, 2))
    assert not FollowUp.objects.exists()


# Triggers (what outreach and conversations call at merge) -------------------------------


def test_it_schedules_no_reply_steps_in_the_users_business_days(berliner: Any) -> None:
    person = PersonFactory(owner=berliner, first_name="Ada", last_name="Byrne")
    organization = OrganizationFactory(owner=berliner, name="Acme")
    sent = utc(2026, 4, 2, 9, 0)  # Thursday before Easter
    made = triggers.message_sent(
        berliner, thread_id=11, person=person, organization=organization, sent_at=sent
    )
    assert [(m.kind, m.due_on) for m in made] == [
        (Kind.TRY_ANOTHER, datetime.date(2026, 4, 9)),
        (Kind.NUDGE, datetime.date(2026, 4, 15)),
    ]
    # The same event twice creates nothing new.
    triggers.message_sent(
        berliner, thread_id=11, person=person, organization=organization, sent_at=sent
    )
    assert FollowUp.objects.count() == 2


def test_it_stops_after_the_last_nudge_and_marks_the_person(berliner: Any) -> None:
    person = PersonFactory(owner=berliner)
    triggers.message_sent(berliner, thread_id=5, person=person, sent_at=utc(2026, 3, 2, 9))
    triggers.message_sent(
        berliner, thread_id=5, person=person, sent_at=utc(2026, 3, 11, 9), nudges_sent=1
    )
    triggers.message_sent(
        berliner, thread_id=5, person=person, sent_at=utc(2026, 3, 20, 9), nudges_sent=2
    )
    open_rows = FollowUp.objects.filter(status=Status.OPEN)
    assert [(r.rule, r.due_on) for r in open_rows] == [
        ("no_reply_stop", datetime.date(2026, 3, 31))
    ]
    rules.not_responding(utc(2026, 3, 30, 12))
    person.refresh_from_db()
    assert person.not_responding_since is None
    rules.not_responding(utc(2026, 3, 31, 12))
    person.refresh_from_db()
    assert person.not_responding_since == datetime.date(2026, 3, 31)


def test_it_closes_the_thread_when_a_reply_comes(berliner: Any) -> None:
    person = PersonFactory(owner=berliner)
    triggers.message_sent(berliner, thread_id=6, person=person, sent_at=utc(2026, 3, 2, 9))
    assert triggers.message_replied(berliner, thread_id=6, when=utc(2026, 3, 3)) == 2
    assert not FollowUp.objects.filter(status=Status.OPEN).exists()


def test_it_thanks_every_participant_and_reminds_to_debrief(berliner: Any) -> None:
    ada = PersonFactory(owner=berliner, first_name="Ada", preferred_channel="linkedin")
    bo = PersonFactory(owner=berliner, first_name="Bo")
    triggers.conversation_scheduled(
        berliner, conversation_id=3, people=[ada, bo], starts_at=utc(2026, 3, 3, 15)
    )
    assert FollowUp.objects.get(kind=Kind.PREPARE).due_on == datetime.date(2026, 3, 2)
    prefs = services.settings_for(berliner)
    prefs.thank_you_timing = "next_morning"
    prefs.save()
    made = triggers.conversation_held(
        berliner,
        conversation_id=3,
        participants=[triggers.Participant(ada), triggers.Participant(bo)],
        ended_at=utc(2026, 3, 3, 15, 30),
    )
    thanks = [m for m in made if m.kind == Kind.THANK_YOU]
    assert len(thanks) == 2
    assert thanks[0].due_on == datetime.date(2026, 3, 4)
    assert thanks[0].due_at == utc(2026, 3, 4, 8, 0)  # 09:00 in Berlin
    assert thanks[0].channel == "linkedin"
    debrief = FollowUp.objects.get(kind=Kind.DEBRIEF)
    assert debrief.due_at == utc(2026, 3, 3, 16, 30)
    prepare = FollowUp.objects.get(kind=Kind.PREPARE)
    assert prepare.status == Status.RETIRED
    assert prepare.closed_reason == "The conversation took place on 3 March 2026."
    promises = triggers.debrief_saved(
        berliner,
        conversation_id=3,
        when=utc(2026, 3, 3, 17),
        promises=[triggers.Promise("Send Ada the article", datetime.date(2026, 3, 3), person=ada)],
    )
    assert promises[0].due_on == datetime.date(2026, 3, 10)
    assert FollowUp.objects.get(kind=Kind.DEBRIEF).status == Status.DONE
    assert (
        triggers.thank_you_sent(
            berliner, conversation_id=3, person_id=ada.pk, when=utc(2026, 3, 4, 9)
        )
        == 1
    )


def test_it_does_not_plan_preparation_when_the_user_turned_it_off(berliner: Any) -> None:
    prefs = services.settings_for(berliner)
    prefs.prepare_day_before = False
    prefs.save()
    person = PersonFactory(owner=berliner)
    assert (
        triggers.conversation_scheduled(
            berliner, conversation_id=4, people=[person], starts_at=utc(2026, 3, 3, 15)
        )
        is None
    )
