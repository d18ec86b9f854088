"""Every main signed-in page takes the same number of queries with a small network and
with a larger one: a page whose query count grows with the data fails here.

Each app's own tests keep their finer query-count assertions; this is the one place
that walks all the pages people look at all day over one network, grown in every
direction at once (people with jobs, addresses and tags, ties, conversations with
referrals, messages, follow-ups, notes, targets with postings and applications, bench
entries).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coffeechat.bench.models import BenchEntry
from coffeechat.bench.services import log_contact, parse_skills, save_entry
from coffeechat.conversations.models import Participant, Referral, Status
from coffeechat.core.calendar import local_today
from coffeechat.network.models import Interaction, InteractionKind
from coffeechat.outreach.models import Status as MessageStatus
from tests.factories import (
    ApplicationFactory,
    ConversationFactory,
    EmailAddressFactory,
    EmploymentFactory,
    FollowUpFactory,
    MessageFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TagFactory,
    TargetFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 15

# name -> the address of the page, from the network's fixed objects.
PAGES = {
    "people list": lambda hub: "/people/",
    "person page": lambda hub: hub["person"].get_absolute_url(),
    "Today": lambda hub: "/today/",
    "targets": lambda hub: "/targets/",
    "a target's page": lambda hub: hub["target"].get_absolute_url(),
    "conversations": lambda hub: "/conversations/",
    "a conversation": lambda hub: hub["conversation"].get_absolute_url(),
    "outreach": lambda hub: "/outreach/",
    "composer": lambda hub: f"/outreach/compose/?person={hub['person'].pk}",
    "map": lambda hub: "/map/",
    "follow-ups": lambda hub: "/follow-ups/",
    "progress": lambda hub: "/progress/",
    "bench": lambda hub: "/bench/",
}


def start(owner: Any) -> dict[str, Any]:
    """The objects every page of the walk is about: they gain rows as the network grows."""
    organization = OrganizationFactory(owner=owner, name="Hub Corp")
    person = PersonFactory(owner=owner, first_name="Hannah", last_name="Hub")
    EmploymentFactory(person=person, organization=organization, title="Director")
    EmailAddressFactory(person=person)
    return {
        "organization": organization,
        "person": person,
        "target": TargetFactory(organization=organization),
        "conversation": ConversationFactory(
            owner=owner, organization=organization, people=[person]
        ),
        "tag": TagFactory(owner=owner, name="mentor"),
        "count": 0,
    }


def grow(owner: Any, hub: dict[str, Any], n: int) -> None:
    """Add ``n`` people, each tied to the hub and touching every app."""
    now = timezone.now()
    today = local_today(owner)
    for _ in range(n):
        hub["count"] += 1
        i = hub["count"]
        organization = OrganizationFactory(owner=owner)
        person = PersonFactory(owner=owner)
        EmploymentFactory(person=person, organization=hub["organization"], title="Engineer")
        EmploymentFactory(person=person, organization=organization, is_current=False)
        EmailAddressFactory(person=person)
        person.tags.add(hub["tag"], TagFactory(owner=owner))
        TieFactory(to_person=person)  # mine
        TieFactory(to_person=person, from_person=hub["person"])  # between them
        Interaction.objects.create(
            owner=owner, person=person, occurred_at=now, kind=InteractionKind.NOTE, body="Met"
        )
        TargetFactory(organization=organization, motivation=1 + i % 5)
        PostingFactory(organization=organization, contact=person)
        ApplicationFactory(organization=organization, referred_by=person)
        held = ConversationFactory(
            owner=owner,
            organization=organization,
            people=[person],
            starts_at=now - datetime.timedelta(days=i),
            status=Status.HELD,
        )
        later = now + datetime.timedelta(days=i)
        ConversationFactory(owner=owner, people=[person], starts_at=later)
        Referral.objects.create(
            owner=owner, conversation=hub["conversation"], referred_by=hub["person"], person=person
        )
        Referral.objects.create(
            owner=owner, conversation=held, referred_by=person, person=hub["person"]
        )
        Participant.objects.create(
            owner=owner, conversation=hub["conversation"], person=person, position=i
        )
        MessageFactory(
            person=person,
            status=MessageStatus.REPLIED,
            sent_at=now - datetime.timedelta(days=2),
            replied_at=now - datetime.timedelta(days=1),
        )
        MessageFactory(person=hub["person"], status=MessageStatus.SENT, sent_at=now)
        FollowUpFactory(owner=owner, person=person, due_on=today)
        FollowUpFactory(owner=owner, person=person, due_on=today - datetime.timedelta(days=i))
        entry = save_entry(owner, BenchEntry(person=person), skills=parse_skills("sql:3"))
        log_contact(owner, entry, today, note="Caught up")


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_it_renders_each_page_in_the_same_queries_whatever_the_size(
    alice: Any, alice_client: Any, settings: Any, page: str
) -> None:
    settings.PAGE_SIZE = 500  # every row on one page: the worst case
    hub = start(alice)
    url = PAGES[page](hub)
    grow(alice, hub, SMALL)
    count_queries(alice_client, url)  # a first visit may write the user's settings row
    small = count_queries(alice_client, url)
    grow(alice, hub, LARGE - SMALL)
    assert count_queries(alice_client, url) == small
