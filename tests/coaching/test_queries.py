"""The coach's pages and API read a constant number of queries as networks grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.coaching import services
from coffeechat.followups.models import Status as FollowUpStatus
from tests.coaching.conftest import coach
from tests.factories import FollowUpFactory, UserFactory
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
