"""Reply rates with their intervals, the times, and the suggestions."""

from __future__ import annotations

import pytest

from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.outreach.models import ConnectionKind
from coffeechat.progress.period import period_for
from coffeechat.progress.rates import replies
from coffeechat.progress.stats import Rate, wilson
from tests.factories import ConversationFactory, PersonFactory
from tests.progress.conftest import days_ago, sent

pytestmark = pytest.mark.django_db

ALUMNI = "notes where the connection was “Alumni”"


def test_it_says_too_few_to_tell_under_five_messages():
    few = Rate("x", "X", 4, 3)

    assert not few.enough
    assert (few.low, few.high) == (None, None)


def test_it_gives_a_wilson_interval_from_five_messages():
    rate = Rate("x", "X", 5, 3)
    low, high = wilson(3, 5)

    assert rate.enough
    assert round(low, 3) == 0.231 and round(high, 3) == 0.882
    assert (rate.percent, rate.low, rate.high) == (60, 23, 88)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)


def alumni_and_cold(owner, alumni_sent, alumni_replied, cold_sent, cold_replied):
    for index in range(alumni_sent):
        sent(
            owner,
            connection_kind=ConnectionKind.ALUMNI,
            replied_after=1 if index < alumni_replied else None,
        )
    for index in range(cold_sent):
        sent(owner, replied_after=1 if index < cold_replied else None)


def test_it_counts_reply_rates_by_kind_of_connection(alice, bob):
    alumni_and_cold(alice, 3, 2, 1, 0)
    alumni_and_cold(bob, 7, 7, 0, 0)

    found = replies(alice, period_for(alice, "30"))

    groups = {g.key: {r.key: (r.sent, r.replied) for r in g.rates} for g in found.groups}
    assert groups["connection"] == {"alumni": (3, 2), "cold": (1, 0)}
    assert groups["channel"] == {"email": (4, 2)}
    assert groups["length"] == {"short": (4, 2)}
    assert (found.total.sent, found.total.replied) == (4, 2)


def test_it_states_a_suggestion_with_its_counts_when_both_sides_have_enough(alice):
    alumni_and_cold(alice, 5, 3, 9, 1)

    found = replies(alice, period_for(alice, "30")).suggestions

    alumni = next(s for s in found if s.group == "alumni")
    assert (
        alumni.text == f"{ALUMNI[0].upper()}{ALUMNI[1:]} got replies 3 of 5 times, others 1 of 9."
    )
    assert (alumni.replied, alumni.sent, alumni.others_replied, alumni.others_sent) == (3, 5, 1, 9)


def test_it_suggests_nothing_when_one_side_has_too_few(alice):
    alumni_and_cold(alice, 4, 4, 9, 1)

    assert replies(alice, period_for(alice, "30")).suggestions == []


def test_it_suggests_nothing_when_the_rates_are_close(alice):
    alumni_and_cold(alice, 5, 2, 10, 4)

    assert replies(alice, period_for(alice, "30")).suggestions == []


def test_it_gives_the_median_time_to_a_reply_and_to_a_conversation(alice):
    for days in (1, 2, 5):
        sent(alice, replied_after=days, sent_at=days_ago(10))
    rosa = PersonFactory(owner=alice)
    sent(alice, rosa, sent_at=days_ago(10))
    ConversationFactory(
        owner=alice, people=[rosa], starts_at=days_ago(6), status=ConversationStatus.HELD
    )
    # Held before the first note: not a conversation that followed it.
    kim = PersonFactory(owner=alice)
    sent(alice, kim, sent_at=days_ago(10))
    ConversationFactory(
        owner=alice, people=[kim], starts_at=days_ago(12), status=ConversationStatus.HELD
    )

    found = replies(alice, period_for(alice, "30"))

    assert (found.time_to_reply.median_days, found.time_to_reply.count) == (2.0, 3)
    assert (found.note_to_conversation.median_days, found.note_to_conversation.count) == (4.0, 1)
