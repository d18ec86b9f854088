"""The no-reply policy: one set of dates for the message page, Today, the checks and the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coffeechat.followups.models import FollowUp, Kind
from coffeechat.outreach import policy, services
from coffeechat.outreach.models import Purpose
from coffeechat.outreach.policy import NoReplyPolicy, policy_of, set_policy
from tests.api.conftest import JsonClient
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

TWO_NUDGES = NoReplyPolicy(try_another_after_days=3, nudge_after_days=7, max_nudges=2)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


# The steps, as pure functions ---------------------------------------------------------


def test_it_counts_no_reply_days_in_business_days_skipping_weekends() -> None:
    friday = datetime.date(2026, 3, 6)
    steps = policy.steps(friday, country="")
    assert [(s.kind, s.on) for s in steps] == [
        ("try_another", datetime.date(2026, 3, 11)),  # Mon, Tue, Wed
        ("nudge", datetime.date(2026, 3, 17)),
    ]
    assert steps[1].number == 1


def test_it_skips_the_public_holidays_of_the_users_country() -> None:
    thursday = datetime.date(2026, 4, 2)  # Good Friday and Easter Monday follow
    germany = policy.steps(thursday, country="DE")
    usa = policy.steps(thursday, country="US")
    assert germany[0].on == datetime.date(2026, 4, 9)
    assert usa[0].on == datetime.date(2026, 4, 7)
    assert germany[1].on == datetime.date(2026, 4, 15)


def test_it_nudges_until_the_last_then_stops() -> None:
    sent = datetime.date(2026, 3, 2)
    first = policy.steps(sent, TWO_NUDGES, nudges_sent=1)
    assert [(s.kind, s.number) for s in first] == [("nudge", 2)]
    last = policy.steps(sent, TWO_NUDGES, nudges_sent=2)
    assert [s.kind for s in last] == ["stop"]
    assert last[0].on == datetime.date(2026, 3, 11)


# One date everywhere ------------------------------------------------------------------


@pytest.fixture
def five_and_ten(alice: Any, alice_client: Client) -> Any:
    """Alice (Berlin, Germany) sets "try another after 5, nudge after 10 business days"
    on the rules page, as a user would."""
    data = {
        "thank_you_timing": "same_day",
        "thank_you_hour": 9,
        "debrief_delay_minutes": 60,
        "try_another_after_days": 5,
        "nudge_after_days": 10,
        "max_nudges": 2,
        "supervisor_check_in_days": 90,
        "prepare_day_before": "on",
        "weekly_outreach_target": 5,
        "weekly_conversation_target": 2,
        "digest_enabled": "on",
        "digest_hour": 7,
    }
    response = alice_client.post(reverse("followups:settings"), data)
    assert response.status_code == 302, response.content.decode()
    alice.profile.refresh_from_db()
    assert policy_of(alice) == NoReplyPolicy(5, 10, 2)
    return alice


def test_it_shows_the_same_nudge_date_on_the_message_page_today_the_api_and_the_checks(
    five_and_ten: Any, alice_client: Client, dana: Any
) -> None:
    alice = five_and_ten
    # Sent on Monday 2 March 2026: 5 business days is Monday 9 March, 10 is Monday 16 March.
    with time_machine.travel(utc(2026, 3, 2, 9, 0), tick=False):
        message = MessageFactory(person=dana)
        services.mark_sent(message)
    try_another, nudge = datetime.date(2026, 3, 9), datetime.date(2026, 3, 16)

    page = alice_client.get(message.get_absolute_url()).content.decode()
    assert "Nudge due</dt><dd>Mon 16 Mar 2026" in page
    assert "Try another person</dt><dd>Mon 9 Mar 2026" in page
    assert "5 Mar" not in page

    items = {item.kind: item for item in FollowUp.objects.filter(owner=alice)}
    assert items[Kind.NUDGE].due_on == nudge
    assert items[Kind.TRY_ANOTHER].due_on == try_another
    api = JsonClient(alice_client)
    with time_machine.travel(utc(2026, 3, 11, 9, 0), tick=False):
        today = alice_client.get(reverse("followups:today")).content.decode()
        assert "Mon 16 Mar" in today and "Mon 9 Mar" in today
        listed = api.get("/api/v1/today").json()
    assert [(i["kind"], i["due_on"]) for i in listed["upcoming"]] == [("nudge", "2026-03-16")]
    assert [(i["kind"], i["due_on"]) for i in listed["overdue"]] == [("try_another", "2026-03-09")]

    data = api.get(f"/api/v1/messages/{message.pk}").json()
    assert (data["try_another_on"], data["nudge_due_on"]) == ("2026-03-09", "2026-03-16")

    draft = {"person_id": dana.pk, "purpose": "nudge", "subject": "Re", "body": "Any news?"}
    with time_machine.travel(utc(2026, 3, 13, 9, 0), tick=False):
        found = {c["key"]: c for c in api.post("/api/v1/outreach/checks", draft).json()}
    assert "16 March 2026" in found["nudge_too_soon"]["explanation"]
    with time_machine.travel(utc(2026, 3, 16, 9, 0), tick=False):
        found = {c["key"]: c for c in api.post("/api/v1/outreach/checks", draft).json()}
    assert "nudge_too_soon" not in found


def test_it_gives_the_last_nudge_no_nudge_date_only_the_day_to_try_someone_else(
    alice: Any, dana: Any
) -> None:
    first = MessageFactory(person=dana)
    services.mark_sent(first, utc(2026, 3, 2, 9, 0))
    nudges = []
    for parent, day in ((first, 11), (None, 23)):
        nudge = MessageFactory(person=dana, purpose=Purpose.NUDGE, nudge_of=parent or nudges[-1])
        services.mark_sent(nudge, utc(2026, 3, day, 9, 0))
        nudges.append(nudge)
    assert (nudges[0].try_another_on, nudges[0].nudge_due_on) == (None, datetime.date(2026, 3, 20))
    # The second nudge is the last (two by default): no third, try someone else instead.
    assert (nudges[1].try_another_on, nudges[1].nudge_due_on) == (datetime.date(2026, 4, 1), None)
    stop = FollowUp.objects.get(owner=alice, rule="no_reply_stop")
    assert stop.due_on == nudges[1].try_another_on


def test_it_changes_the_policy_through_the_api_and_refuses_a_nudge_before_trying_another(
    alice_client: Client, alice: Any
) -> None:
    api = JsonClient(alice_client)
    assert api.get("/api/v1/outreach/no-reply-policy").json() == {
        "try_another_after_days": 3,
        "nudge_after_days": 7,
        "max_nudges": 2,
    }
    changed = {"try_another_after_days": 5, "nudge_after_days": 10, "max_nudges": 1}
    assert api.put("/api/v1/outreach/no-reply-policy", changed).json() == changed
    wrong = {"try_another_after_days": 5, "nudge_after_days": 5, "max_nudges": 1}
    refused = api.put("/api/v1/outreach/no-reply-policy", wrong)
    assert refused.status_code in {400, 422}
    assert "Nudge later" in refused.content.decode()
    alice.profile.refresh_from_db()
    assert policy_of(alice) == NoReplyPolicy(5, 10, 1)


def test_it_keeps_each_users_policy_to_themselves(alice: Any, bob: Any) -> None:
    set_policy(alice, NoReplyPolicy(5, 10, 1))
    assert policy_of(bob) == policy.DEFAULT
