"""A "something has opened up" message closes the follow-ups the purposes table names."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.followups import reactions, services
from coffeechat.followups.models import FollowUp, Kind, Status
from coffeechat.outreach.models import Purpose
from coffeechat.outreach.purposes import rule_of
from tests.factories import MessageFactory, PersonFactory

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def opening_item(owner: Any, person: Any, key: str) -> FollowUp:
    item, _created = services.ensure(
        owner,
        key,
        rule=rule_of(Purpose.OPENING).closes_follow_up,
        kind=Kind.CUSTOM,
        title="Tell them",
        due_on=SENT.date(),
        person=person,
    )
    return item


def test_an_opening_message_closes_only_that_persons_opening_follow_ups(alice: Any) -> None:
    ada = PersonFactory(owner=alice)
    ben = PersonFactory(owner=alice)
    first = opening_item(alice, ada, "bench_opening:1:person:a")
    second = opening_item(alice, ada, "bench_opening:2:person:a")
    bens = opening_item(alice, ben, "bench_opening:1:person:b")
    by_hand = FollowUp.objects.create(
        owner=alice, person=ada, title="Call Ada", due_on=SENT.date(), kind=Kind.CUSTOM
    )
    message = MessageFactory(person=ada, purpose=Purpose.OPENING, sent_at=SENT)

    reactions.after_message_sent(message, awaits_reply=False)

    statuses = dict(FollowUp.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: Status.DONE,
        second.pk: Status.DONE,
        bens.pk: Status.OPEN,
        by_hand.pk: Status.OPEN,
    }
    assert FollowUp.objects.get(pk=first.pk).closed_reason == (
        "You told them about the opening on 2 March 2026."
    )
