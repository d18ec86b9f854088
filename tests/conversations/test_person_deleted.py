"""What happens to a conversation when its person is deleted (docs/conversations.md).

Your notes of a conversation are yours: deleting a person takes them off their
conversations, and a conversation left with nobody stays, with its notes, listed as
with "someone you deleted" (``person_ids`` empty in the API) until you delete it.
Nothing answers a server error afterwards: not the list, not the pages, not the API
(issue 19, item 5).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.conversations.models import Conversation
from tests.factories import ConversationFactory, PersonFactory

pytestmark = pytest.mark.django_db


PAGES = [
    "conversations:conversation-detail",
    "conversations:conversation-prep",
    "conversations:conversation-update",
    "conversations:conversation-debrief",
    "conversations:conversation-ics",
]


def test_deleting_the_only_person_keeps_the_conversation_and_its_notes(
    alice: Any, alice_client: Client
) -> None:
    dana = PersonFactory(owner=alice, first_name="Dana")
    alone = ConversationFactory(owner=alice, people=[dana], quick_notes="Only Dana knew")
    response = alice_client.post(reverse("network:person-delete", args=[dana.pk]))
    assert response.status_code == 302

    kept = Conversation.objects.get(pk=alone.pk)
    assert kept.quick_notes == "Only Dana knew"
    assert list(kept.participants.all()) == []
    page = alice_client.get(reverse("conversations:conversation-list"))
    assert page.status_code == 200
    assert "someone you deleted" in page.content.decode()
    listed = alice_client.get("/api/v1/conversations")
    assert listed.status_code == 200
    assert listed.json()["items"][0]["person_ids"] == []
    assert alice_client.get(f"/api/v1/conversations/{alone.pk}").json()["people"] == []
    for name in PAGES:
        url = reverse(name, kwargs={"conversation_id": alone.pk})
        assert alice_client.get(url).status_code == 200, name
    assert alice_client.delete(f"/api/v1/conversations/{alone.pk}").status_code == 204


def test_a_conversation_with_others_keeps_them(alice: Any, alice_client: Client) -> None:
    dana = PersonFactory(owner=alice, first_name="Dana")
    eli = PersonFactory(owner=alice, first_name="Eli")
    shared = ConversationFactory(owner=alice, people=[dana, eli])
    assert alice_client.delete(f"/api/v1/people/{dana.pk}").status_code == 204

    listed = alice_client.get("/api/v1/conversations").json()["items"]
    assert [item["person_ids"] for item in listed] == [[eli.pk]]
    page = alice_client.get(reverse("conversations:conversation-list"))
    assert page.status_code == 200
    assert "Eli" in page.content.decode()
    update = reverse("conversations:conversation-update", args=[shared.pk])
    assert alice_client.get(update).status_code == 200


def test_a_conversation_already_without_people_does_not_break_the_list(
    alice: Any, alice_client: Client
) -> None:
    """Rows left by an earlier version (before this rule) still show."""
    dana = PersonFactory(owner=alice, first_name="Dana")
    orphan = ConversationFactory(owner=alice, people=[dana])
    orphan.participant_rows.all().delete()

    assert alice_client.get(reverse("conversations:conversation-list")).status_code == 200
    assert alice_client.get("/api/v1/conversations").status_code == 200
    assert alice_client.get(f"/api/v1/conversations/{orphan.pk}").status_code == 200
