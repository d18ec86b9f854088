"""The weekly review, every figure against a hand-built network whose answer is known.

The clock is Wednesday 4 March 2026 (tests/progress/conftest.py); Alice lives in Berlin
(UTC+1), so the last complete week is Monday 23 February to Sunday 1 March (2026-W09)
and the week after is 2 to 8 March.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.conversations.models import Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.followups.models import Kind
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.outreach.models import Purpose, Status
from coffeechat.progress.review import BadWeek, Section, review_of, week_named
from coffeechat.targets.models import Target, TargetStatus
from tests.factories import (
    ApplicationFactory,
    ConversationFactory,
    EmploymentFactory,
    FollowUpFactory,
    OrganizationFactory,
    PersonFactory,
    TargetFactory,
)
from tests.progress.conftest import sent

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
LONG_AGO = datetime.datetime(2026, 1, 1, 12, tzinfo=UTC)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def person(owner: Any, name: str) -> Any:
    first, last = name.split()
    return PersonFactory(owner=owner, first_name=first, last_name=last)


def titles(section: Section) -> list[str]:
    return [item.title for item in section.items]


def by_key(review: Any) -> dict[str, Section]:
    return {s.key: s for s in [*review.happened, *review.due, review.quiet, review.stalled]}


def refer(owner: Any, source: Any, referrer: Any, who: Any, recorded: datetime.datetime, **kw):
    referral = Referral.objects.create(
        owner=owner, conversation=source, referred_by=referrer, person=who, **kw
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=recorded)
    return referral


def target(owner: Any, name: str, added: datetime.datetime = LONG_AGO, **kw: Any) -> Any:
    found = TargetFactory(organization=OrganizationFactory(owner=owner, name=name), **kw)
    Target.objects.filter(pk=found.pk).update(created_at=added)
    return found


@pytest.fixture
def network(alice: Any) -> dict[str, Any]:
    """Alice's week, and the weeks around it."""
    ada, ben, cy, dee = (
        person(alice, n) for n in ("Ada Lovelace", "Ben Ode", "Cy Young", "Dee Li")
    )
    # Notes: two first notes and a nudge in the week; one at 23:30 on Sunday (Berlin),
    # one 30 minutes into Monday (next week); a draft never counts.
    sent(alice, ada, sent_at=at(2, 24, 9), replied_after=2.04)  # replied 26 Feb
    sent(alice, ben, purpose=Purpose.NUDGE, sent_at=at(2, 25))
    sent(alice, cy, sent_at=at(3, 1, 22, 30))  # Sunday 23:30 in Berlin
    sent(alice, dee, sent_at=at(3, 1, 23, 30))  # Monday 00:30 in Berlin: next week
    sent(alice, dee, sent_at=at(2, 24), status=Status.DRAFT)
    # A reply recorded in the week to a note of the week before.
    sent(alice, dee, sent_at=at(2, 18), replied_after=4.9)  # replied 23 Feb 07:36 UTC
    sent(alice, ada, purpose=Purpose.THANK_YOU, sent_at=at(2, 27))
    # Conversations: one held in the week; scheduled and cancelled ones are not "held".
    ConversationFactory(
        owner=alice, people=[ada], starts_at=at(2, 26, 15), status=ConversationStatus.HELD
    )
    ConversationFactory(owner=alice, people=[ben], starts_at=at(2, 27), status="scheduled")
    ConversationFactory(
        owner=alice, people=[cy], starts_at=at(2, 28), status=ConversationStatus.CANCELLED
    )
    # Follow-ups done in the week: on time, late; a skipped one is neither.
    FollowUpFactory(
        owner=alice,
        title="Send Ada the article",
        due_on=datetime.date(2026, 2, 25),
        status=FollowUpStatus.DONE,
        done_at=at(2, 25, 10),
    )
    FollowUpFactory(
        owner=alice,
        title="Call Ben back",
        due_on=datetime.date(2026, 2, 24),
        status=FollowUpStatus.DONE,
        done_at=at(2, 26, 10),
    )
    FollowUpFactory(
        owner=alice,
        due_on=datetime.date(2026, 2, 24),
        status=FollowUpStatus.SKIPPED,
        done_at=at(2, 24, 10),
    )
    # Due the week after (2-8 March), as things stand.
    FollowUpFactory(owner=alice, title="Ask Cy about the team", due_on=datetime.date(2026, 3, 5))
    FollowUpFactory(owner=alice, title="Old promise", due_on=datetime.date(2026, 2, 20))
    FollowUpFactory(owner=alice, title="Later still", due_on=datetime.date(2026, 3, 10))
    FollowUpFactory(
        owner=alice,
        title="Done already",
        due_on=datetime.date(2026, 3, 5),
        status=FollowUpStatus.DONE,
        done_at=at(3, 3),
    )
    FollowUpFactory(
        owner=alice, title="Thank Ada", kind=Kind.THANK_YOU, due_on=datetime.date(2026, 3, 3)
    )
    ConversationFactory(owner=alice, people=[dee], starts_at=at(3, 6, 14), status="scheduled")
    ConversationFactory(owner=alice, people=[cy], starts_at=at(3, 10, 14), status="scheduled")

    # Targets. The quiet window is 9 February to 1 March.
    acme = target(alice, "Acme")
    sent(alice, PersonFactory(owner=alice), organization=acme.organization, sent_at=at(1, 20))
    beta = target(alice, "Beta")
    ConversationFactory(
        owner=alice,
        organization=beta.organization,
        people=[PersonFactory(owner=alice)],
        starts_at=at(2, 20),
        status=ConversationStatus.HELD,
    )
    target(alice, "Gamma")  # nothing ever
    target(alice, "Delta", added=at(2, 20))  # too new to be quiet
    target(alice, "Epsilon", status=TargetStatus.PAUSED)  # not pursued
    later = target(alice, "Foxtrot")  # only after the week
    sent(alice, PersonFactory(owner=alice), organization=later.organization, sent_at=at(3, 3))
    golf = target(alice, "Golf")  # a talk with someone who works there now
    insider = PersonFactory(owner=alice)
    EmploymentFactory(person=insider, organization=golf.organization)
    ConversationFactory(
        owner=alice, people=[insider], starts_at=at(2, 16), status=ConversationStatus.HELD
    )

    hotel = target(alice, "Hotel")  # applied there on 12 February
    ApplicationFactory(organization=hotel.organization, applied_on=datetime.date(2026, 2, 12))
    india = target(alice, "India")  # applied on 2 February: before the window
    ApplicationFactory(organization=india.organization, applied_on=datetime.date(2026, 2, 2))

    # Referrals, all from Zed in a conversation on 2 February.
    zed = person(alice, "Zed Source")
    source = ConversationFactory(
        owner=alice, people=[zed], starts_at=at(2, 2), status=ConversationStatus.HELD
    )
    names = ("Pat Never", "Quinn New", "Rae Silent", "Sam Answered", "Tess Talked")
    pat, quinn, rae, sam, tess = (person(alice, n) for n in names)
    uma, vic = person(alice, "Uma Dated"), person(alice, "Vic Waiting")
    refer(alice, source, zed, pat, at(2, 10))  # not written to by 17 Feb: stalled
    refer(alice, source, zed, quinn, at(2, 27))  # in the week; write by 6 March: not yet
    refer(alice, source, zed, rae, at(2, 5))
    sent(alice, rae, purpose=Purpose.REFERRAL, sent_at=at(2, 9), status=Status.NO_REPLY)
    refer(alice, source, zed, sam, at(2, 5))
    sent(alice, sam, purpose=Purpose.REFERRAL, sent_at=at(2, 9), replied_after=1)
    refer(alice, source, zed, tess, at(2, 5))
    ConversationFactory(
        owner=alice, people=[tess], starts_at=at(2, 20), status=ConversationStatus.HELD
    )
    refer(alice, source, zed, uma, at(2, 20), follow_up_on=datetime.date(2026, 2, 25))
    refer(alice, source, zed, vic, at(2, 5))
    sent(alice, vic, purpose=Purpose.REFERRAL, sent_at=at(2, 26))  # try another: 5 March
    return {"ada": ada}


