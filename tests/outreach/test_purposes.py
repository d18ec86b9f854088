"""The purposes table: every app asks it what a purpose means."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.followups.counters import weekly_progress
from coffeechat.followups.models import FollowUp
from coffeechat.followups.services import settings_for
from coffeechat.outreach import purposes
from coffeechat.outreach.builtin import builtin
from coffeechat.outreach.models import Ask, Channel, Purpose, Status
from coffeechat.outreach.requests import to_schedule
from coffeechat.outreach.services import compose, mark_replied, mark_sent, save_draft
from tests.api.conftest import JsonClient
from tests.factories import ApplicationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_every_purpose_has_one_row_and_a_builtin_template_per_channel() -> None:
    assert set(purposes.TABLE) == set(Purpose.values)
    for purpose in Purpose.values:
        assert purposes.rule_of(purpose).label == Purpose(purpose).label
        for channel in Channel.values:
            assert builtin(purpose, channel).body


def test_it_keeps_feedback_requests_and_nudges_out_of_the_first_notes() -> None:
    # One set of first notes: feedback after a rejection and nudges are not first notes.
    assert Purpose.REJECTION_FEEDBACK not in purposes.FIRST_NOTES
    assert Purpose.NUDGE not in purposes.FIRST_NOTES


def test_a_message_that_awaits_no_reply_gets_no_dates_anywhere(alice: Any, dana: Any) -> None:
    for purpose in (Purpose.THANK_YOU, Purpose.KEEP_IN_TOUCH):
        message = MessageFactory(person=dana, purpose=purpose)
        mark_sent(message, utc(2026, 3, 2, 9, 0))
        assert (message.try_another_on, message.nudge_due_on) == (None, None)
    assert not FollowUp.objects.filter(owner=alice, rule__startswith="no_reply").exists()


def test_the_weekly_target_counts_only_the_first_notes_of_the_table(alice: Any, dana: Any) -> None:
    for purpose in Purpose.values:
        mark_sent(MessageFactory(person=dana, purpose=purpose), utc(2026, 3, 3, 9, 0))
    progress = weekly_progress(
        alice, settings_for(alice), datetime.date(2026, 3, 2), datetime.date(2026, 3, 8)
    )
    outreach = next(p for p in progress if p.name == "outreach")
    assert outreach.done == len(purposes.FIRST_NOTES) == 4


def test_an_answered_feedback_request_is_a_conversation_to_schedule(alice: Any, dana: Any) -> None:
    asked = MessageFactory(person=dana, purpose=Purpose.REJECTION_FEEDBACK)
    mark_sent(asked, utc(2026, 3, 2, 9, 0))
    mark_replied(asked, utc(2026, 3, 3, 9, 0))
    thanks = MessageFactory(person=dana, purpose=Purpose.THANK_YOU)
    mark_sent(thanks, utc(2026, 3, 2, 9, 0))
    mark_replied(thanks, utc(2026, 3, 4, 9, 0))
    assert list(to_schedule(alice, now=utc(2026, 3, 5, 9, 0))) == [asked]


def test_a_nudge_after_a_feedback_request_asks_for_the_five_minutes_asked(
    alice: Any, dana: Any, acme: Any
) -> None:
    ApplicationFactory(owner=alice, organization=acme, status="rejected", role_title="Analyst")
    feedback = compose(alice, dana, Purpose.REJECTION_FEEDBACK)
    assert "in five minutes" in feedback.body
    save_draft(alice, feedback)
    mark_sent(feedback, utc(2026, 3, 2, 9, 0))

    nudge = compose(alice, dana, Purpose.NUDGE, nudge_of=feedback)
    assert "five minutes" in nudge.body
    assert "20-30 minute" not in nudge.body
    save_draft(alice, nudge)
    mark_sent(nudge, utc(2026, 3, 12, 9, 0))
    # The second nudge of the same thread still asks for five minutes.
    again = compose(alice, dana, Purpose.NUDGE, nudge_of=nudge, channel=Channel.LINKEDIN)
    assert "five minutes" in again.body and "20-30 minute" not in again.body


def test_a_nudge_asks_again_for_the_coffee_the_first_note_asked(alice: Any, dana: Any) -> None:
    first = compose(alice, dana, Purpose.INFORMATIONAL, ask=Ask.COFFEE)
    assert "a coffee" in first.body
    save_draft(alice, first)
    mark_sent(first, utc(2026, 3, 2, 9, 0))
    nudge = compose(alice, dana, Purpose.NUDGE)  # the last unanswered message
    assert nudge.nudge_of == first
    assert "a coffee" in nudge.body and nudge.ask == Ask.COFFEE


def test_the_api_lists_the_table(alice_client: Client) -> None:
    rows = {
        row["purpose"]: row
        for row in JsonClient(alice_client).get("/api/v1/outreach/purposes").json()
    }
    assert set(rows) == set(Purpose.values)
    assert rows["rejection_feedback"]["ask"] == "five minutes"
    assert rows["informational"]["first_note"] and rows["informational"]["words"] == 120
    assert not rows["thank_you"]["awaits_reply"]


def test_reply_rates_label_purposes_from_the_table(alice: Any, dana: Any) -> None:
    from coffeechat.outreach.services import reply_rates

    MessageFactory(person=dana, purpose=Purpose.REJECTION_FEEDBACK, status=Status.SENT)
    labels = [rate.label for rate in reply_rates(alice).by_purpose]
    assert labels == [purposes.rule_of(Purpose.REJECTION_FEEDBACK).label]


def test_the_composer_drafts_the_nudge_of_a_feedback_request_with_five_minutes(
    alice: Any, alice_client: Client, dana: Any
) -> None:
    feedback = MessageFactory(person=dana, purpose=Purpose.REJECTION_FEEDBACK, subject="Feedback")
    mark_sent(feedback, utc(2026, 3, 2, 9, 0))
    url = reverse("outreach:compose")
    page = alice_client.get(
        url, {"person": dana.pk, "purpose": "nudge", "nudge_of": feedback.pk}
    ).content.decode()
    assert "five minutes" in page and "20-30 minute call whenever" not in page
