"""Bad requests answer JSON that names what was wrong, and never write anything."""

from __future__ import annotations

from typing import Any

import pytest

from coffeechat.network.models import (
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Tag,
    Tie,
)
from tests.api.conftest import JsonClient, detail_url, error_fields, error_text, list_url
from tests.factories import (
    AffiliationFactory,
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def assert_422(response: Any, *fields: str) -> None:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    named = error_fields(response)
    for field in fields:
        assert field in named, (field, response.json())


# People -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"level": "boss"}, "level"),
        ({"source": "telepathy"}, "source"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"linkedin_url": "linkedin"}, "linkedin_url"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "x" * 151}, "first_name"),
        ({"last_name": "x" * 151}, "last_name"),
        ({"first_name": 5}, "first_name"),
        ({"do_not_contact": "perhaps"}, "do_not_contact"),
        ({"emails": "one@example.org"}, "emails"),
        ({"tags": [1, 2]}, "0"),
    ],
)
def test_it_refuses_an_invalid_person_naming_the_field(alice_api, payload, field):
    response = alice_api.post(list_url("person"), {"first_name": "Valid", **payload})

    assert_422(response, field)
    assert not Person.objects.exists()


def test_it_says_which_choice_was_invalid(alice_api):
    response = alice_api.post(list_url("person"), {"first_name": "A", "level": "boss"})

    assert response.json() == {
        "detail": "level: Value 'boss' is not a valid choice.",
        "errors": [
            {
                "loc": ["body", "level"],
                "msg": "Value 'boss' is not a valid choice.",
                "type": "value_error",
            }
        ],
    }


def test_it_refuses_a_bad_email_in_emails_and_writes_nothing(alice_api):
    response = alice_api.post(
        list_url("person"), {"first_name": "A", "emails": ["ok@example.org", "not-an-email"]}
    )

    assert_422(response, "emails")
    assert "not-an-email" in error_text(response)
    assert not Person.objects.exists()
    assert not EmailAddress.objects.exists()


def test_it_keeps_the_old_emails_when_a_patch_has_a_bad_one(alice_api, alice):
    person = PersonFactory(owner=alice)
    EmailAddressFactory(person=person, email="kept@example.org")

    response = alice_api.patch(detail_url("person", person.pk), {"emails": ["bad@", "x@y.org"]})

    assert_422(response, "emails")
    assert list(person.email_addresses.values_list("email", flat=True)) == ["kept@example.org"]


def test_it_refuses_an_email_longer_than_the_database_column(alice_api):
    # 312 characters: valid for the e-mail validator (up to 320), too long to store (254).
    long_email = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"

    response = alice_api.post(list_url("person"), {"first_name": "A", "emails": [long_email]})

    assert_422(response, "0")
    assert "emails" in str(response.json()["errors"][0]["loc"])
    assert not EmailAddress.objects.exists()


def test_it_refuses_a_phone_number_longer_than_the_database_column(alice_api):
    response = alice_api.post(list_url("person"), {"first_name": "A", "phones": ["1" * 41]})

    assert_422(response)
    assert "phones" in str(response.json()["errors"][0]["loc"])
    assert not PhoneNumber.objects.exists()


def test_it_refuses_a_missing_required_field(alice_api):
    response = alice_api.post(list_url("person"), {"last_name": "Only"})

    assert_422(response, "first_name")
    assert response.json()["errors"][0]["msg"] == "Field required"


@pytest.mark.parametrize(
    ("kind", "payload", "missing"),
    [
        ("organization", {}, "name"),
        ("employment", {"title": "x"}, "person_id"),
        ("affiliation", {"name": "Club"}, "kind"),
        ("membership", {"detail": "x"}, "affiliation_id"),
        ("tie", {"kind": "friend"}, "to_person_id"),
    ],
)
def test_it_names_the_missing_field_of_every_kind(alice_api, kind, payload, missing):
    assert_422(alice_api.post(list_url(kind), payload), missing)


