"""A follow-up closes itself only when what it asked for happened, and says what closed it;
one whose reason is gone is retired with that reason (issue 13, item 8)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from coffeechat.conversations import services as conversations
from coffeechat.followups import services
from coffeechat.followups.models import FollowUp, Kind, Status
from coffeechat.followups.tick import run_tick
from coffeechat.outreach import services as outreach
from coffeechat.outreach.models import Message
from tests.conversations.conftest import schedule
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TargetFactory,
)
from tests.followups.conftest import utc

pytestmark = pytest.mark.django_db

MONDAY = utc(2026, 3, 2, 9)  # 10:00 in Berlin


@pytest.fixture
def dana(alice: Any) -> Any:
    person = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    EmailAddressFactory(person=person, email="dana@acme.example")
    return person


def check_in(owner: Any, person: Any) -> FollowUp:
    item, _ = services.ensure(
        owner,
        f"supervisor_check_in:person:{person.pk}:2026-03-01",
        kind=Kind.SUPERVISOR_CHECK_IN,
        title=f"Check in with {person.full_name}",
        due_on=datetime.date(2026, 3, 1),
        person=person,
    )
    return item


def sent(owner: Any, person: Any, when: datetime.datetime) -> Message:
    message = outreach.compose(owner, person, "informational")
    outreach.save_draft(owner, message)
    return outreach.mark_sent(message, when=when)


def test_it_does_not_mark_a_check_in_done_because_a_conversation_was_only_scheduled(
    alice: Any, dana: Any
) -> None:
    acme = OrganizationFactory(owner=alice, name="Acme")
    TargetFactory(owner=alice, organization=acme, status="active")
    EmploymentFactory(person=dana, organization=acme, has_hiring_authority=True)
    with time_machine.travel(MONDAY, tick=False):
        run_tick()
        item = FollowUp.objects.get(owner=alice, kind=Kind.SUPERVISOR_CHECK_IN)
        schedule(alice, [dana], starts_at=MONDAY + datetime.timedelta(hours=2))
    # The conversation's time passed; nobody said it took place.
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        run_tick()
    assert FollowUp.objects.filter(owner=alice, kind=Kind.THANK_YOU).count() == 1
    item.refresh_from_db()
    assert item.status == Status.OPEN and item.closed_reason == ""


def test_holding_the_conversation_closes_the_check_in_and_says_so(alice: Any, dana: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        item = check_in(alice, dana)
        conversation = schedule(alice, [dana], starts_at=MONDAY - datetime.timedelta(hours=1))
        conversations.mark_held(alice, conversation)
    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.closed_reason == "You talked with them on 2 March 2026."


def test_a_reply_retires_the_nudges_saying_who_replied(alice: Any, dana: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        message = sent(alice, dana, MONDAY)
    with time_machine.travel(MONDAY + datetime.timedelta(days=2), tick=False):
        outreach.mark_replied(message)
    rows = FollowUp.objects.filter(owner=alice, rule="no_reply")
    assert {(r.kind, r.status) for r in rows} == {
        (Kind.NUDGE, Status.RETIRED),
        (Kind.TRY_ANOTHER, Status.RETIRED),
    }
    assert {r.closed_reason for r in rows} == {"Dana Reyes replied on 4 March 2026."}


def test_sending_the_nudge_closes_it_as_done(alice: Any, dana: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        message = sent(alice, dana, MONDAY)
    later = MONDAY + datetime.timedelta(days=9)
    with time_machine.travel(later, tick=False):
        nudge = outreach.compose(alice, dana, "nudge", nudge_of=message)
        outreach.save_draft(alice, nudge)
        outreach.mark_sent(nudge, when=later)
    first = FollowUp.objects.get(owner=alice, rule_key__endswith=":nudge:1")
    assert first.status == Status.DONE
    assert first.closed_reason == "You nudged Dana Reyes on 11 March 2026."


def test_the_tick_retires_old_preparations_whose_conversation_passed(alice: Any, dana: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        conversation = schedule(alice, [dana], starts_at=MONDAY + datetime.timedelta(days=3))
    prepare = FollowUp.objects.get(owner=alice, kind=Kind.PREPARE)
    # Months later, with no worker running in between and nobody marking it held.
    with time_machine.travel(MONDAY + datetime.timedelta(days=120), tick=False):
        run_tick()
    prepare.refresh_from_db()
    assert prepare.status == Status.RETIRED
    assert prepare.closed_reason == "The conversation of 5 March 2026 has passed."
    assert conversation.pk == prepare.conversation_id


def test_the_tick_retires_old_nudges_whose_person_replied(alice: Any, dana: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        message = sent(alice, dana, MONDAY)
    # An old reply recorded without the signal (data from before this rule existed).
    Message.objects.filter(pk=message.pk).update(
        status="replied", replied_at=MONDAY + datetime.timedelta(days=1)
    )
    with time_machine.travel(MONDAY + datetime.timedelta(days=90), tick=False):
        run_tick()
    rows = FollowUp.objects.filter(owner=alice, rule="no_reply")
    assert {r.status for r in rows} == {Status.RETIRED}
    assert {r.closed_reason for r in rows} == {"They replied on 3 March 2026."}
    dana.refresh_from_db()
    assert dana.not_responding_since is None


def test_the_tick_leaves_nudges_alone_when_nobody_replied(alice: Any, dana: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        sent(alice, dana, MONDAY)
    with time_machine.travel(MONDAY + datetime.timedelta(days=4), tick=False):
        run_tick()
    assert set(FollowUp.objects.filter(rule="no_reply").values_list("status", flat=True)) == {
        Status.OPEN
    }


def test_today_and_the_follow_up_page_say_what_closed_it(
    alice: Any, alice_client: Any, dana: Any
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        message = sent(alice, dana, MONDAY)
        outreach.mark_replied(message, when=MONDAY + datetime.timedelta(hours=3))
        page = alice_client.get(reverse("followups:today")).content.decode()
        assert "Closed lately" in page
        assert "No longer needed: Dana Reyes replied on 2 March 2026." in page
        item = FollowUp.objects.filter(owner=alice, kind=Kind.NUDGE).get()
        detail = alice_client.get(item.get_absolute_url()).content.decode()
        assert "Dana Reyes replied on 2 March 2026." in detail
        listing = alice_client.get(reverse("followups:follow-up-list") + "?status=retired")
        assert "Dana Reyes replied on 2 March 2026." in listing.content.decode()


def test_marking_done_by_hand_says_so_and_reopening_forgets_it(berliner: Any) -> None:
    item, _ = services.ensure(berliner, "custom:9", title="Call", due_on=datetime.date(2026, 3, 2))
    services.done(item)
    assert item.closing_note == "You marked it done."
    services.reopen(item)
    item.refresh_from_db()
    assert item.status == Status.OPEN and item.closed_reason == ""


def test_the_tick_names_the_users_own_dates_in_its_reasons(alice: Any, dana: Any) -> None:
    """23:30 UTC is already the next day in Berlin (alice's zone): the reasons say so."""
    late = utc(2026, 3, 5, 23, 30)
    with time_machine.travel(MONDAY, tick=False):
        schedule(alice, [dana], starts_at=late)
        message = sent(alice, dana, MONDAY)
    Message.objects.filter(pk=message.pk).update(status="replied", replied_at=late)
    with time_machine.travel(MONDAY + datetime.timedelta(days=120), tick=False):
        run_tick()
    prepare = FollowUp.objects.get(owner=alice, kind=Kind.PREPARE)
    assert prepare.closed_reason == "The conversation of 6 March 2026 has passed."
    nudges = FollowUp.objects.filter(owner=alice, rule="no_reply")
    assert {r.closed_reason for r in nudges} == {"They replied on 6 March 2026."}
