"""Keep-warm cadence, removal with history, closing an opening, follow-ups for the picked."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coffeechat.bench import services
from coffeechat.bench.models import BenchContact, BenchSkill, OpeningOutcome, OpeningStatus
from coffeechat.followups.models import FollowUp
from coffeechat.followups.rules import keep_in_touch
from coffeechat.network.models import Person
from coffeechat.server.worker import run_periodic
from tests.bench.conftest import TODAY, bench, opening
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_it_gives_a_benched_person_my_default_cadence(alice: Any) -> None:
    entry = bench(alice, "Ada")
    assert Person.objects.get(pk=entry.person_id).keep_in_touch_days == 90
    assert entry.keep_warm_days == 90


def test_it_never_keeps_warm_more_often_than_they_asked(alice: Any) -> None:
    person = PersonFactory(owner=alice, keep_in_touch_days=180)
    entry = bench(alice, "Ada", person=person)
    assert Person.objects.get(pk=person.pk).keep_in_touch_days == 180
    assert entry.keep_warm_days is None


def test_it_does_not_keep_warm_who_may_not_be_contacted(alice: Any) -> None:
    person = PersonFactory(owner=alice, may_keep_in_touch=False)
    bench(alice, "Ada", person=person)
    assert Person.objects.get(pk=person.pk).keep_in_touch_days is None


def test_the_keep_in_touch_rule_puts_a_benched_person_on_today(alice: Any) -> None:
    with time_machine.travel("2025-10-01 09:00Z", tick=False):
        entry = bench(alice, "Ada")
    keep_in_touch(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
    item = FollowUp.objects.get(owner=alice, person=entry.person)
    assert item.rule == "keep_in_touch"
    assert "keep_in_touch" in item.action_url


def test_it_removes_an_entry_with_its_history_and_its_cadence(alice: Any) -> None:
    entry = bench(alice, "Ada", "python:3")
    services.log_contact(alice, entry, TODAY, note="coffee")
    services.remove_entry(alice, entry)
    assert not BenchSkill.objects.exists()
    assert not BenchContact.objects.exists()
    assert Person.objects.get(pk=entry.person_id).keep_in_touch_days is None


def test_it_refuses_the_same_person_twice(alice: Any) -> None:
    entry = bench(alice, "Ada")
    with pytest.raises(ValidationError):
        bench(alice, "Ada", person=entry.person)


def test_logging_a_contact_moves_last_contacted(alice: Any) -> None:
    entry = bench(alice, "Ada")
    services.log_contact(alice, entry, TODAY, channel="email", note="saw your paper")
    assert Person.objects.get(pk=entry.person_id).last_contacted_on == TODAY


def test_closing_records_hired_and_approached_and_keeps_the_others_warm(alice: Any) -> None:
    hired = bench(alice, "Hired")
    approached = bench(alice, "Approached")
    bench(alice, "Other")
    job = opening(alice, ["python"])
    services.close_opening(alice, job, hired=[hired], approached=[approached], today=TODAY)
    job.refresh_from_db()
    assert job.status == OpeningStatus.CLOSED
    assert job.closed_on == TODAY
    outcomes = dict(OpeningOutcome.objects.values_list("entry__person__first_name", "outcome"))
    assert outcomes == {"Hired": "hired", "Approached": "approached"}
    cadence = dict(Person.objects.values_list("first_name", "keep_in_touch_days"))
    assert cadence == {"Hired": None, "Approached": 90, "Other": 90}
    with pytest.raises(ValidationError):
        services.close_opening(alice, job)


def test_closing_refuses_another_users_entry(alice: Any, bob: Any) -> None:
    bobs = bench(bob, "Bobs")
    with pytest.raises(ValidationError):
        services.close_opening(alice, opening(alice, ["python"]), hired=[bobs])


def test_it_adds_one_follow_up_per_picked_person(alice: Any) -> None:
    entry = bench(alice, "Ada")
    job = opening(alice, ["python"])
    services.follow_up_picked(alice, job, [entry.person], today=TODAY)
    services.follow_up_picked(alice, job, [entry.person], today=TODAY)
    item = FollowUp.objects.get(owner=alice, rule="bench_opening")
    assert item.due_on == TODAY
    assert f"person={entry.person_id}" in item.action_url


def test_it_reads_skills_with_levels(alice: Any) -> None:
    skills = services.parse_skills("Python:4, sql, python:3")
    assert [(s.name, s.level) for s in skills] == [("python", 3), ("sql", 2)]
    with pytest.raises(ValidationError):
        services.parse_skills("python:9")


def test_it_uses_my_own_default_cadence(alice: Any, bob: Any) -> None:
    services.save_settings(alice, 45)
    assert bench(alice, "Ada").person.keep_in_touch_days == 45
    assert bench(bob, "Ben").person.keep_in_touch_days == 90
    with pytest.raises(ValidationError):
        services.save_settings(alice, 1)


def test_the_worker_points_a_benched_persons_keep_in_touch_item_at_the_benchs_note(
    alice: Any,
) -> None:
    with time_machine.travel("2025-10-01 09:00Z", tick=False):
        entry = bench(alice, "Ada")
        seeker = PersonFactory(owner=alice, first_name="Mentor", keep_in_touch_days=90)
    run_periodic("test", datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
    benched = FollowUp.objects.get(owner=alice, person=entry.person, rule="keep_in_touch")
    assert benched.action_url == services.draft_url(entry.person)
    assert "Thinking+of+you" in benched.action_url or "Thinking%20of%20you" in (benched.action_url)
    # Someone I keep in touch with as a seeker keeps the seeker's note.
    other = FollowUp.objects.get(owner=alice, person=seeker, rule="keep_in_touch")
    assert "Thinking" not in other.action_url


def test_availability_reads_as_a_sentence(alice: Any) -> None:
    later = bench(alice, "Ada", availability="from_date", available_from=datetime.date(2027, 1, 5))
    assert later.availability_text == "Available from 5 Jan 2027"
    assert bench(alice, "Bo").availability_text == "Available now"