def test_it_reviews_the_last_complete_week_in_the_users_zone(alice):
    week = week_named(alice, None)

    assert (week.key, week.first_day) == ("2026-W09", datetime.date(2026, 2, 23))
    assert week.last_day == datetime.date(2026, 3, 1)
    assert week_named(alice, "2026-W01").first_day == datetime.date(2025, 12, 29)


@pytest.mark.parametrize("bad", ["2026-W10", "2026-W53", "2026-09", "W09", "2026-W9", "x-Wyy"])
def test_it_refuses_a_malformed_week_or_one_not_over(alice, bad):
    with pytest.raises(BadWeek):
        week_named(alice, bad)


def test_it_counts_what_happened_in_the_week(alice, network):
    review = review_of(alice)
    sections = by_key(review)

    assert titles(sections["notes"]) == [
        "Informational request to Ada Lovelace",
        "Follow-up nudge to Ben Ode",
        "Referral (someone suggested I write) to Vic Waiting",
        "Informational request to Cy Young",
    ]
    assert review.first_notes == 3
    assert titles(sections["replies"]) == [
        "Reply from Dee Li",
        "Reply from Ada Lovelace",
    ]
    assert sections["replies"].items[0].detail == "to your informational request of 18 Feb"
    assert titles(sections["held"]) == ["Informational conversation with Ada Lovelace"]
    assert titles(sections["thank_yous"]) == ["Thank-you after a conversation to Ada Lovelace"]
    assert titles(sections["referrals"]) == ["Quinn New"]
    assert titles(sections["on_time"]) == ["Send Ada the article"]
    assert titles(sections["late"]) == ["Call Ben back"]
    ada_note = sections["notes"].items[0]
    assert ada_note.on == datetime.date(2026, 2, 24)
    assert ada_note.url.startswith("/outreach/")
    assert sections["referrals"].items[0].url.startswith("/people/")


