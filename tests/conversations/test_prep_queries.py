"""The prep page: one warm-path load for all participants, whatever their number."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.conversations.models import Conversation
from coffeechat.network.models import TieKind
from coffeechat.targets.paths import paths_to_people, paths_to_person
from tests.conversations.conftest import schedule
from tests.factories import EmploymentFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


def participant(owner: Any, acme: Any, index: int) -> Any:
    """Someone at Acme whom you reach through a friend, and who has a colleague there."""
    person = PersonFactory(owner=owner, first_name=f"Part{index}", last_name="Icipant")
    EmploymentFactory(person=person, organization=acme, title="Analyst")
    friend = PersonFactory(owner=owner, first_name=f"Friend{index}", last_name="Of")
    TieFactory(owner=owner, to_person=friend, kind=TieKind.FRIEND, strength=5)
    TieFactory(owner=owner, from_person=friend, to_person=person, kind=TieKind.COLLEAGUE)
    return person


def prep_queries(client: Client, conversation: Conversation) -> tuple[int, str]:
    url = reverse("conversations:conversation-prep", kwargs={"conversation_id": conversation.pk})
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_prep_page_runs_as_many_queries_for_one_two_or_five_people(
    alice_client: Client, alice: Any, acme: Any
) -> None:
    people = [participant(alice, acme, i) for i in range(5)]
    counts = {}
    for size in (1, 2, 5):
        conversation = schedule(alice, people[:size], organization=acme)
        counts[size], page = prep_queries(alice_client, conversation)
        # Each person's connection sentence is still there: the search really ran.
        for person in people[:size]:
            assert f"Friend{person.first_name[-1]} Of" in page
    assert counts[1] == counts[2] == counts[5], counts


def test_paths_to_several_people_are_those_to_each_one(alice: Any, acme: Any) -> None:
    people = [participant(alice, acme, i) for i in range(3)]
    # Two of them are also friends with each other, and one has a boss at Acme.
    TieFactory(owner=alice, from_person=people[0], to_person=people[1], kind=TieKind.FRIEND)
    boss = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    EmploymentFactory(person=boss, organization=acme, title="Director")
    goals = [*people, boss]

    together = paths_to_people(alice, goals, per_person=5)

    assert set(together) == {p.pk for p in goals}
    for goal in goals:
        alone = paths_to_person(alice, goal, per_person=5)
        assert [(p.key, p.score, p.explain()) for p in together[goal.pk].ranked(None, 5)] == [
            (p.key, p.score, p.explain()) for p in alone.ranked(None, 5)
        ]
        assert together[goal.pk].ranked(), goal
