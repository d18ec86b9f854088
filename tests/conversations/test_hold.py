"""The in-conversation page: "they asked me to follow up on X by Y" reaches the debrief,
then Today once the debrief is saved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation, Promise
from coffeechat.core.calendar import local_today
from coffeechat.followups.models import FollowUp
from tests.conversations.conftest import schedule
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def hold_url(conversation: Conversation) -> str:
    return reverse("conversations:conversation-hold", kwargs={"conversation_id": conversation.pk})


def test_it_notes_a_follow_up_they_asked_for_and_the_debrief_turns_it_into_one(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    by = local_today(alice) + datetime.timedelta(days=4)
    page = alice_client.get(hold_url(conversation)).content.decode()
    assert page.index('name="notes"') < page.index('name="ask-about"') < page.index('"asked"')

    response = alice_client.post(
        hold_url(conversation),
        {"notes": "Wants the slides.", "ask-about": "the slides", "ask-due_on": str(by)},
    )

    assert response.status_code == 302 and response["Location"] == hold_url(conversation)
    promise = Promise.objects.get(owner=alice)
    assert (promise.direction, promise.text, promise.due_on) == (
        "mine",
        "Follow up on the slides",
        by,
    )
    assert promise.person == dana  # the only participant: nobody to choose
    conversation.refresh_from_db()
    assert conversation.quick_notes == "Wants the slides."
    debrief = alice_client.get(
        reverse("conversations:conversation-debrief", kwargs={"conversation_id": conversation.pk})
    ).content.decode()
    assert "Follow up on the slides" in debrief

    services.save_debrief(alice, conversation, notes="Good talk")
    follow_up = FollowUp.objects.get(owner=alice, title="You promised: Follow up on the slides")
    assert (follow_up.due_on, follow_up.person) == (by, dana)


def test_autosave_never_records_a_half_typed_request(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = alice_client.post(
        hold_url(conversation), {"notes": "x", "ask-about": "the sli", "autosave": "1"}
    )
    assert response.status_code == 204
    assert not Promise.objects.exists()


def test_it_keeps_the_notes_and_explains_a_bad_date(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    first = conversation.chosen_questions.first()
    assert first is not None
    response = alice_client.post(
        hold_url(conversation),
        {
            "notes": "Kept.",
            "asked": [first.pk],
            "ask-about": "the slides",
            "ask-due_on": "next-ish",
            "next": "debrief",
        },
    )
    assert response.status_code == 422
    assert f'value="{first.pk}" checked' in response.content.decode()  # the tick just saved
    assert "Enter a valid date." in response.content.decode()
    assert 'value="the slides"' in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.quick_notes == "Kept." and not Promise.objects.exists()


def test_with_several_people_it_asks_who_and_only_among_them(
    alice_client: Client, alice: Any, dana: Any, bob: Any
) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee")
    conversation = schedule(alice, [dana, lee])
    outsider = PersonFactory(owner=alice, first_name="Outsider")
    page = alice_client.get(hold_url(conversation)).content.decode()
    assert "Who asked" in page and "Outsider" not in page
    refused = alice_client.post(
        hold_url(conversation), {"notes": "", "ask-about": "x", "ask-person": outsider.pk}
    )
    assert refused.status_code == 422 and not Promise.objects.exists()
    alice_client.post(hold_url(conversation), {"ask-about": "the intro", "ask-person": lee.pk})
    assert Promise.objects.get().person == lee