@pytest.mark.parametrize("body", ["{not json", '{"first_name": "A",}', "", "null"])
def test_it_answers_json_to_a_malformed_body(alice_api, body):
    response = alice_api.client.post(list_url("person"), body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert not Person.objects.exists()


def test_it_refuses_a_json_list_instead_of_an_object(alice_api):
    response = alice_api.post(list_url("person"), [{"first_name": "A"}])

    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"first_name": "Null\x00Byte"},
        {"first_name": "A", "notes": "ends with \x00"},
        {"first_name": "A", "tags": ["ta\x00g"]},
        {"first_name": "A", "emails": ["a\x00@example.org"]},
        {"first_name": "A", "phones": ["555\x00"]},
    ],
)
def test_it_refuses_null_characters_which_postgresql_cannot_store(alice_api, payload):
    response = alice_api.post(list_url("person"), payload)

    assert_422(response)
    assert "Null characters are not allowed" in error_text(response)
    assert not Person.objects.exists()
    assert not Tag.objects.exists()


def test_it_refuses_null_characters_in_a_patch(alice_api, alice):
    organization = OrganizationFactory(owner=alice, name="Clean")

    response = alice_api.patch(detail_url("organization", organization.pk), {"name": "a\x00"})

    assert_422(response, "name")
    organization.refresh_from_db()
    assert organization.name == "Clean"


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("person", {"q": "nul\x00"}),
        ("person", {"tag": "nul\x00"}),
        ("person", {"level": "\x00"}),
        ("organization", {"q": "\x00"}),
        ("affiliation", {"q": "\x00"}),
    ],
)
def test_it_refuses_null_characters_in_filters(alice_api, alice, kind, params):
    PersonFactory(owner=alice)

    response = alice_api.get(list_url(kind), params)

    assert response.status_code == 422
    assert error_fields(response) == set(params)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("person", {"organization_id": 10**20}),
        ("employment", {"person_id": 10**20}),
        ("employment", {"organization_id": 2**63}),
        ("membership", {"affiliation_id": 10**20}),
        ("tie", {"person_id": 10**20}),
        ("tie", {"person_id": "abc"}),
    ],
)
def test_it_refuses_an_id_filter_too_large_for_the_database(alice_api, alice, kind, params):
    PersonFactory(owner=alice)

    response = alice_api.get(list_url(kind), params)

    assert response.status_code == 422
    assert error_fields(response) == set(params)


def test_it_answers_404_to_an_id_too_large_for_the_database(alice_api):
    response = alice_api.get(detail_url("person", 10**20))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "errors": []}


def test_it_refuses_a_reference_to_an_id_too_large_for_the_database(alice_api, alice):
    organization = OrganizationFactory(owner=alice)

    response = alice_api.post(
        list_url("employment"), {"person_id": 10**20, "organization_id": organization.pk}
    )

    assert_422(response, "person_id")
    assert not Employment.objects.exists()


# Employments ---------------------------------------------------------------------------------


def test_it_refuses_an_employment_ending_before_it_starts(alice_api, alice):
    person = PersonFactory(owner=alice)
    organization = OrganizationFactory(owner=alice)

    response = alice_api.post(
        list_url("employment"),
        {
            "person_id": person.pk,
            "organization_id": organization.pk,
            "start_date": "2022-06-01",
            "end_date": "2021-01-01",
        },
    )

    assert_422(response, "end_date")
    assert "before the start date" in error_text(response)
    assert not Employment.objects.exists()


def test_it_refuses_a_patch_that_moves_the_end_before_the_start(alice_api, alice):
    job = EmploymentFactory(person=PersonFactory(owner=alice), start_date="2020-01-01")

    response = alice_api.patch(detail_url("employment", job.pk), {"end_date": "2019-12-31"})

    assert_422(response, "end_date")
    job.refresh_from_db()
    assert job.end_date is None


def test_it_refuses_an_impossible_date(alice_api, alice):
    job = EmploymentFactory(person=PersonFactory(owner=alice))

    response = alice_api.patch(detail_url("employment", job.pk), {"start_date": "2021-02-30"})

    assert_422(response, "start_date")


def test_it_names_a_missing_person_as_person_id(alice_api, alice):
    organization = OrganizationFactory(owner=alice)

    response = alice_api.post(
        list_url("employment"), {"person_id": 424242, "organization_id": organization.pk}
    )

    assert_422(response, "person_id")
    assert "person" in error_text(response)
    assert "person" not in error_fields(response)


# Ties -----------------------------------------------------------------------------------------


@pytest.fixture
def two_people(alice: Any) -> tuple[Person, Person]:
    return PersonFactory(owner=alice), PersonFactory(owner=alice)


def test_it_refuses_a_tie_from_a_person_to_themselves(alice_api, two_people):
    person, _other = two_people

    response = alice_api.post(
        list_url("tie"), {"from_person_id": person.pk, "to_person_id": person.pk, "kind": "friend"}
    )

    assert_422(response, "to_person_id")
    assert "two different people" in error_text(response)
    assert not Tie.objects.exists()


