"""The funnel, counted from a hand-built network where the answer is known."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.conversations.models import Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today
from coffeechat.network.models import Person
from coffeechat.outreach.models import Purpose
from coffeechat.progress.funnel import funnel
from coffeechat.progress.period import period_for
from coffeechat.targets.models import ApplicationEvent, ApplicationStatus
from tests.factories import (
    ApplicationFactory,
    ConversationFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.progress.conftest import days_ago, sent

pytestmark = pytest.mark.django_db


def build(owner: Any) -> None:
    """3 people this month and 1 two months ago; 2 first notes, 1 reply; 1 conversation
    held with someone who hires, 1 referral; 3 applications sent, 2 interviews, 1 offer."""
    rosa, marco, kim = (PersonFactory(owner=owner) for _ in range(3))
    old = PersonFactory(owner=owner)
    Person.objects.filter(pk=old.pk).update(created_at=days_ago(60))
    sent(owner, rosa, replied_after=1)
    sent(owner, marco)
    sent(owner, marco, purpose=Purpose.NUDGE)  # not a first note
    sent(owner, kim, purpose=Purpose.THANK_YOU)  # not a first note
    acme = OrganizationFactory(owner=owner, name="Acme")
    EmploymentFactory(person=rosa, organization=acme, has_hiring_authority=True)
    held = ConversationFactory(
        owner=owner, people=[rosa], starts_at=days_ago(1), status=ConversationStatus.HELD
    )
    ConversationFactory(owner=owner, people=[marco])  # scheduled, in three days
    ConversationFactory(
        owner=owner, people=[marco], starts_at=days_ago(3), status=ConversationStatus.CANCELLED
    )
    Referral.objects.create(owner=owner, conversation=held, referred_by=rosa, person=kim)
    today = local_today(owner)
    ApplicationFactory(organization=acme, applied_on=today - datetime.timedelta(days=3))
    ApplicationFactory(organization=acme, status=ApplicationStatus.PREPARING)
    interviewing = ApplicationFactory(
        organization=acme, status=ApplicationStatus.INTERVIEWING, applied_on=today
    )
    ApplicationEvent.objects.create(
        owner=owner,
        application=interviewing,
        status=ApplicationStatus.INTERVIEWING,
        on=today - datetime.timedelta(days=1),
    )
    # An offer whose history was never recorded: counted from its status.
    ApplicationFactory(organization=acme, status=ApplicationStatus.OFFER, applied_on=today)


def counts(owner: Any, period: str) -> dict[str, int | None]:
    return {step.key: step.count for step in funnel(owner, period_for(owner, period))}


def test_it_counts_each_step_of_the_funnel(alice, bob):
    build(alice)
    build(bob)  # never counted for alice

    assert counts(alice, "30") == {
        "people": 3,
        "first_notes": 2,
        "replies": 1,
        "conversations": 1,
        "referrals": 1,
        "hiring": 1,
        "applications": 3,
        "interviews": 2,
        "offers": 1,
    }


def test_it_gives_the_conversion_from_the_step_before(alice):
    build(alice)

    steps = funnel(alice, period_for(alice, "30"))

    assert [s.conversion for s in steps] == [None, 67, 50, 100, 100, 100, 300, 67, 50]


def test_it_counts_older_rows_in_a_longer_period(alice):
    build(alice)

    assert counts(alice, "90")["people"] == 4
    assert counts(alice, "all")["people"] == 4


def test_it_falls_back_to_ninety_days_for_an_unknown_period(alice):
    period = period_for(alice, "forever")

    assert period.key == "90"
    assert period.first_day == local_today(alice) - datetime.timedelta(days=89)