def test_it_lists_what_is_due_the_week_after(alice, network):
    sections = by_key(review_of(alice))

    assert titles(sections["due_follow_ups"]) == ["Old promise", "Ask Cy about the team"]
    assert sections["due_follow_ups"].items[0].detail == "overdue since 20 Feb"
    assert titles(sections["due_thank_yous"]) == ["Thank Ada"]
    assert titles(sections["due_conversations"]) == ["Informational conversation with Dee Li"]
    assert sections["due_conversations"].items[0].detail == "15:00"  # Berlin time


def test_it_names_the_targets_that_went_quiet(alice, network):
    quiet = review_of(alice).quiet

    assert titles(quiet) == ["Acme", "Foxtrot", "Gamma", "India"]
    assert [(item.on, item.detail) for item in quiet.items] == [
        (datetime.date(2026, 1, 20), "last activity"),
        (None, "no activity recorded"),
        (None, "no activity recorded"),
        (datetime.date(2026, 2, 2), "last activity"),
    ]


def test_it_names_the_referral_chains_that_stalled(alice, network):
    stalled = review_of(alice).stalled

    assert titles(stalled) == ["Rae Silent", "Pat Never", "Uma Dated"]
    assert [item.on for item in stalled.items] == [
        datetime.date(2026, 2, 12),  # sent Monday 9 Feb + 3 business days (the policy)
        datetime.date(2026, 2, 17),  # recorded 10 Feb + 7 days
        datetime.date(2026, 2, 25),  # the "follow up on" date Alice chose
    ]
    assert "no reply to 1 message since 9 Feb" in stalled.items[0].detail
    assert "not contacted" in stalled.items[1].detail


def test_an_earlier_week_is_reviewed_as_it_stood_then(alice, network):
    review = review_of(alice, "2026-W07")  # 9 to 15 February
    sections = by_key(review)

    assert titles(sections["notes"]) == [
        "Referral (someone suggested I write) to Rae Silent",
        "Referral (someone suggested I write) to Sam Answered",
    ]
    assert titles(sections["replies"]) == ["Reply from Sam Answered"]
    assert titles(sections["referrals"]) == ["Pat Never"]
    # As it stood on the 15th: Rae's "try another person" date was the 12th; Tess and
    # Vic, referred on the 5th, were not written to by the 12th (Tess was talked to on
    # the 20th, Vic written to on the 26th); Pat was to be written to by the 17th.
    assert titles(review.stalled) == ["Rae Silent", "Tess Talked", "Vic Waiting"]
    assert review.later is not None and review.later.key == "2026-W08"


def test_every_section_says_plainly_when_it_is_empty(alice):
    review = review_of(alice)

    assert all(section.count == 0 for section in by_key(review).values())
    assert review.first_notes == 0
    assert review.later is None  # the last complete week is the latest


def test_it_shows_only_my_own_rows(alice, bob, network):
    bob_person = PersonFactory(owner=bob, first_name="Bobsfriend", last_name="Only")
    sent(bob, bob_person, sent_at=at(2, 24))
    target(bob, "Bob Corp")

    mine = review_of(alice)
    theirs = review_of(bob)

    assert "Bobsfriend Only" not in str(mine)
    assert "Bob Corp" not in str(mine)
    assert titles(by_key(theirs)["notes"]) == ["Informational request to Bobsfriend Only"]
    assert titles(theirs.quiet) == ["Bob Corp"] and theirs.stalled.count == 0
