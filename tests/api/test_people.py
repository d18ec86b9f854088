"""/api/v1/people: create, read, list, search, filter, page, replace, change, delete."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.network.models import EmailAddress, Person, PhoneNumber, Tag
from tests.api.conftest import JsonClient, detail_url, error_fields, list_url
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

FULL_PERSON = {
    "first_name": "Dana",
    "last_name": "Okafor",
    "emails": ["dana@example.org", "d.okafor@work.example"],
    "phones": ["+49 30 1234567", "555-0100"],
    "linkedin_url": "https://www.linkedin.com/in/dana-okafor",
    "location": "Berlin",
    "time_zone": "Europe/Berlin",
    "level": "manager",
    "preferred_channel": "video",
    "do_not_contact": True,
    "source": "alumni_directory",
    "notes": "Met at the *alumni* evening.",
    "tags": ["berlin", "mentor"],
}


def names(response: Any) -> list[str]:
    return [item["full_name"] for item in response.json()["items"]]


def create(api: JsonClient, **fields: Any) -> dict[str, Any]:
    response = api.post(list_url("person"), {"first_name": "Someone", **fields})
    assert response.status_code == 201, response.content
    return response.json()


# Create and read ----------------------------------------------------------------


def test_it_creates_a_person_and_answers_201_with_every_field(alice_api, alice):
    response = alice_api.post(list_url("person"), FULL_PERSON)

    assert response.status_code == 201
    body = response.json()
    for key, value in FULL_PERSON.items():
        assert body[key] == value, key
    assert body["full_name"] == "Dana Okafor"
    assert body["created_at"] and body["updated_at"]
    person = Person.objects.get(pk=body["id"])
    assert person.owner == alice
    assert person.level == "manager"


def test_it_keeps_the_order_of_emails_phones_and_tags(alice_api):
    body = create(
        alice_api,
        emails=["z@example.org", "a@example.org", "m@example.org"],
        phones=["3", "1", "2"],
        tags=["zeta", "alpha"],
    )

    read = alice_api.get(detail_url("person", body["id"])).json()
    assert read["emails"] == ["z@example.org", "a@example.org", "m@example.org"]
    assert read["phones"] == ["3", "1", "2"]
    # Tags come back in name order, the model's ordering.
    assert read["tags"] == ["alpha", "zeta"]


def test_it_strips_blank_and_repeated_list_items(alice_api):
    body = create(
        alice_api,
        emails=[" a@example.org ", "a@example.org", ""],
        phones=["1", " 1 ", "  "],
        tags=["x", "x", " "],
    )

    assert body["emails"] == ["a@example.org"]
    assert body["phones"] == ["1"]
    assert body["tags"] == ["x"]


def test_it_stores_emails_and_phones_as_rows_owned_by_the_user(alice_api, alice):
    body = create(alice_api, emails=["one@example.org"], phones=["123"], tags=["t"])

    assert EmailAddress.objects.get(person_id=body["id"]).owner == alice
    assert PhoneNumber.objects.get(person_id=body["id"]).owner == alice
    assert Tag.objects.get(name="t").owner == alice


def test_it_reuses_an_existing_tag_of_the_user(alice_api, alice):
    tag = TagFactory(owner=alice, name="mentor")

    create(alice_api, tags=["mentor"])

    assert Tag.objects.filter(owner=alice, name="mentor").count() == 1
    assert tag.people.count() == 1


def test_it_reads_a_person_with_their_lists(alice_api, alice):
    person = PersonFactory(owner=alice, first_name="Ravi", last_name="Shah", level="hr")
    EmailAddressFactory(person=person, email="ravi@example.org")
    person.tags.add(TagFactory(owner=alice, name="recruiting"))

    response = alice_api.get(detail_url("person", person.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == person.pk
    assert body["full_name"] == "Ravi Shah"
    assert body["level"] == "hr"
    assert body["emails"] == ["ravi@example.org"]
    assert body["tags"] == ["recruiting"]


def test_it_answers_404_as_json_for_a_missing_person(alice_api):
    response = alice_api.get(detail_url("person", 987654))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "errors": []}


# List, search, filters --------------------------------------------------------------


def test_it_lists_people_by_last_name_then_first_name(alice_api, alice):
    PersonFactory(owner=alice, first_name="Zoe", last_name="Adams")
    PersonFactory(owner=alice, first_name="Amy", last_name="Young")
    PersonFactory(owner=alice, first_name="Ben", last_name="Adams")

    response = alice_api.get(list_url("person"))

    assert response.status_code == 200
    assert names(response) == ["Ben Adams", "Zoe Adams", "Amy Young"]
    assert response.json()["count"] == 3


@pytest.fixture
def searchable(alice: Any) -> dict[str, Person]:
    """People who each match one kind of search term, and one who matches none."""
    by_name = PersonFactory(owner=alice, first_name="Quentin", last_name="Marlow")
    by_org = PersonFactory(owner=alice, first_name="Olga", last_name="Orgson")
    EmploymentFactory(
        person=by_org, organization=OrganizationFactory(owner=alice, name="Zephyr Labs")
    )
    by_title = PersonFactory(owner=alice, first_name="Tara", last_name="Titleton")
    EmploymentFactory(person=by_title, title="Cartographer")
    by_tag = PersonFactory(owner=alice, first_name="Gus", last_name="Tagg")
    by_tag.tags.add(TagFactory(owner=alice, name="volunteering"))
    by_email = PersonFactory(owner=alice, first_name="Eve", last_name="Mailer")
    EmailAddressFactory(person=by_email, email="eve@quixotic.example")
    PersonFactory(owner=alice, first_name="Nora", last_name="Nobody")
    return {
        "name": by_name,
        "organization": by_org,
        "title": by_title,
        "tag": by_tag,
        "email": by_email,
    }


@pytest.mark.parametrize(
    ("term", "matched"),
    [
        ("marlow", "name"),
        ("QUENTIN", "name"),
        ("zephyr", "organization"),
        ("cartograph", "title"),
        ("volunteer", "tag"),
        ("quixotic", "email"),
    ],
)
def test_it_searches_people_across_name_organization_title_tag_and_email(
    alice_api, searchable, term, matched
):
    response = alice_api.get(list_url("person"), {"q": term})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [searchable[matched].pk]
    assert response.json()["count"] == 1


def test_it_requires_every_word_of_the_search_to_match(alice_api, searchable):
    both = alice_api.get(list_url("person"), {"q": "olga zephyr"})
    mixed = alice_api.get(list_url("person"), {"q": "olga cartographer"})

    assert [item["id"] for item in both.json()["items"]] == [searchable["organization"].pk]
    assert mixed.json()["items"] == []


def test_it_lists_a_person_once_when_several_of_their_rows_match(alice_api, alice):
    person = PersonFactory(owner=alice, first_name="Multi", last_name="Match")
    EmailAddressFactory(person=person, email="match1@example.org")
    EmailAddressFactory(person=person, email="match2@example.org")
    EmploymentFactory(person=person, title="Match maker")
    EmploymentFactory(person=person, title="Match referee")

    response = alice_api.get(list_url("person"), {"q": "match"})

    assert [item["id"] for item in response.json()["items"]] == [person.pk]
    assert response.json()["count"] == 1


def test_it_filters_people_by_level_source_and_tag(alice_api, alice):
    hr = PersonFactory(owner=alice, level="hr", source="linkedin")
    staff = PersonFactory(owner=alice, level="staff", source="linkedin")
    tagged = PersonFactory(owner=alice, level="staff", source="friend")
    tagged.tags.add(TagFactory(owner=alice, name="climbing"))

    def ids(params: dict[str, str]) -> list[int]:
        return [item["id"] for item in alice_api.get(list_url("person"), params).json()["items"]]

    assert ids({"level": "hr"}) == [hr.pk]
    assert sorted(ids({"source": "linkedin"})) == sorted([hr.pk, staff.pk])
    assert ids({"source": "friend"}) == [tagged.pk]
    assert ids({"tag": "climbing"}) == [tagged.pk]
    assert ids({"level": "staff", "source": "friend"}) == [tagged.pk]
    assert ids({"level": "executive"}) == []


def test_it_filters_people_by_organization_without_repeating_them(alice_api, alice):
    organization = OrganizationFactory(owner=alice)
    twice = PersonFactory(owner=alice)
    EmploymentFactory(person=twice, organization=organization, title="Intern", is_current=False)
    EmploymentFactory(person=twice, organization=organization, title="Engineer")
    elsewhere = PersonFactory(owner=alice)
    EmploymentFactory(person=elsewhere)

    response = alice_api.get(list_url("person"), {"organization_id": organization.pk})

    assert [item["id"] for item in response.json()["items"]] == [twice.pk]
    assert response.json()["count"] == 1


# Pagination ---------------------------------------------------------------------------


@pytest.fixture
def seven_people(alice: Any) -> list[Person]:
    return [
        PersonFactory(owner=alice, first_name="P", last_name=f"Person{i:02d}") for i in range(7)
    ]


def test_it_pages_with_limit_and_offset_and_counts_the_total(alice_api, seven_people):
    first = alice_api.get(list_url("person"), {"limit": 3})
    second = alice_api.get(list_url("person"), {"limit": 3, "offset": 3})
    last = alice_api.get(list_url("person"), {"limit": 3, "offset": 6})
    beyond = alice_api.get(list_url("person"), {"limit": 3, "offset": 50})

    assert names(first) == ["P Person00", "P Person01", "P Person02"]
    assert names(second) == ["P Person03", "P Person04", "P Person05"]
    assert names(last) == ["P Person06"]
    assert beyond.json()["items"] == []
    assert {r.json()["count"] for r in (first, second, last, beyond)} == {7}


def test_it_counts_the_filtered_total_not_the_page(alice_api, alice, seven_people):
    for person in seven_people[:5]:
        person.level = "executive"
        person.save()

    response = alice_api.get(list_url("person"), {"level": "executive", "limit": 2})

    assert len(response.json()["items"]) == 2
    assert response.json()["count"] == 5


def test_it_returns_up_to_100_people_by_default(alice_api, alice):
    Person.objects.bulk_create(Person(owner=alice, first_name=f"N{i}") for i in range(105))

    response = alice_api.get(list_url("person"))

    assert len(response.json()["items"]) == 100
    assert response.json()["count"] == 105


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": 10**20}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**20}, "offset"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_it_refuses_a_page_size_or_offset_out_of_range(alice_api, seven_people, params, field):
    response = alice_api.get(list_url("person"), params)

    assert response.status_code == 422
    assert field in error_fields(response)


# Query counts ---------------------------------------------------------------------------


def add_people(owner: Any, count: int) -> None:
    for _ in range(count):
        person = PersonFactory(owner=owner)
        EmailAddressFactory(person=person)
        EmailAddressFactory(person=person)
        person.phone_numbers.create(owner=owner, number="555-0100")
        person.tags.add(TagFactory(owner=owner))
        EmploymentFactory(person=person)


def count_queries(api: JsonClient, params: dict[str, Any] | None = None) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as context:
        response = api.get(list_url("person"), params)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


@pytest.mark.parametrize("params", [None, {"q": "example"}, {"tag": "tag"}])
def test_it_lists_2_or_50_people_in_the_same_number_of_queries(alice_api, alice, params):
    add_people(alice, 2)
    few, few_body = count_queries(alice_api, params)
    add_people(alice, 48)
    many, many_body = count_queries(alice_api, params)

    if params is None:
        assert few_body["count"] == 2
        assert many_body["count"] == 50
        assert all(len(item["emails"]) == 2 and item["phones"] for item in many_body["items"])
    assert many == few


def test_it_lists_people_through_a_token_in_constant_queries(alice_bearer, alice):
    add_people(alice, 2)
    count_queries(alice_bearer)  # the first use records last_used_at
    few, _ = count_queries(alice_bearer)
    add_people(alice, 48)
    many, body = count_queries(alice_bearer)

    assert body["count"] == 50
    assert many == few


# Replace and change ----------------------------------------------------------------------


def test_it_replaces_a_person_with_put_resetting_fields_left_out(alice_api):
    body = create(alice_api, **{**FULL_PERSON, "first_name": "Old"})

    response = alice_api.put(detail_url("person", body["id"]), {"first_name": "New"})

    assert response.status_code == 200
    replaced = response.json()
    assert replaced["first_name"] == "New"
    assert replaced["last_name"] == ""
    assert replaced["emails"] == []
    assert replaced["phones"] == []
    assert replaced["tags"] == []
    assert replaced["level"] == ""
    assert replaced["source"] == "manual"
    assert replaced["do_not_contact"] is False
    person = Person.objects.get(pk=body["id"])
    assert person.first_name == "New"
    assert person.email_addresses.count() == 0


def test_it_refuses_a_put_without_the_required_first_name(alice_api):
    body = create(alice_api, first_name="Kept", last_name="Whole")

    response = alice_api.put(detail_url("person", body["id"]), {"last_name": "Changed"})

    assert response.status_code == 422
    assert "first_name" in error_fields(response)
    assert Person.objects.get(pk=body["id"]).last_name == "Whole"


def test_it_changes_only_the_fields_sent_with_patch(alice_api):
    body = create(alice_api, **FULL_PERSON)

    response = alice_api.patch(detail_url("person", body["id"]), {"last_name": "Okafor-Lee"})

    assert response.status_code == 200
    changed = response.json()
    assert changed["last_name"] == "Okafor-Lee"
    for key, value in FULL_PERSON.items():
        if key != "last_name":
            assert changed[key] == value, key
    assert Person.objects.get(pk=body["id"]).last_name == "Okafor-Lee"


def test_it_replaces_only_the_lists_sent_with_patch(alice_api):
    body = create(alice_api, **FULL_PERSON)

    changed = alice_api.patch(
        detail_url("person", body["id"]), {"emails": ["new@example.org"], "tags": []}
    ).json()

    assert changed["emails"] == ["new@example.org"]
    assert changed["tags"] == []
    assert changed["phones"] == FULL_PERSON["phones"]


def test_it_refuses_null_for_a_text_field_in_patch_and_changes_nothing(alice_api):
    body = create(alice_api, first_name="Ann", last_name="Kept", level="staff")

    for field in ("last_name", "first_name", "level", "do_not_contact", "emails"):
        response = alice_api.patch(detail_url("person", body["id"]), {field: None})
        assert response.status_code == 422, field
        assert field in error_fields(response)

    person = Person.objects.get(pk=body["id"])
    assert (person.first_name, person.last_name, person.level) == ("Ann", "Kept", "staff")


def test_it_validates_a_patch_like_a_create(alice_api):
    body = create(alice_api, first_name="Ann")

    empty_name = alice_api.patch(detail_url("person", body["id"]), {"first_name": ""})
    bad_level = alice_api.patch(detail_url("person", body["id"]), {"level": "boss"})

    assert empty_name.status_code == 422
    assert "first_name" in error_fields(empty_name)
    assert bad_level.status_code == 422
    assert "level" in error_fields(bad_level)
    assert Person.objects.get(pk=body["id"]).first_name == "Ann"


def test_it_accepts_an_empty_patch(alice_api):
    body = create(alice_api, **FULL_PERSON)

    response = alice_api.patch(detail_url("person", body["id"]), {})

    assert response.status_code == 200
    assert response.json()["emails"] == FULL_PERSON["emails"]


# Delete -----------------------------------------------------------------------------------


def test_it_deletes_a_person_with_204_and_their_rows_are_gone(alice_api):
    body = create(alice_api, emails=["gone@example.org"], phones=["1"])

    response = alice_api.delete(detail_url("person", body["id"]))

    assert response.status_code == 204
    assert response.content == b""
    assert not Person.objects.filter(pk=body["id"]).exists()
    assert not EmailAddress.objects.filter(email="gone@example.org").exists()
    assert alice_api.get(detail_url("person", body["id"])).status_code == 404
    assert alice_api.delete(detail_url("person", body["id"])).status_code == 404
