"""The coach's pages and API read a constant number of queries as networks grow, and the
list as the number of people coached grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.coaching import figures, services
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.followups.models import Status as FollowUpStatus
from tests.coaching.conftest import coach, networking
from tests.factories import ConversationFactory, EmploymentFactory, FollowUpFactory, UserFactory
from tests.progress.conftest import days_ago
from tests.progress.test_pages import grow

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def fill(owner, size):
    grow(owner, size)
    for index in range(size):
        FollowUpFactory(owner=owner, status=FollowUpStatus.OPEN, due_on=days_ago(3 + index).date())


@pytest.mark.parametrize("scope", ["progress", "notes"])
@pytest.mark.parametrize(
    "url",
    [
        "/coaching/people/",
        "/coaching/people/{id}/?period=all",
        "/api/v1/coaching/people",
        "/api/v1/coaching/people/{id}?period=all",
    ],
)
def test_it_runs_a_constant_number_of_queries(alice, carol, carol_client, url, scope):
    bob = UserFactory(email="bob@example.com")
    link = coach(alice, carol, scope)
    coach(bob, carol, scope, show_names=True)
    services.comment(carol, link, "A first comment.")
    fill(alice, 2)
    fill(bob, 2)
    url = url.format(id=link.pk)
    carol_client.get(url)
    small = queries(carol_client, url)
    fill(alice, 30)
    fill(bob, 30)

    assert queries(carol_client, url) == small


@pytest.mark.parametrize("url", ["/coaching/", "/api/v1/coaching/comments"])
def test_my_coaching_page_runs_a_constant_number_of_queries(alice, carol, alice_client, url):
    link = coach(alice, carol)
    services.comment(carol, link, "One.")
    alice_client.get(url)
    small = queries(alice_client, url)
    for index in range(20):
        services.comment(carol, link, f"Comment {index}.")
    services.invite(alice, "second@example.org")

    assert queries(alice_client, url) == small


def coachee(index, the_coach, scope, zone="Europe/Berlin"):
    """A person ``the_coach`` coaches, in ``zone``, with a little of everything."""
    owner = UserFactory(email=f"coachee{index}@example.com", profile__time_zone=zone)
    link = coach(owner, the_coach, scope, show_names=bool(index % 2))
    found = networking(owner)
    fill(owner, 2)
    ConversationFactory(
        owner=owner,
        organization=found["target"].organization,
        people=[found["person"]],
        starts_at=days_ago(-2),
        status=ConversationStatus.SCHEDULED,
    )
    return link


@pytest.mark.parametrize("scope", ["progress", "targets"])
@pytest.mark.parametrize("url", ["/coaching/people/", "/api/v1/coaching/people"])
def test_the_list_runs_a_constant_number_of_queries_as_people_coached_grow(
    carol, carol_client, url, scope
):
    coachee(0, carol, scope)
    carol_client.get(url)
    one = queries(carol_client, url)
    for index in range(1, 4):
        coachee(index, carol, scope)

    assert queries(carol_client, url) == one


ZONES = ["Pacific/Auckland", "America/Los_Angeles", "UTC", "Asia/Kolkata"]


@pytest.mark.parametrize("scope", ["progress", "targets"])
def test_the_batched_overview_is_the_one_by_one_overview(carol, scope):
    links = []
    for index, zone in enumerate(ZONES):
        link = coachee(index, carol, scope, zone)
        owner = link.owner
        # Around midnight somewhere: the day (and the period) depends on the zone.
        person = networking(owner)["person"]
        EmploymentFactory(person=person, has_hiring_authority=True)
        for hours in (7, 11, 13, 23):
            FollowUpFactory(
                owner=owner, status=FollowUpStatus.OPEN, due_on=days_ago(hours / 24).date()
            )
            ConversationFactory(
                owner=owner,
                people=[person],
                starts_at=days_ago(89.5 + hours / 24),
                status=ConversationStatus.HELD,
            )
        links.append(link)

    batched = figures.overviews(links)

    assert batched == [figures.overview(link) for link in links]
    held = [next(s.count for s in found.funnel if s.key == "conversations") for found in batched]
    assert len(set(held)) > 1  # the zones matter: each funnel is over its own period
    assert all(found.events and found.attention for found in batched)
