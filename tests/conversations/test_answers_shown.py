"""Participants' answers on the conversation page, in the API and in the export; the
page and the API list stay at a constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.conversations.models import Answer, Conversation, Participant
from coffeechat.conversations.services import take_calendar_mail
from coffeechat.mydata.services import PARTS, part_rows
from tests.conversations.conftest import schedule
from tests.conversations.test_incoming import reply
from tests.factories import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 7, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def with_answers(alice: Any, size: int) -> Conversation:
    people = []
    for index in range(size):
        person = PersonFactory(owner=alice, first_name=f"P{index}", last_name="Test")
        EmailAddressFactory(person=person, email=f"p{index}-{size}@example.org")
        people.append(person)
    conversation = schedule(alice, people)
    for index in range(size):
        take_calendar_mail(
            alice,
            reply(conversation.uid, f"p{index}-{size}@example.org", "DECLINED", "20261207T101500Z"),
            f"p{index}-{size}@example.org",
        )
    return conversation


def test_the_page_shows_each_answer_and_when(alice: Any, alice_client: Client, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "TENTATIVE", "20261207T101500Z"),
        "dana@acme.example",
    )
    page = alice_client.get(conversation.get_absolute_url()).content.decode()
    assert "Dana Reyes: Tentative" in page
    assert "7 Dec 2026" in page


def test_the_page_says_not_answered_yet(alice: Any, alice_client: Client, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    page = alice_client.get(conversation.get_absolute_url()).content.decode()
    assert "Dana Reyes: Not answered yet" in page


def test_the_page_runs_a_constant_number_of_queries_whatever_the_answers(
    alice: Any, alice_client: Client, django_assert_num_queries: Any
) -> None:
    small = with_answers(alice, 1)
    alice_client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        assert alice_client.get(small.get_absolute_url()).status_code == 200
    large = with_answers(alice, 6)
    with django_assert_num_queries(len(few)):
        page = alice_client.get(large.get_absolute_url())
    assert page.content.decode().count(": Declined") == 6


def test_the_api_gives_the_answers(alice: Any, alice_client: Client, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "ACCEPTED", "20261207T101500Z"),
        "dana@acme.example",
    )
    url = reverse("api-1:conversation-detail", kwargs={"conversation_id": conversation.pk})
    data = alice_client.get(url).json()
    assert data["answers"] == [
        {
            "person_id": dana.pk,
            "name": "Dana Reyes",
            "answer": "accepted",
            "answered_at": "2026-12-07T10:15:00Z",
        }
    ]
    assert data["title"] == "" and data["external_uid"] == ""


def test_the_api_list_runs_a_constant_number_of_queries(
    alice: Any, alice_client: Client, django_assert_num_queries: Any
) -> None:
    url = reverse("api-1:conversation-list")
    with_answers(alice, 1)
    alice_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert alice_client.get(url).status_code == 200
    for _ in range(3):
        with_answers(alice, 4)
    with django_assert_num_queries(len(few)):
        items = alice_client.get(url).json()["items"]
    assert sum(len(item["answers"]) for item in items) == 13


def test_the_export_carries_the_answers(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "DECLINED", "20261207T101500Z"),
        "dana@acme.example",
    )
    part = next(p for p in PARTS if p.model is Conversation)
    [exported] = list(part_rows(part, alice))
    [participant] = exported["participants"]
    assert participant["answer"] == Answer.DECLINED
    assert participant["answered_at"] is not None
    assert Participant.objects.get(conversation=conversation).answer == Answer.DECLINED
