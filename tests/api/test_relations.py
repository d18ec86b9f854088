"""Organizations, employments, affiliations, memberships and ties through the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.network.models import (
    Affiliation,
    Employment,
    Membership,
    Organization,
    Person,
    Tie,
)
from tests.api.conftest import JsonClient, detail_url, error_fields, list_url
from tests.factories import (
    AffiliationFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def created(api: JsonClient, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = api.post(list_url(kind), payload)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def person(alice: Any) -> Person:
    return PersonFactory(owner=alice, first_name="Pat", last_name="Lee")


@pytest.fixture
def other(alice: Any) -> Person:
    return PersonFactory(owner=alice, first_name="Kim", last_name="Ng")


@pytest.fixture
def organization(alice: Any) -> Organization:
    return OrganizationFactory(owner=alice, name="Acme Analytics")


@pytest.fixture
def affiliation(alice: Any) -> Affiliation:
    return AffiliationFactory(owner=alice, name="Northfield Alumni", kind="school")


# Organizations ------------------------------------------------------------------------


def test_it_creates_an_organization(alice_api, alice):
    payload = {
        "name": "Blue River Health",
        "website": "https://blueriver.example",
        "domain": "blueriver.example",
        "industry": "Health care",
        "location": "Denver",
        "notes": "Hiring in Q3.",
    }

    body = created(alice_api, "organization", payload)

    assert {key: body[key] for key in payload} == payload
    organization = Organization.objects.get(pk=body["id"])
    assert organization.owner == alice
    assert organization.industry == "Health care"


def test_it_lists_and_searches_organizations_by_name(alice_api, alice):
    acme = OrganizationFactory(owner=alice, name="Acme Robotics")
    beta = OrganizationFactory(owner=alice, name="Beta Robotics")
    gamma = OrganizationFactory(owner=alice, name="Gamma Foods")

    assert ids(alice_api.get(list_url("organization"))) == [acme.pk, beta.pk, gamma.pk]
    assert ids(alice_api.get(list_url("organization"), {"q": "robotics"})) == [acme.pk, beta.pk]
    assert ids(alice_api.get(list_url("organization"), {"q": "acme robot"})) == [acme.pk]


def test_it_changes_one_organization_field_with_patch(alice_api, alice):
    organization = OrganizationFactory(owner=alice, name="Old Name", industry="Retail")

    response = alice_api.patch(detail_url("organization", organization.pk), {"name": "New Name"})

    assert response.status_code == 200
    assert response.json()["name"] == "New Name"
    assert response.json()["industry"] == "Retail"
    organization.refresh_from_db()
    assert (organization.name, organization.industry) == ("New Name", "Retail")


def test_it_resets_organization_fields_left_out_of_put(alice_api, alice):
    organization = OrganizationFactory(owner=alice, name="Old Name", industry="Retail")

    response = alice_api.put(detail_url("organization", organization.pk), {"name": "New Name"})

    assert response.status_code == 200
    organization.refresh_from_db()
    assert (organization.name, organization.industry) == ("New Name", "")


def test_it_refuses_an_organization_with_a_bad_website(alice_api):
    response = alice_api.post(list_url("organization"), {"name": "X", "website": "not a url"})

    assert response.status_code == 422
    assert error_fields(response) == {"website"}
    assert not Organization.objects.exists()


def test_it_deletes_an_organization_and_its_jobs(alice_api, person, organization):
    job = EmploymentFactory(person=person, organization=organization)

    response = alice_api.delete(detail_url("organization", organization.pk))

    assert response.status_code == 204
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert not Employment.objects.filter(pk=job.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


# Employments -----------------------------------------------------------------------------


def test_it_creates_an_employment(alice_api, alice, person, organization):
    payload = {
        "person_id": person.pk,
        "organization_id": organization.pk,
        "title": "Data Scientist",
        "department": "Research",
        "start_date": "2021-03-01",
        "end_date": None,
        "is_current": True,
        "has_hiring_authority": True,
    }

    body = created(alice_api, "employment", payload)

    assert {key: body[key] for key in payload} == payload
    job = Employment.objects.get(pk=body["id"])
    assert (job.owner, job.person, job.organization) == (alice, person, organization)
    assert job.start_date == datetime.date(2021, 3, 1)


def test_it_makes_a_new_employment_current_by_default(alice_api, person, organization):
    body = created(
        alice_api, "employment", {"person_id": person.pk, "organization_id": organization.pk}
    )

    assert body["is_current"] is True
    assert body["has_hiring_authority"] is False
    assert body["title"] == ""


def test_it_filters_employments_by_person_organization_and_current(alice_api, alice, person):
    acme = OrganizationFactory(owner=alice)
    current = EmploymentFactory(person=person, organization=acme)
    former = EmploymentFactory(person=person, is_current=False)
    someone_else = EmploymentFactory(person=PersonFactory(owner=alice), organization=acme)

    url = list_url("employment")
    assert sorted(ids(alice_api.get(url, {"person_id": person.pk}))) == [current.pk, former.pk]
    assert sorted(ids(alice_api.get(url, {"organization_id": acme.pk}))) == [
        current.pk,
        someone_else.pk,
    ]
    assert ids(alice_api.get(url, {"person_id": person.pk, "is_current": "false"})) == [former.pk]
    assert ids(alice_api.get(url, {"person_id": person.pk, "is_current": "true"})) == [current.pk]
    assert alice_api.get(url).json()["count"] == 3


def test_it_moves_an_employment_with_patch_keeping_the_rest(alice_api, alice, person):
    job = EmploymentFactory(person=person, title="Analyst", department="Finance")
    new_org = OrganizationFactory(owner=alice)

    response = alice_api.patch(
        detail_url("employment", job.pk), {"organization_id": new_org.pk, "is_current": False}
    )

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.organization == new_org
    assert job.is_current is False
    assert (job.title, job.department, job.person) == ("Analyst", "Finance", person)


def test_it_replaces_an_employment_with_put(alice_api, person, organization):
    job = EmploymentFactory(person=person, title="Analyst", department="Finance")

    response = alice_api.put(
        detail_url("employment", job.pk),
        {"person_id": person.pk, "organization_id": organization.pk},
    )

    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.organization, job.title, job.department) == (organization, "", "")


def test_it_refuses_a_put_employment_without_its_organization(alice_api, person):
    job = EmploymentFactory(person=person)

    response = alice_api.put(detail_url("employment", job.pk), {"person_id": person.pk})

    assert response.status_code == 422
    assert "organization_id" in error_fields(response)


def test_it_deletes_an_employment(alice_api, person):
    job = EmploymentFactory(person=person)

    assert alice_api.delete(detail_url("employment", job.pk)).status_code == 204
    assert not Employment.objects.filter(pk=job.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


# Affiliations ----------------------------------------------------------------------------


def test_it_creates_an_affiliation_linked_to_an_organization(alice_api, alice, organization):
    body = created(
        alice_api,
        "affiliation",
        {"name": "Acme Alumni", "kind": "former_employer", "organization_id": organization.pk},
    )

    assert body["kind"] == "former_employer"
    assert body["organization_id"] == organization.pk
    affiliation = Affiliation.objects.get(pk=body["id"])
    assert (affiliation.owner, affiliation.organization) == (alice, organization)


def test_it_refuses_an_unknown_affiliation_kind(alice_api):
    response = alice_api.post(list_url("affiliation"), {"name": "Club", "kind": "cult"})

    assert response.status_code == 422
    assert error_fields(response) == {"kind"}


def test_it_lists_and_searches_affiliations(alice_api, alice, affiliation):
    club = AffiliationFactory(owner=alice, name="Chess Club", kind="community")

    assert ids(alice_api.get(list_url("affiliation"))) == [club.pk, affiliation.pk]
    assert ids(alice_api.get(list_url("affiliation"), {"q": "alumni"})) == [affiliation.pk]


def test_it_unlinks_an_affiliation_from_its_organization_with_patch(alice_api, alice, organization):
    affiliation = AffiliationFactory(owner=alice, organization=organization, notes="Keep")

    response = alice_api.patch(detail_url("affiliation", affiliation.pk), {"organization_id": None})

    assert response.status_code == 200
    affiliation.refresh_from_db()
    assert affiliation.organization is None
    assert affiliation.notes == "Keep"


def test_it_deletes_an_affiliation_and_its_memberships(alice_api, person, affiliation):
    membership = MembershipFactory(person=person, affiliation=affiliation)

    assert alice_api.delete(detail_url("affiliation", affiliation.pk)).status_code == 204
    assert not Affiliation.objects.filter(pk=affiliation.pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()


# Memberships ------------------------------------------------------------------------------


def test_it_creates_a_membership(alice_api, alice, person, affiliation):
    payload = {
        "person_id": person.pk,
        "affiliation_id": affiliation.pk,
        "detail": "MBA",
        "class_year": 2014,
        "start_year": 2012,
        "end_year": 2014,
    }

    body = created(alice_api, "membership", payload)

    assert {key: body[key] for key in payload} == payload
    assert Membership.objects.get(pk=body["id"]).owner == alice


def test_it_filters_memberships_by_person_and_affiliation(alice_api, alice, person, affiliation):
    mine = MembershipFactory(person=person, affiliation=affiliation)
    same_group = MembershipFactory(person=PersonFactory(owner=alice), affiliation=affiliation)
    other_group = MembershipFactory(person=person)

    url = list_url("membership")
    assert sorted(ids(alice_api.get(url, {"person_id": person.pk}))) == [mine.pk, other_group.pk]
    assert sorted(ids(alice_api.get(url, {"affiliation_id": affiliation.pk}))) == [
        mine.pk,
        same_group.pk,
    ]
    assert ids(alice_api.get(url, {"person_id": person.pk, "affiliation_id": affiliation.pk})) == [
        mine.pk
    ]


def test_it_changes_a_membership_year_with_patch(alice_api, person, affiliation):
    membership = MembershipFactory(person=person, affiliation=affiliation, detail="BSc")

    response = alice_api.patch(detail_url("membership", membership.pk), {"class_year": 2019})

    assert response.status_code == 200
    membership.refresh_from_db()
    assert (membership.class_year, membership.detail) == (2019, "BSc")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"class_year": 1850}, "class_year"),
        ({"start_year": 2015, "end_year": 2010}, "end_year"),
    ],
)
def test_it_refuses_impossible_membership_years(alice_api, person, affiliation, fields, field):
    response = alice_api.post(
        list_url("membership"),
        {"person_id": person.pk, "affiliation_id": affiliation.pk, **fields},
    )

    assert response.status_code == 422
    assert field in error_fields(response)
    assert not Membership.objects.exists()


def test_it_deletes_a_membership(alice_api, person, affiliation):
    membership = MembershipFactory(person=person, affiliation=affiliation)

    assert alice_api.delete(detail_url("membership", membership.pk)).status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Affiliation.objects.filter(pk=affiliation.pk).exists()


# Ties -------------------------------------------------------------------------------------


def test_it_creates_a_tie_between_me_and_a_person(alice_api, alice, person):
    body = created(alice_api, "tie", {"to_person_id": person.pk, "kind": "friend"})

    assert body["from_person_id"] is None
    assert body["strength"] == 3
    tie = Tie.objects.get(pk=body["id"])
    assert (tie.owner, tie.to_person, tie.from_person) == (alice, person, None)


def test_it_creates_a_tie_between_two_people_with_an_introducer(alice_api, alice, person, other):
    introducer = PersonFactory(owner=alice)
    payload = {
        "from_person_id": other.pk,
        "to_person_id": person.pk,
        "kind": "introduced",
        "strength": 5,
        "introduced_by_id": introducer.pk,
        "since": "2023-05-04",
        "note": "Met at the conference.",
    }

    body = created(alice_api, "tie", payload)

    assert {key: body[key] for key in payload} == payload
    assert Tie.objects.get(pk=body["id"]).introduced_by == introducer


def test_it_filters_ties_by_a_person_on_either_side(alice_api, alice, person, other):
    outgoing = TieFactory(from_person=person, to_person=other)
    incoming = TieFactory(from_person=other, to_person=person)
    mine = TieFactory(to_person=person)
    unrelated = TieFactory(to_person=other)

    found = ids(alice_api.get(list_url("tie"), {"person_id": person.pk}))

    assert sorted(found) == sorted([outgoing.pk, incoming.pk, mine.pk])
    assert unrelated.pk not in found
    assert alice_api.get(list_url("tie")).json()["count"] == 4


def test_it_lists_ties_strongest_first(alice_api, person, other):
    weak = TieFactory(to_person=person, strength=1)
    strong = TieFactory(to_person=other, strength=5)

    assert ids(alice_api.get(list_url("tie"))) == [strong.pk, weak.pk]


def test_it_changes_a_tie_strength_with_patch(alice_api, person):
    tie = TieFactory(to_person=person, strength=2, note="Keep me")

    response = alice_api.patch(detail_url("tie", tie.pk), {"strength": 4})

    assert response.status_code == 200
    tie.refresh_from_db()
    assert (tie.strength, tie.note, tie.kind) == (4, "Keep me", "friend")


def test_it_makes_a_tie_mine_by_patching_from_person_to_null(alice_api, person, other):
    tie = TieFactory(from_person=other, to_person=person)

    response = alice_api.patch(detail_url("tie", tie.pk), {"from_person_id": None})

    assert response.status_code == 200
    tie.refresh_from_db()
    assert tie.from_person is None


def test_it_deletes_a_tie(alice_api, person):
    tie = TieFactory(to_person=person)

    assert alice_api.delete(detail_url("tie", tie.pk)).status_code == 204
    assert not Tie.objects.filter(pk=tie.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_it_drops_ties_with_a_deleted_person(alice_api, person, other):
    tie = TieFactory(from_person=other, to_person=person)

    assert alice_api.delete(detail_url("person", other.pk)).status_code == 204
    assert not Tie.objects.filter(pk=tie.pk).exists()
