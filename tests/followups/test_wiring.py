"""Outreach and conversations create and close follow-ups through their signals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from coffeechat.conversations import services as conversations
from coffeechat.followups.feed import build_calendar
from coffeechat.followups.models import FollowUp, Kind
from coffeechat.outreach import services as outreach
from tests.conversations.conftest import schedule
from tests.factories import EmailAddressFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(alice: Any) -> Any:
    person = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    EmailAddressFactory(person=person, email="dana@acme.example")
    return person


def open_kinds(owner: Any) -> list[str]:
    return sorted(
        FollowUp.objects.filter(owner=owner, status="open").values_list("kind", flat=True)
    )


def test_a_sent_message_schedules_nudges_and_a_reply_closes_them(alice: Any, dana: Any) -> None:
    message = outreach.compose(alice, dana, "informational")
    outreach.save_draft(alice, message)
    outreach.mark_sent(message)

    assert open_kinds(alice) == [Kind.NUDGE, Kind.TRY_ANOTHER]
    nudge = FollowUp.objects.get(owner=alice, kind=Kind.NUDGE)
    assert nudge.message_id == message.pk and nudge.person_id == dana.pk
    assert f"nudge_of={message.pk}" in nudge.action_url and "purpose=nudge" in nudge.action_url

    # The nudge continues the same thread: the first steps are done, the next are planned.
    again = outreach.compose(alice, dana, "nudge", nudge_of=message)
    outreach.save_draft(alice, again)
    outreach.mark_sent(again)
    keys = set(
        FollowUp.objects.filter(owner=alice, status="open").values_list("rule_key", flat=True)
    )
    assert keys and all(key.startswith(f"no_reply:message:{message.pk}:") for key in keys)
    assert not FollowUp.objects.filter(owner=alice, status="open", rule_key__endswith=":nudge:1")

    outreach.mark_replied(again)
    assert open_kinds(alice) == []


def test_a_thank_you_is_not_nudged(alice: Any, dana: Any) -> None:
    message = outreach.compose(alice, dana, "thank_you")
    outreach.save_draft(alice, message)
    outreach.mark_sent(message)
    assert open_kinds(alice) == []


def test_a_conversation_from_schedule_to_thank_you_and_promises(alice: Any, dana: Any) -> None:
    acme = OrganizationFactory(owner=alice, name="Acme")
    conversation = schedule(alice, [dana], organization=acme)
    prepare = FollowUp.objects.get(owner=alice, kind=Kind.PREPARE)
    assert prepare.conversation_id == conversation.pk
    assert prepare.due_on == (
        timezone.localtime(conversation.starts_at).date() - datetime.timedelta(days=1)
    )

    conversation.starts_at = timezone.now() - datetime.timedelta(hours=2)
    conversation.save()
    conversations.mark_held(alice, conversation)
    assert open_kinds(alice) == [Kind.DEBRIEF, Kind.THANK_YOU]  # preparing is over
    thanks = FollowUp.objects.get(owner=alice, kind=Kind.THANK_YOU)
    assert thanks.person_id == dana.pk and f"conversation={conversation.pk}" in thanks.action_url

    conversations.add_promise(
        alice, conversation, direction="mine", text="send the routing article", person=dana
    )
    conversations.save_debrief(alice, conversation, notes="Good talk")
    promise = FollowUp.objects.get(owner=alice, kind=Kind.PROMISED)
    assert "send the routing article" in promise.title
    assert promise.conversation_id == conversation.pk
    assert open_kinds(alice) == [Kind.PROMISED, Kind.THANK_YOU]  # the debrief is written

    note = outreach.compose(alice, dana, "thank_you", conversation=conversation)
    outreach.save_draft(alice, note)
    outreach.mark_sent(note)
    assert open_kinds(alice) == [Kind.PROMISED]


def test_a_cancelled_conversation_needs_no_preparation(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    conversations.cancel_conversation(alice, conversation, notify=False)
    assert open_kinds(alice) == []
    prepare = FollowUp.objects.get(owner=alice, kind=Kind.PREPARE)
    assert prepare.status == "retired"
    assert prepare.closed_reason == "The conversation was cancelled."


def test_holding_a_conversation_is_keeping_in_touch(alice: Any, dana: Any) -> None:
    FollowUp.objects.create(
        owner=alice,
        person=dana,
        kind=Kind.KEEP_IN_TOUCH,
        title="Keep in touch with Dana",
        due_on=timezone.localdate(),
        rule="keep_in_touch",
        rule_key=f"keep_in_touch:person:{dana.pk}",
    )
    conversation = schedule(alice, [dana], starts_at=timezone.now() - datetime.timedelta(hours=1))
    conversations.mark_held(alice, conversation)
    assert not FollowUp.objects.filter(owner=alice, kind=Kind.KEEP_IN_TOUCH, status="open")


def test_the_calendar_feed_lists_conversations_of_its_owner_only(
    alice: Any, bob: Any, dana: Any
) -> None:
    schedule(alice, [dana])
    other = PersonFactory(owner=bob, first_name="Zed")
    schedule(bob, [other])
    text = build_calendar(alice).decode()
    assert "Coffee chat: Dana Reyes" in text and "Zed" not in text


def test_a_reply_is_one_click_from_the_today_list(
    alice: Any, alice_client: Any, dana: Any, django_assert_max_num_queries: Any
) -> None:
    from django.urls import reverse

    message = outreach.compose(alice, dana, "informational")
    outreach.save_draft(alice, message)
    outreach.mark_sent(message, when=timezone.now() - datetime.timedelta(days=20))
    page = alice_client.get(reverse("followups:today")).content.decode()
    replied = reverse("outreach:message-replied", kwargs={"message_id": message.pk})
    assert f'action="{replied}"' in page

    response = alice_client.post(replied, {"next": reverse("followups:today")})
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")
    message.refresh_from_db()
    assert message.status == "replied"
    assert open_kinds(alice) == []


def test_a_conversation_nobody_marked_held_still_gets_its_thanks_once(
    alice: Any, dana: Any
) -> None:
    from coffeechat.followups.tick import run_tick

    conversation = schedule(alice, [dana], starts_at=timezone.now() - datetime.timedelta(hours=3))
    run_tick()
    run_tick()  # a second worker, or the next minute: nothing new
    thanks = FollowUp.objects.filter(owner=alice, kind=Kind.THANK_YOU)
    assert [(t.person_id, t.conversation_id) for t in thanks] == [(dana.pk, conversation.pk)]
    assert FollowUp.objects.filter(owner=alice, kind=Kind.DEBRIEF).count() == 1

    later = schedule(alice, [dana], starts_at=timezone.now() + datetime.timedelta(hours=3))
    run_tick()
    assert not FollowUp.objects.filter(conversation=later, kind=Kind.THANK_YOU).exists()
