"""Everyone who passed you on toward a held conversation is thanked and told how it went
(issue 13, item 3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from coffeechat.conversations import services as conversations
from coffeechat.conversations.models import Conversation
from coffeechat.followups.models import FollowUp, Status
from coffeechat.outreach import services as outreach
from tests.conversations.conftest import schedule
from tests.factories import EmailAddressFactory, OrganizationFactory, PersonFactory, TieFactory
from tests.followups.conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 3, 2, 15)  # Monday, 16:00 in Berlin


@pytest.fixture
def chain(alice: Any) -> dict[str, Any]:
    """You → Rosa (a friend) → Marco (Rosa introduced him) → Lena (Marco referred her)."""
    acme = OrganizationFactory(owner=alice, name="Acme Logistics")
    rosa = PersonFactory(owner=alice, first_name="Rosa", last_name="Ortiz")
    marco = PersonFactory(owner=alice, first_name="Marco", last_name="Rossi")
    for person in (rosa, marco):
        EmailAddressFactory(person=person, email=f"{person.first_name.lower()}@example.com")
    TieFactory(owner=alice, from_person=None, to_person=rosa, kind="friend")
    TieFactory(
        owner=alice, from_person=None, to_person=marco, kind="introduced", introduced_by=rosa
    )
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):
        with_marco = schedule(alice, [marco], starts_at=NOW - datetime.timedelta(days=9))
        conversations.mark_held(alice, with_marco)
        lena = conversations.add_referral(
            alice, with_marco, referred_by=marco, name="Lena Berg"
        ).person
    return {"rosa": rosa, "marco": marco, "lena": lena, "acme": acme}


def hold_with_lena(alice: Any, chain: dict[str, Any]) -> Conversation:
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        conversation = schedule(alice, [chain["lena"]], organization=chain["acme"], starts_at=NOW)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        conversations.save_debrief(
            alice,
            conversation,
            notes="Warm and concrete.",
            fit="strong",
            learnings=[("skills", "Route planning is learned on the job")],
        )
    return conversation


def thanks_for(conversation: Conversation) -> dict[str, FollowUp]:
    rows = FollowUp.objects.filter(conversation=conversation, rule="thank_introducer")
    return {row.person.first_name: row for row in rows.select_related("person")}


def test_it_thanks_every_introducer_on_the_way_once(alice: Any, chain: dict[str, Any]) -> None:
    conversation = hold_with_lena(alice, chain)
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        conversations.save_debrief(alice, conversation, notes="Again")  # nothing new
    thanks = thanks_for(conversation)
    assert set(thanks) == {"Marco", "Rosa"}
    assert thanks["Rosa"].title == (
        "Thank Rosa Ortiz and say how the conversation with Lena Berg went"
    )
    assert thanks["Rosa"].note == (
        "Rosa Ortiz passed you on to Marco Rossi, who passed you on to Lena Berg."
    )
    assert thanks["Marco"].kind == "thank_you" and thanks["Marco"].status == Status.OPEN
    assert thanks["Marco"].due_on == datetime.date(2026, 3, 2)
    assert f"person={chain['marco'].pk}" in thanks["Marco"].action_url
    assert f"conversation={conversation.pk}" in thanks["Marco"].action_url
    # Lena herself gets the usual thank-you, not an introducer's.
    assert not FollowUp.objects.filter(rule="thank_introducer", person=chain["lena"]).exists()


def test_the_drafts_say_whom_they_introduced_and_how_it_went(
    alice: Any, chain: dict[str, Any]
) -> None:
    conversation = hold_with_lena(alice, chain)
    to_rosa = outreach.compose(alice, chain["rosa"], "thank_you", conversation=conversation)
    assert to_rosa.subject == "Thank you for the introduction to Marco Rossi"
    assert "Dear Rosa," in to_rosa.body
    assert "introducing me to Marco Rossi. That introduction led me on to Lena Berg" in (
        to_rosa.body
    )
    assert "What stayed with me most: Route planning is learned on the job." in to_rosa.body
    assert "Acme Logistics is a strong fit for me" in to_rosa.body
    to_marco = outreach.compose(alice, chain["marco"], "thank_you", conversation=conversation)
    assert "Thank you for introducing me to Lena Berg. We talked on 2 March 2026." in (
        to_marco.body
    )
    # Lena, who was in the conversation, gets the usual thank-you for talking.
    to_lena = outreach.compose(alice, chain["lena"], "thank_you", conversation=conversation)
    assert "Thank you for talking with me" in to_lena.body


def test_the_draft_says_nothing_the_debrief_did_not_record(
    alice: Any, chain: dict[str, Any]
) -> None:
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        conversation = schedule(alice, [chain["lena"]], starts_at=NOW)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        conversations.mark_held(alice, conversation)
    body = outreach.compose(alice, chain["marco"], "thank_you", conversation=conversation).body
    assert "How it went" not in body and "fit" not in body
    assert set(thanks_for(conversation)) == {"Marco", "Rosa"}


def test_sending_the_thank_you_closes_it_with_the_reason(alice: Any, chain: dict[str, Any]) -> None:
    conversation = hold_with_lena(alice, chain)
    with time_machine.travel(NOW + datetime.timedelta(hours=3), tick=False):
        note = outreach.compose(alice, chain["marco"], "thank_you", conversation=conversation)
        outreach.save_draft(alice, note)
        outreach.mark_sent(note)
    thanks = thanks_for(conversation)
    assert thanks["Marco"].status == Status.DONE
    assert thanks["Marco"].closed_reason == "You sent the thank-you on 2 March 2026."
    assert thanks["Rosa"].status == Status.OPEN


def test_a_conversation_that_did_not_take_place_thanks_nobody(
    alice: Any, chain: dict[str, Any]
) -> None:
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        conversation = schedule(alice, [chain["lena"]], starts_at=NOW)
        conversations.cancel_conversation(alice, conversation, notify=False)
    assert thanks_for(conversation) == {}


def test_the_composer_page_shows_the_introducers_draft(
    alice: Any, alice_client: Any, chain: dict[str, Any]
) -> None:
    conversation = hold_with_lena(alice, chain)
    url = thanks_for(conversation)["Rosa"].action_url
    assert url.startswith(reverse("outreach:compose"))
    page = alice_client.get(url).content.decode()
    assert "introducing me to Marco Rossi" in page and "Lena Berg" in page


def test_another_users_conversation_is_not_a_draft_for_me(
    alice: Any, bob_client: Any, chain: dict[str, Any]
) -> None:
    conversation = hold_with_lena(alice, chain)
    url = thanks_for(conversation)["Rosa"].action_url
    assert bob_client.get(url).status_code == 404
