"""Conversations asked for, answered, and not scheduled yet: pending, and "To schedule"."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.outreach.models import Purpose
from coffeechat.outreach.requests import to_schedule
from coffeechat.outreach.services import mark_replied, mark_sent
from coffeechat.outreach.situations import APPLY_NOW, pending_conversations, situations_for_person
from tests.conversations.conftest import schedule
from tests.factories import MessageFactory, PersonFactory, PostingFactory

pytestmark = pytest.mark.django_db

LIST = reverse("conversations:conversation-list")


def ask(person: Any, *, days_ago: int = 5, replied: int | None = 2, **fields: Any) -> Any:
    """A message to ``person`` sent ``days_ago`` days ago, replied ``replied`` days ago."""
    now = timezone.now()
    message = MessageFactory(owner=person.owner, person=person, **fields)
    mark_sent(message, now - datetime.timedelta(days=days_ago))
    if replied is not None:
        mark_replied(message, now - datetime.timedelta(days=replied))
    return message


def test_an_answered_request_with_nothing_scheduled_is_pending(alice: Any, acme: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    PostingFactory(organization=acme, contact=lee, title="Analyst")
    ask(lee)

    reason = pending_conversations(alice, [lee.pk])[lee.pk]

    assert reason.startswith("the conversation you asked for on ")
    assert reason.endswith("(they replied; to schedule)")
    # ...so the "apply now" situation sees it too.
    assert [s.kind for s in situations_for_person(alice, lee)] == [APPLY_NOW]


@pytest.mark.parametrize(
    ("fields", "replied", "days_ago"),
    [
        ({}, None, 5),  # sent, no reply yet
        ({"purpose": Purpose.THANK_YOU}, 2, 5),  # a thank-you asks for nothing
        ({"purpose": Purpose.NUDGE}, 2, 5),  # the nudge is not the request itself
        ({}, 100, 120),  # answered long ago: history
    ],
)
def test_other_messages_are_not_pending(
    alice: Any, fields: dict[str, Any], replied: int | None, days_ago: int
) -> None:
    lee = PersonFactory(owner=alice)
    ask(lee, replied=replied, days_ago=days_ago, **fields)
    assert pending_conversations(alice, [lee.pk]) == {}
    assert list(to_schedule(alice)) == []


def test_a_conversation_scheduled_since_the_request_settles_it(alice: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee")
    held_before = schedule(alice, [lee], starts_at=timezone.now() - datetime.timedelta(days=30))
    held_before.__class__.objects.filter(pk=held_before.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    message = ask(lee, purpose=Purpose.REJECTION_FEEDBACK)
    assert list(to_schedule(alice)) == [message]  # the old conversation came before

    schedule(alice, [lee])

    assert list(to_schedule(alice)) == []
    assert pending_conversations(alice, [lee.pk])[lee.pk].startswith("your conversation on")


def test_a_nudge_reply_answers_the_request(alice: Any) -> None:
    lee = PersonFactory(owner=alice)
    first = ask(lee, days_ago=12, replied=None)
    nudge = MessageFactory(owner=alice, person=lee, purpose=Purpose.NUDGE, nudge_of=first)
    mark_sent(nudge, timezone.now() - datetime.timedelta(days=4))
    mark_replied(nudge)
    assert list(to_schedule(alice)) == [first]


def test_the_list_shows_one_row_per_person_with_a_schedule_button(
    alice_client: Client, alice: Any, bob: Any
) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    ask(lee, days_ago=20, replied=15)
    ask(lee, days_ago=5, replied=1, purpose=Purpose.REFERRAL)
    bobs = PersonFactory(owner=bob, first_name="Bobsfriend", last_name="Hidden")
    ask(bobs)

    page = alice_client.get(LIST).content.decode()

    assert "To schedule" in page and page.count("Lee Park") == 1
    assert "Referral (someone suggested I write)" in page
    assert f"{reverse('conversations:conversation-create')}?person={lee.pk}" in page
    assert "Bobsfriend" not in page
    form = alice_client.get(reverse("conversations:conversation-create"), {"person": lee.pk})
    assert f'<input type="hidden" name="person" value="{lee.pk}">' in form.content.decode()


def test_the_list_page_runs_as_many_queries_for_two_or_thirty_requests(
    alice_client: Client, alice: Any
) -> None:
    for _ in range(2):
        ask(PersonFactory(owner=alice))
    alice_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert "To schedule" in alice_client.get(LIST).content.decode()
    for _ in range(28):
        ask(PersonFactory(owner=alice))
    with CaptureQueriesContext(connection) as many:
        alice_client.get(LIST)
    assert len(few) == len(many)
