"""Forms refuse rows of another user, and write nothing when they do."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coffeechat.core.scoping import save_owned
from coffeechat.network import services
from coffeechat.network.models import Employment, Membership, Organization, Person, Tie
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_membership_in_another_users_affiliation(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    mine = PersonFactory(owner=alice)
    theirs = AffiliationFactory(owner=bob)
    response = alice_client.post(
        reverse("network:membership-create", kwargs={"person_id": mine.pk}),
        {"affiliation": theirs.pk, "class_year": 2010},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Membership.objects.exists()


def test_it_refuses_a_tie_to_another_users_person(alice_client: Any, alice: Any, bob: Any) -> None:
    mine = PersonFactory(owner=alice)
    theirs = PersonFactory(owner=bob)
    response = alice_client.post(
        reverse("network:tie-create", kwargs={"person_id": mine.pk}),
        {"to_person": mine.pk, "introduced_by": theirs.pk, "kind": "friend", "strength": 3},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Tie.objects.exists()


def test_it_ignores_an_owner_field_posted_to_a_form(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    alice_client.post(reverse("network:organization-create"), {"name": "Acme", "owner": bob.pk})
    organization = Organization.objects.get(name="Acme")
    assert organization.owner == alice


def test_it_finds_or_creates_the_organization_of_a_job_in_my_list_only(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    person = PersonFactory(owner=alice)
    bobs = OrganizationFactory(owner=bob, name="Acme")
    mine = OrganizationFactory(owner=alice, name="Acme")
    alice_client.post(
        reverse("network:employment-create", kwargs={"person_id": person.pk}),
        {"organization_name": "  acme ", "title": "Analyst", "is_current": "on"},
    )
    job = Employment.objects.get(person=person)
    assert job.organization == mine
    assert job.organization != bobs
    alice_client.post(
        reverse("network:employment-create", kwargs={"person_id": person.pk}),
        {"organization_name": "Globex", "title": "Intern"},
    )
    assert Organization.objects.filter(owner=alice, name="Globex").count() == 1
    assert Organization.objects.filter(owner=bob).count() == 1


def test_it_refuses_an_end_date_before_the_start(alice_client: Any, alice: Any) -> None:
    person = PersonFactory(owner=alice)
    response = alice_client.post(
        reverse("network:employment-create", kwargs={"person_id": person.pk}),
        {"organization_name": "Acme", "start_date": "2020-05-01", "end_date": "2019-01-01"},
    )
    assert b"The end date is before the start date." in response.content
    assert not Employment.objects.exists()
    assert not Organization.objects.exists()


def test_the_service_refuses_references_to_another_users_rows(alice: Any, bob: Any) -> None:
    mine = PersonFactory(owner=alice)
    theirs = PersonFactory(owner=bob)
    with pytest.raises(ValidationError) as caught:
        save_owned(alice, Tie(to_person=mine, from_person=theirs, kind="friend"))
    assert "from_person" in caught.value.message_dict
    assert not Tie.objects.exists()


def test_the_service_writes_nothing_when_one_email_is_bad(alice: Any) -> None:
    with pytest.raises(ValidationError):
        services.save_person(alice, Person(first_name="Dana"), emails=["ok@example.org", "nope"])
    assert not Person.objects.exists()
