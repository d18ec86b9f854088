"""Per target organization: people talked to, chain depth, someone who hires, next step."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coffeechat.conversations.models import Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today
from coffeechat.progress.organizations import target_progress
from tests.factories import (
    ConversationFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TargetFactory,
)
from tests.progress.conftest import days_ago, sent

pytestmark = pytest.mark.django_db


def test_it_follows_a_referral_chain_to_someone_who_hires(alice, bob):
    acme = TargetFactory(organization__owner=alice, organization__name="Acme").organization
    TargetFactory(organization__owner=alice, organization__name="Zeta")
    TargetFactory(organization__owner=bob, organization__name="Bob's target")
    rosa = PersonFactory(owner=alice, first_name="Rosa", last_name="Diaz")  # works elsewhere
    lena = PersonFactory(owner=alice, first_name="Lena", last_name="Berg")
    EmploymentFactory(person=rosa, organization=OrganizationFactory(owner=alice))
    EmploymentFactory(person=lena, organization=acme, has_hiring_authority=True)
    first = ConversationFactory(
        owner=alice, people=[rosa], starts_at=days_ago(9), status=ConversationStatus.HELD
    )
    Referral.objects.create(owner=alice, conversation=first, referred_by=rosa, person=lena)
    ConversationFactory(
        owner=alice,
        organization=acme,
        people=[lena],
        starts_at=days_ago(3),
        status=ConversationStatus.HELD,
    )
    sent(alice, lena, organization=acme, sent_at=days_ago(1))

    acme_row, zeta_row = target_progress(alice, timezone.now())

    assert acme_row.organization == "Acme"
    assert acme_row.people_talked_to == 1
    assert acme_row.best_chain_depth == 2
    assert acme_row.reached_hiring is True
    assert acme_row.last_activity == local_today(alice) - datetime.timedelta(days=1)
    assert acme_row.next_step == "You reached Lena Berg, who hires there, 2 links from you."
    assert (zeta_row.people_talked_to, zeta_row.best_chain_depth, zeta_row.reached_hiring) == (
        0,
        0,
        False,
    )
    assert zeta_row.last_activity is None
    assert zeta_row.next_step == "No conversation here yet."


def test_it_names_who_hires_when_not_reached_yet(alice):
    acme = TargetFactory(organization__owner=alice, organization__name="Acme").organization
    sam = PersonFactory(owner=alice, first_name="Sam", last_name="Ortiz")
    boss = PersonFactory(owner=alice, first_name="Ana", last_name="Boss")
    EmploymentFactory(person=sam, organization=acme)
    EmploymentFactory(person=boss, organization=acme, has_hiring_authority=True)
    ConversationFactory(
        owner=alice, people=[sam], starts_at=days_ago(2), status=ConversationStatus.HELD
    )

    (row,) = target_progress(alice, timezone.now())

    assert (row.people_talked_to, row.best_chain_depth, row.reached_hiring) == (1, 1, False)
    assert "Known: Ana Boss" in row.next_step
