"""What needs attention on the coach's list, and recent activity, against a known network."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from coffeechat.coaching import figures
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.followups.models import Status as FollowUpStatus
from tests.coaching.conftest import NOW, coach
from tests.factories import ConversationFactory, EmploymentFactory, FollowUpFactory, PersonFactory
from tests.progress.conftest import days_ago, sent

pytestmark = pytest.mark.django_db


def keys(link):
    return [a.key for a in figures.overview(link).attention]


def test_nothing_recorded_is_stalled(alice, carol):
    found = figures.overview(coach(alice, carol))
    assert [(a.key, a.text) for a in found.attention] == [("stalled", "No activity recorded yet.")]
    assert found.last_activity is None


def test_it_is_stalled_from_fourteen_quiet_days(alice, carol):
    link = coach(alice, carol)
    with time_machine.travel(NOW - datetime.timedelta(days=14), tick=False):
        person = PersonFactory(owner=alice)
    assert keys(link) == ["stalled"]
    assert "No activity for 14 days" in figures.overview(link).attention[0].text

    sent(alice, person, sent_at=days_ago(13))
    assert keys(link) == []
    assert figures.overview(link).last_activity == (NOW - datetime.timedelta(days=13)).date()


def test_five_overdue_follow_ups_need_attention_four_do_not(alice, carol):
    link = coach(alice, carol)
    PersonFactory(owner=alice)
    yesterday = (timezone.now() - datetime.timedelta(days=1)).date()
    for _ in range(4):
        FollowUpFactory(owner=alice, status=FollowUpStatus.OPEN, due_on=yesterday)
    FollowUpFactory(owner=alice, status=FollowUpStatus.DONE, due_on=yesterday)
    FollowUpFactory(owner=alice, status=FollowUpStatus.OPEN, due_on=NOW.date())
    assert keys(link) == []
    assert figures.overview(link).overdue == 4

    FollowUpFactory(owner=alice, status=FollowUpStatus.OPEN, due_on=yesterday)

    assert keys(link) == ["overdue"]
    assert figures.overview(link).attention[0].text == "5 follow-ups are overdue."


def test_a_conversation_with_someone_who_hires_within_seven_days(alice, carol):
    link = coach(alice, carol, "progress")
    PersonFactory(owner=alice)
    boss, peer = PersonFactory(owner=alice), PersonFactory(owner=alice)
    job = EmploymentFactory(
        person=boss, organization__name="Acme Widgets", has_hiring_authority=True
    )
    EmploymentFactory(person=peer, organization=job.organization)
    later = timezone.now() + datetime.timedelta(days=3)
    ConversationFactory(owner=alice, people=[peer], starts_at=later, organization=job.organization)
    ConversationFactory(
        owner=alice, people=[boss], starts_at=later + datetime.timedelta(days=5)
    )  # too far
    ConversationFactory(
        owner=alice, people=[boss], starts_at=later, status=ConversationStatus.CANCELLED
    )
    assert keys(link) == []

    ConversationFactory(owner=alice, people=[boss], starts_at=later, organization=job.organization)

    (attention,) = figures.overview(link).attention
    assert attention.key == "hiring_soon"
    assert "Acme" not in attention.text  # progress only: no organization
    link.scope = "targets"
    assert "at Acme Widgets" in figures.overview(link).attention[0].text


def test_recent_activity_says_what_and_when_and_where_only_with_targets(alice, carol):
    link = coach(alice, carol, "progress")
    person = PersonFactory(owner=alice, first_name="Secretia")
    job = EmploymentFactory(person=person, organization__name="Acme Widgets")
    sent(alice, person, organization=job.organization, sent_at=days_ago(1), replied_after=0.5)

    events = figures.overview(link).events
    assert [e.what for e in events] == [
        "Person added to the network",
        "Message sent: Informational request",
        "Reply received",
    ]
    assert all(e.organization == "" and e.people == [] for e in events)

    link.scope = "targets"
    detailed = figures.overview(link).events
    assert any(e.organization == "Acme Widgets" for e in detailed)
    assert all(p.startswith("Contact ") for e in detailed for p in e.people)