def test_it_refuses_a_patch_that_ties_a_person_to_themselves(alice_api, two_people):
    person, other = two_people
    tie = TieFactory(from_person=other, to_person=person)

    response = alice_api.patch(detail_url("tie", tie.pk), {"from_person_id": person.pk})

    assert_422(response, "to_person_id")
    tie.refresh_from_db()
    assert tie.from_person == other


def test_it_refuses_an_introducer_who_is_one_of_the_two(alice_api, two_people):
    person, other = two_people

    response = alice_api.post(
        list_url("tie"),
        {
            "from_person_id": other.pk,
            "to_person_id": person.pk,
            "kind": "introduced",
            "introduced_by_id": other.pk,
        },
    )

    assert_422(response, "introduced_by_id")
    assert not Tie.objects.exists()


@pytest.mark.parametrize("strength", [0, 6, 9, -1, 10**6])
def test_it_refuses_a_tie_strength_outside_1_to_5(alice_api, two_people, strength):
    person, _other = two_people

    response = alice_api.post(
        list_url("tie"), {"to_person_id": person.pk, "kind": "friend", "strength": strength}
    )

    assert_422(response, "strength")
    assert not Tie.objects.exists()


def test_it_refuses_an_unknown_tie_kind(alice_api, two_people):
    person, _other = two_people

    response = alice_api.post(list_url("tie"), {"to_person_id": person.pk, "kind": "enemy"})

    assert_422(response, "kind")


def test_it_refuses_a_strength_patch_outside_1_to_5(alice_api, two_people):
    person, _other = two_people
    tie = TieFactory(to_person=person, strength=2)

    response = alice_api.patch(detail_url("tie", tie.pk), {"strength": 9})

    assert_422(response, "strength")
    tie.refresh_from_db()
    assert tie.strength == 2


# Nulls in PATCH ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("organization", "industry"),
        ("employment", "title"),
        ("employment", "person_id"),
        ("employment", "is_current"),
        ("affiliation", "kind"),
        ("membership", "detail"),
        ("tie", "note"),
        ("tie", "strength"),
    ],
)
def test_it_refuses_null_in_a_patch_where_the_field_cannot_be_empty(alice_api, alice, kind, field):
    person = PersonFactory(owner=alice)
    affiliation = AffiliationFactory(owner=alice)
    objects = {
        "organization": OrganizationFactory(owner=alice, industry="Kept"),
        "employment": EmploymentFactory(person=person, title="Kept"),
        "affiliation": affiliation,
        "membership": Membership.objects.create(
            owner=alice, person=person, affiliation=affiliation, detail="Kept"
        ),
        "tie": TieFactory(to_person=person, note="Kept"),
    }
    item = objects[kind]
    before = {f.attname: getattr(item, f.attname) for f in item._meta.concrete_fields}

    response = alice_api.patch(detail_url(kind, item.pk), {field: None})

    assert_422(response, field)
    item.refresh_from_db()
    assert {f.attname: getattr(item, f.attname) for f in item._meta.concrete_fields} == before


# Routes ----------------------------------------------------------------------------------------


def test_it_refuses_a_method_a_route_does_not_have(alice_api, alice):
    person = PersonFactory(owner=alice)

    response = alice_api.post(detail_url("person", person.pk), {"first_name": "X"})

    assert response.status_code == 405
    assert Person.objects.get(pk=person.pk).first_name == person.first_name


def test_it_ignores_fields_it_does_not_know(alice_api, alice):
    response = alice_api.post(
        list_url("organization"),
        {"name": "Acme", "id": 999999, "created_at": "2000-01-01T00:00:00Z", "color": "red"},
    )

    assert response.status_code == 201
    organization = Organization.objects.get()
    assert response.json()["id"] == organization.pk != 999999
    assert organization.created_at.year != 2000


def test_it_answers_json_not_html_for_every_error(alice_api: JsonClient, alice):
    person = PersonFactory(owner=alice)
    responses = [
        alice_api.get(detail_url("person", person.pk + 1000)),
        alice_api.post(list_url("person"), {}),
        alice_api.patch(detail_url("person", person.pk), {"level": "boss"}),
        alice_api.get(list_url("person"), {"limit": "lots"}),
    ]

    for response in responses:
        assert response["Content-Type"].startswith("application/json"), response.content
        assert "detail" in response.json()
