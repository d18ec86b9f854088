"""List pages use the same number of queries for 2 rows and for 200."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AffiliationFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def people(owner: Any, n: int) -> None:
    organization = OrganizationFactory(owner=owner)
    tag = TagFactory(owner=owner)
    for _ in range(n):
        job = EmploymentFactory(owner=owner, person__owner=owner, organization=organization)
        job.person.tags.add(tag)


def organizations(owner: Any, n: int) -> None:
    for _ in range(n):
        EmploymentFactory(person__owner=owner)


def affiliations(owner: Any, n: int) -> None:
    for _ in range(n):
        MembershipFactory(person__owner=owner)


def members(owner: Any, n: int) -> Any:
    affiliation = AffiliationFactory(owner=owner)
    for _ in range(n):
        MembershipFactory(person__owner=owner, affiliation=affiliation)
    return affiliation


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("network:person-list", people),
        ("network:organization-list", organizations),
        ("network:affiliation-list", affiliations),
    ],
)
def test_it_lists_in_constant_queries(
    alice_client: Any, alice: Any, settings: Any, url_name: str, make: Callable[[Any, int], Any]
) -> None:
    settings.PAGE_SIZE = 500  # every row on one page: the worst case
    url = reverse(url_name)
    make(alice, 2)
    few = count_queries(alice_client, url)
    make(alice, 198)
    many = count_queries(alice_client, url)
    assert few == many


def test_the_affiliation_page_is_constant_in_its_members(
    alice_client: Any, alice: Any, settings: Any
) -> None:
    settings.PAGE_SIZE = 500
    affiliation = members(alice, 2)
    url = affiliation.get_absolute_url()
    few = count_queries(alice_client, url)
    for _ in range(198):
        MembershipFactory(person__owner=alice, affiliation=affiliation)
    assert count_queries(alice_client, url) == few


def test_the_person_and_organization_pages_are_constant(alice_client: Any, alice: Any) -> None:
    organization = OrganizationFactory(owner=alice)
    person = PersonFactory(owner=alice)

    def grow(n: int) -> None:
        for _ in range(n):
            EmploymentFactory(person=person, organization=organization)
            EmploymentFactory(person__owner=alice, organization=organization, is_current=False)
            TieFactory(to_person=person, from_person=PersonFactory(owner=alice))
            MembershipFactory(person=person)

    grow(2)
    before = (
        count_queries(alice_client, person.get_absolute_url()),
        count_queries(alice_client, organization.get_absolute_url()),
    )
    grow(48)
    after = (
        count_queries(alice_client, person.get_absolute_url()),
        count_queries(alice_client, organization.get_absolute_url()),
    )
    assert before == after
